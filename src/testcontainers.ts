import type * as Testcontainers from 'testcontainers';
import type { StartedTestContainer } from 'testcontainers';
import { ControlClient } from './control/client.js';

/**
 * The emulator's image in a Testcontainers container, for Node test suites that would rather run the image than
 * the library (the same image CI runs). `testcontainers` is an optional peer dependency: install it beside
 * vobiz-mock (`npm install --save-dev testcontainers`).
 *
 * @example
 * const vobiz = await startVobizMock({ image: 'ghcr.io/<owner>/vobiz-mock:0.1.0' });
 * const res = await fetch(`${vobiz.url}/api/v1/auth/me`, { headers: { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token' } });
 * await vobiz.control('worker-1').reset();
 * await vobiz.stop();
 */

export interface VobizMockContainerOptions {
  /** The image (default `vobiz-mock`, as `docker build -t vobiz-mock .` names it). */
  readonly image?: string;
  /** Environment variables of the emulator (VOBIZ_MOCK_GENERATE, VOBIZ_MOCK_ADMIN_TOKEN, ...). */
  readonly environment?: Readonly<Record<string, string>>;
  /** How long to wait for GET /health to answer 200 (default 60 s: a first pull takes a while). */
  readonly startupTimeoutMs?: number;
}

export interface VobizMockContainer {
  /** The emulator's base URL on the host (its mapped port). */
  readonly url: string;
  /** The control plane for a namespace (default "default"), with the admin token when the environment sets one. */
  control(namespace?: string): ControlClient;
  readonly container: StartedTestContainer;
  stop(): Promise<void>;
}

/** The port the image listens on. */
const PORT = 4010;

/** Starts the image, waits for GET /health to answer 200, and hands back its URL and a control-plane client. */
export async function startVobizMock(options: VobizMockContainerOptions = {}): Promise<VobizMockContainer> {
  let testcontainers: typeof Testcontainers;
  try {
    testcontainers = await import('testcontainers');
  } catch {
    throw new Error('vobiz-mock/testcontainers needs the testcontainers package: npm install --save-dev testcontainers');
  }
  const { GenericContainer, Wait } = testcontainers;
  const environment = options.environment ?? {};
  const container = await new GenericContainer(options.image ?? 'vobiz-mock')
    .withExposedPorts(PORT)
    .withEnvironment({ ...environment })
    .withWaitStrategy(Wait.forHttp('/health', PORT).forStatusCode(200))
    .withStartupTimeout(options.startupTimeoutMs ?? 60_000)
    .start();
  const url = `http://${container.getHost()}:${container.getMappedPort(PORT)}`;
  const adminToken = environment['VOBIZ_MOCK_ADMIN_TOKEN'];
  return {
    url,
    container,
    control: (namespace = 'default') => new ControlClient(url, { namespace, ...(adminToken !== undefined ? { adminToken } : {}) }),
    stop: async () => {
      await container.stop();
    },
  };
}
