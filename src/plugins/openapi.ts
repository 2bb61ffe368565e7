import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { stringify } from 'yaml';
import { version } from '../version.js';
import { jsonContentType } from './errors.js';

export const defaultServerUrl = 'http://127.0.0.1:4010';

type Document = Record<string, unknown>;

/** The address a client used to reach us, so "Try it out" works behind any port mapping. */
function serverUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function withServer(document: Document, url: string): Document {
  return { ...document, servers: [{ url, description: 'this vobiz-mock' }] };
}

/** The document as JSON and YAML text, exactly as `npm run openapi` commits them (for the default server). */
export function renderOpenApi(app: FastifyInstance, url = defaultServerUrl): { json: string; yaml: string } {
  const document = withServer(app.swagger() as Document, url);
  return { json: `${JSON.stringify(document, null, 2)}\n`, yaml: stringify(document, { aliasDuplicateObjects: false }) };
}

/** OpenAPI 3.1 built from the route schemas, served at /openapi.json and /openapi.yaml, with Swagger UI at /docs. */
const openapi: FastifyPluginAsync = async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vobiz Account API (vobiz-mock)',
        version,
        description:
          'The account area of the Vobiz API as emulated by vobiz-mock. Generated from the TypeBox schemas that validate and serialize every response.',
      },
      servers: [{ url: defaultServerUrl, description: 'this vobiz-mock' }],
      tags: [{ name: 'Account', description: 'The authenticated account' }],
      components: {
        securitySchemes: {
          AuthId: { type: 'apiKey', in: 'header', name: 'X-Auth-ID', description: 'Account Auth ID (MA_...)' },
          AuthToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'Account Auth Token' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    transformSpecificationClone: true,
    transformSpecification: (document, request) => withServer(document as Document, serverUrl(request)),
  });

  const rendered = new Map<string, { json: string; yaml: string }>();
  const render = (request: FastifyRequest) => {
    const url = serverUrl(request);
    let texts = rendered.get(url);
    if (!texts) {
      texts = renderOpenApi(app, url);
      if (rendered.size < 16) rendered.set(url, texts);
    }
    return texts;
  };
  app.get('/openapi.json', { schema: { hide: true } }, (request, reply) => {
    reply.header('content-type', jsonContentType).send(render(request).json);
  });
  app.get('/openapi.yaml', { schema: { hide: true } }, (request, reply) => {
    reply.header('content-type', 'application/yaml; charset=utf-8').send(render(request).yaml);
  });
};

export default fp(openapi, { name: 'vobiz-openapi' });
