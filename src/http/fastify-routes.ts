import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requestIdHeader, type ResponseDoc } from '../operations/docs.js';
import { executor } from '../operations/execute.js';
import { operations } from '../operations/index.js';
import { jsonContentType } from '../errors.js';
import type { Operation, OpRequest, OpResponse } from '../operations/operation.js';
import { keepBody, worldOf } from '../world/request.js';

/**
 * The largest body an operation of the emulated API reads (a purchase is a few dozen bytes): a larger one is a
 * 413 before it is read into memory. A thousand 1 MB bodies cost a gigabyte of garbage to read for nothing.
 */
export const API_BODY_LIMIT = 64 * 1024;

export interface OperationRoutesOptions {
  /** Attach each operation's schemas for @fastify/swagger (the document builder); the app runs without them. */
  document?: boolean;
}

/** The thin Fastify adapter: a Fastify request to an OpRequest, an OpResponse to a reply. */
function keptBody(request: FastifyRequest): string | undefined {
  const body = typeof request.body === 'string' ? request.body : undefined;
  keepBody(request.raw, body);
  return body;
}

export function toOpRequest(request: FastifyRequest): OpRequest {
  const q = request.url.indexOf('?');
  return {
    params: request.params as Record<string, string>,
    query: q < 0 ? '' : request.url.slice(q + 1),
    headers: request.headers,
    ip: request.ip,
    body: keptBody(request),
    requestId: request.id,
  };
}

export function sendOpResponse(reply: FastifyReply, response: OpResponse): FastifyReply {
  reply.code(response.status).header('content-type', jsonContentType);
  if (response.headers) reply.headers(response.headers);
  return reply.send(response.body);
}

/** A documented response in the content form @fastify/swagger passes through: schema and named examples. */
function responseSchema({ description, schema, examples, headers }: ResponseDoc) {
  const named = Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }]));
  return { description, headers: { 'X-Request-Id': requestIdHeader, ...headers }, content: { 'application/json': { schema, examples: named } } };
}

function security(op: Operation) {
  const alternatives: Record<string, string[]>[] = [{ AuthId: [], AuthToken: [] }];
  if (op.auth.includes('basic')) alternatives.push({ BasicAuth: [] });
  if (op.auth.includes('bearer')) alternatives.push({ BearerAuth: [] });
  return alternatives;
}

/**
 * Registers every operation, under each of its paths. Requests are validated by the operations themselves
 * (so the fast path and Fastify answer alike); the schemas are attached only for the OpenAPI document.
 */
const operationRoutes: FastifyPluginAsync<OperationRoutesOptions> = async (app, options) => {
  for (const op of operations) {
    const run = executor(op);
    for (const route of op.routes) {
      const { tags, summary, description, params, querystring, body, responses } = op.doc;
      app.route({
        method: op.method,
        url: route.url,
        bodyLimit: API_BODY_LIMIT,
        ...(options.document
          ? {
              schema: {
                tags: [...tags],
                summary,
                description: route.note ? `${route.note} ${description}` : description,
                operationId: route.operationId,
                security: security(op),
                ...(params ? { params } : {}),
                ...(querystring ? { querystring } : {}),
                ...(body ? { body } : {}),
                response: Object.fromEntries(Object.entries(responses).map(([status, doc]) => [status, responseSchema(doc)])),
              },
            }
          : {}),
        handler: (request, reply) => sendOpResponse(reply, run(toOpRequest(request), worldOf(request.raw))),
      });
    }
  }
};

export default operationRoutes;
