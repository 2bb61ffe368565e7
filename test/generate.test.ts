import { Value } from '@sinclair/typebox/value';
import t from 'tap';
import { buildApp } from '../src/app.js';
import { AccountSchema, PricingTierSchema, renderAccount } from '../src/schemas/index.js';
import { registerFormats } from '../src/schemas/formats.js';
import { generatedAccountMaker, generatedCredentials } from '../src/fixtures/generate.js';
import { accountIssues } from '../src/fixtures/invariants.js';
import { serializer } from '../src/views/serializer.js';

const serializeAccount = serializer(AccountSchema);
import { PythonSdkAccount, PythonSdkBalance, PythonSdkChannelPricingPreview, PythonSdkChannelSubscription, PythonSdkConcurrency, PythonSdkTransactionList } from './strict-sdk-model.js';

registerFormats();

/** `count` generated seeds, index 0 first. */
const generateAccounts = async (count: number, seed: number) => {
  const make = await generatedAccountMaker(seed);
  return Array.from({ length: count }, (_, index) => make(index));
};

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

/** Every 2xx body of the account area for generated account `index`, through Fastify. */
async function areaBodies(app: Awaited<ReturnType<typeof buildApp>>, seed: number, index: number): Promise<Record<string, string>> {
  const { authId, token } = generatedCredentials(seed, index);
  const headers = { 'x-auth-id': authId, 'x-auth-token': token };
  const me = JSON.parse((await app.inject({ url: '/api/v1/auth/me', headers })).body);
  const currency = me.pricing_tier.currency;
  const urls: Record<string, string> = {
    balance: `/api/v1/Account/${authId}/balance/${currency}`,
    transactions: `/api/v1/Account/${authId}/transactions?per_page=1000`,
    debits: `/api/v1/Account/${authId}/transactions?type=debit&per_page=5&page=2`,
    types: `/api/v1/account/${authId}/transactions/reference-types`,
    concurrency: `/api/v1/Account/${authId}/concurrency`,
    preview: `/api/v1/accounts/${authId}/channel-pricing-preview?resource_type=concurrent_calls&quantity=20`,
  };
  const out: Record<string, string> = {};
  for (const [name, url] of Object.entries(urls)) {
    const res = await app.inject({ url, headers: { ...headers, 'x-request-id': 'fixed' } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    out[name] = res.body;
  }
  return out;
}

t.test('generated ledgers and balances: the same seed, the same bytes; made on first use', async (t) => {
  const a = await buildApp({ logLevel: 'silent', generate: 30, seed: 11 });
  const b = await buildApp({ logLevel: 'silent', generate: 60, seed: 11 });
  const c = await buildApp({ logLevel: 'silent', generate: 30, seed: 12 });
  t.teardown(() => Promise.all([a.close(), b.close(), c.close()]));
  // Visit b's accounts in reverse order: what an account holds never depends on what was read before it.
  const later: Record<string, string>[] = [];
  for (let i = 29; i >= 0; i--) later[i] = await areaBodies(b, 11, i);
  for (let i = 0; i < 30; i++) {
    const first = await areaBodies(a, 11, i);
    t.same(first, later[i], `account ${i}`);
    t.not(first.transactions, (await areaBodies(c, 12, i)).transactions, `account ${i}: another seed, another ledger`);
    const ledger = JSON.parse(first.transactions!);
    const balance = JSON.parse(first.balance!);
    t.ok(ledger.total >= 4 && ledger.total <= 16, `account ${i}: 4 to 16 entries`);
    t.equal(ledger.summary.net_amount, balance.balance, `account ${i}: the balance is the ledger's net`);
  }
});

t.test('200 generated accounts: every 2xx body parses under the strict Python SDK models', async (t) => {
  const app = await buildApp({ logLevel: 'silent', generate: 200, seed: 4 });
  t.teardown(() => app.close());
  const models = { balance: PythonSdkBalance, transactions: PythonSdkTransactionList, debits: PythonSdkTransactionList, concurrency: PythonSdkConcurrency, preview: PythonSdkChannelPricingPreview };
  let failures = 0;
  let subscriptions = 0;
  for (let i = 0; i < 200; i++) {
    const bodies = await areaBodies(app, 4, i);
    for (const [name, model] of Object.entries(models)) if (!Value.Check(model, JSON.parse(bodies[name]!))) failures++;
    const { authId, token } = generatedCredentials(4, i);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${authId}/channel-subscriptions`,
      headers: { 'x-auth-id': authId, 'x-auth-token': token, 'content-type': 'application/json' },
      payload: { resource_type: 'cps', quantity: 3 },
    });
    if (res.statusCode === 201) {
      subscriptions++;
      if (!Value.Check(PythonSdkChannelSubscription, JSON.parse(res.body))) failures++;
    } else if (res.statusCode !== 400 || JSON.parse(res.body).error.code !== 'INSUFFICIENT_BALANCE') failures++;
  }
  t.equal(failures, 0);
  t.ok(subscriptions > 100, `most can buy 3 CPS (${subscriptions} of 200)`);
});
