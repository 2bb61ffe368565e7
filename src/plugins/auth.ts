import type { FastifyPluginAsync, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import fp from 'fastify-plugin';
import { invalidCredentials } from '../errors.js';
import type { StoredAccount } from '../store/account-store.js';
import { jsonContentType, sendError } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: the X-Auth-ID / X-Auth-Token pair decides; any Authorization header is ignored. */
    authenticate: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;
  }
  interface FastifyRequest {
    account: StoredAccount | null;
  }
}

const unauthorized = Buffer.from(JSON.stringify(invalidCredentials.body));

const auth: FastifyPluginAsync = async (app) => {
  app.decorateRequest('account', null);
  app.decorate('authenticate', function (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    const authId = request.headers['x-auth-id'];
    const token = request.headers['x-auth-token'];
    const account = typeof authId === 'string' && typeof token === 'string' ? app.store.authenticate(authId, token) : undefined;
    if (!account) {
      reply.code(invalidCredentials.status).header('content-type', jsonContentType).send(unauthorized);
      return;
    }
    const state = account.state;
    if (state.expiresAt !== null && state.expiresAt <= app.now()) {
      sendError(reply, 'TOKEN_EXPIRED', `Auth token expired at ${state.data.auth_token_expire_time}`);
      return;
    }
    if (!state.active) {
      sendError(reply, 'ACCOUNT_INACTIVE');
      return;
    }
    if (state.allowsIp && !state.allowsIp(request.ip)) {
      sendError(reply, 'IP_NOT_WHITELISTED', `Client IP address ${request.ip} is not allowed by the account IP whitelist`);
      return;
    }
    request.account = account;
    done();
  });
};

export default fp(auth, { name: 'vobiz-auth', dependencies: ['vobiz-context', 'vobiz-errors'] });
