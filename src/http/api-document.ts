import type { FastifyInstance } from 'fastify';
import { createMemoryStore } from '../domain/store.js';
import { Namespaces } from '../domain/namespace.js';

export const defaultServerUrl = 'http://127.0.0.1:4010';

export type OpenApiDocument = Record<string, unknown>;

/** The document with `url` as its one server. */
export function withServer(document: OpenApiDocument, url: string): OpenApiDocument {
  return { ...document, servers: [{ url, description: 'this vobiz-mock' }] };
}

/**
 * Builds the OpenAPI 3.1 document from the route schemas: a Fastify instance that never listens registers
 * @fastify/swagger, the shared schemas and the same route plugins as the app. The document depends on
 * routes and schemas only, never on fixtures, so the app builds it on first request, not at start-up.
 */
export async function buildOpenApiDocument(): Promise<OpenApiDocument> {
  const [{ default: Fastify }, { default: swagger }, { default: schemas }, { default: context }, { default: errors }, { operationTableRoutes, registerRoutes }, { RouteTable }, { operations }, { resolveConfig }, { version }] =
    await Promise.all([
      import('fastify'),
      import('@fastify/swagger'),
      import('./plugins/schemas.js'),
      import('./plugins/context.js'),
      import('./plugins/errors.js'),
      import('./fastify-routes.js'),
      import('./route-table.js'),
      import('../api/index.js'),
      import('../config.js'),
      import('../version.js'),
    ]);
  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vobiz Account API (vobiz-mock)',
        version,
        description:
          'The account area of the Vobiz API as emulated by vobiz-mock. Generated from the TypeBox schemas that validate and serialize every response.',
      },
      tags: [
        { name: 'Account', description: 'The authenticated account' },
        { name: 'Balance', description: 'Balances, derived from the ledger' },
        { name: 'Transactions', description: 'The ledger' },
        { name: 'Concurrency', description: 'Calls in progress' },
        { name: 'Capacity', description: 'Channels and CPS bought on top of the base limits' },
      ],
      components: {
        securitySchemes: {
          AuthId: { type: 'apiKey', in: 'header', name: 'X-Auth-ID', description: 'Account Auth ID (MA_...)' },
          AuthToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'Account Auth Token' },
          BasicAuth: { type: 'http', scheme: 'basic', description: 'auth_id:auth_token; the transactions endpoints only' },
          BearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An HS256 JWT whose sub is the auth_id, signed with the key "vobiz-mock" (`vobiz-mock accounts --json` prints one per account); the capacity endpoints only',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(schemas);
  await app.register(errors);
  await app.register(context, { config: resolveConfig(), namespaces: new Namespaces(createMemoryStore([]), Date.now, { journalSize: 0, journalMemory: 1, maxNamespaces: 1, idleMs: 0, maxFaultRules: 1 }), now: Date.now });
  registerRoutes(app, new RouteTable(operationTableRoutes(operations)), { document: true });
  await app.ready();
  const document = app.swagger() as OpenApiDocument;
  await app.close();
  return document;
}

/** The document for a server URL, as JSON and YAML text: exactly what `npm run openapi` commits for the default URL. */
export async function renderOpenApi(document: OpenApiDocument, url = defaultServerUrl): Promise<{ json: string; yaml: string }> {
  const { stringify } = await import('yaml');
  const served = withServer(document, url);
  return { json: `${JSON.stringify(served, null, 2)}\n`, yaml: stringify(served, { aliasDuplicateObjects: false }) };
}
