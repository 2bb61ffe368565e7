import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { pathKind } from '../paths.js';
import { sendError } from './errors.js';

/** What every response of the emulated API carries when CORS is on: any origin may call, and read the emulator's own headers. */
export const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Request-Id, X-Vobiz-Mock-Warning, X-Vobiz-Mock-Namespace, Retry-After',
};

/** The request headers the SDKs and Swagger UI send, allowed when a preflight names none. */
const allowedHeaders = 'X-Auth-ID, X-Auth-Token, Authorization, Content-Type, X-Request-Id, X-Vobiz-Mock-Namespace, X-Vobiz-Mock-Fault';
const headerList = /^[\w-]+(\s*,\s*[\w-]+)*$/;

/** An origin on this machine: http(s)://localhost, 127.x.x.x or [::1], any port. */
const loopback = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * The origins whose pages may drive the control plane (--control-origins): `loopback` (the default: pages
 * served from this machine), `*` (any), or a comma-separated list of origins, which may include `loopback`.
 */
export class OriginPolicy {
  readonly #any: boolean;
  readonly #loopback: boolean;
  readonly #origins: ReadonlySet<string>;

  constructor(setting: string) {
    const entries = setting.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
    this.#any = entries.includes('*');
    this.#loopback = entries.includes('loopback');
    this.#origins = new Set(entries.filter((e) => e !== '*' && e !== 'loopback').map((e) => e.replace(/\/+$/, '')));
  }

  allows(origin: string): boolean {
    return this.#any || (this.#loopback && loopback.test(origin)) || this.#origins.has(origin.toLowerCase());
  }
}

const preflight = (headers: Record<string, string | string[] | undefined>, methods: string) => {
  const asked = headers['access-control-request-headers'];
  return {
    'access-control-allow-methods': methods,
    'access-control-allow-headers': typeof asked === 'string' && headerList.test(asked.trim()) ? asked.trim() : allowedHeaders,
    'access-control-max-age': '600',
  };
};

/**
 * CORS. The emulated API is open to every origin (Swagger UI elsewhere, a web app under development): every
 * response, errors included, carries corsHeaders, and a preflight (OPTIONS with Access-Control-Request-Method)
 * to any path is answered 204 with the methods and the headers asked for. Credentials are headers, never
 * cookies, so `*` is enough. A plain OPTIONS is still the 405 it was.
 *
 * The control plane drives the whole emulator, tokens included, so a page of another origin must not: a
 * request or preflight that carries an Origin the policy does not allow is refused (403, nothing done, and
 * no CORS header lets the page read the answer), with or without CORS on. An allowed origin is answered with
 * itself as Access-Control-Allow-Origin. Requests without an Origin (curl, SDKs, test suites) are not
 * concerned.
 */
const cors: FastifyPluginAsync = async (app) => {
  const policy = new OriginPolicy(app.config.controlOrigins);
  const on = app.config.cors === 'on';
  app.addHook('onRequest', async (request, reply) => {
    const isPreflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (pathKind(request.url.split('?', 1)[0]!) === 'control') {
      const origin = request.headers.origin;
      if (origin === undefined) return;
      if (!policy.allows(origin)) {
        return sendError(reply, 'ACCESS_DENIED', 'The control plane takes cross-origin requests only from the origins --control-origins allows (default: pages of this machine, http://localhost, 127.0.0.1 or [::1])');
      }
      if (!on) return;
      reply.headers({ 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': corsHeaders['access-control-expose-headers']! });
      if (isPreflight) return reply.code(204).headers(preflight(request.headers, 'GET, POST, PUT, PATCH, DELETE, OPTIONS')).send();
      return;
    }
    if (!on) return;
    reply.headers(corsHeaders);
    if (isPreflight) return reply.code(204).headers(preflight(request.headers, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')).send();
  });
};

export default fp(cors, { name: 'vobiz-cors', dependencies: ['vobiz-context'] });
