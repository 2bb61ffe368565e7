import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import type { HttpLayer } from '../layer.js';
import type { AccountStore } from '../../domain/store.js';
import { pathKind } from '../paths.js';
import { chooseNamespace, echoedNamespace, hasNamespace } from '../request.js';
import { namespaceHeader, type Namespaces } from '../../domain/namespace.js';
import { sendError } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The resolved configuration the app was built with. */
    config: Config;
    /** The default namespace's accounts. */
    readonly store: AccountStore;
    /** Every namespace. */
    namespaces: Namespaces;
    /** The emulator's own clock, in epoch milliseconds (each namespace's clock runs from it). */
    now: () => number;
    /** The node:http server below Fastify and its connections (src/server.ts). */
    httpLayer: HttpLayer;
  }
}

export interface Context {
  config: Config;
  namespaces: Namespaces;
  now: () => number;
}

/** What every plugin and route shares: the configuration, the namespaces and the clock. */
const context: FastifyPluginAsync<Context> = async (app, options) => {
  app.decorate('config', options.config);
  app.decorate('namespaces', options.namespaces);
  app.decorate('store', { getter: () => options.namespaces.default.store });
  // Requests that did not come through the HTTP layer (Fastify's inject) are given their namespace here.
  app.addHook('onRequest', async (request, reply) => {
    if (hasNamespace(request.raw)) return;
    const refusal = chooseNamespace(request.raw, options.namespaces, pathKind(request.url.split('?', 1)[0]!));
    const echo = echoedNamespace(request.raw);
    if (echo !== undefined) reply.header(namespaceHeader, echo);
    if (refusal) return sendError(reply, refusal.code, refusal.message);
  });
  app.decorate('now', options.now);
};

export default fp(context, { name: 'vobiz-context' });
