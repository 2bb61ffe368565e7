import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authenticate, isAccount, refusalResponse } from '../auth.js';
import type { StoredAccount } from '../store/account-store.js';
import { jsonContentType } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The account the X-Auth-ID / X-Auth-Token pair names, or undefined after sending the refusal (401/403).
     * Called by handlers rather than run as a hook: it is the hot path.
     */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => StoredAccount | undefined;
  }
}

const auth: FastifyPluginAsync = async (app) => {
  app.decorate('authenticate', (request: FastifyRequest, reply: FastifyReply) => {
    const now = app.now();
    const result = authenticate(app.store, now, request.headers, request.ip);
    if (isAccount(result)) return result;
    const { status, body } = refusalResponse(result, request.id, now);
    reply.code(status).header('content-type', jsonContentType).send(body);
    return undefined;
  });
};

export default fp(auth, { name: 'vobiz-auth', dependencies: ['vobiz-context', 'vobiz-errors'] });
