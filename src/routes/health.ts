import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthSchema } from '../schemas/health.js';
import { version } from '../version.js';

/** 200 once the fixtures are loaded: the app is only built, and so only listens, after they are. */
const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { hide: true, response: { 200: HealthSchema } } }, () => ({
    status: 'ok' as const,
    version,
    accounts: app.store.size,
  }));
};

export default health;
