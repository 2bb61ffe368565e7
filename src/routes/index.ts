import type { FastifyPluginAsync } from 'fastify';
import account from './account.js';
import health from './health.js';

/** Every route of the emulated API, registered alike by the app and by the OpenAPI document builder. */
const routes: FastifyPluginAsync = async (app) => {
  await app.register(health);
  await app.register(account);
};

export default routes;
