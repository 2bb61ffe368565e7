import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** What every response carries when CORS is on: any origin may call, and read the emulator's own headers. */
export const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Request-Id, X-Vobiz-Mock-Warning, X-Vobiz-Mock-Namespace, Retry-After',
};

/** The request headers the SDKs and Swagger UI send, allowed when a preflight names none. */
const allowedHeaders = 'X-Auth-ID, X-Auth-Token, Authorization, Content-Type, X-Request-Id, X-Vobiz-Mock-Namespace, X-Vobiz-Mock-Fault';
const headerList = /^[\w-]+(\s*,\s*[\w-]+)*$/;

/**
 * CORS for browsers on other origins (Swagger UI elsewhere, a web app under development): every response,
 * errors included, carries corsHeaders, and a preflight (OPTIONS with Access-Control-Request-Method) to any
 * path is answered 204 with the methods and the headers asked for. Credentials are headers, never cookies,
 * so `*` is enough. A plain OPTIONS is still the 405 it was.
 */
const cors: FastifyPluginAsync = async (app) => {
  if (app.config.cors === 'off') return;
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(corsHeaders);
    if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return;
    const asked = request.headers['access-control-request-headers'];
    return reply
      .code(204)
      .headers({
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': typeof asked === 'string' && headerList.test(asked.trim()) ? asked.trim() : allowedHeaders,
        'access-control-max-age': '600',
      })
      .send();
  });
};

export default fp(cors, { name: 'vobiz-cors', dependencies: ['vobiz-context'] });
