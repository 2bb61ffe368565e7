import type { FastifyPluginAsync } from 'fastify';
import health from './health.js';
import operationRoutes, { type OperationRoutesOptions } from './operations.js';

/** Every route of the emulated API, registered alike by the app and by the OpenAPI document builder. */
const routes: FastifyPluginAsync<OperationRoutesOptions> = async (app, options) => {
  await app.register(health);
  await app.register(operationRoutes, options);
};

export default routes;
