import type { FastifyInstance } from 'fastify';
import { type BuildOptions, startApp, type StartupOptions } from './app.js';
import { version } from './version.js';
import { ControlClient } from './control/client.js';

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:4010 (the real port when started with port 0). */
  readonly url: string;
  readonly app: FastifyInstance;
  /**
   * Stops accepting connections and drains the open ones (requests in flight and any already on their way
   * are answered with `Connection: close`), cutting what is left after `deadlineMs` (default 1500); resolves
   * when closed.
   */
  close(deadlineMs?: number): Promise<void>;
  /** A namespace (default: "default") back to its seeds: accounts, clock, faults, journal. */
  reset(namespace?: string): void;
  /** A control-plane client for this emulator, in a namespace (default: "default"). */
  control(namespace?: string): ControlClient;
}

export type EmulatorOptions = BuildOptions;

/**
 * Builds the emulator and starts it listening. The library reads no environment variables, and logs
 * nothing unless `logLevel` is given. `startup.buildAfterMs` (the CLI's 50): see StartupOptions.
 *
 * @example
 * const emulator = await createEmulator({ port: 0 });
 * await fetch(`${emulator.url}/api/v1/auth/me`, { headers: { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token' } });
 * await emulator.close();
 */
export async function createEmulator(options: EmulatorOptions = {}, startup: StartupOptions = {}): Promise<Emulator> {
  const { app, address } = await startApp({ logLevel: 'silent', ...options }, startup);
  const port = Number(new URL(address).port);
  app.log.info({ url: address, port, host: app.config.host, version, accounts: app.store.size, dashboard: `${address}/__mock/` }, `vobiz-mock ${version} listening on ${address} with ${app.store.size} accounts; dashboard ${address}/__mock/`);
  return {
    url: address,
    app,
    // A namespace not made yet is at its seeds already.
    reset: (namespace = 'default') => app.namespaces.get(namespace)?.reset(),
    control: (namespace = 'default') => new ControlClient(address, { namespace, ...(app.config.adminToken !== undefined ? { adminToken: app.config.adminToken } : {}) }),
    close: async (deadlineMs = 1500) => {
      await app.httpLayer.drain(deadlineMs);
      await app.close();
    },
  };
}
