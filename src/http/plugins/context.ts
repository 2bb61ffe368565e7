import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { HttpLayer } from '../server.js';
import type { AccountStore } from '../store/account-store.js';
import { pathKind } from '../world/paths.js';
import { hasWorld, setWorld } from '../world/request.js';
import { namespaceHeader, NamespaceRefusal, type Worlds } from '../world/world.js';
import { sendError } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The resolved configuration the app was built with. */
    config: Config;
    /** The default namespace's accounts. */
    readonly store: AccountStore;
    /** Every namespace. */
    worlds: Worlds;
    /** The emulator's own clock, in epoch milliseconds (each namespace's clock runs from it). */
    now: () => number;
    /** The node:http server below Fastify and its connections (src/server.ts). */
    httpLayer: HttpLayer;
  }
}

export interface Context {
  config: Config;
  worlds: Worlds;
  now: () => number;
}

/** What every plugin and route shares: the configuration, the namespaces and the clock. */
const context: FastifyPluginAsync<Context> = async (app, options) => {
  app.decorate('config', options.config);
  app.decorate('worlds', options.worlds);
  app.decorate('store', { getter: () => options.worlds.default.store });
  // Requests that did not come through the HTTP layer (Fastify's inject) are given their namespace here.
  app.addHook('onRequest', async (request, reply) => {
    if (hasWorld(request.raw)) return;
    const named = request.headers[namespaceHeader];
    const world = options.worlds.forRequest(pathKind(request.url.split('?', 1)[0]!), named);
    if (world instanceof NamespaceRefusal) return sendError(reply, world.code, world.message);
    if (named !== undefined) reply.header(namespaceHeader, named);
    setWorld(request.raw, world ?? null);
  });
  app.decorate('now', options.now);
};

export default fp(context, { name: 'vobiz-context' });
