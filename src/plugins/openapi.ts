import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { buildOpenApiDocument, type OpenApiDocument, renderOpenApi, withServer } from '../openapi.js';
import { jsonContentType } from '../errors.js';
import { sendNotFound } from './errors.js';

/** The seeded account /docs is pre-authorized as. */
export const docsAccount = { authId: 'MA_POSTPAID', token: 'postpaid-token' } as const;
const docsAccountNote = `**Try it out** is pre-authorized as the seeded account \`${docsAccount.authId}\` (X-Auth-Token \`${docsAccount.token}\`); use **Authorize** to act as another (\`vobiz-mock accounts\` lists them).`;

/** The address a client used to reach us, so "Try it out" works behind any port mapping. */
function serverUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/**
 * Swagger UI (@fastify/swagger-ui and its static files) lives in a second Fastify instance built on the
 * first visit to /docs, so start-up never pays for it.
 */
function lazyDocs(document: () => Promise<OpenApiDocument>) {
  let docs: Promise<FastifyInstance> | undefined;
  const build = async () => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')]);
    const child = Fastify({ logger: false });
    await child.register(swagger, { mode: 'static', specification: { document: (await document()) as never } });
    await child.register(swaggerUi, {
      routePrefix: '/docs',
      transformSpecificationClone: true,
      transformSpecification: (spec, request) => {
        const served = withServer(spec, serverUrl(request)) as { info: { description: string } };
        served.info = { ...served.info, description: `${served.info.description}\n\n${docsAccountNote}` };
        return served;
      },
      uiConfig: {
        // "Try it out" works at once: the page is pre-authorized as a seeded account (said in the description).
        // Serialized into the page's script, where `ui` is the Swagger UI instance.
        onComplete: new Function(
          `ui.preauthorizeApiKey('AuthId', ${JSON.stringify(docsAccount.authId)}); ui.preauthorizeApiKey('AuthToken', ${JSON.stringify(docsAccount.token)});`,
        ) as () => void,
      },
    });
    await child.ready();
    return child;
  };
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const child = await (docs ??= build());
    const answer = await child.inject({ method: request.method as 'GET' | 'HEAD', url: request.url, headers: request.headers });
    if (answer.statusCode === 404) return sendNotFound(reply);
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !hopByHop.has(name)) reply.header(name, value);
    }
    return reply.code(answer.statusCode).send(answer.rawPayload);
  };
}

/** /openapi.json, /openapi.yaml and Swagger UI at /docs; all built on first request. */
const openapi: FastifyPluginAsync = async (app) => {
  let document: Promise<OpenApiDocument> | undefined;
  const getDocument = () => (document ??= buildOpenApiDocument());
  const rendered = new Map<string, Promise<{ json: string; yaml: string }>>();
  const render = async (request: FastifyRequest) => {
    const url = serverUrl(request);
    let texts = rendered.get(url);
    if (!texts) {
      texts = getDocument().then((doc) => renderOpenApi(doc, url));
      if (rendered.size < 16) rendered.set(url, texts);
    }
    return texts;
  };
  app.get('/openapi.json', { schema: { hide: true } }, async (request, reply) => {
    return reply.header('content-type', jsonContentType).send((await render(request)).json);
  });
  app.get('/openapi.yaml', { schema: { hide: true } }, async (request, reply) => {
    return reply.header('content-type', 'application/yaml; charset=utf-8').send((await render(request)).yaml);
  });
  const docs = lazyDocs(getDocument);
  app.get('/docs', { schema: { hide: true } }, docs);
  app.get('/docs/*', { schema: { hide: true } }, docs);
};

export default fp(openapi, { name: 'vobiz-openapi' });
