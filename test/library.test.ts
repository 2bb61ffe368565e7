import t from 'tap';
import { freePort } from '../scripts/free-port.js';

t.test('import { createEmulator, buildApp } from "vobiz-mock" (the built package, through its exports)', async (t) => {
  const lib = await import('vobiz-mock');
  t.type(lib.createEmulator, 'function');
  t.type(lib.buildApp, 'function');
  t.equal(lib.AccountSchema.$id, 'Account');
  t.equal(lib.PricingTierSchema.$id, 'PricingTier');
  const emulator = await lib.createEmulator({ port: 0 });
  t.match(emulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${emulator.url}/api/v1/auth/me`, { headers: { 'X-Auth-ID': 'MA_TRIAL001', 'X-Auth-Token': 'trial-token' } });
  t.equal(res.status, 200);
  t.equal(((await res.json()) as { is_trial_account: boolean }).is_trial_account, true);
  await emulator.close();
  await t.rejects(fetch(`${emulator.url}/health`), 'closed');
  const app = await lib.buildApp({ logLevel: 'silent' });
  t.equal((await app.inject({ url: '/health' })).statusCode, 200);
  t.notOk(app.server.listening, 'buildApp never listens');
  await app.close();
});

t.test('createEmulator rejects a bad option and a taken port', async (t) => {
  const { createEmulator, ConfigError } = await import('vobiz-mock');
  await t.rejects(createEmulator({ port: -1 }), ConfigError);
  const first = await createEmulator({ port: 0 });
  t.teardown(() => first.close());
  await t.rejects(createEmulator({ port: Number(new URL(first.url).port) }), { code: 'EADDRINUSE' });
});


/** Polls a URL until it answers (the server listens), returning the first response. */
async function firstAnswer(url: string, headers: Record<string, string> = {}): Promise<Response> {
  for (;;) {
    try {
      return await fetch(url, { headers });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

t.test('createEmulator(options, { buildAfterMs }): the emulated API answers while the rest waits, and the first request ends the wait', async (t) => {
  const { createEmulator } = await import('vobiz-mock');
  for (const [first, path, headers] of [
    ['the emulated API', '/api/v1/auth/me', { 'X-Auth-ID': 'MA_TRIAL001', 'X-Auth-Token': 'trial-token' }],
    ['the control plane', '/__mock/v1/namespaces', {}],
  ] as const) {
    const port = await freePort();
    const starting = createEmulator({ port }, { buildAfterMs: 60_000 });
    const res = await firstAnswer(`http://127.0.0.1:${port}${path}`, headers);
    t.equal(res.status, 200, `${first} first: answered`);
    await res.arrayBuffer();
    const answered = performance.now();
    const emulator = await starting;
    t.ok(performance.now() - answered < 10_000, `${first} first: ready soon after that answer, long before buildAfterMs`);
    t.equal((await fetch(`${emulator.url}/health`)).status, 200, 'the pages are served once ready');
    await emulator.close();
  }
  const started = performance.now();
  const alone = await createEmulator({ port: 0 }, { buildAfterMs: 300 });
  t.ok(performance.now() - started >= 290, 'no request: the rest is built after buildAfterMs');
  await alone.close();
});
