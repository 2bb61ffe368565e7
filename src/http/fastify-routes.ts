import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { requestIdHeader, type ResponseDoc } from '../api/docs.js';
import { executor } from '../api/execute.js';
import type { Operation, OpRequest, OpResponse } from '../api/operation.js';
import { CONTROL_PREFIX, type ControlContext, type ControlRoute } from '../control/route.js';
import { ApiError, jsonContentType } from '../errors.js';
import { fieldErrors } from '../schemas/check.js';
import { parseJson } from '../schemas/json.js';
import { serializer } from '../views/serializer.js';
import { keepBody, namespaceOf } from './request.js';
import type { Page } from './documents.js';
import type { Route, RouteTable } from './route-table.js';

/**
 * The largest body an operation of the emulated API reads (a purchase is a few dozen bytes): a larger one is a
 * 413 before it is read into memory. A thousand 1 MB bodies cost a gigabyte of garbage to read for nothing.
 */
export const API_BODY_LIMIT = 64 * 1024;

/** The thin Fastify adapter of an operation: a Fastify request to an OpRequest, an OpResponse to a reply. */
export function toOpRequest(request: FastifyRequest): OpRequest {
  const q = request.url.indexOf('?');
  const body = typeof request.body === 'string' ? request.body : undefined;
  keepBody(request.raw, body);
  return { params: request.params as Record<string, string>, query: q < 0 ? '' : request.url.slice(q + 1), headers: request.headers, ip: request.ip, body, requestId: request.id };
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
  // A refresh token is the only credential the refresh call takes.
  if (op.credential === 'refresh-token') return [{ BearerAuth: [] }];
  const alternatives: Record<string, string[]>[] = [{ AuthId: [], AuthToken: [] }];
  if (op.auth.includes('basic')) alternatives.push({ BasicAuth: [] });
  if (op.auth.includes('bearer')) alternatives.push({ BearerAuth: [] });
  return alternatives;
}

/** The schemas of an operation's route, for @fastify/swagger (the API's document); the app runs without them. */
function operationSchema(op: Operation, route: Route) {
  const { tags, summary, description, params, querystring, body, responses } = op.doc;
  const note = op.routes.find((r) => r.operationId === route.operationId)?.note;
  return {
    tags: [...tags],
    summary,
    description: note ? `${note} ${description}` : description,
    operationId: route.operationId,
    security: security(op),
    ...(params ? { params } : {}),
    ...(querystring ? { querystring } : {}),
    ...(body ? { body } : {}),
    response: Object.fromEntries(Object.entries(responses).map(([status, doc]) => [status, responseSchema(doc)])),
  };
}

/** A control call's JSON object body: {} when it takes none (or may be left out and was), or a 400 in the envelope. */
function controlBody(request: FastifyRequest, control: ControlRoute): Record<string, unknown> {
  if (control.body === undefined) return {};
  const text = typeof request.body === 'string' ? request.body : '';
  if (text.trim() === '') {
    if (control.bodyOptional === true) return {};
    throw new ApiError('BAD_REQUEST', 'Request body required: a JSON object');
  }
  const parsed = parseJson(text);
  if ('problem' in parsed) throw new ApiError('BAD_REQUEST', `Request body must be ${parsed.problem}`);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError('BAD_REQUEST', 'Request body must be a JSON object');
  if (control.checksItself !== true) {
    const errors = fieldErrors(control.body, value);
    if (errors.length > 0) throw new ApiError('VALIDATION_ERROR', `${errors[0]!.field}: ${errors[0]!.message}`, { errors });
  }
  return value as Record<string, unknown>;
}

/** The first value of each query parameter (a repeated one is given as its first). */
function firstValues(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, string | string[]>)) out[name] = Array.isArray(value) ? value[0] : value;
  return out;
}

/** Sends a control call's answer: its body serialized by the route's schema for its status. */
function sendControl(reply: FastifyReply, control: ControlRoute, status: number, body: unknown, text: string | undefined): FastifyReply {
  reply.code(status);
  if (status === 204) return reply.send();
  reply.header('content-type', jsonContentType);
  if (text !== undefined) return reply.send(text);
  const schema = control.responses[status]?.[1];
  return reply.send(schema ? serializer(schema)(body) : JSON.stringify(body));
}

export interface RegisterOptions {
  /** Attach the operations' schemas for @fastify/swagger, and register the operations alone (the API's document). */
  readonly document?: boolean;
  /** Checks a control call's credentials (--admin-token), before anything else of it. */
  readonly admin?: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * Registers every route of the table with Fastify: the operations of the emulated API (run as the fast path
 * runs them), the control plane's calls (body checked by their schema, answer serialized by their schema) and
 * the pages. Failures are catalogue errors, shaped by the error handler.
 */
export function registerRoutes(app: FastifyInstance, table: RouteTable, options: RegisterOptions = {}): void {
  const operationOf = (method: string, path: string) => {
    const found = table.match(method, path);
    return found?.route.kind === 'api' ? found : undefined;
  };
  for (const route of table.routes) {
    const base: RouteShorthandOptions & { method: Route['method']; url: string; exposeHeadRoute: boolean } = { method: route.method, url: route.url, exposeHeadRoute: route.head };
    if (route.kind === 'api') {
      const op = route.op!;
      const run = executor(op);
      app.route({
        ...base,
        bodyLimit: API_BODY_LIMIT,
        ...(options.document ? { schema: op.hidden ? { hide: true } : operationSchema(op, route) } : {}),
        handler: (request, reply) => sendOpResponse(reply, run(toOpRequest(request), namespaceOf(request.raw))),
      });
    } else if (options.document) continue;
    else if (route.kind === 'control') {
      const control = route.control!;
      app.route({
        ...base,
        ...(control.bodyLimit !== undefined ? { bodyLimit: control.bodyLimit } : {}),
        ...(options.admin ? { onRequest: options.admin } : {}),
        handler: (request, reply) => {
          const context: ControlContext = {
            ns: namespaceOf(request.raw),
            namespaces: app.namespaces,
            config: app.config,
            params: request.params as Record<string, string>,
            query: firstValues(request.query),
            rawQuery: request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '',
            body: controlBody(request, control),
            server: `${request.protocol}://${request.host}`,
            operationOf,
          };
          const answer = control.handle(context);
          return sendControl(reply, control, answer.status, answer.body, answer.text);
        },
      });
    } else app.route({ ...base, schema: { hide: true }, handler: route.page! });
  }
}

/** The control plane's calls as routes of the table. */
export const controlTableRoutes = (routes: readonly ControlRoute[]): Route[] =>
  routes.map((control) => ({ method: control.method, url: `${CONTROL_PREFIX}${control.path}`, kind: 'control', operationId: control.operationId, primary: control.operationId, head: false, control }));

/** The operations of the emulated API as routes of the table, each under every path it has. */
export const operationTableRoutes = (operations: readonly Operation[]): Route[] =>
  operations.flatMap((op) => op.routes.map((r) => ({ method: op.method, url: r.url, kind: 'api' as const, operationId: r.operationId, primary: op.routes[0]!.operationId, head: op.method === 'GET', op })));

/** Pages as routes of the table: GET, with their HEAD twins. */
export const pageTableRoutes = (pages: readonly Page[]): Route[] => pages.map(({ url, handler }) => ({ method: 'GET', url, kind: 'page', operationId: url, primary: url, head: true, page: handler }));
