import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Config, resolveConfig } from './config.js';
import auth from './plugins/auth.js';
import errors from './plugins/errors.js';
import openapi from './plugins/openapi.js';
import requestId, { requestIdGenerator } from './plugins/request-id.js';
import { RequestLog } from './plugins/request-log.js';
import schemas from './plugins/schemas.js';
import context from './plugins/context.js';
import account from './routes/account.js';
import health from './routes/health.js';
import type { AccountStore } from './store/account-store.js';
import { loadStore } from './store/load.js';

/** Header values that never reach a log line. */
export const redactedHeaders = ['x-auth-token', 'authorization', 'cookie'];

export interface BuildOptions extends Partial<Config> {
  /** Where log lines go (default: standard output). */
  logStream?: NodeJS.WritableStream;
  /** The clock, in epoch milliseconds (default: Date.now). */
  now?: () => number;
  /** Use this store instead of loading one from the configuration. */
  store?: AccountStore;
}

/** Builds the emulator's Fastify app: loads the accounts, then registers plugins and routes. Never listens. */
export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const { logStream, now = Date.now, store: given, ...rest } = options;
  const config = resolveConfig({ options: rest });
  const accounts = given ?? (await loadStore(config));

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: redactedHeaders.map((h) => `headers["${h}"]`), censor: '[redacted]' },
      ...(logStream ? { stream: logStream } : {}),
    },
    logController: new RequestLog(),
    genReqId: requestIdGenerator(),
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(schemas);
  await app.register(errors);
  await app.register(requestId);
  await app.register(context, { config, store: accounts, now });
  await app.register(auth);
  await app.register(openapi);

  await app.register(health);
  await app.register(account);
  return app;
}
