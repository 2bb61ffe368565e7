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
import type { Match, Route, RouteTable } from './route-table.js';

/**
 * The largest body an operation of the emulated API reads (a purchase is a few dozen bytes): a larger one is a
 * 413 before it is read into memory. A thousand 1 MB bodies cost a gigabyte of garbage to read for nothing.
 */
export const API_BODY_LIMIT = 64 * 1024;

/** Every path of the emulated API is under this prefix: Fastify has one route for all of them, and the table finds the operation. */
export const API_PREFIX = '/api/';

/** The thin Fastify adapter of an operation: a Fastify request to an OpRequest, an OpResponse to a reply. */
export function toOpRequest(request: FastifyRequest, params: Readonly<Record<string, string>>): OpRequest {
  const q = request.url.indexOf('?');
  const body = typeof request.body === 'string' ? request.body : undefined;
  keepBody(request.raw, body);
  return { params, query: q < 0 ? '' : request.url.slice(q + 1), headers: request.headers, ip: request.ip, body, requestId: request.id };
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
  /** Register each operation under each of its paths with its schemas, for @fastify/swagger, and nothing else (the API's document). */
  readonly document?: boolean;
  /** Checks a control call's credentials (--admin-token), before anything else of it. */
  readonly admin?: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/** The operation of the emulated API a request names (HEAD: its GET), or undefined. */
function apiMatch(table: RouteTable, request: FastifyRequest): Match | undefined {
  const found = table.match(request.method === 'HEAD' ? 'GET' : request.method, request.url.split('?', 1)[0]!);
  return found?.route.kind === 'api' && (request.method !== 'HEAD' || found.route.head) ? found : undefined;
}

/**
 * The emulated API as one Fastify route (`/api/*`), its operation found in the table as the fast path finds it.
 * One route rather than one per path and method: each Fastify route costs 20-55 KB of resident memory
 * (its router node, context and compiled lookups): the API's ~120 with their HEAD twins cost 2.6 MB of the
 * idle RSS (measured: 64.3 -> 61.7 MB, 4 %, above the 3 % rule). A path under the prefix that names no operation is
 * answered before its body is read, as the not-found handler answers it.
 */
function registerApi(app: FastifyInstance, table: RouteTable): void {
  const stray = table.routes.find((route) => route.kind === 'api' && !route.url.startsWith(API_PREFIX));
  if (stray) throw new Error(`vobiz-mock: ${stray.method} ${stray.url} is outside ${API_PREFIX}, which Fastify routes to the emulated API`);
  const matched = new WeakMap<FastifyRequest, Match>();
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: `${API_PREFIX}*`,
    exposeHeadRoute: false,
    bodyLimit: API_BODY_LIMIT,
    onRequest: async (request, reply) => {
      const found = apiMatch(table, request);
      // The not-found handler's answer (404, or 405 naming the methods the path has), sent before the body is read.
      if (!found) return reply.callNotFound();
      matched.set(request, found);
      return undefined;
    },
    handler: (request, reply) => {
      const found = matched.get(request);
      if (!found) return reply;
      return sendOpResponse(reply, found.route.run!(toOpRequest(request, found.params), namespaceOf(request.raw)));
    },
  });
}

/**
 * Registers the table with Fastify: the emulated API (one route, run as the fast path runs it), the control
 * plane's calls (body checked by their schema, answer serialized by their schema) and the pages. Failures are
 * catalogue errors, shaped by the error handler.
 */
export function registerRoutes(app: FastifyInstance, table: RouteTable, options: RegisterOptions = {}): void {
  const operationOf = (method: string, path: string) => {
    const found = table.match(method, path);
    return found?.route.kind === 'api' ? found : undefined;
  };
  if (!options.document) registerApi(app, table);
  for (const route of table.routes) {
    const base: RouteShorthandOptions & { method: Route['method']; url: string; exposeHeadRoute: boolean } = { method: route.method, url: route.url, exposeHeadRoute: route.head };
    if (route.kind === 'api') {
      if (!options.document) continue;
      const op = route.op!;
      app.route({ ...base, schema: op.hidden ? { hide: true } : operationSchema(op, route), handler: () => undefined });
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
  operations.flatMap((op) => {
    // One executor an operation, shared by its paths and by both adapters.
    const run = executor(op);
    return op.routes.map((r) => ({ method: op.method, url: r.url, kind: 'api' as const, operationId: r.operationId, primary: op.routes[0]!.operationId, head: op.method === 'GET', op, run }));
  });

/** Pages as routes of the table: GET, with their HEAD twins. */
export const pageTableRoutes = (pages: readonly Page[]): Route[] => pages.map(({ url, handler }) => ({ method: 'GET', url, kind: 'page', operationId: url, primary: url, head: true, page: handler }));
