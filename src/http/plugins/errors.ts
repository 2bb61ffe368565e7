import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { RouteTable } from '../route-table.js';
import fp from 'fastify-plugin';
import { ApiError, codeForStatus, errorBody, jsonContentType } from '../../errors.js';
import type { ErrorCode } from '../../schemas/error.js';
import { namespaceOfOrNone } from '../request.js';
import { DASHBOARD_PATH } from '../dashboard.js';


/** Sends the standard envelope for a catalogue code. Used directly on hot paths, where throwing would cost a stack. */
export function sendError(reply: FastifyReply, code: ErrorCode, message?: string, details?: Record<string, unknown>, status?: number): FastifyReply {
  // The request's namespace clock (inject and other callers the HTTP layer never saw use the emulator's).
  const ns = namespaceOfOrNone(reply.request.raw);
  const error = errorBody(code, reply.request.id, ns ? ns.now() : reply.server.now(), message, details, status);
  return reply.code(status ?? error.status).header('content-type', jsonContentType).send(error.body);
}

/** 404 in the standard envelope, naming the method and path. */
export function sendNotFound(reply: FastifyReply): FastifyReply {
  const { method, url } = reply.request;
  return sendError(reply, 'NOT_FOUND', `No route for ${method} ${url.split('?', 1)[0]}`);
}

/** One error handler and one not-found handler: every error leaves in the catalogue's shape, never with a stack. */
const errors: FastifyPluginAsync<{ table?: RouteTable }> = async (app, options) => {
  // A path the table has under other methods is a 405 naming them (the API's document builder has no table: 404s).
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '/';
    // A browser at the root is shown the dashboard; any other client gets the 404 envelope.
    if (path === '/' && (request.method === 'GET' || request.method === 'HEAD') && /\btext\/html\b/.test(request.headers.accept ?? '')) return reply.redirect(DASHBOARD_PATH, 302);
    const allowed = options.table?.allowed(path) ?? [];
    if (allowed.length === 0) return sendNotFound(reply);
    reply.header('allow', allowed.join(', '));
    return sendError(reply, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      if (error.headers) reply.headers(error.headers);
      return sendError(reply, error.code, error.message, error.details);
    }
    if (error.validation) {
      return sendError(reply, 'VALIDATION_ERROR', undefined, {
        errors: error.validation.map((v) => ({
          field: v.instancePath || v.params?.['missingProperty'] || '',
          message: v.message ?? 'is invalid',
          code: v.keyword.toUpperCase(),
        })),
      });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // The emulated API is one Fastify route: the path the operation has is the table's.
      const path = request.url.split('?', 1)[0]!;
      const url = options.table?.match(request.method === 'HEAD' ? 'GET' : request.method, path)?.route.url ?? request.routeOptions.url;
      return sendError(reply, 'PAYLOAD_TOO_LARGE', `Request body is larger than ${request.routeOptions.bodyLimit} bytes, the most ${request.method} ${url ?? 'this path'} takes`);
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error, requestId: request.id }, 'unexpected error');
      return sendError(reply, 'INTERNAL_ERROR');
    }
    return sendError(reply, codeForStatus(status), error.message);
  });
};

export default fp(errors, { name: 'vobiz-errors' });
