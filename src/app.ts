import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { documentedParameters, operations } from './api/index.js';
import { type Config, resolveConfig } from './config.js';
import { controlRoutes } from './control/index.js';
import { Namespaces } from './domain/namespace.js';
import type { AccountStore } from './domain/store.js';
import { loadStore } from './fixtures/load.js';
import { createFastPath } from './http/fast-path.js';
import { controlTableRoutes, operationTableRoutes, pageTableRoutes, registerRoutes } from './http/fastify-routes.js';
import { createHttpLayer } from './http/layer.js';
import { pages } from './http/pages.js';
import { canonicalUrl } from './http/paths.js';
import { adminCheck } from './http/plugins/admin.js';
import context from './http/plugins/context.js';
import cors, { corsHeaders } from './http/plugins/cors.js';
import errors, { sendError } from './http/plugins/errors.js';
import requestId, { requestIdGenerator } from './http/plugins/request-id.js';
import { RequestLog } from './http/plugins/request-log.js';
import schemas from './http/plugins/schemas.js';
import { namespaceOf } from './http/request.js';
import { RouteTable } from './http/route-table.js';

/** Header values that never reach a log line. */
export const redactedHeaders = ['x-auth-token', 'authorization', 'proxy-authorization', 'x-api-key', 'cookie'];

export interface BuildOptions extends Partial<Config> {
  /** Where log lines go (default: standard output). */
  logStream?: NodeJS.WritableStream;
  /** The clock, in epoch milliseconds (default: Date.now). */
  now?: () => number;
  /** Use this store instead of loading one from the configuration. */
  store?: AccountStore;
  /** Milliseconds for a request's headers, and for a whole request, to arrive (default 10 s and 30 s). */
  timeouts?: { headersTimeout?: number; requestTimeout?: number };
}

/** Builds the emulator's Fastify app: loads the accounts, then registers plugins and routes. Never listens. */
export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const { logStream, now = Date.now, store: given, timeouts, ...rest } = options;
  const config = resolveConfig({ options: rest });
  const accounts = given ?? (await loadStore(config));

  const perRequestLogs = config.logLevel === 'debug' || config.logLevel === 'trace';
  const nextRequestId = requestIdGenerator();
  let fastPath: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  let fastifyHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const always = config.cors === 'on' ? corsHeaders : {};
  const namespaces = new Namespaces(accounts, now, {
    journalSize: config.journalSize,
    journalMemory: config.journalMemory * 1024 * 1024,
    maxNamespaces: config.maxNamespaces,
    idleMs: config.namespaceTtl * 1000,
    maxFaultRules: config.maxFaultRules,
  });
  const layer = createHttpLayer({
    handler: (req, res) => fastifyHandler!(req, res),
    fastPath: () => fastPath,
    nextRequestId,
    now,
    namespaces,
    route: (method, path) => table.match(method, path),
    allowFaultHeaders: config.allowFaultHeaders,
    always: () => always,
    onRefused: (detail) => app.log.debug(detail, 'request refused by the HTTP parser'),
    onError: (error, requestId) => app.log.error({ err: error, requestId }, 'unexpected error'),
    ...(timeouts ?? {}),
  });
  const app = Fastify({
    serverFactory: (handler) => {
      fastifyHandler = handler;
      return layer.server;
    },
    clientErrorHandler: layer.clientError,
    // Connections are closed by layer.drain(), which loses no request; Fastify's 'idle' would cut them.
    forceCloseConnections: false,
    // A path that cannot be decoded (/%zz): the envelope, not Fastify's own body.
    frameworkErrors: (error, request, reply) => {
      // Fastify's hooks do not run for these: the request id and CORS headers are set here.
      reply.header('x-request-id', request.id).headers(always);
      if (error.code === 'FST_ERR_BAD_URL') return sendError(reply, 'BAD_REQUEST', 'The request path is not valid percent-encoding');
      return sendError(reply, 'BAD_REQUEST', 'The request cannot be routed');
    },
    // A path parameter as long as the header limit allows is routed (and refused by the operation) as the
    // fast path does, rather than failed by the router at Fastify's default of 100 characters.
    routerOptions: { maxParamLength: 16_384 },
    // One path for every layer: the HTTP layer made it canonical already; requests injected without it are made so here.
    rewriteUrl: (req) => canonicalUrl(req.url ?? '/'),
    logger: {
      level: config.logLevel,
      redact: { paths: redactedHeaders.map((h) => `headers["${h}"]`), censor: '[redacted]' },
      ...(logStream ? { stream: logStream } : {}),
    },
    logController: new RequestLog(documentedParameters),
    // A child logger a request is an allocation a request; only debug level has request lines to bind.
    childLoggerFactory: (logger, bindings, options) => (perRequestLogs ? logger.child(bindings, options) : logger),
    genReqId: nextRequestId,
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Every route, built once: the operations of the emulated API, the control plane's calls and the pages.
  const table = new RouteTable([...operationTableRoutes(operations), ...controlTableRoutes(controlRoutes), ...pageTableRoutes(pages(app))]);
  await app.register(schemas);
  await app.register(errors, { table });
  await app.register(requestId);
  await app.register(context, { config, namespaces, now });
  await app.register(cors);
  // Operations parse their own JSON bodies, so that both adapters answer a bad body alike; no other type is taken.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  registerRoutes(app, table, config.adminToken !== undefined ? { admin: adminCheck(config.adminToken) } : {});
  if (!perRequestLogs) fastPath = createFastPath(table, namespaceOf, nextRequestId, always, layer.answered, layer.failed);
  app.addHook('onClose', async () => namespaces.close());
  app.decorate('httpLayer', layer);
  return app;
}
