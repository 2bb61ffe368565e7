import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { authenticate, isAccount, refusalResponse } from './auth.js';
import { jsonContentType } from './plugins/errors.js';

/**
 * GET /api/v1/auth/me answered at the node:http level, before Fastify's routing, hooks and reply
 * machinery (which alone cost about a quarter of the throughput of a bare node:http server here).
 * It uses the same authentication, bodies, error catalogue and request ids as the Fastify route that
 * `inject()` and every other request reach, and sends the same status, headers and body. It declines
 * (returns false) for anything else, including a query string, and is not installed when each request
 * is to be logged.
 */
export function createFastPath(app: FastifyInstance, nextRequestId: (req: IncomingMessage) => string) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.url !== '/api/v1/auth/me' || req.method !== 'GET') return false;
    const requestId = nextRequestId(req);
    const now = app.now();
    const result = authenticate(app.store, now, req.headers, req.socket.remoteAddress);
    if (isAccount(result)) {
      const { body, bodyLength } = result.state;
      res.writeHead(200, { 'x-request-id': requestId, 'content-type': jsonContentType, 'content-length': bodyLength });
      res.end(body);
    } else {
      const { status, body } = refusalResponse(result, requestId, now);
      res.writeHead(status, { 'x-request-id': requestId, 'content-type': jsonContentType, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }
    return true;
  };
}
