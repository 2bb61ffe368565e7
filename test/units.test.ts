// Unit tests of the layers under the story tests: the domain (ledger, account, derivations), the views and
// the route table, each on its own, without HTTP.
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import t from 'tap';
import { operations } from '../src/api/index.js';
import { accountObject, balanceFigures, concurrency, onVersion } from '../src/domain/derive.js';
import { Journal, JournalBudget } from '../src/domain/journal.js';
import { type EntryInput, Ledger } from '../src/domain/ledger.js';
import { MICROS } from '../src/domain/money.js';
import { zMicros } from '../src/domain/time.js';
import type { Account } from '../src/domain/account.js';
import type { Quote } from '../src/domain/capacity.js';
import { loadStore } from '../src/fixtures/load.js';
import { operationTableRoutes } from '../src/http/fastify-routes.js';
import { type Route, RouteTable } from '../src/http/route-table.js';
import { AccountSchema } from '../src/schemas/account.js';
import { accountBody, balanceBody, referenceTypesBody } from '../src/views/account.js';
import { serializer, serializerAround } from '../src/views/serializer.js';
import { transactionsPage } from '../src/views/transactions.js';

const day = 86_400_000_000;
const t0 = Date.parse('2026-01-01T00:00:00Z') * 1000;
const entry = (over: Partial<EntryInput> & { at: number }): EntryInput => {
  const stamp = zMicros(over.at);
  return { id: `e-${over.at}`, type: 'debit', amount: MICROS, currency: 'INR', description: 'x', reference: 'r', referenceType: 'cdr', status: 'completed', createdAt: stamp, processedAt: stamp, updatedAt: stamp, ...over };
};

async function seeded(authId = 'MA_POSTPAID'): Promise<Account> {
  const store = await loadStore({ generate: 0, seed: 1 });
  return store.get(authId)!.account;
}

let ids = 0;
const newId = () => `id-${++ids}`;

t.test('ledger: rows in time order, sums of completed entries per currency, filters', async (t) => {
  const ledger = new Ledger([
    entry({ at: t0 + 2 * day, type: 'credit', amount: 100 * MICROS, id: 'b' }),
    entry({ at: t0, type: 'credit', amount: 50 * MICROS, id: 'a', referenceType: 'payment' }),
    entry({ at: t0 + day, amount: 7 * MICROS, id: 'pending', status: 'pending' }),
    entry({ at: t0 + 3 * day, amount: 3 * MICROS, id: 'usd', currency: 'USD' }),
  ]);
  t.equal(ledger.size, 4);
  t.same(ledger.all().map((e) => e.id), ['a', 'pending', 'b', 'usd'], 'sorted by time');
  t.equal(ledger.balance('INR'), 150 * MICROS, 'a pending entry is not in the balance');
  t.equal(ledger.balance('USD'), -3 * MICROS);
  t.equal(ledger.balance('EUR'), 0);
  t.same(ledger.newest('INR'), { at: t0 + 2 * day, createdAt: zMicros(t0 + 2 * day) });
  t.same(ledger.referenceTypes(), ['cdr', 'payment']);

  // A posting dated before the newest goes after every entry with its time or an earlier one.
  ledger.post({ id: 'late', type: 'debit', amount: 10 * MICROS, currency: 'INR', description: 'd', reference: 'x', referenceType: 'adjustment', at: t0 + day });
  t.same(ledger.all().map((e) => e.id), ['a', 'pending', 'late', 'b', 'usd']);
  t.equal(ledger.balance('INR'), 140 * MICROS);
  t.same(ledger.newest('INR'), { at: t0 + 2 * day, createdAt: zMicros(t0 + 2 * day) }, 'the newest entry is still b');
  t.same(ledger.referenceTypes(), ['adjustment', 'cdr', 'payment']);

  const ids = (rows: number[]) => rows.map((row) => ledger.entry(row).id);
  t.same(ids(ledger.query({})), ['usd', 'b', 'late', 'pending', 'a'], 'newest first');
  t.same(ids(ledger.query({ from: t0 + day, to: t0 + 2 * day })), ['b', 'late', 'pending'], 'from and to inclusive');
  t.same(ids(ledger.query({ credit: true })), ['b', 'a']);
  t.same(ids(ledger.query({ credit: false, currency: 'INR' })), ['late', 'pending']);
  t.same(ids(ledger.query({ status: 'pending' })), ['pending']);
  t.same(ids(ledger.query({ referenceType: 'payment' })), ['a']);
  t.same(ids(ledger.query({ id: 'usd' })), ['usd']);
});

t.test('account: every change bumps the version; a refusal changes nothing', async (t) => {
  const account = await seeded('MA_PREPAID1');
  const before = { version: account.version, size: account.ledger.size, purchased: { ...account.purchased } };
  const currency = account.profile.pricing_tier.currency;
  const balance = account.ledger.balance(currency);
  const tooDear: Quote = { resourceType: 'cps', quantity: 1, monthlyCost: balance + 1, currency } as Quote;
  const refused = account.purchase(tooDear, t0, newId);
  t.ok('refusal' in refused);
  t.same({ version: account.version, size: account.ledger.size, purchased: account.purchased }, before, 'nothing changed');

  const quote = { resourceType: 'concurrent_calls', quantity: 2, monthlyCost: MICROS, currency } as Quote;
  const bought = account.purchase(quote, t0, newId);
  t.ok('subscription' in bought);
  t.equal(account.version, before.version + 1);
  t.equal(account.purchased.concurrent_calls, before.purchased.concurrent_calls + 2, 'purchased_* is the base and what subscriptions hold');
  t.equal(account.ledger.balance(currency), balance - MICROS);

  account.startCall('call-1', 0);
  t.equal(account.version, before.version + 2);
  t.equal(account.endCall('nope'), undefined);
  t.equal(account.version, before.version + 2, 'ending no call is no change');
  t.equal(account.endCall('call-1'), 0);
  t.equal(account.version, before.version + 3);

  t.ok(account.setBalance(currency, 12.5 * MICROS, t0 + day, newId));
  t.equal(account.ledger.balance(currency), 12.5 * MICROS, 'set exactly');
  t.notOk(account.setBalance('XXX', MICROS, t0, newId), 'a currency the account does not hold');
});

t.test('derivations: computed from the facts, once per version', async (t) => {
  const account = await seeded();
  const first = accountObject(account);
  t.equal(accountObject(account), first, 'the same object until a change');
  t.equal(first.concurrent_calls_limit, first.base_concurrent_calls_limit + first.purchased_concurrent_calls);
  let made = 0;
  onVersion(account, 'test:count', () => ++made);
  onVersion(account, 'test:count', () => ++made);
  t.equal(made, 1);

  t.same(concurrency(account), { concurrent: account.liveCalls, max: first.concurrent_calls_limit, pct: Math.round((100 * account.liveCalls) / first.concurrent_calls_limit) });
  account.startCall('c', 0);
  t.not(accountObject(account), first, 'a new version makes it anew');
  t.equal(concurrency(account).concurrent, account.liveCalls);
  onVersion(account, 'test:count', () => ++made);
  t.equal(made, 2);

  const currency = account.profile.pricing_tier.currency;
  const figures = balanceFigures(account, currency)!;
  t.equal(figures.balance, account.ledger.balance(currency));
  t.equal(figures.available, figures.balance - account.balances.get(currency)!.reservedFunds * MICROS);
  t.equal(figures.creditLimit, account.profile.credit_limit);
  t.equal(balanceFigures(account, 'XXX'), undefined);
});

t.test('views: bodies in the schema order, made once per version', async (t) => {
  const schema = Type.Object({ b: Type.String(), a: Type.Optional(Type.Number()), nested: Type.Object({ z: Type.Boolean(), y: Type.Null() }), list: Type.Array(Type.Object({ k: Type.String() })) });
  const write = serializer(schema);
  t.equal(serializer(schema), write, 'compiled once per schema');
  t.equal(write({ list: [{ k: 'v', extra: 1 }], nested: { y: null, z: true }, b: 'quote " and \u2028' } as never), '{"b":"quote \\" and \u2028","nested":{"z":true,"y":null},"list":[{"k":"v"}]}');
  t.equal(write({ b: '', a: 1.5, nested: { z: false, y: null }, list: [] } as never), '{"b":"","a":1.5,"nested":{"z":false,"y":null},"list":[]}');

  // A body with one field filled per request: what the whole serializer writes, wherever the field is and
  // whichever optional fields are missing around it.
  const wide = Type.Object({ first: Type.Optional(Type.String()), id: Type.String(), mid: Type.Optional(Type.Number()), last: Type.Optional(Type.Object({ k: Type.String() })) });
  type Wide = { first?: string; id: string; mid?: number; last?: { k: string } };
  const whole = serializer<Wide>(wide);
  for (const value of [{}, { first: 'f' }, { mid: 2 }, { first: 'f"', mid: 0, last: { k: 'v' } }, { last: { k: '' } }] as Omit<Wide, 'id'>[]) {
    for (const id of ['req_1', 'say "hi"\n', '']) t.equal(serializerAround<Wide, 'id'>(wide, 'id')(value)(id), whole({ ...value, id }), `around id: ${JSON.stringify(value)} with ${JSON.stringify(id)}`);
  }
  for (const key of ['first', 'last'] as const) {
    const rest: Partial<Wide> = { first: 'a', id: 'b', mid: 1, last: { k: 'c' } };
    delete rest[key];
    t.equal(serializerAround<Wide, typeof key>(wide, key)(rest as never)((key === 'first' ? 'x' : { k: 'x' }) as never), whole({ ...rest, [key]: key === 'first' ? 'x' : { k: 'x' } } as Wide), `around the ${key} field`);
  }
  t.equal(serializerAround<Wide, 'id'>(wide, 'id'), serializerAround<Wide, 'id'>(wide, 'id'), 'compiled once per schema and field');
  t.throws(() => serializerAround<Wide, 'id'>(wide, 'nothing' as 'id'), /no field nothing/);

  const account = await seeded();
  const body = accountBody(account);
  t.equal(body.toString(), readFileSync(new URL('./expected/MA_POSTPAID.json', import.meta.url), 'utf8'), 'the documented Account body, byte for byte');
  t.equal(accountBody(account), body, 'the same bytes until a change');
  t.equal(serializer(AccountSchema)(accountObject(account)), body.toString(), 'from the compiled serializer');
  const currency = account.profile.pricing_tier.currency;
  const balance = balanceBody(account, currency)!;
  t.equal(balanceBody(account, currency), balance);
  t.equal(balanceBody(account, 'XXX'), undefined);
  account.setBalance(currency, 1 * MICROS, Date.parse('2026-11-22T12:00:00Z') * 1000, newId);
  t.not(balanceBody(account, currency), balance, 'made anew after a change');
  t.equal(JSON.parse(balanceBody(account, currency)!.toString()).balance, 1);
  t.same(JSON.parse(referenceTypesBody(account).toString()), { reference_types: [...account.ledger.referenceTypes()] });
  const page = JSON.parse(transactionsPage(account, 'all', {}, 1, 2).toString());
  t.same([page.transactions.length, page.total, page.page, page.per_page, page.total_pages], [2, account.ledger.size, 1, 2, Math.ceil(account.ledger.size / 2)]);
  t.equal(page.transactions[0].description, 'Balance set by the control plane', 'newest first');
});

t.test('route table: exact and parameter routes, decoded parameters, the methods a path has', async (t) => {
  const table = new RouteTable(operationTableRoutes(operations));
  const me = table.match('GET', '/api/v1/auth/me')!;
  t.equal(me.operationId, 'getAccount');
  t.same(me.params, {});
  const balance = table.match('GET', '/api/v1/Account/MA%5FX/balance/INR')!;
  t.equal(balance.operationId, 'getBalance');
  t.same(balance.params, { auth_id: 'MA_X', currency: 'INR' }, 'parameters are decoded');
  t.equal(table.match('GET', '/api/v1/Account/MA_X/balance/INR'), table.match('GET', '/api/v1/Account/MA_X/balance/INR'), 'a recent path is one lookup');
  t.equal(table.match('GET', '/api/v1/Account/%zz/balance/INR'), undefined, 'a parameter that is not percent-encoding');
  t.same(table.match('GET', '/api/v1/Account//balance/INR')?.params, { auth_id: '', currency: 'INR' }, 'an empty parameter matches, as in Fastify\'s router');
  t.equal(table.match('GET', '/api/v1/accounts/MA_X/sub-accounts/')?.operationId, 'listSubAccounts', 'a fixed segment before a parameter: the trailing slash is not an empty sub_auth_id');
  t.same(table.match('GET', '/api/v1/accounts/MA_X/sub-accounts//')?.params, { auth_id: 'MA_X', sub_auth_id: '' });
  t.equal(table.match('DELETE', '/api/v1/auth/me'), undefined);
  t.equal(table.match('GET', '/api/v1/nothing'), undefined);
  t.same(table.allowed('/api/v1/auth/me'), ['GET', 'HEAD']);
  t.same(table.allowed('/api/v1/nothing'), []);
  const subscriptions = table.allowed('/api/v1/accounts/MA_X/channel-subscriptions');
  t.ok(subscriptions.includes('POST'), 'a purchase path allows POST');

  const page = () => undefined;
  const wild = new RouteTable([
    { method: 'GET', url: '/docs/*', kind: 'page', operationId: 'docs', primary: 'docs', head: true, page },
    { method: 'GET', url: '/docs/json', kind: 'page', operationId: 'json', primary: 'json', head: false, page },
  ] satisfies Route[]);
  t.equal(wild.match('GET', '/docs/json')?.operationId, 'json', 'an exact route before a subtree');
  t.equal(wild.match('GET', '/docs/a/b/c')?.operationId, 'docs');
  t.equal(wild.match('POST', '/docs/a'), undefined);
  t.same(wild.allowed('/docs/json'), ['GET', 'HEAD']);
});

t.test('store: credentials match only the exact token, of an account or a sub-account', async (t) => {
  const store = await loadStore({ generate: 0, seed: 1 });
  const cases: [string, string, string][] = [
    ['MA_POSTPAID', 'postpaid-token', 'postpaid-'],
    ['MA_POSTPAID', 'postpaid-token', 'postpaid-tokenx'],
    ['MA_POSTPAID', 'postpaid-token', 'postpaid-tokeN'],
  ];
  for (const [authId, token, wrong] of cases) {
    t.equal(store.authenticate(authId, token)?.authId, authId, `${authId}: its token`);
    t.equal(store.authenticate(authId, wrong), undefined, `${authId}: not ${JSON.stringify(wrong)}`);
  }
  for (const wrong of ['', 'p', `postpaid-token${'\u0000'.repeat(243)}`, 'x'.repeat(256), 'x'.repeat(257), 'x'.repeat(5000), 'postpaid-tok\u0115n']) {
    t.equal(store.authenticate('MA_POSTPAID', wrong), undefined, `not a token of ${wrong.length} characters`);
  }
  t.equal(store.authenticate('MA_NOBODY', 'postpaid-token'), undefined, 'an unknown auth id');
  t.equal(store.authenticate('MA_NOBODY', '\u00ff'.repeat(257)), undefined, 'an unknown auth id, whatever the token');
  t.equal(store.authenticateSub('SA_SUPPORT1', 'support-token')?.sub.authId, 'SA_SUPPORT1', "a sub-account's token");
  for (const wrong of ['support-toke', 'support-tokenn', '', 'postpaid-token']) t.equal(store.authenticateSub('SA_SUPPORT1', wrong), undefined, `a sub-account: not ${JSON.stringify(wrong)}`);
  t.equal(store.authenticateSub('SA_NOBODY', 'support-token'), undefined, 'an unknown sub-account');
  // A changed token is compared from then on, the old one no more.
  const stored = store.get('MA_POSTPAID')!;
  stored.replaceToken('rotated-token');
  t.equal(store.authenticate('MA_POSTPAID', 'postpaid-token'), undefined, 'the old token after a change');
  t.equal(store.authenticate('MA_POSTPAID', 'rotated-token')?.authId, 'MA_POSTPAID', 'the new one');
  const sub = stored.account.updateSubAccount('SA_SUPPORT1', { token: 'support-rotated' }, Date.now() * 1000);
  t.ok(sub, 'the sub-account changed');
  t.equal(store.authenticateSub('SA_SUPPORT1', 'support-token'), undefined, "a sub-account's old token after a change");
  t.equal(store.authenticateSub('SA_SUPPORT1', 'support-rotated')?.sub.authId, 'SA_SUPPORT1', 'and its new one');
});

t.test('journal: entries that repeat their predecessor, in whole or in part, each read as they were sent', async (t) => {
  // Whether strings are shared cannot be seen from outside; what is read back can, and sharing wrongly shows there.
  const journal = new Journal(10, new JournalBudget(1_000_000));
  const sent: [string, string[]][] = [
    ['/a', ['Host', 'h', 'X-Auth-ID', 'MA_1']],
    ['/a', ['Host', 'h', 'X-Auth-ID', 'MA_1']],
    ['/a', ['Host', 'h', 'X-Auth-ID', 'MA_2']],
    ['/b', ['Host', 'h', 'X-Other', 'MA_2']],
    ['/b', ['Host', 'h']],
    ['/b', ['Host', 'h', 'X-Auth-ID', 'MA_1']],
  ];
  for (const [url, raw] of sent) journal.record(1, 'GET', url, 200, 0.5, [...raw], undefined, undefined);
  t.strictSame(
    journal.entries().map((e) => [e.url, e.headers]),
    [
      ['/a', { host: 'h', 'x-auth-id': 'MA_1' }],
      ['/a', { host: 'h', 'x-auth-id': 'MA_1' }],
      ['/a', { host: 'h', 'x-auth-id': 'MA_2' }],
      ['/b', { host: 'h', 'x-other': 'MA_2' }],
      ['/b', { host: 'h' }],
      ['/b', { host: 'h', 'x-auth-id': 'MA_1' }],
    ],
    'a target or header line differing in value, in name or in count is kept apart',
  );
  journal.clear();
  journal.record(1, 'GET', '/a', 200, 0.5, ['Host', 'h', 'X-Auth-ID', 'MA_1'], undefined, undefined);
  t.strictSame(journal.entries().map((e) => [e.url, e.headers]), [['/a', { host: 'h', 'x-auth-id': 'MA_1' }]], 'and after a clear');
});

t.test('journal: the budget keeps the order of entries through its own growth, rings that wrap and clears', async (t) => {
  const headers = ['Host', 'h'];
  const one = (journal: Journal, n: number) => journal.record(n, 'GET', '/r', 200, 0.5, headers, undefined, undefined);
  const probe = new JournalBudget(1_000_000);
  one(new Journal(1, probe), 0);
  const cost = probe.used;
  // Room for 2,500 entries, more than the budget first has slots for: it grows while entries are held, and
  // most of what it was told of is let go by the journals themselves (a ring of 2, a clear) before that.
  const budget = new JournalBudget(cost * 2500);
  const [big, small, cleared] = [new Journal(3000, budget), new Journal(2, budget), new Journal(100, budget)];
  let n = 0;
  for (; n < 1500; n++) {
    one(big, n);
    one(small, n);
    if (n % 7 === 0) one(cleared, n);
  }
  cleared.clear();
  t.strictSame([big.held, small.held, cleared.held, budget.used], [1500, 2, 0, cost * 1502], 'under the bound, each journal holds what its own ring does');
  for (; n < 2600; n++) one(big, n);
  const times = (journal: Journal) => journal.entries().map((e) => e.time);
  t.strictSame([big.held, times(big)[0], times(small)], [2498, 102, [1498, 1499]], "at the bound, the oldest entries anywhere go first: big's first 102, older than small's two");
  t.equal(budget.used, cost * 2500);
  for (; n < 4000; n++) one(big, n);
  t.strictSame([times(big), small.held, budget.used], [Array.from({ length: 2500 }, (_, i) => 1500 + i), 0, cost * 2500], "then small's two, when they are the oldest");
  // Large entries first, so that the bound is reached with few held, then small ones: the budget grows while it
  // lets its oldest go, and keeps their order across two journals.
  const large = `/${'l'.repeat(1000)}`;
  const sized = new JournalBudget(1_000_000);
  new Journal(1, sized).record(0, 'GET', large, 200, 0.5, headers, undefined, undefined);
  const largeCost = sized.used;
  const mixed = new JournalBudget(cost * 3000);
  const [even, odd] = [new Journal(10_000, mixed), new Journal(10_000, mixed)];
  const to = (m: number) => (m % 2 === 0 ? even : odd);
  for (let m = 0; m < 500; m++) to(m).record(m, 'GET', large, 200, 0.5, headers, undefined, undefined);
  const fit = Math.floor((cost * 3000) / largeCost);
  t.strictSame([even.held + odd.held, [...times(even), ...times(odd)].sort((x, y) => x - y)[0]], [fit, 500 - fit], 'the newest large entries that fit');
  for (let m = 500; m < 4000; m++) one(to(m), m);
  t.strictSame(
    [times(even), times(odd), mixed.used],
    [Array.from({ length: 1500 }, (_, i) => 1000 + 2 * i), Array.from({ length: 1500 }, (_, i) => 1001 + 2 * i), cost * 3000],
    'then the newest 3,000 small ones, in both journals',
  );
});

t.test('journal: a ring per namespace, one budget over all, the oldest entry anywhere going first', async (t) => {
  const headers = ['Host', 'h', 'X-Auth-ID', 'MA_POSTPAID'];
  const one = (journal: Journal, n: number, url = `/r${n}`) => journal.record(n, 'GET', url, 200, 0.5, headers, undefined, undefined);
  // Each entry here costs the same: find it, then a budget for exactly five.
  const probe = new JournalBudget(1_000_000);
  one(new Journal(10, probe), 1);
  const cost = probe.used;
  const budget = new JournalBudget(cost * 5);
  const [a, b] = [new Journal(3, budget), new Journal(10, budget)];
  for (let n = 1; n <= 4; n++) one(a, n);
  t.strictSame(a.entries().map((e) => e.url), ['/r2', '/r3', '/r4'], 'a full ring lets its oldest go');
  t.strictSame([a.total, a.held, a.dropped], [4, 3, 1]);
  t.equal(budget.used, cost * 3, 'and the budget its bytes');
  for (let n = 5; n <= 8; n++) one(b, n);
  t.strictSame(a.entries().map((e) => e.url), ['/r4'], "past the budget, the oldest entries of any journal go first (a's)");
  t.strictSame(b.entries().map((e) => e.url), ['/r5', '/r6', '/r7', '/r8']);
  t.equal(budget.used, cost * 5, 'within the budget');
  one(b, 9);
  t.strictSame([a.held, b.held], [0, 5], "then a's last");
  t.strictSame(b.entries()[0], { id: 1, time: 5, method: 'GET', url: '/r5', status: 200, durationMs: 0.5, headers: { host: 'h', 'x-auth-id': 'MA_POSTPAID' }, body: undefined, fault: undefined }, 'an entry as read');
  b.clear();
  t.strictSame([b.total, b.held, budget.used], [0, 0, 0], 'a clear lets every entry and byte go');
  one(b, 10);
  t.strictSame(b.entries().map((e) => [e.id, e.url]), [[6, '/r10']], 'ids go on after a clear');
  // Many journals, many entries (each costing what one above did): the newest five anywhere are held.
  const many = Array.from({ length: 50 }, () => new Journal(20, budget));
  for (let n = 0; n < 20_000; n++) one(many[n % 50]!, n, '/rx');
  t.equal(budget.used, cost * 5, 'within the budget after 20,000 entries');
  t.equal(b.held, 0);
  t.strictSame(
    many.flatMap((j) => j.entries().map((e) => e.time)).sort((x, y) => x - y),
    [19_995, 19_996, 19_997, 19_998, 19_999],
    'the newest five',
  );
});
