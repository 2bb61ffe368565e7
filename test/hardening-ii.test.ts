import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { ControlClient, ControlPlaneError } from '../src/control/client.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../src/emulator.js';
import { Glob } from '../src/domain/glob.js';
import { fixedNow, pair, parseResponses, rawExchange } from './helper.js';

/**
 * Hardening II (issue 14): nothing a client sends stops the emulator, every resource a client grows is
 * bounded with a clear answer at the bound, a frozen clock takes any date, the control plane is reachable
 * only as meant, state stays consistent, and every refusal says in words what was expected.
 */

async function start(t: Test, options: EmulatorOptions = {}): Promise<Emulator & { port: number }> {
  const emulator = await createEmulator({ port: 0, now: () => fixedNow, ...options });
  t.teardown(() => emulator.close(200));
  return Object.assign(emulator, { port: Number(new URL(emulator.url).port) });
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: () => { status?: string; error?: { code: string; message: string; details?: Record<string, unknown> } } & Record<string, unknown>;
}

async function call(emu: Emulator, method: string, path: string, options: { namespace?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const { namespace, headers = {}, body } = options;
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { ...headers, ...(namespace ? { 'X-Vobiz-Mock-Namespace': namespace } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), body: text, json: () => JSON.parse(text) };
}

const purchase = '/api/v1/accounts/MA_POSTPAID/channel-subscriptions';
const nested = (depth: number) => `{"resource_type":${'['.repeat(depth)}${']'.repeat(depth)},"quantity":3}`;

/** The envelope of a refusal: its status, code and message exactly. */
function refused(t: Test, res: Answer, status: number, code: string, message: string | RegExp, name: string): void {
  t.equal(res.status, status, `${name}: status`);
  const body = res.json();
  t.equal(body.status, 'error', `${name}: the envelope`);
  t.equal(body.error?.code, code, `${name}: code`);
  if (typeof message === 'string') t.equal(body.error?.message, message, `${name}: message`);
  else t.match(body.error?.message, message, `${name}: message`);
  t.ok(res.body.length < 2000, `${name}: a short body (${res.body.length} bytes)`);
}

t.test('1. deeply nested JSON: a 400 in the envelope on every path that takes a body, and the process goes on', async (t) => {
  const emu = await start(t);
  const deep = nested(5000);
  const message = 'Request body must be JSON nested at most 64 arrays and objects deep';
  const sends: [string, string, string, Record<string, string>][] = [
    ['the fast path, with the pair', 'POST', purchase, pair('MA_POSTPAID')],
    ['the fast path, with the published Bearer', 'POST', purchase, { Authorization: `Bearer ${(await import('../src/domain/bearer.js')).bearerToken('MA_POSTPAID')}` }],
    ['PUT /snapshot', 'PUT', '/__mock/v1/snapshot', {}],
    ['POST /accounts', 'POST', '/__mock/v1/accounts', {}],
    ['POST /faults', 'POST', '/__mock/v1/faults', {}],
    ['POST /requests/count', 'POST', '/__mock/v1/requests/count', {}],
    ['POST /requests/verify', 'POST', '/__mock/v1/requests/verify', {}],
    ['POST /clock', 'POST', '/__mock/v1/clock', {}],
    ['PATCH /accounts/{auth_id}', 'PATCH', '/__mock/v1/accounts/MA_POSTPAID', {}],
  ];
  for (const [name, method, path, headers] of sends) {
    refused(t, await call(emu, method, path, { headers, body: deep }), 400, 'BAD_REQUEST', message, name);
    // Through Fastify: the same body padded past the fast path's 16 KB.
    refused(t, await call(emu, method, path, { headers, body: `${deep}${' '.repeat(20_000)}` }), 400, 'BAD_REQUEST', message, `${name}, over 16 KB`);
  }
  // 64 deep is still a body (refused for what it holds, not for its depth).
  const sixtyFour = await call(emu, 'POST', purchase, { headers: pair('MA_POSTPAID'), body: nested(63) });
  t.equal(sixtyFour.status, 400);
  t.equal(sixtyFour.json().error?.code, 'VALIDATION_ERROR', '63 arrays in an object: read, then refused for its shape');
  t.notMatch(sixtyFour.body, /\[\[/, 'the nested value is not echoed');
  t.equal((await call(emu, 'GET', '/health')).status, 200, 'alive');
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', { headers: pair('MA_POSTPAID') })).json()['purchased_cps'], 20, 'nothing bought');
});

t.test('1. the clock lives from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z: leaving it is a 422 that changes nothing', async (t) => {
  const emu = await start(t);
  const control = emu.control('edge');
  t.same(await control.freeze('9999-12-31T23:59:59Z'), { mode: 'frozen', now: '9999-12-31T23:59:59.000Z', renewals: { renewed: 0, failed: 0 } });
  const past = await call(emu, 'POST', '/__mock/v1/clock', { namespace: 'edge', body: { advance: 'P1D' } });
  refused(t, past, 422, 'VALIDATION_ERROR', 'advance: must not move the clock past 9999-12-31T23:59:59Z: it shows 9999-12-31T23:59:59.000Z, so at most 0 seconds more', 'advance past the end');
  t.same(past.json().error?.details, { errors: [{ field: 'advance', message: 'must not move the clock past 9999-12-31T23:59:59Z: it shows 9999-12-31T23:59:59.000Z, so at most 0 seconds more', code: 'OUT_OF_RANGE' }] });
  await t.rejects(control.advance('PT1S'), { name: 'ControlPlaneError', message: '422 VALIDATION_ERROR: advance: must not move the clock past 9999-12-31T23:59:59Z: it shows 9999-12-31T23:59:59.000Z, so at most 0 seconds more' }, 'the client error carries the detail');
  t.equal((await control.clock()).now, '9999-12-31T23:59:59.000Z', 'unchanged');
  // A purchase at the last instant: its next billing date is the last instant too, and the snapshot loads again.
  const bought = await call(emu, 'POST', purchase, { namespace: 'edge', headers: pair('MA_POSTPAID'), body: { resource_type: 'cps', quantity: 3 } });
  t.equal(bought.status, 201);
  t.match(bought.json(), { purchased_at: '9999-12-31T23:59:59Z', next_billing_date: '9999-12-31T23:59:59Z' });
  const snapshot = await control.snapshot();
  t.notMatch(JSON.stringify(snapshot), /\+0\d{5}-/, 'no six-digit years');
  await emu.control('edge-copy').restore(snapshot);
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', { namespace: 'edge-copy', headers: pair('MA_POSTPAID') })).body, (await call(emu, 'GET', '/api/v1/auth/me', { namespace: 'edge', headers: pair('MA_POSTPAID') })).body, 'the snapshot loads');
  // The first instant.
  t.equal((await control.freeze('0001-01-01T00:00:00Z')).now, '0001-01-01T00:00:00.000Z');
  const cases: [unknown, string][] = [
    ['0000-12-31T23:59:59Z', 'freeze: must be an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z'],
    ['0001-01-01T00:00:00+01:00', 'freeze: must be an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z'],
    ['10000-01-01T00:00:00Z', 'freeze: must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z'],
    ['+010000-01-01T00:00:00.000Z', 'freeze: must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z'],
    ['2030-02-30T00:00:00Z', 'freeze: must be a date-time on a day the calendar has (2030-02-30 is not one)'],
    ['2031-02-29T00:00:00Z', 'freeze: must be a date-time on a day the calendar has (2031-02-29 is not one)'],
    ['2030-04-31T00:00:00Z', 'freeze: must be a date-time on a day the calendar has (2030-04-31 is not one)'],
    ['2030-02-28T24:00:00Z', 'freeze: must be a date-time with a time of day from 00:00:00 to 23:59:59 and an offset of at most 23:59 (no leap second)'],
    ['2030-06-30T23:59:60Z', 'freeze: must be a date-time with a time of day from 00:00:00 to 23:59:59 and an offset of at most 23:59 (no leap second)'],
    ['tomorrow', 'freeze: must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z'],
  ];
  for (const [freeze, message] of cases) {
    refused(t, await call(emu, 'POST', '/__mock/v1/clock', { namespace: 'edge', body: { freeze } }), 422, 'VALIDATION_ERROR', message, String(freeze));
  }
  t.equal((await control.freeze('2032-02-29T12:00:00+05:30')).now, '2032-02-29T06:30:00.000Z', 'a leap day, with an offset');
  t.equal((await control.clock()).now, '2032-02-29T06:30:00.000Z');
  // A running clock stops at the end rather than leave it.
  await control.freeze('9999-12-31T23:59:59Z');
  await control.realTime();
  const later = await createEmulator({ port: 0, now: () => fixedNow + 10_000 });
  t.teardown(() => later.close(200));
  t.equal((await control.clock()).now, '9999-12-31T23:59:59.000Z');
  t.equal((await call(emu, 'GET', '/health')).status, 200, 'alive');
});

t.test('1. an exception while answering is a 500 INTERNAL_ERROR in the envelope, logged once; the process goes on', async (t) => {
  const lines: string[] = [];
  const logStream = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(chunk.toString()), done()) });
  const emu = await start(t, { logLevel: 'error', logStream });
  const store = emu.app.namespaces.default.store;
  const account = store.get('MA_POSTPAID')!;
  const facts = account.account;
  const boom = () => {
    throw new Error('boom');
  };
  // A GET the fast path answers at once, a POST it answers once the body is in, and one Fastify answers.
  Object.defineProperty(account, 'account', { configurable: true, get: boom });
  for (const [name, method, path, body] of [
    ['GET /auth/me', 'GET', '/api/v1/auth/me', undefined],
    ['a purchase', 'POST', purchase, { resource_type: 'cps', quantity: 3 }],
    ['a purchase through Fastify', 'POST', purchase, `{"resource_type":"cps","quantity":3}${' '.repeat(20_000)}`],
  ] as const) {
    const before = lines.length;
    const res = await call(emu, method, path, { headers: pair('MA_POSTPAID'), ...(body !== undefined ? { body } : {}) });
    refused(t, res, 500, 'INTERNAL_ERROR', 'Internal server error', name);
    t.equal(res.json()['requestId'], res.headers['x-request-id'], `${name}: its request id`);
    t.equal(lines.length - before, 1, `${name}: logged once`);
    t.match(lines.at(-1), /"msg":"unexpected error"/);
    t.match(lines.at(-1), /boom/);
  }
  Object.defineProperty(account, 'account', { configurable: true, get: () => facts });
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', { headers: pair('MA_POSTPAID') })).status, 200, 'answers again');
  const journal = await emu.control().requests();
  t.same(journal.requests.map((r) => r['status']), [500, 500, 500, 200], 'each journaled with its status');
});

t.test('2. a frozen clock takes any date, past or future: a suite frozen at 2026-01-01 passes whatever the real date', async (t) => {
  for (const wall of ['2026-11-22T12:00:00Z', '2031-06-01T00:00:00Z', '1999-01-01T00:00:00Z']) {
    const emu = await createEmulator({ port: 0, now: () => Date.parse(wall) });
    t.teardown(() => emu.close(200));
    const control = emu.control('suite');
    t.same(await control.freeze('2026-01-01T00:00:00Z'), { mode: 'frozen', now: '2026-01-01T00:00:00.000Z', renewals: { renewed: 0, failed: 0 } }, `${wall}: frozen`);
    const bought = await call(emu, 'POST', purchase, { namespace: 'suite', headers: pair('MA_POSTPAID'), body: { resource_type: 'cps', quantity: 3 } });
    t.match(bought.json(), { purchased_at: '2026-01-01T00:00:00Z', next_billing_date: '2026-01-31T00:00:00Z' }, `${wall}: bought at the frozen date`);
    t.same((await control.advance('P30D')).renewals, { renewed: 1, failed: 0 }, `${wall}: renewed on the way`);
    // Backwards: accepted, and nothing is renewed or undone.
    t.same(await control.freeze('2025-06-01T00:00:00Z'), { mode: 'frozen', now: '2025-06-01T00:00:00.000Z', renewals: { renewed: 0, failed: 0 } }, `${wall}: back in time`);
    const ledger = JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/transactions?reference_type=channel_subscription', { namespace: 'suite', headers: pair('MA_POSTPAID') })).body);
    // The seed's own subscription entry (2026-03-20) and the two made here, all after "now": shown as they are.
    t.same(ledger.transactions.map((e: { created_at: string }) => e.created_at), ['2026-03-20T09:00:00.000000Z', '2026-01-31T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'], `${wall}: entries after "now" stay as they are`);
    // Forward again from the past: the renewal due 2026-03-02 is charged when the clock passes it, once.
    t.same((await control.advance('P300D')).renewals, { renewed: 1, failed: 0 }, `${wall}: forward again`);
  }
});

t.test('3. the journal keeps a bounded copy of each body, and one budget over every namespace', async (t) => {
  const emu = await start(t, { journalMemory: 1 });
  // A body over the emulated API's 64 KB is refused before it is read; one under it is journaled cut at 4 KB.
  const huge = await call(emu, 'POST', purchase, { namespace: 'huge', headers: pair('MA_POSTPAID'), body: `{"resource_type":"cps","quantity":3}${' '.repeat(1_000_000)}` });
  refused(t, huge, 413, 'PAYLOAD_TOO_LARGE', 'Request body is larger than 65536 bytes, the most POST /api/v1/accounts/:auth_id/channel-subscriptions takes', 'a 1 MB purchase');
  t.equal((await new ControlClient(emu.url, { namespace: 'huge' }).requests()).requests[0]!['body'], null, 'no body kept');
  const body = `{"resource_type":"cps","quantity":3}${' '.repeat(60_000)}`;
  for (let i = 0; i < 3; i++) t.equal((await call(emu, 'POST', purchase, { namespace: `big-${i}`, headers: pair('MA_POSTPAID'), body })).status, 201);
  const entry = (await new ControlClient(emu.url, { namespace: 'big-0' }).requests()).requests[0]!;
  t.equal((entry['body'] as string).length, 4096 + 3, 'cut at 4 KB, with "..."');
  t.ok(emu.app.namespaces.journalMemory.used < 4 * 6000, `four entries cost about their text: ${emu.app.namespaces.journalMemory.used} bytes`);
  // 1 MB over every namespace: the oldest entries of any namespace go first.
  for (let i = 0; i < 600; i++) await call(emu, 'GET', '/api/v1/auth/me', { namespace: `many-${i % 40}`, headers: { ...pair('MA_POSTPAID'), 'X-Padding': 'p'.repeat(2000) } });
  const { used, limit } = emu.app.namespaces.journalMemory;
  t.ok(used <= limit, `within the budget: ${used} of ${limit} bytes`);
  t.equal((await new ControlClient(emu.url, { namespace: 'big-0' }).requests()).meta.held, 0, 'the oldest namespace lost its entries first');
  const newest = await new ControlClient(emu.url, { namespace: 'many-39' }).requests();
  t.equal(newest.meta.total, 15, 'the newest namespace counts all its requests');
  t.ok(newest.meta.held > 0 && newest.meta.held + newest.meta.dropped === 15, 'and holds the newest of them');
});

t.test('3. namespaces: a cap answered by a 503 naming the flag; idle ones expire, never while in use; /health makes none; listed by page', async (t) => {
  const emu = await start(t, { maxNamespaces: 2, namespaceTtl: 1 });
  t.equal((await call(emu, 'GET', '/health', { namespace: 'not-made' })).status, 200);
  for (const ns of ['one', 'two']) t.equal((await call(emu, 'GET', '/api/v1/auth/me', { namespace: ns, headers: pair('MA_POSTPAID') })).status, 200);
  const full = await call(emu, 'GET', '/api/v1/auth/me', { namespace: 'three', headers: pair('MA_POSTPAID') });
  refused(
    t,
    full,
    503,
    'SERVICE_UNAVAILABLE',
    'No room for namespace three: 2 namespaces exist besides default, the most --max-namespaces allows. Drop one (DELETE /__mock/v1/namespaces/{ns}); idle ones are dropped after 1 s (--namespace-ttl)',
    'the cap',
  );
  t.equal(full.headers['x-vobiz-mock-namespace'], 'three', 'echoed');
  const refusedControl = await call(emu, 'GET', '/__mock/v1/clock', { namespace: 'three' });
  t.equal(refusedControl.status, 503, 'the control plane too');
  const page = await call(emu, 'GET', '/__mock/v1/namespaces?page=2&per_page=2');
  t.match(page.json(), { total: 3, page: 2, per_page: 2, limits: { max_namespaces: 2, idle_seconds: 1 } });
  t.same((page.json()['namespaces'] as { name: string }[]).map((n) => n.name), ['two']);
  refused(t, await call(emu, 'GET', '/__mock/v1/namespaces?per_page=0'), 422, 'VALIDATION_ERROR', 'per_page: must be an integer from 1 to 1000', 'per_page 0');
  // A request held by a fault's delay keeps its namespace alive past the idle time.
  await emu.control('two').addFault({ effect: { delay_ms: 2500 } });
  const slow = call(emu, 'GET', '/api/v1/auth/me', { namespace: 'two', headers: pair('MA_POSTPAID') });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const names = (await emu.control().namespaces()).namespaces.map((n) => n['name']);
  t.same(names, ['default', 'two'], 'the idle one expired; the one in use did not; default never does');
  t.equal((await slow).status, 200);
  await new Promise((resolve) => setTimeout(resolve, 1600));
  t.same((await emu.control().namespaces()).namespaces.map((n) => n['name']), ['default'], 'idle after its answer: expired');
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', { namespace: 'three', headers: pair('MA_POSTPAID') })).status, 200, 'room again');
});

t.test('3. fault rules: a cap per namespace; path globs match in linear time', async (t) => {
  const emu = await start(t, { maxFaultRules: 2 });
  const control = emu.control('rules');
  await control.addFault({ effect: { status: 503 }, ttl_ms: 1, match: { path: '/nowhere' } });
  await new Promise((resolve) => setTimeout(resolve, 5));
  await control.addFault({ effect: { status: 503 }, match: { path: '/nowhere' } });
  await control.addFault({ effect: { status: 503 }, match: { path: '/elsewhere' } });
  const third = await call(emu, 'POST', '/__mock/v1/faults', { namespace: 'rules', body: { effect: { status: 503 } } });
  refused(t, third, 422, 'VALIDATION_ERROR', '(namespace): holds at most 2 fault rules (--max-fault-rules): delete some (DELETE /__mock/v1/faults/{id}, or all with DELETE /__mock/v1/faults) first', 'the cap');
  t.equal((await control.faults()).faults.length, 2, 'an expired rule did not count; nothing added');
  // The glob that backtracked for seconds: matched at once, in a fault rule and in the journal.
  const evil = '/**a**a**a**a**a**a**a**a**b';
  await control.clearFaults();
  await control.addFault({ match: { path: evil }, effect: { status: 503 } });
  const path = `/api/v1/auth/me/${'a'.repeat(40)}`;
  let started = performance.now();
  t.equal((await call(emu, 'GET', path, { namespace: 'rules', headers: pair('MA_POSTPAID') })).status, 404, 'not matched: the route answers');
  t.ok(performance.now() - started < 500, `answered in ${Math.round(performance.now() - started)} ms`);
  started = performance.now();
  t.equal(await control.countRequests({ path: evil }), 0);
  t.ok(performance.now() - started < 500, `counted in ${Math.round(performance.now() - started)} ms`);
  // Any accepted pattern against any path of 2 KB: well under a millisecond.
  for (const [pattern, text] of [
    [evil, `/${'a'.repeat(2047)}`],
    [`/${'**a'.repeat(84)}b`, `/${'a'.repeat(2047)}`],
    [`/${'*a'.repeat(127)}b`, `/${'a'.repeat(2047)}`],
    [`**${'a'.repeat(253)}b`, 'a'.repeat(2048)],
  ] as const) {
    const glob = new Glob(pattern);
    for (let i = 0; i < 50; i++) glob.test(text);
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) glob.test(text);
    const each = (performance.now() - t0) / 100;
    t.ok(each < 1, `${pattern.length}-character pattern on a 2 KB path: ${each.toFixed(3)} ms`);
  }
});

t.test('3. a glob matches what the documented pattern says', async (t) => {
  const cases: [string, string, boolean][] = [
    ['/api/v1/Account/*/balance/*', '/api/v1/Account/MA_X/balance/INR', true],
    ['/api/v1/Account/*/balance/*', '/api/v1/Account/MA_X/Y/balance/INR', false],
    ['/api/**', '/api/v1/Account/MA_X/balance/INR', true],
    ['/api/**/INR', '/api/v1/Account/MA_X/balance/INR', true],
    ['/api/*', '/api/', true],
    ['/api/*', '/api', false],
    ['**', '', true],
    ['*', '/', false],
    ['/a.b', '/a.b', true],
    ['/a.b', '/axb', false],
    ['/a?b', '/a?b', true],
    ['/*x*y*', '/axbyc', true],
    ['/*x*y*', '/ax/byc', false],
    ['/***', '/a/b', true],
  ];
  for (const [pattern, path, expected] of cases) t.equal(new Glob(pattern).test(path), expected, `${pattern} ~ ${path}`);
});

t.test('3. an advance is bounded: more renewals than one move applies is a 422, in time to stop on SIGTERM', async (t) => {
  const emu = await start(t);
  const control = emu.control('renewals');
  await control.freeze('2026-01-01T00:00:00Z');
  const snapshot = (await control.snapshot()) as { accounts: unknown[] };
  // An account with 1,000 active subscriptions: ten years is 121,000 renewals.
  const postpaid = JSON.parse((await call(emu, 'GET', '/__mock/v1/snapshot', { namespace: 'renewals' })).body);
  void postpaid;
  const fixture = {
    auth_token: 'many-token',
    account: { ...(await control.account('MA_POSTPAID')).account, auth_id: 'MA_MANYSUBS', purchased_cps: 3000, cps_limit: undefined, concurrent_calls_limit: undefined, auth_secret: undefined },
    balances: [{ currency: 'INR', balance: 1_000_000_000 }],
    subscriptions: Array.from({ length: 1000 }, () => ({ resource_type: 'cps', quantity: 3, monthly_cost: '1.00', purchased_at: '2026-01-01T00:00:00Z' })),
  };
  await control.restore({ ...snapshot, accounts: [...snapshot.accounts, JSON.parse(JSON.stringify(fixture))] });
  const tooMuch = await call(emu, 'POST', '/__mock/v1/clock', { namespace: 'renewals', body: { advance: 'P3650D' } });
  refused(t, tooMuch, 422, 'VALIDATION_ERROR', 'advance: would apply 121000 subscription renewals, more than the 100000 one move applies: move the clock in smaller steps', 'ten years');
  t.equal((await control.clock()).now, '2026-01-01T00:00:00.000Z', 'unchanged');
  const started = performance.now();
  t.same((await control.advance('P300D')).renewals, { renewed: 10_000, failed: 0 }, 'ten renewals each');
  t.ok(performance.now() - started < 3000, `10,000 renewals in ${Math.round(performance.now() - started)} ms`);
});

t.test('4. the control plane answers pages of this machine only; the emulated API stays open', async (t) => {
  const emu = await start(t);
  const attacker = { Origin: 'http://attacker.example' };
  const preflight = await call(emu, 'OPTIONS', '/__mock/v1/accounts', { headers: { ...attacker, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
  const denied = 'The control plane takes cross-origin requests only from the origins --control-origins allows (default: pages of this machine, http://localhost, 127.0.0.1 or [::1])';
  refused(t, preflight, 403, 'ACCESS_DENIED', denied, 'a preflight from another site');
  t.equal(preflight.headers['access-control-allow-origin'], undefined, 'no CORS header');
  const before = emu.app.namespaces.default.store.size;
  refused(t, await call(emu, 'POST', '/__mock/v1/accounts', { headers: attacker, body: {} }), 403, 'ACCESS_DENIED', denied, 'a cross-site POST');
  t.equal(emu.app.namespaces.default.store.size, before, 'no account made');
  const snapshot = await call(emu, 'GET', '/__mock/v1/snapshot', { headers: attacker });
  refused(t, snapshot, 403, 'ACCESS_DENIED', denied, 'a cross-site read');
  t.notMatch(snapshot.body, /token/);
  for (const origin of ['http://localhost:5173', 'http://127.0.0.1:4010', 'http://[::1]:8080', 'https://localhost']) {
    const res = await call(emu, 'GET', '/__mock/v1/clock', { headers: { Origin: origin } });
    t.equal(res.status, 200, origin);
    t.equal(res.headers['access-control-allow-origin'], origin, `${origin}: itself`);
    t.equal(res.headers['vary'], 'Origin');
  }
  const loopPreflight = await call(emu, 'OPTIONS', '/__mock/v1/faults', { headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' } });
  t.equal(loopPreflight.status, 204);
  t.equal(loopPreflight.headers['access-control-allow-origin'], 'http://localhost:5173');
  for (const origin of ['http://localhost.attacker.example', 'http://127.0.0.1.nip.io', 'null']) {
    t.equal((await call(emu, 'GET', '/__mock/v1/clock', { headers: { Origin: origin } })).status, 403, `${origin}: not this machine`);
  }
  const api = await call(emu, 'OPTIONS', '/api/v1/auth/me', { headers: { ...attacker, 'Access-Control-Request-Method': 'GET' } });
  t.equal(api.status, 204, 'the emulated API: open');
  t.equal(api.headers['access-control-allow-origin'], '*');
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', { headers: { ...attacker, ...pair('MA_POSTPAID') } })).headers['access-control-allow-origin'], '*');
  t.equal((await call(emu, 'GET', '/__mock/v1/clock')).status, 200, 'no Origin (curl, SDKs, test suites): not concerned');

  const open = await start(t, { controlOrigins: 'https://dashboard.example, loopback' });
  t.equal((await call(open, 'GET', '/__mock/v1/clock', { headers: { Origin: 'https://dashboard.example' } })).headers['access-control-allow-origin'], 'https://dashboard.example', '--control-origins');
  t.equal((await call(open, 'GET', '/__mock/v1/clock', { headers: attacker })).status, 403);
  const any = await start(t, { controlOrigins: '*' });
  t.equal((await call(any, 'GET', '/__mock/v1/clock', { headers: attacker })).status, 200, '--control-origins *');
});

t.test('4. one path for every layer: escaped control-plane paths are the control plane, escaped API paths the API', async (t) => {
  const emu = await start(t);
  const control = emu.control('escapes');
  await control.addFault({ match: { operation: 'getAccount' }, effect: { status: 503 }, times: 1 });
  const reset = await call(emu, 'POST', '/%5F%5Fmock/v1/faults', { namespace: 'escapes', body: { effect: { status: 502 }, match: { path: '/nowhere' } } });
  t.equal(reset.status, 201, 'served as the control plane');
  const me = await call(emu, 'GET', '/api/v1/%61uth/me', { namespace: 'escapes', headers: pair('MA_POSTPAID') });
  t.equal(me.status, 503, 'an escaped API path is the same operation: its fault rule applies');
  t.equal((await call(emu, 'GET', '/api/v1/%61uth/me', { namespace: 'escapes', headers: pair('MA_POSTPAID') })).status, 200);
  const journal = await control.requests();
  t.same(
    journal.requests.map((r) => [r['path'], r['operation'], r['status']]),
    [
      ['/api/v1/auth/me', 'getAccount', 503],
      ['/api/v1/auth/me', 'getAccount', 200],
    ],
    'the control plane is not journaled; the API under its canonical path',
  );
  const raw = parseResponses(await rawExchange(emu.port, 'GET /%5f%5fmock/v1/clock HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  t.equal(raw[0]?.status, 200, 'lower-case escapes too');
  t.equal((await call(emu, 'GET', '/api/v1/Account/MA%2FPOSTPAID/balance/INR', { headers: pair('MA_POSTPAID') })).status, 403, 'a reserved character stays escaped');
});

t.test('4. the journal shows an auth_id only when it names an account', async (t) => {
  const emu = await start(t);
  const control = emu.control('ids');
  const pasted = 'tok_0123456789abcdef';
  await call(emu, 'GET', '/api/v1/auth/me', { namespace: 'ids', headers: { 'X-Auth-ID': pasted, 'X-Auth-Token': 'x' } });
  await call(emu, 'GET', '/api/v1/auth/me', { namespace: 'ids', headers: { Authorization: `Basic ${Buffer.from(`${pasted}:x`).toString('base64')}` } });
  await call(emu, 'GET', '/api/v1/auth/me', { namespace: 'ids', headers: pair('MA_POSTPAID') });
  const journal = await control.requests();
  t.same(journal.requests.map((r) => r['auth_id']), ['[not an account]', '[not an account]', 'MA_POSTPAID']);
  t.notMatch(JSON.stringify(journal), pasted, 'the pasted token is nowhere in the journal');
  const verify = await call(emu, 'POST', '/__mock/v1/requests/verify', { namespace: 'ids', body: { match: { path: '/api/v1/auth/me', status: 201 }, times: { exactly: 1 } } });
  t.equal(verify.status, 422);
  t.notMatch(verify.body, pasted, 'nor in verify\'s closest entries');
});

t.test('5. a snapshot is refused, changing nothing, when it does not hold together', async (t) => {
  const emu = await start(t);
  const control = emu.control('snap');
  const good = (await control.snapshot()) as { accounts: unknown[]; live_calls?: unknown[] } & Record<string, unknown>;
  const account = { auth_token: 'x-token', account: { ...(await control.account('MA_TRIAL001')).account, auth_id: 'MA_TWICE', cps_limit: undefined, concurrent_calls_limit: undefined, auth_secret: undefined } };
  const clean = JSON.parse(JSON.stringify(account));
  const before = await call(emu, 'GET', '/__mock/v1/snapshot', { namespace: 'snap' });
  const cases: [string, unknown, string][] = [
    ['two accounts with one auth_id', { ...good, accounts: [clean, clean] }, 'accounts[1].account.auth_id: expected an auth_id no other account of the snapshot has, got the one of accounts[0]'],
    ['a live call of no account', { ...good, live_calls: [{ id: 'c1', auth_id: 'MA_NOBODY', started_at: '2026-11-22T12:00:00Z' }] }, 'live_calls[0].auth_id: expected an account of the snapshot or the seeds, got MA_NOBODY'],
    [
      'more live calls than the account counts',
      { ...good, accounts: [{ ...clean, live_calls: 1 }], live_calls: [1, 2].map((i) => ({ id: `c${i}`, auth_id: 'MA_TWICE', started_at: '2026-11-22T12:00:00Z' })) },
      'live_calls[1].auth_id: expected at most 1 live calls of MA_TWICE (accounts[0].live_calls, which counts every call in progress), got more',
    ],
    [
      'five live calls on a seed that counts none',
      { ...good, live_calls: [1, 2, 3, 4, 5].map((i) => ({ id: `c${i}`, auth_id: 'MA_TRIAL001', started_at: '2026-11-22T12:00:00Z' })) },
      "live_calls[0].auth_id: expected at most 0 live calls of MA_TRIAL001 (its seed's live_calls, which counts every call in progress), got more",
    ],
    ['a live call twice', { ...good, accounts: [{ ...clean, live_calls: 2 }], live_calls: [1, 1].map(() => ({ id: 'c1', auth_id: 'MA_TWICE', started_at: '2026-11-22T12:00:00Z' })) }, 'live_calls[1].id: expected an id no other live call has'],
    ['a clock out of range', { ...good, clock: { mode: 'frozen', now: '0000-01-01T00:00:00Z' } }, 'clock.now: must be an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z'],
    ['a day that does not exist', { ...good, clock: { mode: 'frozen', now: '2026-02-30T00:00:00Z' } }, 'clock.now: must be a date-time on a day the calendar has (2026-02-30 is not one)'],
  ];
  for (const [name, snapshot, message] of cases) {
    const res = await call(emu, 'PUT', '/__mock/v1/snapshot', { namespace: 'snap', body: snapshot });
    refused(t, res, 422, 'VALIDATION_ERROR', message, name);
    t.equal((await call(emu, 'GET', '/__mock/v1/snapshot', { namespace: 'snap' })).body, before.body, `${name}: nothing changed`);
  }
  await control.restore({ ...good, accounts: [{ ...clean, live_calls: 2 }], live_calls: [1, 2].map((i) => ({ id: `c${i}`, auth_id: 'MA_TWICE', started_at: '2026-11-22T12:00:00Z' })) });
  t.match(JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_TWICE/concurrency', { namespace: 'snap', headers: { 'X-Auth-ID': 'MA_TWICE', 'X-Auth-Token': 'x-token' } })).body), { concurrent_calls: 2, max_concurrent: 2 });
});

t.test('5. a limit cannot go below the live calls; numbers follow one rule on every way in', async (t) => {
  const emu = await start(t);
  const control = emu.control('numbers');
  const live = await call(emu, 'PATCH', '/__mock/v1/accounts/MA_POSTPAID', { namespace: 'numbers', body: { base_concurrent_calls_limit: 0, purchased_concurrent_calls: 0 } });
  refused(t, live, 422, 'VALIDATION_ERROR', 'base_concurrent_calls_limit: must leave concurrent_calls_limit (base_concurrent_calls_limit + purchased_concurrent_calls) at least the 3 live calls: end calls first (DELETE /__mock/v1/calls/{id})', 'below the live calls');
  const integer = 'expected an integer from 0 to 2147483647';
  const money = 'must be an amount from -1000000000000 to 1000000000000 with at most 6 decimal places';
  const cases: [string, string, string, unknown, string][] = [
    ['base_cps_limit 1e300', 'PATCH', '/__mock/v1/accounts/MA_POSTPAID', { base_cps_limit: 1e300 }, `base_cps_limit: ${integer}, got 1e+300`],
    ['credit_limit 1e300', 'PATCH', '/__mock/v1/accounts/MA_POSTPAID', { credit_limit: 1e300 }, `credit_limit: ${integer}, got 1e+300`],
    ['2^53 + 1', 'PATCH', '/__mock/v1/accounts/MA_POSTPAID', { base_concurrent_calls_limit: 2 ** 53 + 1 }, `base_concurrent_calls_limit: ${integer}, got 9007199254740992`],
    ['limits whose sum is past the int range', 'PATCH', '/__mock/v1/accounts/MA_POSTPAID', { base_cps_limit: 2_147_483_647 }, 'purchased_cps: expected at most 0 (cps_limit = base_cps_limit + purchased_cps must be at most 2147483647), got 20'],
    ['a created balance of 1e300', 'POST', '/__mock/v1/accounts', { balances: [{ currency: 'INR', balance: 1e300 }] }, `balances.0.balance: ${money}`],
    ['a created balance of 7 decimals', 'POST', '/__mock/v1/accounts', { balances: [{ currency: 'INR', balance: 0.0000001 }] }, `balances.0.balance: ${money}`],
    ['a set balance of 7 decimals', 'PUT', '/__mock/v1/accounts/MA_POSTPAID/balances/INR', { balance: 0.0000001 }, `balance: ${money}`],
    ['a set balance of 1e13', 'PUT', '/__mock/v1/accounts/MA_POSTPAID/balances/INR', { balance: 1e13 }, `balance: ${money}`],
  ];
  const before = await call(emu, 'GET', '/__mock/v1/snapshot', { namespace: 'numbers' });
  for (const [name, method, path, body, message] of cases) refused(t, await call(emu, method, path, { namespace: 'numbers', body }), 422, 'VALIDATION_ERROR', message, name);
  t.equal((await call(emu, 'GET', '/__mock/v1/snapshot', { namespace: 'numbers' })).body, before.body, 'nothing changed');
  t.equal((await control.setBalance('MA_POSTPAID', 'INR', 1e12)).balance, 1e12, 'the bound itself');
});

t.test('6. every 422 says in words what was expected, and the client error carries it', async (t) => {
  const emu = await start(t);
  const control = emu.control('words');
  const advance = 'must be a number of seconds (0 or more) or an ISO 8601 duration in weeks, days, hours, minutes and seconds such as P30D or PT1H30M';
  const cases: [string, unknown, { field: string; message: string; code: string; value?: unknown }[]][] = [
    ['/clock', { advance: -1 }, [{ field: 'advance', message: advance, code: 'OUT_OF_RANGE', value: -1 }]],
    ['/clock', { advance: null }, [{ field: 'advance', message: advance, code: 'INVALID_TYPE', value: null }]],
    ['/clock', { advance: true }, [{ field: 'advance', message: advance, code: 'INVALID_TYPE', value: true }]],
    ['/clock', { advance: 'P1M' }, [{ field: 'advance', message: advance, code: 'INVALID_FORMAT' }]],
    ['/faults', { effect: { status: 503 }, after: -1 }, [{ field: 'after', message: 'must be an integer from 0 to 2147483647', code: 'OUT_OF_RANGE', value: -1 }]],
    ['/faults', { effect: { status: 503 }, times: 0 }, [{ field: 'times', message: 'must be an integer from 1 to 2147483647', code: 'OUT_OF_RANGE', value: 0 }]],
    ['/faults', { effect: { status: 503 }, ttl_ms: 0 }, [{ field: 'ttl_ms', message: 'must be an integer from 1 to 2147483647', code: 'OUT_OF_RANGE', value: 0 }]],
    ['/faults', { effect: { status: 503 }, probability: 1.5 }, [{ field: 'probability', message: 'must be a number from 0 to 1', code: 'OUT_OF_RANGE', value: 1.5 }]],
    ['/faults', { effect: { status: 503, message: 'x'.repeat(501) } }, [{ field: 'effect.message', message: 'must be a string of at most 500 characters', code: 'OUT_OF_RANGE', value: `${'x'.repeat(64)}...` }]],
    ['/faults', { effect: { status: 503 }, match: { path: 'api/v1' } }, [{ field: 'match.path', message: 'must be a path glob of at most 256 characters starting with / (or *), such as /api/v1/Account/*/balance/*', code: 'INVALID_FORMAT', value: 'api/v1' }]],
    ['/accounts', { auth_token: 'two words' }, [{ field: 'auth_token', message: 'must be 1 to 256 visible ASCII characters (no spaces)', code: 'INVALID_FORMAT' }]],
    ['/accounts', { colour: 'blue' }, [{ field: 'colour', message: 'is not a field here (the fields are from, account, auth_token, balances)', code: 'UNKNOWN_FIELD' }]],
  ];
  for (const [path, body, errors] of cases) {
    const res = await call(emu, 'POST', `/__mock/v1${path}`, { namespace: 'words', body });
    refused(t, res, 422, 'VALIDATION_ERROR', `${errors[0]!.field}: ${errors[0]!.message}`, JSON.stringify(body).slice(0, 60));
    t.same(res.json().error?.details, { errors }, `${JSON.stringify(body).slice(0, 60)}: the details`);
  }
  const operation = await call(emu, 'POST', '/__mock/v1/faults', { namespace: 'words', body: { match: { operation: 'getBalanse' }, effect: { status: 503 } } });
  t.equal(
    operation.json().error?.message,
    'match.operation: must be one of getAccount, getBalance, getBalanceLowercase, listTransactions, listTransactionsLowercase, listTransactionReferenceTypes, listTransactionReferenceTypesCapitalized, getConcurrency, getConcurrencyLowercase, previewChannelPricing, createChannelSubscription, listSubAccounts, listSubAccountsNoSlash, createSubAccount, createSubAccountNoSlash, getSubAccount, getSubAccountSlash, updateSubAccount, updateSubAccountSlash, deleteSubAccount, deleteSubAccountSlash, getSubAccountKycStatus, kycVerifyPan, kycVerifyGst, kycSearchCin, kycConfirmCin, kycInitiateDigilocker, kycVerifyDigilocker, testKycVerifyPan, testKycVerifyGst, testKycSearchCin, testKycConfirmCin, testKycInitiateDigilocker, testKycVerifyDigilocker, testKycFinalizePending, refreshTokens, rotateAuthToken',
    'an operation that is none lists them',
  );
  await t.rejects(control.freeze('tomorrow'), { name: 'ControlPlaneError', message: '422 VALIDATION_ERROR: freeze: must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z' });
  // A rule for an operation matches its path aliases too: getBalance on /account/.../balance/...
  await control.addFault({ match: { operation: 'getBalance' }, effect: { status: 503 }, times: 1 });
  t.equal((await call(emu, 'GET', '/api/v1/account/MA_POSTPAID/balance/INR', { namespace: 'words', headers: pair('MA_POSTPAID') })).status, 503, 'the lower-case alias');
});

t.test('6. verify ranks near-miss paths first, and its error says which', async (t) => {
  const emu = await start(t);
  const control = emu.control('near');
  await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/balance/INR', { namespace: 'near', headers: pair('MA_POSTPAID') });
  for (let i = 0; i < 6; i++) await call(emu, 'GET', '/api/v1/auth/me', { namespace: 'near', headers: pair('MA_POSTPAID') });
  const error = await control.verifyRequests({ path: '/api/v1/Account/*/balanse/*' }, { exactly: 1 }).then(
    () => undefined,
    (e: unknown) => e as ControlPlaneError,
  );
  t.ok(error instanceof ControlPlaneError);
  const closest = error!.details!['closest'] as { path: string }[];
  t.equal(closest[0]!.path, '/api/v1/Account/MA_POSTPAID/balance/INR', 'the near miss first, though oldest');
  t.equal(closest.length, 5);
  t.equal(error!.message, '422 VALIDATION_ERROR: Expected exactly 1 matching requests, found 0; closest: GET /api/v1/Account/MA_POSTPAID/balance/INR (200), GET /api/v1/auth/me (200), GET /api/v1/auth/me (200), GET /api/v1/auth/me (200), GET /api/v1/auth/me (200)');
});

t.test('7. ids differ between namespaces, and repeat within one', async (t) => {
  const emu = await start(t);
  const ids = async (ns: string) => {
    await emu.control(ns).reset();
    const bought = await call(emu, 'POST', purchase, { namespace: ns, headers: pair('MA_POSTPAID'), body: { resource_type: 'cps', quantity: 3 } });
    const call1 = await emu.control(ns).startCall('MA_POSTPAID', 30);
    return [bought.json()['id'], call1.id, call1.transaction_id];
  };
  const first = await ids('alpha');
  t.same(await ids('alpha'), first, 'the same namespace and steps: the same ids');
  const others = await Promise.all(['beta', 'gamma', 'delta', 'epsilon'].map(ids));
  const all = [first, ...others].flat();
  t.equal(new Set(all).size, all.length, 'no id shared across five namespaces');
});
