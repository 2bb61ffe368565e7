import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildOpenApiDocument, type OpenApiDocument, renderOpenApi, withServer } from './api-document.js';
import { jsonContentType } from '../errors.js';
import { sendError, sendNotFound } from './plugins/errors.js';

/** The seeded account /docs is pre-authorized as. */
export const docsAccount = { authId: 'MA_POSTPAID', token: 'postpaid-token' } as const;
const docsAccountNote = `**Try it out** is pre-authorized as the seeded account \`${docsAccount.authId}\` (X-Auth-Token \`${docsAccount.token}\`); use **Authorize** to act as another (\`vobiz-mock accounts\` lists them).`;

/** The address a client used to reach us, so "Try it out" works behind any port mapping. */
function serverUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Headers of the Swagger UI instance's answers that are not passed on (the outer reply sets its own). */
const dropped = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date', 'accept-ranges']);
/** Request headers not passed to it, so that it always answers with the whole body (compared here instead). */
const conditional = new Set(['if-none-match', 'if-modified-since', 'range', 'if-range']);
/** The static files' names: flat, so every other path under /docs/static/ is a 404 without a lookup. */
const staticFile = /^\/docs\/static\/[A-Za-z0-9_][\w.-]*$/;

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Shared by every response that sends it: a slow reader holds a reference, never a copy. */
  readonly payload: Buffer;
}

/**
 * Swagger UI (@fastify/swagger-ui and its static files) lives in a second Fastify instance built on the
 * first visit to /docs, so start-up never pays for it. Its static files are asked of it once and kept as
 * shared buffers (a few MB in all): a thousand clients that never read hold references to the same bytes,
 * and the socket's back-pressure does the rest. HEAD answers the headers GET would, Content-Length included;
 * a conditional GET of a kept file is a 304; anything the instance refuses is a 404 in the envelope.
 */
function lazyDocs(document: () => Promise<OpenApiDocument>) {
  let docs: Promise<FastifyInstance> | undefined;
  const build = async () => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')]);
    const { default: Fastify } = await import('fastify');
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
        // Two documents, one page: the emulated API, and the control plane in its own section (the top bar's
        // "Select a definition"); each document stays its own.
        urls: [
          { url: '/docs/json', name: 'Vobiz Account API (emulated)' },
          { url: '/__mock/v1/openapi.json', name: 'vobiz-mock control plane (/__mock/v1)' },
        ],
        // Swagger UI's own option (its dotted name is not in the plugin's types): the API first, always.
        ...({ 'urls.primaryName': 'Vobiz Account API (emulated)' } as object),
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
  const ask = async (url: string, headers: FastifyRequest['headers']): Promise<Answer> => {
    const child = await (docs ??= build());
    const passed: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined && !conditional.has(name)) passed[name] = value;
    const answer = await child.inject({ method: 'GET', url, headers: passed });
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !dropped.has(name)) kept[name] = String(value);
    return { status: answer.statusCode, headers: kept, payload: answer.rawPayload };
  };
  const files = new Map<string, Promise<Answer>>();
  const pages = new Map<string, Promise<Answer>>();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0]!;
    let answer: Answer;
    if (path.startsWith('/docs/static/') && path !== '/docs/static/index.html') {
      if (!staticFile.test(path)) return sendNotFound(reply);
      let file = files.get(path);
      if (!file) {
        file = ask(path, { host: request.headers.host });
        files.set(path, file);
      }
      answer = await file;
      // Only files are kept: a name that is not one is forgotten again.
      if (answer.status !== 200) files.delete(path);
    } else {
      // The page and its documents depend on the address the client used (servers[0]): kept per address, for
      // a few addresses, so that they too are shared buffers.
      const key = `${path} ${serverUrl(request)}`;
      let page = pages.get(key);
      if (!page) {
        page = ask(path, request.headers);
        if (pages.size < 64) pages.set(key, page);
      }
      answer = await page;
      if (answer.status >= 400) pages.delete(key);
    }
    if (answer.status >= 400) return answer.status === 400 ? sendError(reply, 'BAD_REQUEST', 'Bad request for the documentation page') : sendNotFound(reply);
    reply.headers(answer.headers);
    const etag = answer.headers['etag'];
    if (answer.status === 200 && etag !== undefined && request.headers['if-none-match'] === etag) return reply.code(304).send();
    // For HEAD, Fastify sends these headers with this payload's length and no body.
    return reply.code(answer.status).send(answer.payload);
  };
}

/** /openapi.json, /openapi.yaml and Swagger UI at /docs (and below); the document and the page are built on first request. */
export function documentPages(): Page[] {
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
  const docs = lazyDocs(getDocument);
  return [
    { url: '/openapi.json', handler: async (request, reply) => reply.header('content-type', jsonContentType).send((await render(request)).json) },
    { url: '/openapi.yaml', handler: async (request, reply) => reply.header('content-type', 'application/yaml; charset=utf-8').send((await render(request)).yaml) },
    { url: '/docs', handler: docs },
    { url: '/docs/*', handler: docs },
  ];
}

/** A page: a GET route of its own (and its HEAD twin), answered by Fastify alone. */
export interface Page {
  readonly url: string;
  readonly handler: (request: FastifyRequest, reply: FastifyReply) => unknown;
}
