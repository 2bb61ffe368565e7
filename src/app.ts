import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Config, resolveConfig } from './config.js';
import { createFastPath } from './fast-path.js';
import { documentedParameters, routeTable } from './operations/index.js';
import errors from './plugins/errors.js';
import openapi from './plugins/openapi.js';
import requestId, { requestIdGenerator } from './plugins/request-id.js';
import { RequestLog } from './plugins/request-log.js';
import schemas from './plugins/schemas.js';
import context from './plugins/context.js';
import cors, { corsHeaders } from './plugins/cors.js';
import routes from './routes/index.js';
import { createHttpLayer } from './server.js';
import controlPlane from './control/routes.js';
import { worldOf } from './world/request.js';
import { Worlds } from './world/world.js';
import { canonicalUrl } from './world/paths.js';
import { sendError } from './plugins/errors.js';
import type { AccountStore } from './store/account-store.js';
import { loadStore } from './store/load.js';

/**
 * Fastify's response serializers, compiled on first use rather than at start-up: the hot routes send bodies
 * serialized once per account, so most of these are never needed.
 */
function lazySerializers() {
  const select = SerializerSelector();
  return (...factoryArgs: Parameters<typeof select>) => {
    const compile = select(...factoryArgs);
    return (route: Parameters<typeof compile>[0]) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data: unknown) => (serialize ??= compile(route))(data);
    };
  };
}

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
  /** Told of the accounts generated so far (every 10,000), for a progress line. */
  onLoadProgress?: (done: number, total: number) => void;
}

/** Builds the emulator's Fastify app: loads the accounts, then registers plugins and routes. Never listens. */
export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const { logStream, now = Date.now, store: given, onLoadProgress, timeouts, ...rest } = options;
  const config = resolveConfig({ options: rest });
  const accounts = given ?? (await loadStore(config, onLoadProgress));

  const perRequestLogs = config.logLevel === 'debug' || config.logLevel === 'trace';
  const nextRequestId = requestIdGenerator();
  let fastPath: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  let fastifyHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const always = config.cors === 'on' ? corsHeaders : {};
  const worlds = new Worlds(accounts, now, {
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
    worlds,
    route: (method, path) => routeTable.match(method, path),
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
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
    genReqId: nextRequestId,
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(schemas);
  await app.register(errors);
  await app.register(requestId);
  await app.register(context, { config, worlds, now });
  await app.register(cors);
  await app.register(openapi);
  // Operations parse their own JSON bodies, so that both adapters answer a bad body alike; no other type is taken.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  await app.register(routes);
  await app.register(controlPlane, { prefix: '/__mock/v1' });
  if (!perRequestLogs) fastPath = createFastPath(routeTable, worldOf, nextRequestId, always, layer.answered, layer.failed);
  app.addHook('onClose', async () => worlds.close());
  app.decorate('httpLayer', layer);
  return app;
}
