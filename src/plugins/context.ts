import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { HttpLayer } from '../server.js';
import type { AccountStore } from '../store/account-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The resolved configuration the app was built with. */
    config: Config;
    store: AccountStore;
    /** The emulator's clock, in epoch milliseconds. */
    now: () => number;
    /** The node:http server below Fastify and its connections (src/server.ts). */
    httpLayer: HttpLayer;
  }
}

export interface Context {
  config: Config;
  store: AccountStore;
  now: () => number;
}

/** What every plugin and route shares: the configuration, the account store and the clock. */
const context: FastifyPluginAsync<Context> = async (app, options) => {
  app.decorate('config', options.config);
  app.decorate('store', options.store);
  app.decorate('now', options.now);
};

export default fp(context, { name: 'vobiz-context' });
