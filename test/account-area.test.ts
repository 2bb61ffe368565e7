import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import t from 'tap';
import { bearerToken } from '../src/domain/bearer.js';
import { type AuthId, client, credentials, fixedNow, pair, transports } from './helper.js';
import { PythonSdkBalance, PythonSdkChannelPricingPreview, PythonSdkConcurrency, PythonSdkTransactionList } from './strict-sdk-model.js';

const expected = (name: string) => readFileSync(new URL(`./expected/${name}.json`, import.meta.url), 'utf8');
const stamp = new Date(fixedNow).toISOString();
const envelope = (code: string, message: string, requestId: string, details?: unknown) =>
  JSON.stringify({ status: 'error', error: { code, message, ...(details ? { details } : {}) }, timestamp: stamp, requestId });
const numeric = (code: number, message: string) => JSON.stringify({ error: { code, message } });
const basic = (authId: string, token: string) => ({ Authorization: `Basic ${Buffer.from(`${authId}:${token}`).toString('base64')}` });
const json = 'application/json; charset=utf-8';

const balances: Partial<Record<AuthId, string>> = {
  MA_POSTPAID:
    '{"id":"aabbccdd-1234-5678-90ab-cdef12345678","account_id":"MA_POSTPAID","currency":"INR","balance":23906.83,"reserved_funds":0,"promotional_balance":0,"promotional_reserved_balance":0,"available_balance":23906.83,"credit_limit":1000,"is_postpaid":true,"credit_limit_type":"soft","low_balance_threshold":50,"status":"active","created_at":"2026-01-19T18:39:15.050543Z","updated_at":"2026-05-11T06:59:32.802705Z"}',
  MA_PREPAID1:
    '{"id":"a84cd3a6-5b1e-4c2f-9d7a-3e8b6f0c1d24","account_id":"MA_PREPAID1","currency":"INR","balance":3082.65,"reserved_funds":0,"promotional_balance":0,"promotional_reserved_balance":0,"available_balance":3082.65,"credit_limit":0,"is_postpaid":false,"credit_limit_type":"hard","low_balance_threshold":50,"status":"active","created_at":"2025-09-30T08:33:25.118033Z","updated_at":"2026-05-12T05:41:41.892287Z"}',
  MA_TRIAL001:
    '{"id":"52319b67-368c-55a6-bf15-ba49dad864c7","account_id":"MA_TRIAL001","currency":"INR","balance":7.3,"reserved_funds":0,"promotional_balance":0,"promotional_reserved_balance":0,"available_balance":7.3,"credit_limit":0,"is_postpaid":false,"credit_limit_type":"hard","low_balance_threshold":50,"status":"active","created_at":"2026-11-01T09:15:02.118204Z","updated_at":"2026-11-02T10:00:00.000000Z"}',
  MA_LEDGER01:
    '{"id":"af3f5364-ad64-5490-99a5-63f95e2fa5ff","account_id":"MA_LEDGER01","currency":"INR","balance":1526.65,"reserved_funds":0,"promotional_balance":0,"promotional_reserved_balance":0,"available_balance":1526.65,"credit_limit":0,"is_postpaid":false,"credit_limit_type":"hard","low_balance_threshold":1000,"status":"active","created_at":"2024-01-02T04:05:06.070809Z","updated_at":"2026-10-31T21:23:52.423343Z"}',
  MA_NULLABLE:
    '{"id":"ca57758f-cce4-5b3e-a136-b42e73dfe928","account_id":"MA_NULLABLE","currency":"INR","balance":0,"reserved_funds":0,"promotional_balance":0,"promotional_reserved_balance":0,"available_balance":0,"credit_limit":0,"is_postpaid":false,"credit_limit_type":"soft","low_balance_threshold":50,"status":"active","created_at":"2025-09-30T08:33:24.700542Z","updated_at":"2025-09-30T08:33:24.700542Z"}',
};

const concurrency: Partial<Record<AuthId, [number, number, number]>> = {
  MA_POSTPAID: [3, 46, 7],
  MA_PREPAID1: [0, 10, 0],
  MA_TRIAL001: [0, 2, 0],
  MA_NULLABLE: [0, 10, 0],
  MA_LEDGER01: [0, 50, 0],
};

const referenceTypes: Partial<Record<AuthId, string[]>> = {
  MA_POSTPAID: ['cdr', 'channel_subscription', 'did_rental', 'payment', 'refund'],
  MA_PREPAID1: ['cdr', 'did_rental', 'payment', 'stream_cdr'],
  MA_TRIAL001: ['cdr', 'manual_adjustment'],
  MA_NULLABLE: [],
  MA_LEDGER01: ['cdr', 'did_rental', 'manual_adjustment', 'payment', 'recording', 'refund', 'stream_cdr'],
};

for (const transport of transports) {
  t.test(`balance over ${transport}`, async (t) => {
    const api = await client(t, transport);
    for (const [authId, body] of Object.entries(balances) as [AuthId, string][]) {
      for (const url of [`/api/v1/Account/${authId}/balance/INR`, `/api/v1/account/${authId}/balance/INR`, `/api/v1/Account/${authId}/balance/inr`]) {
        const res = await api.request('GET', url, pair(authId));
        t.equal(res.status, 200, url);
        t.equal(res.body, body, `${url}: the whole body`);
        t.equal(res.headers['content-type'], json);
        t.match(res.headers['x-request-id'], /^req_[0-9a-f]{12}$/);
        t.ok(Value.Check(PythonSdkBalance, JSON.parse(res.body)), `${url}: parses under the Python SDK model`);
      }
    }
    const get = (url: string, headers: Record<string, string> = pair('MA_POSTPAID')) => api.request('GET', url, headers);
    let res = await get('/api/v1/Account/MA_POSTPAID/balance/EUR');
    t.equal(res.status, 404);
    t.equal(res.body, envelope('NOT_FOUND', 'MA_POSTPAID holds no balance in EUR; it holds INR', res.headers['x-request-id']!));
    res = await get('/api/v1/Account/MA_POSTPAID/balance/rupees');
    t.equal(res.status, 422);
    t.equal(
      res.body,
      envelope('VALIDATION_ERROR', 'Validation failed', res.headers['x-request-id']!, {
        errors: [{ field: 'currency', message: 'must be a three-letter ISO 4217 code', code: 'INVALID_FORMAT', value: 'rupees' }],
      }),
    );
    for (const other of ['MA_PREPAID1', 'MA_NOBODY00']) {
      res = await get(`/api/v1/Account/${other}/balance/INR`);
      t.equal(res.status, 403, `${other}: not the authenticated account`);
      t.equal(res.body, envelope('ACCESS_DENIED', 'Access denied: account ID mismatch', res.headers['x-request-id']!));
    }
    const missing = 'Invalid or missing credentials: send X-Auth-ID and X-Auth-Token';
    for (const [name, headers] of [
      ['no credentials', {}],
      ['a wrong token', { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'nope' }],
      ['HTTP Basic (transactions only)', basic('MA_POSTPAID', credentials.MA_POSTPAID)],
      ['a valid Bearer (capacity only)', { Authorization: `Bearer ${bearerToken('MA_POSTPAID')}` }],
    ] as const) {
      res = await get('/api/v1/Account/MA_POSTPAID/balance/INR', headers);
      t.equal(res.status, 401, name);
      t.equal(res.body, envelope('INVALID_CREDENTIALS', missing, res.headers['x-request-id']!), name);
    }
    res = await get('/api/v1/Account/MA_EXPIRED1/balance/INR', pair('MA_EXPIRED1'));
    t.equal(res.status, 401);
    t.equal(res.body, envelope('TOKEN_EXPIRED', 'Auth token expired at 2026-01-01T00:00:00.000000+00:00', res.headers['x-request-id']!));
    res = await get('/api/v1/Account/MA_DISABLED/balance/INR', pair('MA_DISABLED'));
    t.equal(res.status, 403);
    t.equal(res.body, envelope('ACCOUNT_INACTIVE', 'Account is inactive. Contact support.', res.headers['x-request-id']!));
    res = await get('/api/v1/Account/MA_POSTPAID/balance/INR', { ...pair('MA_POSTPAID'), Authorization: 'Bearer <token>' });
    t.equal(res.body, balances.MA_POSTPAID, "the SDKs' placeholder Bearer beside the pair changes nothing");
    res = await get('/api/v1/Account/MA%5FPOSTPAID/balance/%49NR');
    t.equal(res.body, balances.MA_POSTPAID, 'percent-encoded path parameters');
    res = await api.request('HEAD', '/api/v1/Account/MA_POSTPAID/balance/INR', pair('MA_POSTPAID'));
    t.same([res.status, res.body, res.headers['content-length'], res.headers['content-type']], [200, '', String(Buffer.byteLength(balances.MA_POSTPAID!)), json], 'HEAD: the headers of GET');
    res = await get('/api/v1/ACCOUNT/MA_POSTPAID/balance/INR');
    t.equal(res.status, 404, 'only the documented casings');
    res = await get('/api/v1/Account/MA_POSTPAID/balance/INR/');
    t.equal(res.status, 404, 'no trailing slash');
  });

  t.test(`concurrency over ${transport}`, async (t) => {
    const api = await client(t, transport);
    for (const [authId, [calls, max, pct]] of Object.entries(concurrency) as [AuthId, [number, number, number]][]) {
      for (const url of [`/api/v1/Account/${authId}/concurrency`, `/api/v1/account/${authId}/concurrency`]) {
        const res = await api.request('GET', url, pair(authId));
        t.equal(res.status, 200, url);
        const id = res.headers['x-request-id']!;
        t.equal(res.body, JSON.stringify({ account_id: authId, concurrent_calls: calls, max_concurrent: max, utilization_pct: pct, request_id: id }), `${url}: the whole body`);
        t.ok(Value.Check(PythonSdkConcurrency, JSON.parse(res.body)));
      }
    }
    const me = JSON.parse((await api.request('GET', '/api/v1/auth/me', pair('MA_POSTPAID'))).body);
    const res = await api.request('GET', '/api/v1/Account/MA_POSTPAID/concurrency', { ...pair('MA_POSTPAID'), 'X-Request-Id': 'trace-7' });
    t.equal(JSON.parse(res.body).max_concurrent, me.concurrent_calls_limit, 'max_concurrent is the account limit');
    t.equal(JSON.parse(res.body).request_id, 'trace-7', 'request_id is the request id the caller sent');
    const other = await api.request('GET', '/api/v1/Account/MA_PREPAID1/concurrency', pair('MA_POSTPAID'));
    t.equal(other.status, 403);
    t.equal(other.body, envelope('ACCESS_DENIED', 'Access denied: account ID mismatch', other.headers['x-request-id']!));
  });

  t.test(`transactions over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const list = (authId: AuthId, query = '', headers: Record<string, string> = pair(authId)) => api.request('GET', `/api/v1/Account/${authId}/transactions${query}`, headers);
    for (const authId of ['MA_POSTPAID', 'MA_PREPAID1', 'MA_TRIAL001', 'MA_NULLABLE'] as const) {
      const body = authId === 'MA_NULLABLE' ? '{"transactions":[],"summary":{"total_transactions":0,"total_debit":0,"total_credit":0,"net_amount":0,"by_reference_type":[]},"total":0,"page":1,"per_page":50,"total_pages":0}' : expected(`transactions-${authId}`);
      for (const url of [`/api/v1/Account/${authId}/transactions`, `/api/v1/account/${authId}/transactions`]) {
        const res = await api.request('GET', url, pair(authId));
        t.equal(res.status, 200, url);
        t.equal(res.body, body, `${url}: the whole body`);
        t.equal(res.headers['x-vobiz-mock-warning'], undefined, 'nothing ignored');
        t.ok(Value.Check(PythonSdkTransactionList, JSON.parse(res.body)), `${url}: parses under the Python SDK model`);
      }
    }
    const all = JSON.parse((await list('MA_POSTPAID')).body);
    t.equal(all.summary.net_amount, 23906.83, 'the unfiltered net amount is the balance');
    const times = all.transactions.map((e: { created_at: string }) => e.created_at);
    t.same(times, [...times].sort().reverse(), 'newest first');

    t.test('HTTP Basic auth_id:auth_token, and the transactions pages\' own error bodies', async (t) => {
      let res = await list('MA_POSTPAID', '', basic('MA_POSTPAID', credentials.MA_POSTPAID));
      t.equal(res.body, expected('transactions-MA_POSTPAID'));
      for (const headers of [{}, basic('MA_POSTPAID', 'wrong'), basic('MA_POSTPAID', ''), { Authorization: 'Basic !!!' }, { Authorization: `Bearer ${bearerToken('MA_POSTPAID')}` }, { 'X-Auth-ID': 'MA_POSTPAID' }]) {
        res = await list('MA_POSTPAID', '', headers);
        t.equal(res.status, 401, JSON.stringify(headers));
        t.equal(res.body, numeric(401, 'Invalid token'));
      }
      res = await list('MA_POSTPAID', '', { ...pair('MA_POSTPAID'), ...basic('MA_PREPAID1', credentials.MA_PREPAID1) });
      t.equal(res.body, expected('transactions-MA_POSTPAID'), 'the pair decides when present');
      res = await list('MA_PREPAID1', '', pair('MA_POSTPAID'));
      t.equal(res.status, 403);
      t.equal(res.body, numeric(403, 'Access denied: account ID mismatch'));
      res = await list('MA_EXPIRED1', '', basic('MA_EXPIRED1', credentials.MA_EXPIRED1));
      t.equal(res.status, 401);
      t.equal(res.body, numeric(401, 'Auth token expired at 2026-01-01T00:00:00.000000+00:00'));
      res = await list('MA_DISABLED');
      t.equal(res.status, 403);
      t.equal(res.body, numeric(403, 'Account is inactive. Contact support.'));
    });

    t.test('paging: page and per_page; limit and offset ignored and named in a header', async (t) => {
      const ids = all.transactions.map((e: { id: string }) => e.id);
      const page2 = JSON.parse((await list('MA_POSTPAID', '?page=2&per_page=5')).body);
      t.same(page2.transactions.map((e: { id: string }) => e.id), ids.slice(5, 10));
      t.same([page2.total, page2.page, page2.per_page, page2.total_pages], [13, 2, 5, 3]);
      t.same(page2.summary, all.summary, 'the summary covers every page');
      const page4 = JSON.parse((await list('MA_POSTPAID', '?page=4&per_page=5')).body);
      t.same([page4.transactions, page4.total, page4.page, page4.total_pages], [[], 13, 4, 3], 'past the last page: empty, totals kept');
      const sdk = await list('MA_POSTPAID', '?limit=2&offset=4');
      t.equal(sdk.body, expected('transactions-MA_POSTPAID'), 'what every SDK sends: always page 1, 50 a page');
      t.equal(sdk.headers['x-vobiz-mock-warning'], 'limit and offset are ignored, as Vobiz ignores them: page with page (1-based) and per_page (default 50, at most 1000)');
      const big = await list('MA_POSTPAID', '?per_page=1001');
      t.equal(JSON.parse(big.body).per_page, 50, 'above 1000 silently becomes 50');
      t.equal(big.headers['x-vobiz-mock-warning'], 'per_page 1001 is above 1000; Vobiz answers 50 a page');
      t.equal(JSON.parse((await list('MA_POSTPAID', '?per_page=1000')).body).per_page, 1000);
      const typo = await list('MA_POSTPAID', '?tpye=debit&per_page=2');
      t.equal(typo.headers['x-vobiz-mock-warning'], 'ignored unknown query parameter tpye');
      const ledger = JSON.parse((await list('MA_LEDGER01', '?page=3&per_page=1000')).body);
      t.same([ledger.transactions.length, ledger.total, ledger.page, ledger.total_pages], [1000, 10000, 3, 10], 'the 10,000-entry ledger');
      t.equal(
        JSON.stringify(ledger.summary),
        '{"total_transactions":10000,"total_debit":86724.35,"total_credit":88251,"net_amount":1526.65,"by_reference_type":[{"reference_type":"cdr","total_debit":30206.7,"total_credit":0,"count":8287},{"reference_type":"did_rental","total_debit":53500,"total_credit":0,"count":107},{"reference_type":"manual_adjustment","total_debit":0,"total_credit":4165,"count":79},{"reference_type":"payment","total_debit":0,"total_credit":81700,"count":26},{"reference_type":"recording","total_debit":977.8,"total_credit":0,"count":605},{"reference_type":"refund","total_debit":0,"total_credit":2386,"count":92},{"reference_type":"stream_cdr","total_debit":2039.85,"total_credit":0,"count":804}]}',
        'the same seed gives the same ledger in every run and release',
      );
      const newest = JSON.parse((await list('MA_LEDGER01', '?per_page=1')).body).transactions[0];
      t.equal(
        JSON.stringify(newest),
        '{"id":"b2b54716-5e80-4d97-b7c6-3e0a71d3b7a7","account_id":"MA_LEDGER01","balance_id":"af3f5364-ad64-5490-99a5-63f95e2fa5ff","type":"debit","amount":0.9,"currency":"INR","description":"Call to +918171982556 (88s)","reference":"cdr:196c0bbd-e8bf-4a07-991d-2de8bd7a2ad4","reference_type":"cdr","status":"completed","processed_at":"2026-10-31T21:23:52.423343Z","created_at":"2026-10-31T21:23:52.423343Z","updated_at":"2026-10-31T21:23:52.423343Z"}',
      );
      const pageAgain = JSON.parse((await list('MA_LEDGER01', '?page=3&per_page=1000')).body);
      t.same(pageAgain, ledger, 'a kept page is the same page');
      const last = JSON.parse((await list('MA_LEDGER01', '?page=200&per_page=50')).body);
      t.equal(last.transactions.length, 50);
      t.not(last.transactions[0].id, ledger.transactions[0].id);
    });

    t.test('filters, AND-ed, with summary and total over the filtered set', async (t) => {
      const pick = async (query: string) => JSON.parse((await list('MA_POSTPAID', query)).body);
      const count = async (query: string) => (await pick(query)).total;
      t.equal(await count('?type=debit'), 9, 'debit is a class: did_rental entries too');
      t.equal(await count('?type=credit'), 4);
      t.equal(await count('?type=did_rental'), 4, 'another type matches exactly');
      t.equal(await count('?status=failed'), 1);
      t.equal(await count('?status=completed'), 12);
      t.equal(await count('?currency=inr'), 13, 'currency upper-cased');
      t.equal(await count('?currency=USD'), 0);
      t.equal(await count('?reference_type=cdr'), 4);
      t.equal(await count('?description=RAZORPAY'), 3, 'description: case-insensitive substring');
      t.equal(await count('?reference=did:%2B918035551234'), 4, 'reference: substring');
      t.equal(await count('?from_date=2026-03-09&to_date=2026-03-09'), 2, 'bare dates: the whole UTC day');
      t.equal(await count('?from_date=2026-03-09T16:25:00Z'), 8);
      t.equal(await count('?to_date=2026-03-09T21:55:00%2B05:30'), 5, 'an explicit offset: to 16:25:00Z');
      t.equal(await count('?from_date=2026-03-09T16:25:37.771002'), 8, 'a date-time without offset is UTC, inclusive');
      t.equal(await count('?from_date=2026-05-01&type=debit&reference_type=did_rental'), 1);
      const id = all.transactions[3].id;
      const one = await pick(`?transaction_id=${id.toUpperCase()}`);
      t.same(one.transactions, [all.transactions[3]]);
      const debits = await pick('?type=debit');
      t.same(debits.summary, {
        total_transactions: 9,
        total_debit: 11113.17,
        total_credit: 0,
        net_amount: -11113.17,
        by_reference_type: [
          { reference_type: 'cdr', total_debit: 2133.17, total_credit: 0, count: 4 },
          { reference_type: 'channel_subscription', total_debit: 6980, total_credit: 0, count: 1 },
          { reference_type: 'did_rental', total_debit: 2000, total_credit: 0, count: 4 },
        ],
      });
      const failed = await pick('?status=failed');
      t.same([failed.summary.total_transactions, failed.summary.total_credit], [1, 0], 'a failed payment moved no money');
    });

    t.test('bad input: 400 with the transactions pages\' bare message', async (t) => {
      const cases: [string, string][] = [
        ['?from_date=yesterday', 'invalid from_date "yesterday": expected YYYY-MM-DD or an RFC 3339 date-time'],
        ['?to_date=2026-02-30', 'invalid to_date "2026-02-30": expected YYYY-MM-DD or an RFC 3339 date-time'],
        ['?from_date=2026-01-01T25:00:00Z', 'invalid from_date "2026-01-01T25:00:00Z": expected YYYY-MM-DD or an RFC 3339 date-time'],
        ['?status=done', 'invalid status "done": expected one of completed, pending, failed, cancelled'],
        ['?page=0', 'invalid page "0": expected an integer of at least 1'],
        ['?per_page=ten', 'invalid per_page "ten": expected an integer of at least 1'],
        ['?page=1&page=2', 'page given 2 times: give it once'],
        ['?transaction_id=42', 'invalid transaction_id "42": expected a UUID'],
      ];
      for (const [query, message] of cases) {
        const res = await list('MA_POSTPAID', query);
        t.equal(res.status, 400, query);
        t.equal(res.body, JSON.stringify({ error: message }), query);
      }
    });

    t.test('reference types', async (t) => {
      for (const [authId, types] of Object.entries(referenceTypes) as [AuthId, string[]][]) {
        for (const url of [`/api/v1/account/${authId}/transactions/reference-types`, `/api/v1/Account/${authId}/transactions/reference-types`]) {
          const res = await api.request('GET', url, authId === 'MA_PREPAID1' ? basic(authId, credentials[authId]) : pair(authId));
          t.equal(res.status, 200, url);
          t.equal(res.body, JSON.stringify({ reference_types: types }), url);
        }
      }
      const res = await api.request('GET', '/api/v1/account/MA_PREPAID1/transactions/reference-types', pair('MA_POSTPAID'));
      t.equal(res.status, 403);
      t.equal(res.body, numeric(403, 'Access denied: account ID mismatch'));
    });
  });

  t.test(`capacity pricing preview over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const preview = (query: string, headers: Record<string, string> = pair('MA_POSTPAID'), authId = 'MA_POSTPAID') =>
      api.request('GET', `/api/v1/accounts/${authId}/channel-pricing-preview${query}`, headers);
    const quote = (resource: string, quantity: number, cost: string, currency: string, breakdown: unknown[]) =>
      JSON.stringify({ resource_type: resource, quantity, monthly_cost: cost, currency, breakdown });
    const cases: [string, string][] = [
      ['?resource_type=concurrent_calls&quantity=30', quote('concurrent_calls', 30, '10470.00', 'INR', [{ from: 1, to: 30, quantity: 30, unit_price: '349.00', amount: '10470.00' }])],
      [
        '?resource_type=concurrent_calls&quantity=550',
        quote('concurrent_calls', 550, '166950.00', 'INR', [
          { from: 1, to: 100, quantity: 100, unit_price: '349.00', amount: '34900.00' },
          { from: 101, to: 500, quantity: 400, unit_price: '299.00', amount: '119600.00' },
          { from: 501, to: 550, quantity: 50, unit_price: '249.00', amount: '12450.00' },
        ]),
      ],
      ['?quantity=3&resource_type=cps', quote('cps', 3, '897.00', 'INR', [{ from: 1, to: 3, quantity: 3, unit_price: '299.00', amount: '897.00' }])],
    ];
    for (const [query, body] of cases) {
      for (const headers of [pair('MA_POSTPAID'), { Authorization: `Bearer ${bearerToken('MA_POSTPAID')}` }, { ...pair('MA_POSTPAID'), Authorization: 'Bearer <token>' }]) {
        const res = await preview(query, headers);
        t.equal(res.status, 200, query);
        t.equal(res.body, body, `${query}: the whole body`);
        t.ok(Value.Check(PythonSdkChannelPricingPreview, JSON.parse(res.body)));
      }
    }
    const invalid = (errors: unknown[]) => (res: { headers: Record<string, string> }) => envelope('VALIDATION_ERROR', 'Validation failed', res.headers['x-request-id']!, { errors });
    const bad: [string, ReturnType<typeof invalid>][] = [
      ['', invalid([{ field: 'resource_type', message: 'is required: one of concurrent_calls, cps', code: 'REQUIRED' }, { field: 'quantity', message: 'is required: an integer from 1 to 10000', code: 'REQUIRED' }])],
      ['?resource_type=channels&quantity=10', invalid([{ field: 'resource_type', message: 'must be one of concurrent_calls, cps', code: 'INVALID_VALUE', value: 'channels' }])],
      ['?resource_type=cps&quantity=lots', invalid([{ field: 'quantity', message: 'must be an integer from 1 to 10000', code: 'INVALID_TYPE', value: 'lots' }])],
      ['?resource_type=cps&quantity=2.5', invalid([{ field: 'quantity', message: 'must be an integer from 1 to 10000', code: 'INVALID_TYPE', value: '2.5' }])],
      ['?resource_type=cps&quantity=0', invalid([{ field: 'quantity', message: 'must be an integer from 1 to 10000', code: 'OUT_OF_RANGE', value: 0 }])],
      ['?resource_type=cps&quantity=10001', invalid([{ field: 'quantity', message: 'must be an integer from 1 to 10000', code: 'OUT_OF_RANGE', value: 10001 }])],
      ['?resource_type=cps&quantity=10', invalid([{ field: 'quantity', message: 'CPS are sold in blocks of 3, from 3 to 1000; got 10', code: 'OUT_OF_RANGE', value: 10 }])],
      ['?resource_type=concurrent_calls&quantity=25', invalid([{ field: 'quantity', message: 'concurrent calls are sold in blocks of 10, from 10 to 10000; got 25', code: 'OUT_OF_RANGE', value: 25 }])],
      ['?resource_type=cps&quantity=3&quantity=6', invalid([{ field: 'quantity', message: 'given 2 times: give it once', code: 'INVALID_VALUE', value: ['3', '6'] }])],
    ];
    for (const [query, body] of bad) {
      const res = await preview(query);
      t.equal(res.status, 400, query);
      t.equal(res.body, body(res), query);
    }
    const anyQuote = '?resource_type=cps&quantity=3';
    let res = await preview(anyQuote, { Authorization: `Bearer ${bearerToken('MA_PREPAID1')}` });
    t.equal(res.status, 403, "another account's Bearer");
    t.equal(res.body, envelope('ACCESS_DENIED', 'Access denied: account ID mismatch', res.headers['x-request-id']!));
    const missing = 'Invalid or missing credentials: send X-Auth-ID and X-Auth-Token, or Authorization: Bearer <token>';
    for (const headers of [
      {},
      { Authorization: 'Bearer <token>' },
      { Authorization: `Bearer ${bearerToken('MA_POSTPAID').slice(0, -2)}xx` },
      { Authorization: `Bearer ${bearerToken('MA_POSTPAID', { expiresAt: fixedNow })}` },
      { Authorization: `Bearer ${bearerToken('MA_NOBODY00')}` },
      basic('MA_POSTPAID', credentials.MA_POSTPAID),
      { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'wrong', Authorization: `Bearer ${bearerToken('MA_POSTPAID')}` },
    ]) {
      res = await preview(anyQuote, headers);
      t.equal(res.status, 401, JSON.stringify(headers));
      t.equal(res.body, envelope('INVALID_CREDENTIALS', missing, res.headers['x-request-id']!));
    }
    res = await preview(anyQuote, { Authorization: `Bearer ${bearerToken('MA_POSTPAID', { expiresAt: fixedNow + 1000 })}` });
    t.equal(res.status, 200, 'a Bearer before its exp');
    res = await preview(anyQuote, { Authorization: `Bearer ${bearerToken('MA_DISABLED')}` }, 'MA_DISABLED');
    t.equal(res.status, 403, 'a Bearer does not revive an inactive account');
    t.equal(res.body, envelope('ACCOUNT_INACTIVE', 'Account is inactive. Contact support.', res.headers['x-request-id']!));
    res = await preview('?resource_type=concurrent_calls&quantity=30', { Authorization: `Bearer ${bearerToken('MA_EXPIRED1')}` }, 'MA_EXPIRED1');
    t.equal(res.status, 200, 'a Bearer is not the auth token: its expiry does not apply');
  });
}
