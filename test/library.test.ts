import t from 'tap';

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
