import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { documentedParameters, operations } from './api/index.js';
import { type Config, resolveConfig } from './config.js';
import { controlRoutes } from './control/index.js';
import { Namespaces } from './domain/namespace.js';
import type { AccountStore } from './domain/store.js';
import { loadStore } from './fixtures/load.js';
import { createFastPath } from './http/fast-path.js';
import { controlTableRoutes, operationTableRoutes, pageTableRoutes, registerRoutes } from './http/fastify-routes.js';
import { createHttpLayer, type HttpLayer } from './http/layer.js';
import { pages } from './http/pages.js';
import { canonicalUrl } from './http/paths.js';
import { adminCheck } from './http/plugins/admin.js';
import context from './http/plugins/context.js';
import cors, { corsHeaders } from './http/plugins/cors.js';
import errors, { sendError } from './http/plugins/errors.js';
import requestId, { requestIdGenerator } from './http/plugins/request-id.js';
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

/** The emulator's app compiles no schema: a route given one is a mistake, said at start-up. */
function noSchemaCompiler(): never {
  throw new Error('vobiz-mock: a route of the app has a schema for Fastify to compile; routes check their own input and views serialize');
}

/** What the app is built on, made before Fastify is loaded: the accounts, the namespaces, the route table, the HTTP layer and its fast path. */
interface Prepared {
  readonly config: Config;
  readonly namespaces: Namespaces;
  readonly table: RouteTable;
  readonly layer: HttpLayer;
  /** The emulated API without Fastify; undefined at debug level, where every request goes through Fastify to be logged. */
  readonly fastPath: FastPath | undefined;
  readonly options: BuildOptions;
  readonly nextRequestId: ReturnType<typeof requestIdGenerator>;
  /** Hands the layer Fastify's handler and logger once the app is ready: requests that came before are answered then. */
  attach(app: FastifyInstance, handler: Handler): void;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type FastPath = ReturnType<typeof createFastPath>;

/** Loads the accounts and makes everything Fastify is not needed for. */
async function prepare(options: BuildOptions): Promise<Prepared> {
  const { now = Date.now, store: given, timeouts, logStream: _logStream, ...rest } = options;
  const config = resolveConfig({ options: rest });
  const accounts = given ?? (await loadStore(config));
  const perRequestLogs = config.logLevel === 'debug' || config.logLevel === 'trace';
  const always = config.cors === 'on' ? corsHeaders : {};
  const namespaces = new Namespaces(accounts, now, {
    journalSize: config.journalSize,
    journalMemory: config.journalMemory * 1024 * 1024,
    maxNamespaces: config.maxNamespaces,
    idleMs: config.namespaceTtl * 1000,
    maxFaultRules: config.maxFaultRules,
    maxSubAccounts: config.maxSubAccounts,
  });
  // Every route, built once: the operations of the emulated API, the control plane's calls and the pages.
  const table = new RouteTable([...operationTableRoutes(operations), ...controlTableRoutes(controlRoutes), ...pageTableRoutes(pages(() => namespaces.default.store.size))]);
  // Until Fastify is ready: requests for it wait, and log lines are kept (a refused request at start-up).
  let handler: Handler | undefined;
  let log: FastifyBaseLogger | undefined;
  const waiting: [IncomingMessage, ServerResponse][] = [];
  const early: ((log: FastifyBaseLogger) => void)[] = [];
  const logged = (line: (log: FastifyBaseLogger) => void) => (log ? line(log) : early.push(line));
  const nextRequestId = requestIdGenerator();
  const layer = createHttpLayer({
    handler: (req, res) => (handler ? handler(req, res) : waiting.push([req, res])),
    fastPath: () => fastPath,
    nextRequestId,
    now,
    namespaces,
    route: (method, path) => table.match(method, path),
    allowFaultHeaders: config.allowFaultHeaders,
    always: () => always,
    onRefused: (detail) => logged((l) => l.debug(detail, 'request refused by the HTTP parser')),
    onError: (error, requestId) => logged((l) => l.error({ err: error, requestId }, 'unexpected error')),
    ...(timeouts ?? {}),
  });
  const fastPath = perRequestLogs ? undefined : createFastPath(table, nextRequestId, always, layer.answered, layer.failed);
  return {
    config,
    namespaces,
    table,
    layer,
    fastPath,
    options,
    nextRequestId,
    attach(app, fastifyHandler) {
      log = app.log;
      for (const line of early.splice(0)) line(log);
      handler = fastifyHandler;
      for (const [req, res] of waiting.splice(0)) handler(req, res);
    },
  };
}

/**
 * Builds the Fastify app over what prepare() made: the control plane, the pages, the emulated API at debug
 * level, Fastify's error handling. Fastify is loaded here, not when this module is: the emulated API answers
 * from the fast path while it loads (see startApp). `pause` lets the event loop run between the steps.
 */
async function buildFastify(prepared: Prepared, pause: () => Promise<void> = async () => {}): Promise<FastifyInstance> {
  const { config, namespaces, table, layer, options } = prepared;
  const { logStream, now = Date.now } = options;
  const perRequestLogs = prepared.fastPath === undefined;
  const always = config.cors === 'on' ? corsHeaders : {};
  const { default: Fastify } = await import('fastify');
  await pause();
  const { RequestLog } = await import('./http/plugins/request-log.js');
  let fastifyHandler: Handler | undefined;
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
    childLoggerFactory: (logger, bindings, childOptions) => (perRequestLogs ? logger.child(bindings, childOptions) : logger),
    genReqId: prepared.nextRequestId,
    return503OnClosing: false,
    // No route of this app has a schema for Fastify to compile (operations and control calls check their own
    // input, views serialize); without these Fastify would load and set up Ajv and fast-json-stringify at
    // start-up for nothing (about 6 % of the start-up to the first 200 here). The API's document is another app.
    schemaController: { compilersFactory: { buildValidator: noSchemaCompiler, buildSerializer: noSchemaCompiler } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  await pause();

  await app.register(errors, { table });
  await app.register(requestId);
  await pause();
  await app.register(context, { config, namespaces, now });
  await app.register(cors);
  // Operations parse their own JSON bodies, so that both adapters answer a bad body alike; no other type is taken.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  await pause();

  registerRoutes(app, table, config.adminToken !== undefined ? { admin: adminCheck(config.adminToken) } : {});
  app.addHook('onClose', async () => namespaces.close());
  app.decorate('httpLayer', layer);
  await pause();
  await app.ready();
  prepared.attach(app, fastifyHandler!);
  return app;
}

/** Builds the emulator's Fastify app: loads the accounts, then registers plugins and routes. Never listens. */
export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  return buildFastify(await prepare(options));
}

/** The address a client reaches a listening server at, as Fastify says it (0.0.0.0: its loopback address). */
function addressOf(server: HttpLayer['server']): string {
  const { address, port } = server.address() as AddressInfo;
  if (address.includes(':')) return `http://[${address}]:${port}`;
  return `http://${address === '0.0.0.0' ? '127.0.0.1' : address}:${port}`;
}

function listen(server: HttpLayer['server'], port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve(addressOf(server));
    });
  });
}

/** Resolves at the server's first request (once the turn that answers it is over) or after `ms`, whichever is first. */
function firstRequestOr(server: HttpLayer['server'], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      server.off('request', onRequest);
      resolve();
    };
    const onRequest = () => setImmediate(done);
    const timer = setTimeout(done, ms);
    server.once('request', onRequest);
  });
}

export interface StartupOptions {
  /**
   * Milliseconds the emulated API answers alone after the server listens, before Fastify (the control plane,
   * the pages) is built; the first request of any kind ends the wait at once. 0 (the default): at once.
   */
  readonly buildAfterMs?: number;
}

/**
 * Builds the app and listens. The emulated API does not need Fastify: the server listens, and the fast path
 * answers, as soon as the accounts are loaded; Fastify is loaded and built after (after the first request, or
 * `buildAfterMs`), with pauses for the event loop between its steps, and requests for it (the control plane,
 * pages) wait for it. Resolves once all is ready. Measured here: the first 200 of /auth/me comes 15-20 ms sooner
 * (6-8 % of the start-up), the three start-up changes together 255 -> 220 ms; waiting for the first request
 * (the CLI waits up to 50 ms) 202 -> 190 ms, as that request no longer waits behind the load of Fastify.
 */
export async function startApp(options: BuildOptions = {}, startup: StartupOptions = {}): Promise<{ app: FastifyInstance; address: string }> {
  const prepared = await prepare(options);
  const { layer, config } = prepared;
  let address: string | undefined;
  try {
    if (prepared.fastPath) address = await listen(layer.server, config.port, config.host);
    if (prepared.fastPath && (startup.buildAfterMs ?? 0) > 0) await firstRequestOr(layer.server, startup.buildAfterMs!);
    // Two turns of the event loop a pause: one accepts a connection, the next reads its request.
    const app = await buildFastify(prepared, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    });
    address ??= await listen(layer.server, config.port, config.host);
    return { app, address };
  } catch (error) {
    if (layer.server.listening) await layer.drain(0);
    prepared.namespaces.close();
    throw error;
  }
}
