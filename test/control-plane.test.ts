import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import t, { type Test } from 'tap';
import { ControlClient, ControlPlaneError, workerNamespace } from '../src/control/client.js';
import { controlDocument, controlRoutes } from '../src/control/index.js';
import { chargeFor, parseDuration } from '../src/control/rules.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '../src/emulator.js';
import { fixedNow, pair } from './helper.js';

const stamp = new Date(fixedNow).toISOString();

async function start(t: Test, options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await createEmulator({ port: 0, now: () => fixedNow, ...options });
  t.teardown(() => emulator.close(200));
  return emulator;
}

/** A request to the emulated API (or the control plane) in a namespace. */
async function call(emu: Emulator, method: string, path: string, namespace?: string, headers: Record<string, string> = pair('MA_POSTPAID'), body?: unknown) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { ...headers, ...(namespace ? { 'X-Vobiz-Mock-Namespace': namespace } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

const buy = (emu: Emulator, namespace?: string, quantity = 3) => call(emu, 'POST', '/api/v1/accounts/MA_POSTPAID/channel-subscriptions', namespace, pair('MA_POSTPAID'), { resource_type: 'cps', quantity });

t.test('namespaces: 8 driven in parallel never see each other; reset restores the seeds byte for byte', async (t) => {
  const emu = await start(t);
  const views = async (ns: string) => ({
    me: (await call(emu, 'GET', '/api/v1/auth/me', ns)).body,
    balance: (await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/balance/INR', ns)).body,
    ledger: (await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/transactions?per_page=1000', ns)).body,
  });
  const seeds = await views('pristine');
  const names = Array.from({ length: 8 }, (_, i) => `worker-${i}`);
  await Promise.all(
    names.map(async (ns, i) => {
      const control = emu.control(ns);
      for (let k = 0; k <= i; k++) t.equal((await buy(emu, ns)).status, 201);
      await control.startCall('MA_POSTPAID', 60 * (i + 1));
      await control.addFault({ match: { operation: 'getConcurrency' }, effect: { status: 503 } });
      await control.freeze(new Date(fixedNow + i * 86_400_000));
    }),
  );
  for (const [i, ns] of names.entries()) {
    const me = JSON.parse((await call(emu, 'GET', '/api/v1/auth/me', ns)).body);
    t.equal(me.purchased_cps, 20 + 3 * (i + 1), `${ns}: its own purchases only`);
    const ledger = JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/transactions?per_page=1000', ns)).body);
    t.equal(ledger.total, 13 + (i + 1) + 1, `${ns}: its own debits and its one call`);
    t.equal((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/concurrency', ns)).status, 503, `${ns}: its own fault`);
    t.equal((await emu.control(ns).clock()).now, new Date(fixedNow + i * 86_400_000).toISOString(), `${ns}: its own clock`);
    const journal = await emu.control(ns).requests();
    t.equal(journal.meta.total, i + 1 + 1 + 1 + 1, `${ns}: its own journal`);
  }
  t.same(await views('default'), seeds, 'the default namespace is untouched');
  // Reset: the seeds, byte for byte; the clock, faults and journal too.
  await emu.control('worker-7').reset();
  t.same(await views('worker-7'), seeds);
  t.equal((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/concurrency', 'worker-7')).status, 200);
  t.same((await emu.control('worker-7').clock()).mode, 'real');
  const listed = await emu.control().namespaces();
  t.same(listed.namespaces.map((n) => n['name']).sort(), ['default', 'pristine', ...names].sort());
  await emu.control().dropNamespace('worker-3');
  t.notOk((await emu.control().namespaces()).namespaces.some((n) => n['name'] === 'worker-3'));
  // Responses echo the namespace; an invalid name is a 400 in the envelope.
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', 'worker-1')).headers['x-vobiz-mock-namespace'], 'worker-1');
  const bad = await call(emu, 'GET', '/api/v1/auth/me', 'Not Valid!');
  t.equal(bad.status, 400);
  t.same(JSON.parse(bad.body).error, { code: 'BAD_REQUEST', message: 'X-Vobiz-Mock-Namespace must be 1 to 64 of a-z, 0-9, _ and -' });
});

t.test('faults: "429 after 3 calls, twice", a seeded probability, and broken connections', async (t) => {
  const emu = await start(t);
  const control = emu.control('faults');
  const rule = await control.addFault({ match: { method: 'GET', path: '/api/v1/Account/*/balance/*' }, effect: { status: 429, retry_after: 2 }, after: 3, times: 2 });
  const seen = [];
  for (let i = 0; i < 6; i++) {
    const res = await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/balance/INR', 'faults');
    seen.push([res.status, res.headers['retry-after'] ?? null]);
    if (res.status === 429) {
      t.same(JSON.parse(res.body), { status: 'error', error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Rate limit exceeded', details: { retryAfter: 2 } }, timestamp: stamp, requestId: res.headers['x-request-id'] });
    }
  }
  t.same(seen, [[200, null], [200, null], [200, null], [429, '2'], [429, '2'], [200, null]]);
  const listed = (await control.faults()).faults;
  t.same(listed.map((f) => [f['id'], f['hits'], f['matched']]), [[rule.id, 2, 6]]);
  await control.clearFaults();

  // A seeded probability: the same sequence on every run (here, in two namespaces).
  const sequence = async (ns: string) => {
    await emu.control(ns).addFault({ match: { operation: 'getAccount' }, effect: { status: 503 }, probability: 0.5, seed: 42 });
    const out = [];
    for (let i = 0; i < 20; i++) out.push((await call(emu, 'GET', '/api/v1/auth/me', ns)).status);
    return out;
  };
  const first = await sequence('p1');
  t.same(await sequence('p2'), first, 'same seed, same sequence');
  t.ok(first.includes(503) && first.includes(200), `both outcomes: ${first.join(' ')}`);

  // reset: the client sees a reset connection; truncated: a body shorter than its Content-Length; empty: no bytes.
  const raw = (ns: string) =>
    new Promise<{ text: string; error: string | undefined }>((resolve) => {
      const socket = connect(Number(new URL(emu.url).port), '127.0.0.1');
      let text = '';
      let error: string | undefined;
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
      socket.on('close', () => resolve({ text, error }));
      socket.write(`GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Auth-ID: MA_POSTPAID\r\nX-Auth-Token: postpaid-token\r\nX-Vobiz-Mock-Namespace: ${ns}\r\n\r\n`);
    });
  await emu.control('drop-reset').addFault({ effect: { drop: 'reset' } });
  t.same(await raw('drop-reset'), { text: '', error: 'ECONNRESET' });
  t.same((await emu.control('drop-reset').requests()).requests.map((r) => [r['status'], r['fault']]), [[0, 'fault_1']], 'journaled as unanswered');
  await emu.control('drop-empty').addFault({ effect: { drop: 'empty' } });
  t.same(await raw('drop-empty'), { text: '', error: undefined });
  await emu.control('drop-cut').addFault({ effect: { drop: 'truncated' } });
  const cut = await raw('drop-cut');
  const length = Number(/content-length: (\d+)/.exec(cut.text)?.[1]);
  const body = cut.text.slice(cut.text.indexOf('\r\n\r\n') + 4);
  t.ok(length > 1000 && body.length === Math.floor(length / 2), `a body of ${body.length} of ${length} bytes`);
  // A delay, then the real answer; and a rule that expires.
  await emu.control('slow').addFault({ effect: { delay_ms: 150 }, ttl_ms: 5000 });
  const t0 = Date.now();
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', 'slow')).status, 200);
  t.ok(Date.now() - t0 >= 140, 'delayed');
});

t.test('fault headers only with --allow-fault-headers', async (t) => {
  const closed = await start(t);
  t.equal((await call(closed, 'GET', '/api/v1/auth/me', undefined, { ...pair('MA_POSTPAID'), 'X-Vobiz-Mock-Fault': 'status=503' })).status, 200);
  const open = await start(t, { allowFaultHeaders: true });
  const res = await call(open, 'GET', '/api/v1/auth/me', undefined, { ...pair('MA_POSTPAID'), 'X-Vobiz-Mock-Fault': 'status=503, retry_after=1' });
  t.equal(res.status, 503);
  t.equal(res.headers['retry-after'], '1');
  t.equal(JSON.parse(res.body).error.code, 'SERVICE_UNAVAILABLE');
  // A code that is not in the catalogue is not taken: the status alone decides, or nothing happens.
  const unknown = await call(open, 'GET', '/api/v1/auth/me', undefined, { ...pair('MA_POSTPAID'), 'X-Vobiz-Mock-Fault': 'status=429, code=NOT_A_CODE' });
  t.same([unknown.status, JSON.parse(unknown.body).error.code], [429, 'RATE_LIMIT_EXCEEDED']);
  t.equal((await call(open, 'GET', '/api/v1/auth/me', undefined, { ...pair('MA_POSTPAID'), 'X-Vobiz-Mock-Fault': 'code=NOT_A_CODE' })).status, 200);
  const journal = await open.control().requests();
  t.same(journal.requests.map((r) => r['fault']), ['header', 'header', null]);
});

t.test('the clock: freeze, purchase, advance 30 days (one renewal), 90 (three), a renewal without funds', async (t) => {
  const emu = await start(t);
  const control = emu.control('clock');
  t.same(await control.clock(), { mode: 'real', now: stamp });
  await control.freeze('2026-12-01T10:00:00Z');
  const sub = JSON.parse((await buy(emu, 'clock')).body);
  t.equal(sub.next_billing_date, '2026-12-31T10:00:00Z');
  const before = JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/balance/INR', 'clock')).body).balance;
  const advanced = await control.advance('P30D');
  t.same(advanced, { mode: 'frozen', now: '2026-12-31T10:00:00.000Z', renewals: { renewed: 1, failed: 0 } });
  const state = await control.account('MA_POSTPAID');
  const renewed = state.subscriptions.find((s) => s['id'] === sub.id)!;
  t.same([renewed['last_billing_date'], renewed['next_billing_date'], renewed['status']], ['2026-12-31T10:00:00Z', '2027-01-30T10:00:00Z', 'active']);
  const ledger = JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/transactions?reference_type=channel_subscription&per_page=2', 'clock')).body);
  t.same(ledger.transactions.map((e: { description: string; created_at: string }) => [e.description, e.created_at]), [
    ['Capacity subscription: 3 CPS, renewal', '2026-12-31T10:00:00.000000Z'],
    ['Capacity subscription: 3 CPS, first month', '2026-12-01T10:00:00.000000Z'],
  ]);
  t.equal(JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/balance/INR', 'clock')).body).balance, Math.round((before - 897) * 100) / 100);
  t.same((await control.advance(90 * 86_400)).renewals, { renewed: 3, failed: 0 }, 'seconds: 90 days, three renewals');
  // Malformed moves, and dates that do not exist, change nothing.
  for (const [body, field] of [[{ freeze: '2030-02-30T00:00:00Z' }, 'freeze'], [{ advance: 'P1M' }, 'advance'], [{ advance: -5 }, 'advance'], [{ freeze: 'tomorrow' }, 'freeze'], [{ advance: 'P1D', real: true }, '(body)']] as const) {
    const res = await call(emu, 'POST', '/__mock/v1/clock', 'clock', {}, body);
    t.equal(res.status, 422, JSON.stringify(body));
    t.equal(JSON.parse(res.body).error.details.errors[0].field, field);
  }
  t.equal((await control.clock()).now, '2027-03-31T10:00:00.000Z', 'unchanged');
  // A prepaid account that can pay the first month but not the second: past_due, capacity no longer held.
  const prepaid = await control.createAccount({ from: 'MA_PREPAID1', balances: [{ currency: 'INR', balance: 1000 }] });
  const base = prepaid.account['purchased_cps'] as number;
  const bought = await call(emu, 'POST', `/api/v1/accounts/${prepaid.auth_id}/channel-subscriptions`, 'clock', { 'X-Auth-ID': prepaid.auth_id, 'X-Auth-Token': prepaid.auth_token }, { resource_type: 'cps', quantity: 3 });
  t.equal(bought.status, 201);
  t.same((await control.advance('P30D')).renewals, { renewed: 1, failed: 1 }, "MA_POSTPAID's renews, the prepaid one's fails");
  const after = await control.account(prepaid.auth_id);
  t.equal(after.subscriptions[0]!['status'], 'past_due');
  t.equal(after.account['purchased_cps'], base, 'the capacity is no longer held');
  await control.realTime();
  t.equal((await control.clock()).mode, 'real');
});

t.test('runtime accounts: create (as a copy or from scratch), patch, set a balance, delete; checked like fixtures', async (t) => {
  const emu = await start(t);
  const control = emu.control('accounts');
  const made = await control.createAccount({ account: { auth_id: 'MA_RUNTIME1', name: 'Runtime Co' }, auth_token: 'runtime-token', balances: [{ currency: 'INR', balance: 250.5 }] });
  t.equal(made.auth_id, 'MA_RUNTIME1');
  t.equal(made.auth_token, 'runtime-token');
  const headers = { 'X-Auth-ID': 'MA_RUNTIME1', 'X-Auth-Token': 'runtime-token' };
  const me = await call(emu, 'GET', '/api/v1/auth/me', 'accounts', headers);
  t.equal(me.status, 200);
  t.same(JSON.parse(me.body), made.account);
  t.equal(JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_RUNTIME1/balance/INR', 'accounts', headers)).body).balance, 250.5);
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', undefined, headers)).status, 401, 'not in another namespace');
  // PATCH: fields checked as a fixture's, bodies rebuilt once.
  const patched = await control.updateAccount('MA_RUNTIME1', { enabled: false, base_cps_limit: 50 });
  t.same([patched['enabled'], patched['cps_limit']], [false, 70]);
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', 'accounts', headers)).status, 403);
  await control.updateAccount('MA_RUNTIME1', { enabled: true, auth_token: 'new-token' });
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', 'accounts', headers)).status, 401, 'the old token no longer works');
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', 'accounts', { 'X-Auth-ID': 'MA_RUNTIME1', 'X-Auth-Token': 'new-token' })).status, 200);
  const expired = await control.updateAccount('MA_RUNTIME1', { auth_token_expire_time: '2026-01-01T00:00:00Z' });
  t.equal(expired['auth_token_expire_time'], '2026-01-01T00:00:00Z');
  t.equal(JSON.parse((await call(emu, 'GET', '/api/v1/auth/me', 'accounts', { 'X-Auth-ID': 'MA_RUNTIME1', 'X-Auth-Token': 'new-token' })).body).error.code, 'TOKEN_EXPIRED');
  // A balance set exactly, through one adjustment entry.
  const balance = await control.setBalance('MA_POSTPAID', 'INR', 100);
  t.equal(balance['balance'], 100);
  const ledger = JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/transactions?per_page=1', 'accounts')).body);
  t.same([ledger.transactions[0].type, ledger.transactions[0].amount, ledger.transactions[0].description], ['debit', 23806.83, 'Balance set by the control plane']);
  // Bad input: a clear 4xx in the envelope, nothing changed.
  const refusals: [string, () => Promise<unknown>, number, string][] = [
    ['a wrong type', () => control.createAccount({ account: { credit_limit: 'lots' } }), 422, 'VALIDATION_ERROR'],
    ['a taken auth_id', () => control.createAccount({ account: { auth_id: 'MA_POSTPAID' } }), 409, 'CONFLICT'],
    ['an unknown source', () => control.createAccount({ from: 'MA_NOBODY' }), 404, 'NOT_FOUND'],
    ['an unknown field', () => control.createAccount({ colour: 'blue' } as never), 422, 'VALIDATION_ERROR'],
    ['a patch of a derived field that disagrees', () => control.updateAccount('MA_POSTPAID', { cps_limit: 1 }), 422, 'VALIDATION_ERROR'],
    ['a patch of auth_id', () => control.updateAccount('MA_POSTPAID', { auth_id: 'MA_OTHER' }), 422, 'VALIDATION_ERROR'],
    ['an unknown account', () => control.updateAccount('MA_NOBODY', { enabled: false }), 404, 'NOT_FOUND'],
    ['a balance in a currency not held', () => control.setBalance('MA_POSTPAID', 'USD', 5), 404, 'NOT_FOUND'],
    ['a balance that is not a number', () => control.setBalance('MA_POSTPAID', 'INR', 'x' as never), 422, 'VALIDATION_ERROR'],
    ['a bad duration', () => control.startCall('MA_POSTPAID', -1), 422, 'VALIDATION_ERROR'],
    ['an unknown call', () => control.endCall('call_nope'), 404, 'NOT_FOUND'],
    ['a rule without an effect', () => control.addFault({ effect: {} }), 422, 'VALIDATION_ERROR'],
    ['a rule with an unknown code', () => control.addFault({ effect: { code: 'NOPE' as never } }), 422, 'VALIDATION_ERROR'],
    ['a verify without times', () => control.verifyRequests({}, {}), 422, 'VALIDATION_ERROR'],
  ];
  const snapshot = JSON.stringify(await control.account('MA_POSTPAID'));
  for (const [name, run, status, code] of refusals) {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(error, ControlPlaneError, name);
    t.same([(error as ControlPlaneError).status, (error as ControlPlaneError).code], [status, code], name);
  }
  t.equal(JSON.stringify(await control.account('MA_POSTPAID')), snapshot, 'nothing changed');
  const malformed = await call(emu, 'POST', '/__mock/v1/accounts', 'accounts', {}, '{"from":');
  t.same([malformed.status, JSON.parse(malformed.body).error.code], [400, 'BAD_REQUEST']);
  await control.deleteAccount('MA_RUNTIME1');
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', 'accounts', { 'X-Auth-ID': 'MA_RUNTIME1', 'X-Auth-Token': 'new-token' })).status, 401);
});

t.test('calls: live calls count in concurrency and end charged; finished calls charged now; limits give 429', async (t) => {
  const emu = await start(t);
  const control = emu.control('calls');
  await control.freeze(stamp);
  const live = await control.startCall('MA_POSTPAID');
  t.equal(live.status, 'live');
  t.equal(JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/concurrency', 'calls')).body).concurrent_calls, 4, 'three seeded, one more');
  await control.advance(70);
  const ended = await control.endCall(live.id);
  // MA_POSTPAID: 1.20 a minute, 15 s increments, 15 s minimum: 70 s -> 75 s billable -> 1.50.
  t.same([ended.duration_seconds, ended.billable_seconds, ended.charge, ended.currency], [70, 75, '1.50', 'INR']);
  t.equal(JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/concurrency', 'calls')).body).concurrent_calls, 3);
  const finished = await control.startCall('MA_POSTPAID', 5);
  t.same([finished.status, finished.billable_seconds, finished.charge], ['completed', 15, '0.30']);
  const ledger = JSON.parse((await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/transactions?reference_type=cdr&per_page=2', 'calls')).body);
  t.same(ledger.transactions.map((e: { amount: number; description: string }) => [e.amount, e.description]), [[0.3, 'Outbound call (5s)'], [1.5, 'Outbound call (70s)']]);
  // Concurrency: a trial account with a limit reached gets 429 with the errors page's details.
  const small = await control.createAccount({ from: 'MA_POSTPAID', account: { base_concurrent_calls_limit: 1, purchased_concurrent_calls: 0, base_cps_limit: 5, purchased_cps: 0 } });
  await control.startCall(small.auth_id);
  const refused = await control.startCall(small.auth_id).catch((e: unknown) => e as ControlPlaneError);
  t.same([(refused as ControlPlaneError).status, (refused as ControlPlaneError).code, (refused as ControlPlaneError).details], [429, 'RATE_LIMIT_EXCEEDED', { limitType: 'concurrent_calls', limit: 1, current: 1, retryAfter: 1 }]);
  // CPS: calls started within one second of the clock.
  const cps = await control.createAccount({ from: 'MA_POSTPAID', account: { base_cps_limit: 2, purchased_cps: 0 } });
  await control.startCall(cps.auth_id, 1);
  await control.startCall(cps.auth_id, 1);
  const third = await control.startCall(cps.auth_id, 1).catch((e: unknown) => e as ControlPlaneError);
  t.same((third as ControlPlaneError).details, { limitType: 'cps', limit: 2, current: 2, retryAfter: 1 });
  await control.advance(1);
  t.equal((await control.startCall(cps.auth_id, 1)).status, 'completed', 'a second later');
  // Prepaid without funds: refused, nothing charged.
  const broke = await control.createAccount({ from: 'MA_PREPAID1', balances: [{ currency: 'INR', balance: 0 }] });
  const poor = await control.startCall(broke.auth_id, 60).catch((e: unknown) => e as ControlPlaneError);
  t.same([(poor as ControlPlaneError).status, (poor as ControlPlaneError).code], [402, 'INSUFFICIENT_BALANCE']);
});

t.test('the journal: count and verify match what was sent, no token in it, the ring drops the oldest and counts', async (t) => {
  const emu = await start(t, { journalSize: 5 });
  const control = emu.control('journal');
  for (let i = 0; i < 3; i++) await call(emu, 'GET', '/api/v1/auth/me', 'journal');
  await call(emu, 'GET', '/api/v1/auth/me', 'journal', { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'wrong-secret-token' });
  await buy(emu, 'journal');
  await call(emu, 'GET', '/api/v1/Account/MA_POSTPAID/transactions?page=2&token=query-secret', 'journal', { Authorization: `Basic ${Buffer.from('MA_POSTPAID:postpaid-token').toString('base64')}` });
  const all = await control.requests();
  t.same(all.meta, { total: 6, dropped: 1, held: 5, returned: 5 });
  t.same(all.requests.map((r) => [r['id'], r['method'], r['path'], r['operation'], r['status'], r['auth_id']]), [
    [2, 'GET', '/api/v1/auth/me', 'getAccount', 200, 'MA_POSTPAID'],
    [3, 'GET', '/api/v1/auth/me', 'getAccount', 200, 'MA_POSTPAID'],
    [4, 'GET', '/api/v1/auth/me', 'getAccount', 401, 'MA_POSTPAID'],
    [5, 'POST', '/api/v1/accounts/MA_POSTPAID/channel-subscriptions', 'createChannelSubscription', 201, 'MA_POSTPAID'],
    [6, 'GET', '/api/v1/Account/MA_POSTPAID/transactions', 'listTransactions', 200, 'MA_POSTPAID'],
  ]);
  t.equal(all.requests[3]!['body'], '{"resource_type":"cps","quantity":3}');
  const text = JSON.stringify(all);
  for (const secret of ['postpaid-token', 'wrong-secret-token', 'query-secret', Buffer.from('MA_POSTPAID:postpaid-token').toString('base64')]) t.notMatch(text, secret, `${secret} is not in the journal`);
  t.equal(await control.countRequests({ path: '/api/v1/auth/me', status: 200 }), 2);
  t.equal(await control.countRequests({ method: 'POST' }), 1);
  t.same(await control.verifyRequests({ path: '/api/v1/accounts/*/channel-subscriptions' }, { exactly: 1 }), { count: 1, verified: true });
  const failed = await control.verifyRequests({ path: '/api/v1/auth/me', status: 201 }, { at_least: 1 }).catch((e: unknown) => e as ControlPlaneError);
  t.equal((failed as ControlPlaneError).status, 422);
  t.equal((failed as ControlPlaneError).details?.['count'], 0);
  t.same(((failed as ControlPlaneError).details?.['closest'] as { id: number }[]).map((c) => c.id).slice(0, 3), [4, 3, 2], 'the closest first: right path, wrong status');
  t.same((await control.requests({ status: 401 })).requests.map((r) => r['id']), [4]);
  t.same((await control.requests({ since: 5 })).requests.map((r) => r['id']), [6]);
  t.equal((await call(emu, 'GET', '/__mock/v1/requests?limit=0', 'journal', {})).status, 422);
  await control.clearRequests();
  t.same((await control.requests()).meta, { total: 0, dropped: 0, held: 0, returned: 0 });
  // Control-plane calls and /health are not journaled; other namespaces' requests are elsewhere.
  await call(emu, 'GET', '/health', 'journal');
  t.equal((await control.requests()).meta.total, 0);
});

t.test('--admin-token guards the control plane only', async (t) => {
  const emu = await start(t, { adminToken: 'admin-secret' });
  const open = new ControlClient(emu.url);
  const error = await open.reset().catch((e: unknown) => e as ControlPlaneError);
  t.same([(error as ControlPlaneError).status, (error as ControlPlaneError).code], [401, 'INVALID_CREDENTIALS']);
  await new ControlClient(emu.url, { adminToken: 'admin-secret' }).reset();
  await emu.control().reset();
  t.equal((await call(emu, 'GET', '/api/v1/auth/me')).status, 200, 'the emulated API is unaffected');
});

t.test('the library: reset(), a client for any URL, a namespace per test worker', async (t) => {
  const emu = await start(t);
  await buy(emu);
  emu.reset();
  t.equal(JSON.parse((await call(emu, 'GET', '/api/v1/auth/me')).body).purchased_cps, 20);
  t.equal(workerNamespace('w', { VITEST_POOL_ID: '3' }), 'w-3');
  t.equal(workerNamespace('w', { JEST_WORKER_ID: '12' }), 'w-12');
  t.equal(workerNamespace('w', { TEST_PARALLEL_INDEX: '0' }), 'w-0');
  t.equal(workerNamespace('Suite A', {}), `suite-a-${process.pid}`);
  const client = new ControlClient(`${emu.url}/`, { namespace: 'w-3' });
  t.same(client.headers, { 'X-Vobiz-Mock-Namespace': 'w-3' });
  t.same((await client.clock()).mode, 'real');
});

t.test('rules: the call charge formula and ISO 8601 durations', async (t) => {
  const tier = { rate_per_minute: 0.45, billing_increment_seconds: 60, minimum_duration_seconds: 0 };
  // The facts sheet's examples: 70 s -> 0.90, 30 s -> 0.45 at 0.45 a minute, whole minutes.
  t.same(chargeFor(70, tier), { billable: 120, amount: 900_000 });
  t.same(chargeFor(30, tier), { billable: 60, amount: 450_000 });
  t.same(chargeFor(0, tier), { billable: 0, amount: 0 });
  t.same(chargeFor(1, { rate_per_minute: 1.2, billing_increment_seconds: 15, minimum_duration_seconds: 15 }), { billable: 15, amount: 300_000 });
  t.equal(parseDuration('P30D'), 30 * 86_400_000);
  t.equal(parseDuration('PT1H30M'), 5_400_000);
  t.equal(parseDuration('P1W'), 7 * 86_400_000);
  t.equal(parseDuration('P1DT0.5S'), 86_400_500);
  for (const bad of ['P1M', 'P', 'PT', '30D', 'P1Y']) t.equal(parseDuration(bad), undefined, bad);
});

t.test('its own OpenAPI document: made from the routes themselves, committed, drift-checked, valid', async (t) => {
  const committed = readFileSync(new URL('../openapi/control-plane.json', import.meta.url), 'utf8');
  t.equal(committed, `${JSON.stringify(controlDocument(), null, 2)}\n`, 'openapi/control-plane.json (run npm run openapi)');
  await t.resolves(SwaggerParser.validate(JSON.parse(committed)));
  const emu = await start(t);
  const served = JSON.parse(await (await fetch(`${emu.url}/__mock/v1/openapi.json`)).text());
  t.equal(served.servers[0].url, emu.url);
  // The document and the routes are one description: each route registered is in it, under its method and path.
  const documented = Object.entries(served.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
  const registered = controlRoutes.filter((r) => r.path !== '/openapi.json').map((r) => `${r.method} /__mock/v1${r.path}`);
  t.same([...documented].sort(), [...registered].sort());
  for (const entry of registered) {
    const [method, url] = entry.split(' ');
    t.ok(emu.app.hasRoute({ method: method as 'GET', url: url! }), `${entry} is registered`);
  }
  t.notOk(JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')).paths['/__mock/v1/reset'], 'not mixed into the Vobiz document');
});

t.test('snapshot: a namespace as JSON, loaded into another, gives the same bodies; a bad one changes nothing', async (t) => {
  const emu = await start(t);
  const a = emu.control('snap-a');
  await a.freeze('2026-12-01T10:00:00Z');
  t.equal((await buy(emu, 'snap-a')).status, 201);
  await a.startCall('MA_POSTPAID', 42);
  const live = await a.startCall('MA_POSTPAID');
  const made = await a.createAccount({ account: { auth_id: 'MA_SNAP01' }, auth_token: 'snap-token', balances: [{ currency: 'INR', balance: 12.34 }] });
  await a.setBalance('MA_PREPAID1', 'INR', 99.99);
  await a.deleteAccount('MA_TRIAL001');
  const views = async (ns: string) => {
    const out: string[] = [];
    for (const [path, headers] of [
      ['/api/v1/auth/me', pair('MA_POSTPAID')],
      ['/api/v1/Account/MA_POSTPAID/balance/INR', pair('MA_POSTPAID')],
      ['/api/v1/Account/MA_POSTPAID/transactions?per_page=1000', pair('MA_POSTPAID')],
      ['/api/v1/Account/MA_POSTPAID/concurrency', pair('MA_POSTPAID')],
      ['/api/v1/Account/MA_PREPAID1/transactions?per_page=1000', pair('MA_PREPAID1')],
      ['/api/v1/auth/me', { 'X-Auth-ID': made.auth_id, 'X-Auth-Token': 'snap-token' }],
      ['/api/v1/auth/me', pair('MA_TRIAL001')],
    ] as const) {
      const res = await call(emu, 'GET', path, ns, { ...headers, 'X-Request-Id': 'fixed-id' });
      out.push(`${res.status} ${res.body}`);
    }
    return out;
  };
  const snapshot = await a.snapshot();
  t.same((snapshot['clock'] as { mode: string }).mode, 'frozen');
  t.same(snapshot['removed'], ['MA_TRIAL001']);
  t.notMatch(JSON.stringify(await emu.control('snap-b').requests()), 'snap-token');
  const b = emu.control('snap-b');
  await b.restore(snapshot);
  t.same(await views('snap-b'), await views('snap-a'), 'the same bodies');
  t.same((await b.clock()).now, (await a.clock()).now);
  // The live call came along: it can be ended there.
  t.equal((await b.endCall(live.id, 60)).status, 'completed');
  // A snapshot with a bad account: 422 naming it, nothing changed.
  const before = await views('snap-a');
  const broken = structuredClone(snapshot) as { accounts: { account: Record<string, unknown> }[] };
  broken.accounts[0]!.account['credit_limit'] = 'lots';
  const error = await a.restore(broken).catch((e: unknown) => e as ControlPlaneError);
  t.equal((error as ControlPlaneError).status, 422);
  t.match(((error as ControlPlaneError).details?.['errors'] as { field: string }[])[0]!.field, /^accounts\[0\]\.account\.credit_limit$/);
  t.same(await views('snap-a'), before);
});

t.test('control calls with another method: 405 naming the methods there are', async (t) => {
  const emu = await start(t);
  for (const [method, path, allow] of [['HEAD', '/__mock/v1/clock', 'GET, POST'], ['PUT', '/__mock/v1/clock', 'GET, POST'], ['GET', '/__mock/v1/reset', 'POST']] as const) {
    const res = await call(emu, method, path, undefined, {});
    t.equal(res.status, 405, `${method} ${path}`);
    t.equal(res.headers['allow'], allow, `${method} ${path}`);
  }
});

t.test('a snapshot repeats no seeded token, only those the control plane made or was given', async (t) => {
  const emu = await start(t);
  const control = emu.control('tokens');
  await call(emu, 'GET', '/api/v1/auth/me', 'tokens');
  await control.createAccount({ account: { auth_id: 'MA_GIVEN01' }, auth_token: 'given-token' });
  await control.updateAccount('MA_PREPAID1', { auth_token: 'patched-token' });
  const snapshot = JSON.stringify(await control.snapshot());
  t.notMatch(snapshot, 'postpaid-token');
  t.match(snapshot, '"auth_token":"given-token"');
  t.match(snapshot, '"auth_token":"patched-token"');
  await emu.control('tokens-2').restore(JSON.parse(snapshot));
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', 'tokens-2')).status, 200, 'the seeded token still works there');
  t.equal((await call(emu, 'GET', '/api/v1/auth/me', 'tokens-2', { 'X-Auth-ID': 'MA_PREPAID1', 'X-Auth-Token': 'patched-token' })).status, 200);
});

t.test('the journal gives back what it recorded: header lines as Node shows them, bodies with line breaks, none', async (t) => {
  const { Journal, JournalBudget } = await import('../src/domain/journal.js');
  const journal = new Journal(2, new JournalBudget(1 << 20));
  const raw = ['Host', 'x', 'X-Auth-ID', 'MA_POSTPAID', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'Cookie', 'c=1', 'cookie', 'd=2', 'Accept', 'a', 'accept', 'b', 'Content-Type', 'x/y', 'content-type', 'z', 'X-Empty', ''];
  journal.record(1, 'GET', '/ignored', 200, 1, [], undefined, undefined);
  journal.record(2, 'POST', '/p?q=1', 201, 1.5, raw, 'line 1\nline 2\n', 'fault_1');
  journal.record(3, 'GET', '/q', 404, 0.5, [], undefined, undefined);
  t.strictSame(journal.entries(), [
    {
      id: 2, time: 2, method: 'POST', url: '/p?q=1', status: 201, durationMs: 1.5,
      headers: { host: 'x', 'x-auth-id': 'MA_POSTPAID', 'set-cookie': ['a=1', 'b=2'], cookie: 'c=1; d=2', accept: 'a, b', 'content-type': 'x/y', 'x-empty': '' },
      body: 'line 1\nline 2\n', fault: 'fault_1',
    },
    { id: 3, time: 3, method: 'GET', url: '/q', status: 404, durationMs: 0.5, headers: {}, body: undefined, fault: undefined },
  ]);
  t.strictSame([journal.total, journal.held, journal.dropped], [3, 2, 1]);
});

t.test('the journal records a fast-path POST when it is answered, and as status 0 when its client leaves mid-body', async (t) => {
  const emu = await start(t);
  const port = Number(new URL(emu.url).port);
  const head = (ns: string, length: number) =>
    `POST /api/v1/accounts/MA_POSTPAID/channel-subscriptions HTTP/1.1\r\nHost: x\r\nX-Auth-ID: MA_POSTPAID\r\nX-Auth-Token: postpaid-token\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nX-Vobiz-Mock-Namespace: ${ns}\r\n\r\n`;
  const body = JSON.stringify({ resource_type: 'cps', quantity: 3 });
  // Half a body, then the client goes.
  await new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head('left', body.length) + body.slice(0, 10));
      setTimeout(() => socket.destroy(), 100);
    });
    socket.on('close', () => resolve());
  });
  await new Promise((r) => setTimeout(r, 100));
  t.same((await emu.control('left').requests()).requests.map((r) => [r['method'], r['status'], r['body']]), [['POST', 0, null]], 'unanswered: status 0, no body (it never came whole)');
  t.equal((await emu.control('left').account('MA_POSTPAID')).account['purchased_cps'], (await emu.control('other').account('MA_POSTPAID')).account['purchased_cps'], 'nothing bought');
  // Two POSTs pipelined on one connection: both answered, both journaled in order.
  const text = await new Promise<string>((resolve) => {
    let got = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(head('piped', body.length) + body + head('piped', body.length) + body));
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (got.split('HTTP/1.1 201').length === 3 && got.endsWith('}')) socket.end();
    });
    socket.on('close', () => resolve(got));
  });
  t.equal(text.split('HTTP/1.1 201 Created').length - 1, 2, 'two answers');
  t.same((await emu.control('piped').requests()).requests.map((r) => [r['method'], r['status']]), [['POST', 201], ['POST', 201]], 'both journaled');
});

t.test('bodies with text beyond ASCII reach a real socket whole, with their length in bytes', async (t) => {
  const emu = await start(t);
  const control = emu.control('unicode');
  const name = 'Zoë Ñúñez 😀 \u0915';
  const made = await control.createAccount({ from: 'MA_POSTPAID', account: { name, company: 'Ünïcode & Co' } });
  const headers = { 'x-auth-id': made.auth_id, 'x-auth-token': made.auth_token, 'x-vobiz-mock-namespace': 'unicode' };
  const res = await fetch(`${emu.url}/api/v1/auth/me`, { headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  t.equal(Number(res.headers.get('content-length')), bytes.length, 'Content-Length counts bytes');
  const account = JSON.parse(bytes.toString('utf8'));
  t.equal(account.name, name);
  t.equal(account.company, 'Ünïcode & Co');
  // The whole body, byte for byte, as the Fastify route writes it.
  const injected = await emu.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  t.equal(injected.statusCode, 200);
  t.same(bytes, injected.rawPayload, 'the same bytes as the Fastify route');
  // Bodies whose length the store keeps beside them (balance, reference types): the same bytes both ways too.
  for (const url of [`/api/v1/Account/${made.auth_id}/balance/INR`, `/api/v1/account/${made.auth_id}/transactions/reference-types`]) {
    const got = await fetch(`${emu.url}${url}`, { headers });
    const raw = Buffer.from(await got.arrayBuffer());
    t.equal(got.status, 200, url);
    t.equal(Number(got.headers.get('content-length')), raw.length, `${url}: Content-Length counts bytes`);
    t.same(raw, (await emu.app.inject({ method: 'GET', url, headers })).rawPayload, `${url}: the same bytes as the Fastify route`);
  }
  // And an ASCII body alike.
  const plain = await fetch(`${emu.url}/api/v1/auth/me`, { headers: pair('MA_POSTPAID') });
  const plainBytes = Buffer.from(await plain.arrayBuffer());
  t.equal(Number(plain.headers.get('content-length')), plainBytes.length);
  t.equal(JSON.parse(plainBytes.toString('latin1')).auth_id, 'MA_POSTPAID');
});
