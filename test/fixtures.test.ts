import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t, { type Test } from 'tap';
import { buildApp } from '../src/app.js';
import { FixtureError, loadFixtures } from '../src/fixtures/fixtures.js';
import { generatedCredentials } from '../src/fixtures/generate.js';
import { client, fixtureDir, pair } from './helper.js';

const postpaid = () => JSON.parse(readFileSync(new URL('../fixtures/ma-postpaid.json', import.meta.url), 'utf8'));

/** The message loading a directory of one file gives, with the directory shown as <dir>. */
function failure(t: Test, file: unknown): string {
  const dir = fixtureDir(t, { 'account.json': file });
  try {
    loadFixtures(dir);
  } catch (error) {
    if (!(error instanceof FixtureError)) throw error;
    const shown = relative(process.cwd(), dir);
    return error.message.replaceAll(`${shown.startsWith('..') ? dir : shown}/`, '<dir>/');
  }
  throw new Error('loaded without an error');
}

t.test('the built-in fixtures load', async (t) => {
  const app = await buildApp({ logLevel: 'silent' });
  t.teardown(() => app.close());
  t.same([...app.store].map((a) => a.authId).sort(), ['MA_DISABLED', 'MA_EXPIRED1', 'MA_IPLOCKED', 'MA_LEDGER01', 'MA_NULLABLE', 'MA_POSTPAID', 'MA_PREPAID1', 'MA_TRIAL001']);
});

t.test('bad fixture files are refused with the file, the JSON path and what was expected', async (t) => {
  const cases: [string, (f: ReturnType<typeof postpaid>) => unknown, string][] = [
    ['not JSON', () => '{ "auth_token": "x",, }', '<dir>/account.json: $: expected valid JSON: '],
    ['wrong type', (f) => ({ ...f, account: { ...f.account, credit_limit: 'lots' } }), '<dir>/account.json: $.account.credit_limit: expected an integer from 0 to 2147483647, got a string of 4 characters'],
    ['fractional credit_limit', (f) => ({ ...f, account: { ...f.account, credit_limit: 1000.5 } }), '<dir>/account.json: $.account.credit_limit: expected an integer from 0 to 2147483647, got 1000.5'],
    ['nested wrong type', (f) => ({ ...f, account: { ...f.account, pricing_tier: { ...f.account.pricing_tier, rate_per_minute: '0.4500' } } }), '<dir>/account.json: $.account.pricing_tier.rate_per_minute: expected a number from 0 to 1000000, got a string of 6 characters'],
    ['missing field', (f) => { const { email: _, ...account } = f.account; return { ...f, account }; }, '<dir>/account.json: $.account.email: expected an email address (required property is missing)'],
    ['unknown field', (f) => ({ ...f, account: { ...f.account, billing_mode: 'prepaid' } }), '<dir>/account.json: $.account.billing_mode: expected no property here: billing_mode is not a field of this object'],
    ['unknown field in features', (f) => ({ ...f, account: { ...f.account, features: { call_queue: true, sms: true } } }), '<dir>/account.json: $.account.features.sms: expected no property here: sms is not a field of this object'],
    ['null where the schema has no null', (f) => ({ ...f, account: { ...f.account, country: null } }), '<dir>/account.json: $.account.country: expected a string, got null'],
    ['bad timestamp', (f) => ({ ...f, account: { ...f.account, created_at: 'yesterday' } }), '<dir>/account.json: $.account.created_at: expected an RFC 3339 date-time such as 2026-01-01T00:00:00Z, got a string of 9 characters'],
    ['bad nullable', (f) => ({ ...f, account: { ...f.account, auth_token_expire_time: 5 } }), '<dir>/account.json: $.account.auth_token_expire_time: expected an RFC 3339 date-time such as 2026-01-01T00:00:00Z or null, got 5'],
    ['wrong type literal', (f) => ({ ...f, account: { ...f.account, type: 'MASTER' } }), '<dir>/account.json: $.account.type: expected "account", got "MASTER"'],
    ['token with a space', (f) => ({ ...f, auth_token: 'two words' }), '<dir>/account.json: $.auth_token: expected 1 to 256 visible ASCII characters (no spaces), got a string of 9 characters'],
    ['cps_limit that disagrees', (f) => ({ ...f, account: { ...f.account, cps_limit: 60 } }), '<dir>/account.json: $.account.cps_limit: expected 61 (base_cps_limit + purchased_cps), got 60'],
    ['concurrent_calls_limit that disagrees', (f) => ({ ...f, account: { ...f.account, concurrent_calls_limit: 1 } }), '<dir>/account.json: $.account.concurrent_calls_limit: expected 46 (base_concurrent_calls_limit + purchased_concurrent_calls), got 1'],
    ['a real auth_secret', (f) => ({ ...f, account: { ...f.account, auth_secret: 's3cret' } }), '<dir>/account.json: $.account.auth_secret: expected "<redacted>", got a string of 6 characters'],
    ['pricing_tier_id that disagrees', (f) => ({ ...f, account: { ...f.account, pricing_tier_id: '11223344-5566-7788-99aa-bbccddeeff00' } }), '<dir>/account.json: $.account.pricing_tier_id: expected the same id as pricing_tier.id, got a different one'],
    ['bad IP rule', (f) => ({ ...f, account: { ...f.account, ip_whitelist_rules: { 'home office': '10.0.0.0/33' } } }), '<dir>/account.json: $.account.ip_whitelist_rules["home office"]: expected an IPv4/IPv6 address or CIDR block (e.g. "203.0.113.0/24"), got a string of 11 characters'],
  ];
  for (const [name, make, message] of cases) {
    const got = failure(t, make(postpaid()));
    if (name === 'not JSON') t.ok(got.startsWith(message) && /line 1, column \d+/.test(got), `${name}: ${got}`);
    else t.equal(got, message, name);
  }
});

t.test('every problem in every file is reported', async (t) => {
  const f = postpaid();
  const dir = fixtureDir(t, {
    'a.json': { ...f, account: { ...f.account, phone: 1, risk_rating: 0.5 } },
    'b.json': '[',
    'notes.txt': 'not a fixture: ignored',
  });
  const error = await buildApp({ fixtures: dir, logLevel: 'silent' }).catch((e: unknown) => e);
  t.type(error, FixtureError);
  t.same(
    (error as FixtureError).issues.map((i) => [i.file.split('/').pop(), i.path]),
    [['a.json', '$.account.phone'], ['a.json', '$.account.risk_rating'], ['b.json', '$']],
  );
});

t.test('two files with one auth_id', async (t) => {
  const dir = fixtureDir(t, { 'a.json': postpaid(), 'b.json': postpaid() });
  const error = await buildApp({ fixtures: dir, logLevel: 'silent' }).catch((e: unknown) => e);
  t.type(error, FixtureError);
  t.match((error as Error).message, /b\.json: \$\.account\.auth_id: expected an auth_id not used by another account, got "MA_POSTPAID" \(also in .*a\.json\)/);
});

t.test('a fixture whose auth_id a generated account has', async (t) => {
  const taken = generatedCredentials(1, 41);
  const fixture = postpaid();
  fixture.account.auth_id = taken.authId;
  const dir = fixtureDir(t, { 'a.json': fixture });
  const error = await buildApp({ fixtures: dir, generate: 42, seed: 1, logLevel: 'silent' }).catch((e: unknown) => e);
  t.type(error, FixtureError);
  t.equal((error as FixtureError).issues.length, 1);
  t.match((error as Error).message, new RegExp(`generated #41 \\(seed 1\\): \\$\\.account\\.auth_id: expected an auth_id not used by another account, got "${taken.authId}" \\(also in .*a\\.json\\)`));
  // One account fewer, and the id is the fixture's alone.
  const app = await buildApp({ fixtures: dir, generate: 41, seed: 1, logLevel: 'silent' });
  t.teardown(() => app.close());
  t.equal(app.store.size, 42);
  t.equal(app.store.get(taken.authId)?.origin, join(dir, 'a.json'));
  t.equal(app.store.get(generatedCredentials(1, 40).authId)?.origin, 'generated #40 (seed 1)', 'found from its auth id');
  t.equal(app.store.get(generatedCredentials(1, 42).authId), undefined, 'an index past the count is no account');
  t.equal([...app.store].length, 42, 'every seed listed, fixtures first');
});

t.test('a missing directory', async (t) => {
  const error = await buildApp({ fixtures: join(process.cwd(), 'no-such-dir'), logLevel: 'silent' }).catch((e: unknown) => e);
  t.type(error, FixtureError);
  t.match((error as Error).message, /no-such-dir: \$: expected a readable directory of \*\.json fixture files \(ENOENT/);
});

t.test('--fixtures replaces the built-in set; derived fields may be left out', async (t) => {
  const f = postpaid();
  const dir = fixtureDir(t, { 'only.json': { ...f, auth_token: 'mine', account: { ...f.account, auth_id: 'MA_MINE0001', base_cps_limit: 5, purchased_cps: 1 } } });
  const api = await client(t, 'inject', { fixtures: dir });
  t.equal((await api.request('GET', '/api/v1/auth/me', pair('MA_POSTPAID'))).status, 401, 'built-in accounts are gone');
  const res = await api.request('GET', '/api/v1/auth/me', { 'X-Auth-ID': 'MA_MINE0001', 'X-Auth-Token': 'mine' });
  t.equal(res.status, 200);
  const body = JSON.parse(res.body);
  t.equal(body.cps_limit, 6);
  t.equal(body.auth_secret, '<redacted>');
});

t.test('balances, transactions, subscriptions, live calls and price tables are checked too', async (t) => {
  const f = postpaid();
  const txn = f.transactions[0];
  const cases: [string, unknown, string][] = [
    ['two balances in one currency', { ...f, balances: [f.balances[0], { currency: 'INR' }] }, '$.balances[1].currency: expected a currency no earlier balance has, got a string of 3 characters'],
    ['a lower-case currency', { ...f, balances: [{ currency: 'inr' }] }, '$.balances[0].currency: expected an upper-case three-letter currency code such as INR, got a string of 3 characters'],
    ['a balance account_id that disagrees', { ...f, balances: [{ ...f.balances[0], account_id: 'MA_OTHER' }] }, '$.balances[0].account_id: expected "MA_POSTPAID" (the account\'s auth_id), got a string of 8 characters'],
    ['a credit_limit that disagrees', { ...f, balances: [{ ...f.balances[0], credit_limit: 5 }] }, "$.balances[0].credit_limit: expected 1000 (the account's credit_limit in its tier's currency INR, else 0), got 5"],
    ['an available_balance that disagrees', { ...f, balances: [{ ...f.balances[0], balance: 100, reserved_funds: 10, available_balance: 100 }] }, '$.balances[0].available_balance: expected 90 (balance - reserved_funds), got 100'],
    ['a fractional reserved_funds', { ...f, balances: [{ ...f.balances[0], reserved_funds: 0.5 }] }, '$.balances[0].reserved_funds: expected an integer from 0 to 2147483647, got 0.5'],
    ['a transaction in a currency not held', { ...f, transactions: [{ ...txn, currency: 'USD' }] }, '$.transactions[0].currency: expected a currency the account holds a balance in (INR), got a string of 3 characters'],
    ['a fractional credit', { ...f, transactions: [{ ...txn, amount: 12.5 }] }, '$.transactions[0].amount: expected a whole number for a credit entry (the documented summary types total_credit as an integer), got 12.5'],
    ['a zero amount', { ...f, transactions: [{ ...txn, amount: 0 }] }, '$.transactions[0].amount: expected an amount above 0 and at most 1000000000000 with at most 6 decimal places, got 0'],
    ['two transactions with one id', { ...f, transactions: [txn, txn] }, `$.transactions[1].id: expected an id no other transaction has, got a string of ${txn.id.length} characters`],
    ['an unknown status', { ...f, transactions: [{ ...txn, status: 'done' }] }, '$.transactions[0].status: expected one of completed, pending, failed, cancelled, got "done"'],
    [
      'subscriptions over the purchased figure',
      { ...f, subscriptions: [{ resource_type: 'cps', quantity: 30, monthly_cost: '8970.00', purchased_at: '2026-11-01T00:00:00Z' }] },
      '$.subscriptions: expected active cps subscriptions of at most purchased_cps (20) in all, got 30',
    ],
    ['more live calls than the limit', { ...f, live_calls: 47 }, '$.live_calls: expected at most 46 (concurrent_calls_limit), got 47'],
    ['a non-numeric id', { ...f, account: { ...f.account, id: 'MA_SYQRLNIK' } }, '$.account.id: expected a string of 1 to 15 digits, got a string of 11 characters'],
  ];
  for (const [name, file, message] of cases) t.equal(failure(t, file), `<dir>/account.json: ${message}`, name);

  const table = JSON.parse(readFileSync(new URL('../fixtures/capacity-pricing.json', import.meta.url), 'utf8'));
  const tier = table.tiers[0];
  const pricing: [string, unknown, string][] = [
    ['a bracket out of order', { tiers: [{ ...tier, cps: { ...tier.cps, brackets: [{ up_to: 30, unit_price: 1 }, { up_to: 10, unit_price: 1 }, { up_to: null, unit_price: 1 }] } }] }, '$.tiers[0].cps.brackets[1].up_to: expected an integer above 30 (brackets in ascending order; only the last is null), got 10'],
    ['a last bracket with an end', { tiers: [{ ...tier, cps: { ...tier.cps, brackets: [{ up_to: 30, unit_price: 1 }] } }] }, '$.tiers[0].cps.brackets[0].up_to: expected null in the last bracket (it prices every unit above the one before), got 30'],
    ['a price in tenths of a cent', { tiers: [{ ...tier, cps: { ...tier.cps, brackets: [{ up_to: null, unit_price: 1.005 }] } }] }, '$.tiers[0].cps.brackets[0].unit_price: expected a price with at most 2 decimal places, got 1.005'],
    ['a table in another currency than its tier', { tiers: [{ ...tier, currency: 'USD' }] }, ''],
  ];
  for (const [name, file, message] of pricing) {
    const dir = fixtureDir(t, { 'capacity-pricing.json': file, 'prepaid.json': JSON.parse(readFileSync(new URL('../fixtures/ma-prepaid1.json', import.meta.url), 'utf8')) });
    const error = await buildApp({ fixtures: dir, logLevel: 'silent' }).catch((e: unknown) => e);
    t.type(error, FixtureError, name);
    const text = (error as Error).message;
    if (message) t.equal(text, `${join(dir, 'capacity-pricing.json')}: ${message}`, name);
    else t.match(text, /prepaid\.json: \$\.account\.pricing_tier\.currency: expected "USD", the currency of this tier's capacity price table in .*capacity-pricing\.json, got a string of 3 characters/, name);
  }
});

t.test('a stated balance is reached through opening entries; defaults fill what a fixture leaves out', async (t) => {
  const f = postpaid();
  const dir = fixtureDir(t, {
    'a.json': { ...f, balances: [{ currency: 'INR', balance: 100.25, created_at: '2026-01-01T00:00:00Z' }], transactions: [{ type: 'debit', amount: 0.5, description: 'A call', created_at: '2026-02-01T00:00:00Z' }] },
  });
  const api = await client(t, 'inject', { fixtures: dir });
  const ledger = JSON.parse((await api.request('GET', '/api/v1/Account/MA_POSTPAID/transactions', pair('MA_POSTPAID'))).body);
  t.same(
    ledger.transactions.map((e: Record<string, unknown>) => [e.type, e.amount, e.description, e.reference, e.reference_type, e.status, e.created_at]),
    [
      ['debit', 0.5, 'A call', '', 'manual_adjustment', 'completed', '2026-02-01T00:00:00Z'],
      ['debit', 0.25, 'Opening balance adjustment', 'opening:INR', 'manual_adjustment', 'completed', '2026-01-01T00:00:00.000001Z'],
      ['credit', 101, 'Opening balance', 'opening:INR', 'manual_adjustment', 'completed', '2026-01-01T00:00:00.000000Z'],
    ],
  );
  const balance = JSON.parse((await api.request('GET', '/api/v1/Account/MA_POSTPAID/balance/INR', pair('MA_POSTPAID'))).body);
  t.same(balance, {
    id: balance.id,
    account_id: 'MA_POSTPAID',
    currency: 'INR',
    balance: 100.25,
    reserved_funds: 0,
    promotional_balance: 0,
    promotional_reserved_balance: 0,
    available_balance: 100.25,
    credit_limit: 1000,
    is_postpaid: true,
    credit_limit_type: 'soft',
    low_balance_threshold: 50,
    status: 'active',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-02-01T00:00:00Z',
  });
  const bare = fixtureDir(t, { 'b.json': { auth_token: f.auth_token, account: f.account } });
  const plain = await client(t, 'inject', { fixtures: bare });
  const empty = JSON.parse((await plain.request('GET', '/api/v1/Account/MA_POSTPAID/balance/INR', pair('MA_POSTPAID'))).body);
  t.same([empty.balance, empty.currency, empty.created_at, empty.updated_at], [0, 'INR', '2026-01-19T18:39:14.529435Z', '2026-01-19T18:39:14.529435Z'], 'no balances: one in the tier currency, empty');
  const me = JSON.parse((await plain.request('GET', '/api/v1/auth/me', pair('MA_POSTPAID'))).body);
  t.same([me.purchased_cps, me.purchased_concurrent_calls], [20, 20], 'purchased_* without subscriptions: a base purchase');
});

t.test('every problem of a file at once: schema errors do not hide the rules', async (t) => {
  const f = postpaid();
  // The README's own example: a fractional credit_limit and a cps_limit that disagrees.
  t.equal(
    failure(t, { ...f, account: { ...f.account, credit_limit: 1000.5, cps_limit: 60 } }),
    [
      '<dir>/account.json: $.account.credit_limit: expected an integer from 0 to 2147483647, got 1000.5',
      '<dir>/account.json: $.account.cps_limit: expected 61 (base_cps_limit + purchased_cps), got 60',
    ].join('\n'),
  );
  t.equal(
    failure(t, { ...f, account: { ...f.account, base_cps_limit: 'many', cps_limit: 60, pricing_tier_id: '11223344-5566-7788-99aa-bbccddeeff00' } }),
    [
      '<dir>/account.json: $.account.base_cps_limit: expected an integer from 0 to 2147483647, got a string of 4 characters',
      '<dir>/account.json: $.account.pricing_tier_id: expected the same id as pricing_tier.id, got a different one',
    ].join('\n'),
    'no rule is judged on a field of the wrong type',
  );
});

t.test('a pasted GET /api/v1/auth/me body gets one hint; an empty directory is an error', async (t) => {
  const f = postpaid();
  t.equal(
    failure(t, { ...f.account, auth_secret: '<redacted>', cps_limit: 61, concurrent_calls_limit: 46 }),
    '<dir>/account.json: $: expected {"auth_token": "...", "account": {...}}: this is a bare Account object (a GET /api/v1/auth/me response); wrap it as {"auth_token": "<the account\'s X-Auth-Token>", "account": <this object>}',
  );
  const empty = fixtureDir(t, { 'notes.txt': 'no accounts here' });
  const error = await buildApp({ fixtures: empty, logLevel: 'silent' }).catch((e: unknown) => e);
  t.type(error, FixtureError);
  t.match((error as Error).message, /: \$: expected at least one account fixture \(\*\.json\) in the directory, found none$/);
});

t.test('fixture errors never repeat a secret or another file\'s content', async (t) => {
  const { symlinkSync, truncateSync, writeFileSync: write, mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const outside = mkdtempSync(join(tmpdir(), 'vobiz-mock-outside-'));
  t.teardown(() => rmSync(outside, { recursive: true, force: true }));
  write(join(outside, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA outside-secret\n');
  write(join(outside, 'other.json'), JSON.stringify(postpaid()));
  const f = postpaid();
  const token = `tok_${'x'.repeat(40)} with-a-space`;
  const dir = fixtureDir(t, {
    'a.json': { ...f, auth_token: token },
    'b.json': '{"auth_token": "inline-secret-in-broken-json", account: }',
  });
  symlinkSync(join(outside, 'id_rsa'), join(dir, 'c.json'));
  symlinkSync(join(outside, 'other.json'), join(dir, 'd.json'));
  write(join(dir, 'e.json'), '');
  truncateSync(join(dir, 'e.json'), 17 * 1024 * 1024);
  const error = await buildApp({ fixtures: dir, logLevel: 'silent' }).catch((e: unknown) => e);
  t.type(error, FixtureError);
  const text = (error as Error).message;
  for (const secret of [token, 'tok_xxx', 'inline-secret', 'OPENSSH', 'outside-secret', 'b3BlbnNz']) t.notMatch(text, secret, `${secret} is not repeated`);
  const issues = (error as FixtureError).issues.map((i) => [i.file.split('/').pop(), i.path, i.expected]);
  t.same(issues, [
    ['a.json', '$.auth_token', `1 to 256 visible ASCII characters (no spaces), got a string of ${token.length} characters`],
    ['b.json', '$', 'valid JSON: a syntax error at line 1, column 48'],
    ['c.json', '$', 'a file inside the fixtures directory, found a symbolic link to a path outside it (not followed)'],
    ['d.json', '$', 'a file inside the fixtures directory, found a symbolic link to a path outside it (not followed)'],
    ['e.json', '$', `a file of at most 16 MB, found ${17 * 1024 * 1024} bytes (not read)`],
  ]);
  // A link to another file of the same directory is followed: it is the directory's own.
  const linked = fixtureDir(t, { 'real.json.txt': postpaid() });
  symlinkSync(join(linked, 'real.json.txt'), join(linked, 'a.json'));
  t.same(loadFixtures(linked).map((s) => s.authId), ['MA_POSTPAID']);
  // The end of the text says so, without the text.
  t.equal(failure(t, '{"auth_token": "abc'), '<dir>/account.json: $: expected valid JSON: the text ends before the JSON value does');
});

t.test('the JSON syntax scanner agrees with JSON.parse on 20,000 mutated texts', async (t) => {
  const { scan } = await import('../src/schemas/json.js');
  const samples = [JSON.stringify({ a: [1, 2.5e3, -0.1, true, false, null, 'x\u0001"\\'], b: { c: {}, d: [] }, é: '\ud83d\ude00' }, null, 2), '[]', '{}', '"x"', '12', ' [ 1 , { "a" : [ ] } ] '];
  const alphabet = '{}[]",:0123456789-+.eEtrufalsn \\\n\tx\u0001';
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let disagreements = 0;
  for (let k = 0; k < 20_000; k++) {
    let text = samples[Math.floor(random() * samples.length)]!;
    for (let o = 1 + Math.floor(random() * 3); o > 0; o--) {
      const at = Math.floor(random() * (text.length + 1));
      const c = alphabet[Math.floor(random() * alphabet.length)]!;
      const kind = random();
      text = kind < 0.33 ? text.slice(0, at) + c + text.slice(at) : kind < 0.66 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + c + text.slice(at + 1);
    }
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    if ((scan(text) === -1) !== valid) disagreements++;
  }
  t.equal(disagreements, 0);
});

t.test('the built-in fixtures pass every check (start-up trusts them and does not check them again)', async (t) => {
  const { builtInFixtures, checkCapacityPricing, checkFixture, capacityPricingFile, loadFixtureSet } = await import('../src/fixtures/fixtures.js');
  const names = readdirSync(builtInFixtures).filter((name) => name.endsWith('.json'));
  t.ok(names.length >= 8, `${names.length} files`);
  for (const name of names) {
    const text = readFileSync(join(builtInFixtures, name), 'utf8');
    const checked = name === capacityPricingFile ? checkCapacityPricing(text) : checkFixture(text);
    t.same(checked.issues, [], name);
  }
  // Trusted or checked, the same seeds and prices.
  const copy = fixtureDir(t, Object.fromEntries(names.map((name) => [name, JSON.parse(readFileSync(join(builtInFixtures, name), 'utf8'))])));
  const trusted = loadFixtureSet(builtInFixtures);
  const checked = loadFixtureSet(copy);
  t.same(trusted.pricing, checked.pricing, 'prices');
  t.same(
    trusted.seeds.map((s) => [s.authId, s.token, s.data()]),
    checked.seeds.map((s) => [s.authId, s.token, s.data()]),
    'seeds',
  );
  // A copy is not trusted: a broken one is refused.
  const broken = fixtureDir(t, { 'a.json': { ...JSON.parse(readFileSync(join(builtInFixtures, names.find((n) => n !== capacityPricingFile)!), 'utf8')), auth_token: 7 } });
  t.throws(() => loadFixtureSet(broken));
});
