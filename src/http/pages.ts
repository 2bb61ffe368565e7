import type { FastifyInstance } from 'fastify';
import { jsonContentType } from '../errors.js';
import { type Health, HealthSchema } from '../schemas/health.js';
import { version } from '../version.js';
import { serializer } from '../views/serializer.js';
import { documentPages, type Page } from './documents.js';

/** The pages: /health (200 once the fixtures are loaded: the app is only built, and so only listens, after they are) and the documents. */
export function pages(app: FastifyInstance): Page[] {
  const health: Page = {
    url: '/health',
    handler: (_request, reply) => reply.header('content-type', jsonContentType).send(serializer<Health>(HealthSchema)({ status: 'ok', version, accounts: app.store.size })),
  };
  return [health, ...documentPages()];
}
