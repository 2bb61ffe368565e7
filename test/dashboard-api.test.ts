// What the dashboard stands on, without a browser: its files (cache validators, security headers), the root's
// redirect for browsers only, and the control-plane calls it added (each a public call a test suite can make).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { bearerToken } from '../src/domain/bearer.js';
import { client, fixedNow, pair, transports } from './helper.js';

const stamp = new Date(fixedNow).toISOString();
const envelope = (res: { body: string; headers: Record<string, string> }, code: string, message: string, details?: unknown) => ({
  status: 'error',
  error: { code, message, ...(details !== undefined ? { details } : {}) },
  timestamp: stamp,
  requestId: res.headers['x-request-id'],
});

for (const transport of transports) {
  t.test(`${transport}: the dashboard's files, with validators and security headers`, async (t) => {
    const api = await client(t, transport);
    const page = await api.request('GET', '/__mock/');
    t.equal(page.status, 200);
    t.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    t.match(page.body, /<script type="module" src="app.js"><\/script>/);
    t.equal(page.headers['cache-control'], 'no-cache');
    t.match(page.headers['content-security-policy'], /default-src 'none'; script-src 'self'/);
    t.equal(page.headers['x-content-type-options'], 'nosniff');
    const etag = page.headers['etag']!;
    t.match(etag, /^"[\w-]{27}"$/);
    const again = await api.request('GET', '/__mock/', { 'If-None-Match': etag });
    t.equal(again.status, 304);
    t.equal(again.body, '');
    t.equal((await api.request('GET', '/__mock/', { 'If-None-Match': `"other", W/${etag}` })).status, 304, 'a list and a weak form match too');
    t.equal((await api.request('GET', '/__mock/', { 'If-None-Match': '"other"' })).status, 200);
    for (const [file, type] of [['app.js', 'text/javascript; charset=utf-8'], ['app.css', 'text/css; charset=utf-8']] as const) {
      const res = await api.request('GET', `/__mock/${file}`);
      t.equal(res.status, 200, file);
      t.equal(res.headers['content-type'], type);
      t.ok(res.body.length > 1000);
    }
    const head = await api.request('HEAD', '/__mock/app.js');
    t.equal(head.status, 200);
    t.equal(head.body, '');
    const bare = await api.request('GET', '/__mock');
    t.equal(bare.status, 302);
    t.equal(bare.headers['location'], '/__mock/');
    const unknown = await api.request('GET', '/__mock/other.js');
    t.equal(unknown.status, 404);
    t.same(JSON.parse(unknown.body), envelope(unknown, 'NOT_FOUND', 'No route for GET /__mock/other.js'));
  });

  t.test(`${transport}: GET / sends a browser to the dashboard; any other client gets the 404 envelope`, async (t) => {
    const api = await client(t, transport);
    const browser = await api.request('GET', '/', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    t.equal(browser.status, 302);
    t.equal(browser.headers['location'], '/__mock/');
    for (const [method, accept] of [['GET', 'application/json'], ['GET', '*/*'], ['POST', 'text/html']] as const) {
      const res = await api.request(method, '/', { Accept: accept });
      t.equal(res.status, 404, `${method} with Accept ${accept}`);
      t.same(JSON.parse(res.body), envelope(res, 'NOT_FOUND', `No route for ${method} /`));
    }
  });
}

t.test('all the page\'s assets are at most 150 KB gzipped', async (t) => {
  const dir = new URL('../dist/dashboard/', import.meta.url);
  const files = readdirSync(dir);
  t.same(files.sort(), ['app.css', 'app.js', 'index.html'], 'three files, nothing fetched from elsewhere');
  const gzipped = files.reduce((sum, name) => sum + gzipSync(readFileSync(new URL(name, dir)), { level: 9 }).length, 0);
  t.ok(gzipped <= 150 * 1024, `${gzipped} bytes gzipped`);
});

t.test('the pages need no admin token (they hold no data); the calls they make do', async (t) => {
  const api = await client(t, 'http', { adminToken: 'page-secret' });
  t.equal((await api.request('GET', '/__mock/')).status, 200);
  t.equal((await api.request('GET', '/__mock/app.js')).status, 200);
  t.equal((await api.request('GET', '/__mock/v1/accounts')).status, 401);
  t.equal((await api.request('GET', '/__mock/v1/accounts', { Authorization: 'Bearer page-secret' })).status, 200);
});

t.test('GET /__mock/v1/accounts: a page of rows, searchable, and reading does not make the accounts', async (t) => {
  const api = await client(t, 'inject');
  const list = await api.request('GET', '/__mock/v1/accounts?per_page=2&page=2');
  t.equal(list.status, 200);
  t.same(JSON.parse(list.body), {
    accounts: [
      { auth_id: 'MA_IPLOCKED', name: 'IP Locked', billing: 'prepaid', currency: 'INR', balance: 0, concurrent_calls_limit: 10, cps_limit: 11, live_calls: 0, enabled: true, sub_accounts: 0, origin: 'fixtures/ma-iplocked.json' },
      { auth_id: 'MA_LEDGER01', name: 'Priya Raman', billing: 'prepaid', currency: 'INR', balance: 1526.65, concurrent_calls_limit: 50, cps_limit: 10, live_calls: 0, enabled: true, sub_accounts: 0, origin: 'fixtures/ma-ledger01.json' },
    ],
    total: 8,
    page: 2,
    per_page: 2,
    complete: true,
  });
  const found = JSON.parse((await api.request('GET', '/__mock/v1/accounts?q=ACME')).body);
  t.same(found.accounts.map((a: { auth_id: string }) => a.auth_id), ['MA_NULLABLE', 'MA_PREPAID1'], 'by name, any case');
  t.same(found.total, 2);
  const byId = JSON.parse((await api.request('GET', '/__mock/v1/accounts?q=trial')).body);
  t.same(byId.accounts.map((a: { auth_id: string; billing: string }) => [a.auth_id, a.billing]), [['MA_TRIAL001', 'trial']], 'by auth_id');
  const past = JSON.parse((await api.request('GET', '/__mock/v1/accounts?page=9')).body);
  t.same([past.accounts, past.total], [[], 8], 'past the last page: none, and the total');
  const state = JSON.parse((await api.request('GET', '/__mock/v1/namespaces')).body);
  t.equal(state.namespaces[0].accounts_in_memory, 0, 'rows are read from the seeds without making the accounts');
  const bad = await api.request('GET', '/__mock/v1/accounts?per_page=0');
  t.equal(bad.status, 422);
  t.same(JSON.parse(bad.body), envelope(bad, 'VALIDATION_ERROR', 'per_page: must be an integer from 1 to 1000', { errors: [{ field: 'per_page', message: 'must be an integer from 1 to 1000', code: 'OUT_OF_RANGE' }] }));
  const long = await api.request('GET', `/__mock/v1/accounts?q=${'x'.repeat(101)}`);
  t.equal(long.status, 422);
  t.same(JSON.parse(long.body), envelope(long, 'VALIDATION_ERROR', 'q: must be at most 100 characters', { errors: [{ field: 'q', message: 'must be at most 100 characters', code: 'INVALID_VALUE' }] }));
});

t.test('GET /__mock/v1/accounts with --generate: the first page at once, an auth_id given whole always found', async (t) => {
  const api = await client(t, 'inject', { generate: 1000 });
  const first = JSON.parse((await api.request('GET', '/__mock/v1/accounts?per_page=1&page=9')).body);
  t.equal(first.total, 1008);
  t.match(first.accounts[0], { auth_id: /^MA_[0-9A-Z]{8}$/, origin: 'generated #0 (seed 1)' });
  const id = first.accounts[0].auth_id as string;
  const found = JSON.parse((await api.request('GET', `/__mock/v1/accounts?q=${id.toLowerCase()}`)).body);
  // First whatever else the search found (its 100 ms may end before the end on a busy machine).
  t.equal(found.accounts[0].auth_id, id);
});

t.test('credentials, sub-accounts, balance history and the ledger of an account', async (t) => {
  // Over HTTP: the journal records what comes through the HTTP layer.
  const api = await client(t, 'http');
  const creds = await api.request('GET', '/__mock/v1/accounts/MA_POSTPAID/credentials');
  t.equal(creds.status, 200);
  const c = JSON.parse(creds.body);
  // The Bearer token is the emulator's JWT for the account, an hour on the namespace clock: the same bytes bearerToken makes.
  t.same(c, {
    auth_id: 'MA_POSTPAID',
    auth_token: 'postpaid-token',
    basic: `Basic ${Buffer.from('MA_POSTPAID:postpaid-token').toString('base64')}`,
    bearer: bearerToken('MA_POSTPAID', { expiresAt: fixedNow + 3_600_000 }),
    bearer_expires_at: new Date(fixedNow + 3_600_000).toISOString(),
  });
  t.same(Object.keys(c), ['auth_id', 'auth_token', 'basic', 'bearer', 'bearer_expires_at'], 'in the schema\'s order');
  const quote = await api.request('GET', '/api/v1/accounts/MA_POSTPAID/channel-pricing-preview?resource_type=cps&quantity=3', { Authorization: `Bearer ${c.bearer}` });
  t.equal(quote.status, 200, 'the Bearer token works where Bearer is taken');
  const basic = await api.request('GET', '/api/v1/account/MA_POSTPAID/transactions/reference-types', { Authorization: c.basic });
  t.equal(basic.status, 200, 'the Basic header works where Basic is taken');

  const subs = JSON.parse((await api.request('GET', '/__mock/v1/accounts/MA_POSTPAID/sub-accounts')).body);
  const notStarted = { pan: 'not_started', gst: 'not_started', aadhaar: 'not_started', cin: 'not_started' };
  t.same(subs, {
    sub_accounts: [
      { auth_id: 'SA_SUPPORT1', auth_token: 'support-token', name: 'Support Team', enabled: true, kyc_mode: 'personal_use', business_type: null, kyc: notStarted, kyc_status: 'verified', kyc_calls_blocked: false, created_at: '2026-03-25T10:00:00.000000Z', last_used: null },
      { auth_id: 'SA_DISABLD1', auth_token: 'disabled-sub-token', name: 'Former Reseller', enabled: false, kyc_mode: 'personal_use', business_type: null, kyc: notStarted, kyc_status: 'verified', kyc_calls_blocked: false, created_at: '2026-04-02T08:30:00.000000Z', last_used: null },
      { auth_id: 'SA_KYCWAIT1', auth_token: 'kyc-wait-token', name: 'Customer Co', enabled: true, kyc_mode: 'customer_use', business_type: 'private_limited', kyc: notStarted, kyc_status: 'not_started', kyc_calls_blocked: true, created_at: '2026-05-01T12:00:00.000000Z', last_used: null },
    ],
  });

  const history = JSON.parse((await api.request('GET', '/__mock/v1/accounts/MA_POSTPAID/balance-history?points=3')).body);
  t.same(history, {
    auth_id: 'MA_POSTPAID',
    currency: 'INR',
    points: [
      { at: '2026-01-19T18:45:00.000000Z', balance: 25000 },
      { at: '2026-03-31T23:59:59.000000Z', balance: 24925.23 },
      { at: '2026-05-11T06:59:32.802705Z', balance: 23906.83 },
    ],
  });
  const me2 = JSON.parse((await api.request('GET', '/api/v1/Account/MA_POSTPAID/balance/INR', pair('MA_POSTPAID'))).body);
  t.equal(history.points.at(-1).balance, me2.balance, 'its last point is the balance');
  const few = await api.request('GET', '/__mock/v1/accounts/MA_POSTPAID/balance-history?points=1');
  t.same(JSON.parse(few.body), envelope(few, 'VALIDATION_ERROR', 'points: must be an integer from 2 to 5000', { errors: [{ field: 'points', message: 'must be an integer from 2 to 5000', code: 'OUT_OF_RANGE' }] }));
  const usd = await api.request('GET', '/__mock/v1/accounts/MA_POSTPAID/balance-history?currency=usd');
  t.equal(usd.status, 404);
  t.same(JSON.parse(usd.body), envelope(usd, 'NOT_FOUND', 'MA_POSTPAID holds no balance in USD; it holds INR'));

  const query = 'type=debit&per_page=3&page=2';
  const ledger = await api.request('GET', `/__mock/v1/accounts/MA_POSTPAID/transactions?${query}`);
  const emulated = await api.request('GET', `/api/v1/Account/MA_POSTPAID/transactions?${query}`, pair('MA_POSTPAID'));
  t.equal(ledger.status, 200);
  t.equal(ledger.body, emulated.body, 'the same body as the emulated call');
  const journal = JSON.parse((await api.request('GET', '/__mock/v1/requests')).body);
  t.same(journal.requests.map((r: { path: string }) => r.path), ['/api/v1/accounts/MA_POSTPAID/channel-pricing-preview', '/api/v1/account/MA_POSTPAID/transactions/reference-types', '/api/v1/Account/MA_POSTPAID/balance/INR', '/api/v1/Account/MA_POSTPAID/transactions'], 'control calls are not journaled');
  const bad = await api.request('GET', '/__mock/v1/accounts/MA_POSTPAID/transactions?from_date=2026-13-01');
  t.equal(bad.status, 422);
  const wrongDate = 'invalid from_date "2026-13-01": expected YYYY-MM-DD or an RFC 3339 date-time';
  t.same(JSON.parse(bad.body), envelope(bad, 'VALIDATION_ERROR', `(query): ${wrongDate}`, { errors: [{ field: '(query)', message: wrongDate, code: 'INVALID_VALUE' }] }));
  const none = await api.request('GET', '/__mock/v1/accounts/MA_NOBODY/credentials');
  t.equal(none.status, 404);
  t.same(JSON.parse(none.body), envelope(none, 'NOT_FOUND', 'No account MA_NOBODY in namespace default'));
});

t.test('GET /__mock/v1/accounts: every page starts at its place, past removed seeds and into added accounts', async (t) => {
  const api = await client(t, 'inject', { generate: 20 });
  const ids = async (query: string) => (JSON.parse((await api.request('GET', `/__mock/v1/accounts?${query}`)).body) as { accounts: { auth_id: string }[] }).accounts.map((a) => a.auth_id);
  const before = await ids('per_page=1000');
  t.equal(before.length, 28);
  // Remove a fixture and two generated accounts, add two.
  for (const id of ['MA_IPLOCKED', before[10]!, before[20]!]) t.equal((await api.request('DELETE', `/__mock/v1/accounts/${id}`)).status, 204);
  for (const id of ['MA_ADDED001', 'MA_ADDED002']) {
    t.equal((await api.request('POST', '/__mock/v1/accounts', { 'content-type': 'application/json' }, JSON.stringify({ account: { auth_id: id } }))).status, 201);
  }
  const all = await ids('per_page=1000');
  t.same(all, [...before.filter((id) => id !== 'MA_IPLOCKED' && id !== before[10] && id !== before[20]), 'MA_ADDED001', 'MA_ADDED002']);
  for (const size of [1, 3, 7]) {
    const paged: string[] = [];
    for (let page = 1; page <= Math.ceil(all.length / size) + 1; page++) paged.push(...(await ids(`per_page=${size}&page=${page}`)));
    t.same(paged, all, `pages of ${size}`);
  }
});
