import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import t from 'tap';
import { bearerToken } from '../src/domain/bearer.js';
import { type AuthId, client, type Client, fixedNow, fixtureDir, pair, transports } from './helper.js';
import { PythonSdkChannelSubscription } from './strict-sdk-model.js';

const stamp = new Date(fixedNow).toISOString();
const envelope = (code: string, message: string, requestId: string, details?: unknown) =>
  JSON.stringify({ status: 'error', error: { code, message, ...(details ? { details } : {}) }, timestamp: stamp, requestId });
const jsonHeaders = (authId: AuthId) => ({ ...pair(authId), 'content-type': 'application/json' });
const buy = (api: Client, authId: AuthId, body: unknown, headers: Record<string, string> = jsonHeaders(authId)) =>
  api.request('POST', `/api/v1/accounts/${authId}/channel-subscriptions`, headers, typeof body === 'string' ? body : JSON.stringify(body));

/** Every view of an account that a purchase may change, as raw bodies. */
async function views(api: Client, authId: AuthId) {
  const get = async (url: string) => (await api.request('GET', url, pair(authId))).body;
  return {
    me: await get('/api/v1/auth/me'),
    balance: await get(`/api/v1/Account/${authId}/balance/INR`),
    concurrency: (await get(`/api/v1/Account/${authId}/concurrency`)).replace(/"request_id":"[^"]*"/, ''),
    transactions: await get(`/api/v1/Account/${authId}/transactions?per_page=1000`),
    types: await get(`/api/v1/account/${authId}/transactions/reference-types`),
  };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

for (const transport of transports) {
  t.test(`the purchase story across every endpoint, over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const before = await views(api, 'MA_POSTPAID');
    const res = await buy(api, 'MA_POSTPAID', { resource_type: 'concurrent_calls', quantity: 30 });
    t.equal(res.status, 201);
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const subscription = JSON.parse(res.body);
    t.match(subscription.id, uuid);
    t.equal(
      res.body,
      JSON.stringify({
        id: subscription.id,
        account_id: 500002,
        resource_type: 'concurrent_calls',
        quantity: 30,
        monthly_cost: '10470.00',
        currency: 'INR',
        status: 'active',
        last_billing_date: '2026-11-22T12:00:00Z',
        next_billing_date: '2026-12-22T12:00:00Z',
        purchased_at: '2026-11-22T12:00:00Z',
        cancelled_at: null,
        cancellation_reason: null,
        is_active: true,
        created_at: '2026-11-22T12:00:00Z',
        updated_at: '2026-11-22T12:00:00Z',
      }),
      'the whole body',
    );
    t.ok(Value.Check(PythonSdkChannelSubscription, subscription), 'parses under the Python SDK model');

    const after = await views(api, 'MA_POSTPAID');
    const me = JSON.parse(after.me);
    const was = JSON.parse(before.me);
    t.same(me, { ...was, purchased_concurrent_calls: 50, concurrent_calls_limit: 76, updated_at: '2026-11-22T12:00:00.000000+00:00' }, '/auth/me: purchased and limit raised, nothing else');
    t.same(JSON.parse(after.balance), {
      ...JSON.parse(before.balance),
      balance: 13436.83,
      available_balance: 13436.83,
      updated_at: '2026-11-22T12:00:00.000000Z',
    });
    t.equal(after.concurrency, '{"account_id":"MA_POSTPAID","concurrent_calls":3,"max_concurrent":76,"utilization_pct":4,}', 'concurrency: the new limit');
    const ledger = JSON.parse(after.transactions);
    const debit = ledger.transactions[0];
    t.same(debit, {
      id: debit.id,
      account_id: 'MA_POSTPAID',
      balance_id: 'aabbccdd-1234-5678-90ab-cdef12345678',
      type: 'debit',
      amount: 10470,
      currency: 'INR',
      description: 'Capacity subscription: 30 concurrent calls, first month',
      reference: `sub:${subscription.id}`,
      reference_type: 'channel_subscription',
      status: 'completed',
      processed_at: '2026-11-22T12:00:00.000000Z',
      created_at: '2026-11-22T12:00:00.000000Z',
      updated_at: '2026-11-22T12:00:00.000000Z',
    }, 'transactions: the debit, newest first');
    t.same(ledger.transactions.slice(1), JSON.parse(before.transactions).transactions, 'and the rest as before');
    t.same([ledger.total, ledger.summary.net_amount, ledger.summary.total_debit], [14, 13436.83, 21583.17]);
    t.equal(after.types, before.types);

    const cps = await buy(api, 'MA_POSTPAID', { resource_type: 'cps', quantity: 3 }, { 'content-type': 'application/json', Authorization: `Bearer ${bearerToken('MA_POSTPAID')}` });
    t.equal(cps.status, 201, 'with a Bearer alone');
    const me2 = JSON.parse((await views(api, 'MA_POSTPAID')).me);
    t.same([me2.purchased_cps, me2.cps_limit, me2.purchased_concurrent_calls], [23, 64, 50]);
    t.equal(JSON.parse((await views(api, 'MA_POSTPAID')).balance).balance, 12539.83);
  });

  t.test(`refusals change nothing, over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const cases: [AuthId, unknown, number, string, ((id: string) => string)][] = [
      [
        'MA_TRIAL001',
        { resource_type: 'concurrent_calls', quantity: 10 },
        400,
        'too little balance for any purchase',
        (id) =>
          envelope('INSUFFICIENT_BALANCE', 'Insufficient balance: the first month costs 3490.00 INR, 7.30 INR available', id, {
            required: 3490,
            available: 7.3,
            currency: 'INR',
            shortfall: 3482.7,
          }),
      ],
      [
        'MA_TRIAL001',
        { resource_type: 'cps', quantity: 3 },
        400,
        'not even the cheapest',
        (id) => envelope('INSUFFICIENT_BALANCE', 'Insufficient balance: the first month costs 897.00 INR, 7.30 INR available', id, { required: 897, available: 7.3, currency: 'INR', shortfall: 889.7 }),
      ],
      [
        'MA_PREPAID1',
        { resource_type: 'concurrent_calls', quantity: 10 },
        400,
        'prepaid: 3490.00 against 3082.65',
        (id) =>
          envelope('INSUFFICIENT_BALANCE', 'Insufficient balance: the first month costs 3490.00 INR, 3082.65 INR available', id, {
            required: 3490,
            available: 3082.65,
            currency: 'INR',
            shortfall: 407.35,
          }),
      ],
      [
        'MA_POSTPAID',
        { resource_type: 'cps', quantity: 3, auto_renew: true },
        400,
        'an extra field',
        (id) => envelope('VALIDATION_ERROR', 'Validation failed', id, { errors: [{ field: 'auto_renew', message: 'is not a field here (the fields are resource_type, quantity)', code: 'UNKNOWN_FIELD' }] }),
      ],
      [
        'MA_POSTPAID',
        { resource_type: 'cps', quantity: '3' },
        400,
        'a quantity as a string',
        (id) => envelope('VALIDATION_ERROR', 'Validation failed', id, { errors: [{ field: 'quantity', message: 'must be an integer from 1 to 10000', code: 'INVALID_TYPE', value: '3' }] }),
      ],
      [
        'MA_POSTPAID',
        { resource_type: 'cps', quantity: 4 },
        400,
        'outside the blocks',
        (id) => envelope('VALIDATION_ERROR', 'Validation failed', id, { errors: [{ field: 'quantity', message: 'CPS are sold in blocks of 3, from 3 to 1000; got 4', code: 'OUT_OF_RANGE', value: 4 }] }),
      ],
      [
        'MA_POSTPAID',
        [],
        400,
        'an array',
        (id) => envelope('VALIDATION_ERROR', 'Validation failed', id, { errors: [{ field: '(body)', message: 'must be a JSON object', code: 'INVALID_TYPE' }] }),
      ],
      [
        'MA_POSTPAID',
        '',
        400,
        'an empty body',
        (id) => envelope('BAD_REQUEST', 'Request body required: a JSON object {"resource_type": "concurrent_calls" or "cps", "quantity": n}', id),
      ],
    ];
    for (const [authId, body, status, name, expected] of cases) {
      const before = await views(api, authId);
      const res = await buy(api, authId, body);
      t.equal(res.status, status, name);
      t.equal(res.body, expected(res.headers['x-request-id']!), `${name}: the whole body`);
      t.same(await views(api, authId), before, `${name}: nothing changed`);
    }
    const before = await views(api, 'MA_POSTPAID');
    const notJson = await buy(api, 'MA_POSTPAID', '{"resource_type": "cps",');
    t.equal(notJson.status, 400);
    t.match(JSON.parse(notJson.body), { status: 'error', error: { code: 'BAD_REQUEST', message: 'Request body must be valid JSON: the text ends before the JSON value does' } });
    const text = await buy(api, 'MA_POSTPAID', 'resource_type=cps&quantity=3', { ...pair('MA_POSTPAID'), 'content-type': 'text/plain' });
    t.equal(text.status, 415);
    t.equal(JSON.parse(text.body).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    const other = await buy(api, 'MA_PREPAID1', { resource_type: 'cps', quantity: 3 }, jsonHeaders('MA_POSTPAID'));
    t.equal(other.status, 403);
    t.equal(other.body, envelope('ACCESS_DENIED', 'Access denied: account ID mismatch', other.headers['x-request-id']!));
    const anonymous = await buy(api, 'MA_POSTPAID', { resource_type: 'cps', quantity: 3 }, { 'content-type': 'application/json', Authorization: 'Bearer <token>' });
    t.equal(anonymous.status, 401);
    const get = await api.request('GET', '/api/v1/accounts/MA_POSTPAID/channel-subscriptions', pair('MA_POSTPAID'));
    t.equal(get.status, 405);
    t.equal(get.headers.allow, 'POST');
    t.same(await views(api, 'MA_POSTPAID'), before, 'none of these changed anything');
    const prepaid = await buy(api, 'MA_PREPAID1', { resource_type: 'cps', quantity: 3 });
    t.equal(prepaid.status, 201, 'the prepaid account can buy what it can pay');
    t.equal(JSON.parse((await views(api, 'MA_PREPAID1')).balance).balance, 2185.65);
  });
}

/** A fixture account on a hard or soft limit with a given balance. */
function limitedAccount(postpaid: boolean, creditLimitType: 'hard' | 'soft', balance: number, creditLimit: number) {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/ma-postpaid.json', import.meta.url), 'utf8'));
  fixture.account.postpaid = postpaid;
  fixture.account.credit_limit = creditLimit;
  fixture.balances = [{ currency: 'INR', balance, credit_limit_type: creditLimitType }];
  delete fixture.transactions;
  return fixture;
}

t.test('postpaid: a hard limit refuses past balance + credit; a soft one does not', async (t) => {
  const dir = fixtureDir(t, { 'a.json': limitedAccount(true, 'hard', 2000, 1000) });
  const api = await client(t, 'inject', { fixtures: dir });
  let res = await buy(api, 'MA_POSTPAID', { resource_type: 'cps', quantity: 9 });
  t.equal(res.status, 201, '2691.00 within 2000 + 1000');
  res = await buy(api, 'MA_POSTPAID', { resource_type: 'cps', quantity: 3 });
  t.equal(res.status, 400, '897.00 against the 309.00 left');
  t.same(JSON.parse(res.body).error.details, { required: 897, available: 309, currency: 'INR', shortfall: 588 });
  const balance = JSON.parse((await api.request('GET', '/api/v1/Account/MA_POSTPAID/balance/INR', pair('MA_POSTPAID'))).body);
  t.same([balance.balance, balance.available_balance, balance.credit_limit], [-691, -691, 1000], 'into the credit');
  const soft = await client(t, 'inject', { fixtures: fixtureDir(t, { 'a.json': limitedAccount(true, 'soft', 0, 0) }) });
  res = await buy(soft, 'MA_POSTPAID', { resource_type: 'concurrent_calls', quantity: 100 });
  t.equal(res.status, 201, 'soft: past any limit');
});

t.test('100 parallel purchases over real sockets: exactly 100 debits, exact totals', async (t) => {
  const api = await client(t, 'http');
  const results = await Promise.all(Array.from({ length: 100 }, () => buy(api, 'MA_POSTPAID', { resource_type: 'cps', quantity: 3 })));
  t.same([...new Set(results.map((r) => r.status))], [201]);
  t.equal(new Set(results.map((r) => JSON.parse(r.body).id)).size, 100, 'a subscription each');
  const { me, balance, transactions } = await views(api, 'MA_POSTPAID');
  t.same([JSON.parse(me).purchased_cps, JSON.parse(me).cps_limit], [320, 361]);
  t.equal(JSON.parse(balance).balance, 23906.83 - 89700);
  const ledger = JSON.parse(transactions);
  t.equal(ledger.total, 113);
  t.equal(ledger.transactions.filter((e: { description: string }) => e.description === 'Capacity subscription: 3 CPS, first month').length, 100);
  t.equal(ledger.summary.net_amount, -65793.17);

  // A prepaid account that can pay for exactly ten: ten succeed, ninety are refused, the balance ends at 0.
  const dir = fixtureDir(t, { 'a.json': limitedAccount(false, 'hard', 8970, 0) });
  const prepaid = await client(t, 'http', { fixtures: dir });
  const tries = await Promise.all(Array.from({ length: 100 }, () => buy(prepaid, 'MA_POSTPAID', { resource_type: 'cps', quantity: 3 })));
  t.equal(tries.filter((r) => r.status === 201).length, 10);
  t.equal(tries.filter((r) => r.status === 400 && JSON.parse(r.body).error.code === 'INSUFFICIENT_BALANCE').length, 90);
  const after = await views(prepaid, 'MA_POSTPAID');
  t.equal(JSON.parse(after.balance).balance, 0);
  t.equal(JSON.parse(after.me).purchased_cps, 50);
});

t.test('over a real socket: a chunked body (left to Fastify) buys alike; a body over the limit is a 413', async (t) => {
  const { createEmulator } = await import('../src/emulator.js');
  const { request } = await import('node:http');
  const emulator = await createEmulator({ port: 0, now: () => fixedNow });
  t.teardown(() => emulator.close());
  const send = (body: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${emulator.url}/api/v1/accounts/MA_POSTPAID/channel-subscriptions`, { method: 'POST', headers: { ...jsonHeaders('MA_POSTPAID'), ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      // Written in two pieces without a Content-Length: node sends it chunked.
      req.write(body.slice(0, 10));
      req.end(body.slice(10));
    });
  const chunked = await send(JSON.stringify({ resource_type: 'cps', quantity: 3 }), {});
  t.equal(chunked.status, 201);
  t.match(JSON.parse(chunked.body), { account_id: 500002, resource_type: 'cps', quantity: 3, monthly_cost: '897.00', status: 'active' });
  const big = await send(`{"resource_type":"cps","quantity":3,"pad":"${'x'.repeat(1_100_000)}"}`, {});
  t.equal(big.status, 413);
  t.equal(JSON.parse(big.body).error.code, 'PAYLOAD_TOO_LARGE');
  const me = JSON.parse(await (await fetch(`${emulator.url}/api/v1/auth/me`, { headers: pair('MA_POSTPAID') })).text());
  t.equal(me.purchased_cps, 23, 'one purchase, not two');
});
