import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { sharedSchemas } from '../../schemas/index.js';

/** Registers every shared schema once, by `$id`, so routes reference them and OpenAPI names them. */
const schemas: FastifyPluginAsync = async (app) => {
  for (const schema of sharedSchemas) app.addSchema(schema);
};

export default fp(schemas, { name: 'vobiz-schemas' });
