
import { jsonContentType } from '../errors.js';
import { type Health, HealthSchema } from '../schemas/health.js';
import { version } from '../version.js';
import { serializer } from '../views/serializer.js';
import { dashboardPages } from './dashboard.js';
import { documentPages, type Page } from './documents.js';

/** The pages: /health (200 once the app is ready: the fixtures are loaded and Fastify built), the documents and the dashboard. */
export function pages(accounts: () => number): Page[] {
  const health: Page = {
    url: '/health',
    handler: (_request, reply) => reply.header('content-type', jsonContentType).send(serializer<Health>(HealthSchema)({ status: 'ok', version, accounts: accounts() })),
  };
  return [health, ...documentPages(), ...dashboardPages()];
}
