import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.js';

/** The check of a control call's credentials with --admin-token: `Authorization: Bearer <token>`, compared in constant time. */
export function adminCheck(token: string): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (request, reply) => {
    const given = Buffer.from(typeof request.headers.authorization === 'string' ? request.headers.authorization : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return sendError(reply, 'INVALID_CREDENTIALS', 'The control plane wants Authorization: Bearer <the --admin-token>');
    }
    return undefined;
  };
}
