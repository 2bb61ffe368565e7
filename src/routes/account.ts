import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { jsonContentType } from '../plugins/errors.js';
import { AccountSchema } from '../schemas/account.js';
import { ErrorEnvelopeSchema, InvalidCredentialsSchema } from '../schemas/error.js';

const account: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['Account'],
        summary: 'Retrieve account',
        description: 'The account whose X-Auth-ID / X-Auth-Token pair is sent. Any Authorization header is ignored.',
        operationId: 'getAccount',
        security: [{ AuthId: [], AuthToken: [] }],
        response: {
          200: Type.Ref(AccountSchema, { description: 'Account details' }),
          401: Type.Union([Type.Ref(InvalidCredentialsSchema), Type.Ref(ErrorEnvelopeSchema)], {
            description: 'Missing or invalid credentials (InvalidCredentials), or an expired token (TOKEN_EXPIRED)',
          }),
          403: Type.Ref(ErrorEnvelopeSchema, { description: 'Account inactive (ACCOUNT_INACTIVE) or client IP not whitelisted (IP_NOT_WHITELISTED)' }),
          500: Type.Ref(ErrorEnvelopeSchema, { description: 'Unexpected error (INTERNAL_ERROR)' }),
        },
      },
    },
    (request, reply) => {
      const account = app.authenticate(request, reply);
      // The account's body is serialized once, from AccountSchema, when the account is loaded or changed.
      if (account) (reply as FastifyReply).header('content-type', jsonContentType).send(account.state.body);
    },
  );
};

export default account;
