import { Value } from '@sinclair/typebox/value';
import t from 'tap';
import { buildApp } from '../src/app.js';
import { AccountSchema, PricingTierSchema, renderAccount } from '../src/schemas/index.js';
import { registerFormats } from '../src/schemas/formats.js';
import { generateAccounts, generatedCredentials } from '../src/store/generate.js';
import { accountIssues } from '../src/store/invariants.js';
import { serializeAccount } from '../src/store/serialize.js';
import { PythonSdkAccount } from './strict-sdk-model.js';

registerFormats();

const bodies = async (count: number, seed: number) =>
  (await generateAccounts(count, seed)).map((s) => `${s.authId} ${s.token} ${serializeAccount(renderAccount(s.data().account))}`);

t.test('the same seed gives byte-identical accounts and credentials', async (t) => {
  const a = await bodies(50, 7);
  const b = await bodies(50, 7);
  t.same(a, b);
  t.not(a.join(), (await bodies(50, 8)).join(), 'another seed gives other accounts');
  t.same((await bodies(60, 7)).slice(0, 50), a, 'account i does not depend on how many are made');
  t.same((await generateAccounts(3, 1)).map((s) => s.authId), ['MA_6I044WBJ', 'MA_6IGNID9I', 'MA_6IX6VU7H'], 'stable across releases');
});

t.test('every generated account passes the schema, the invariants and the strict SDK model', async (t) => {
  const seeds = await generateAccounts(500, 3);
  const ids = new Set<string>();
  const tokens = new Set<string>();
  let failures = 0;
  for (const seed of seeds) {
    ids.add(seed.authId);
    tokens.add(seed.token);
    const body = JSON.parse(serializeAccount(renderAccount(seed.data().account)));
    const fine =
      Value.Check(AccountSchema, [PricingTierSchema], body) &&
      Value.Check(PythonSdkAccount, body) &&
      accountIssues(body).length === 0 &&
      body.auth_id === seed.authId &&
      /^MA_[0-9A-Z]{8}$/.test(seed.authId) &&
      Object.keys(body).length === 46;
    if (!fine) failures++;
  }
  t.equal(failures, 0);
  t.equal(ids.size, 500, 'auth ids are unique');
  t.equal(tokens.size, 500, 'tokens are unique');
});

t.test('auth ids never collide, however many', async (t) => {
  const ids = new Set<string>();
  for (let i = 0; i < 100_000; i++) ids.add(generatedCredentials(1, i).authId);
  t.equal(ids.size, 100_000);
});

t.test('generated accounts answer GET /api/v1/auth/me', async (t) => {
  const app = await buildApp({ logLevel: 'silent', generate: 1000, seed: 5 });
  t.teardown(() => app.close());
  t.equal(app.store.size, 1008);
  const { authId, token } = generatedCredentials(5, 999);
  const res = await app.inject({ url: '/api/v1/auth/me', headers: { 'x-auth-id': authId, 'x-auth-token': token } });
  t.equal(res.statusCode, 200);
  t.equal(res.body, (await bodies(1000, 5))[999]!.split(' ').slice(2).join(' '));
});
