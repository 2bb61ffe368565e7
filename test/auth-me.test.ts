import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import t from 'tap';
import { AccountSchema, PricingTierSchema } from '../src/schemas/index.js';
import { type AuthId, client, credentials, fixedNow, fixtureDir, pair, transports } from './helper.js';
import { PythonSdkAccount } from './strict-sdk-model.js';

const expected = (authId: string) => readFileSync(new URL(`./expected/${authId}.json`, import.meta.url), 'utf8');
const ok: AuthId[] = ['MA_PREPAID1', 'MA_POSTPAID', 'MA_TRIAL001', 'MA_NULLABLE'];
const invalid = '{"error":"unauthorized","message":"invalid credentials"}';
const envelope = (code: string, message: string, requestId: string) =>
  JSON.stringify({ status: 'error', error: { code, message }, timestamp: new Date(fixedNow).toISOString(), requestId });

// Every case runs twice: through Fastify (inject) and over a real socket (the fast path).
for (const transport of transports) {
  t.test(`GET /api/v1/auth/me over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const me = (headers: Record<string, string>) => api.request('GET', '/api/v1/auth/me', headers);

    for (const authId of ok) {
      t.test(`${authId}: 200 and the whole expected body, byte for byte`, async (t) => {
        const res = await me(pair(authId));
        t.equal(res.status, 200);
        t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
        t.equal(res.body, expected(authId));
        t.equal(res.headers['content-length'], String(Buffer.byteLength(res.body)));
        t.match(res.headers['x-request-id'], /^req_[0-9a-f]{12}$/);
        const body = JSON.parse(res.body);
        t.equal(body.auth_id, authId, 'auth_id equals the X-Auth-ID sent');
        t.equal(body.auth_secret, '<redacted>');
        t.equal(body.cps_limit, body.base_cps_limit + body.purchased_cps);
        t.equal(body.concurrent_calls_limit, body.base_concurrent_calls_limit + body.purchased_concurrent_calls);
        t.equal(Object.keys(body).length, 46);
        t.equal(Object.keys(body.pricing_tier).length, 9);
        t.ok(Value.Check(AccountSchema, [PricingTierSchema], body), 'matches the Account schema');
        const strict = Value.Check(PythonSdkAccount, body);
        t.equal(strict, authId !== 'MA_NULLABLE', 'parses under the strict Python SDK model unless it is MA_NULLABLE');
      });
    }

    t.test('MA_NULLABLE is the documentation example itself, but for auth_id', async (t) => {
      // The public documentation page of GET /api/v1/auth/me as it was read (kept in the repository, so the suite needs nothing beside it).
      const seed = readFileSync(new URL('reference/docs-auth-me.txt', import.meta.url), 'utf8');
      const example = JSON.parse(/\{\n {2}"type"[\s\S]*?\n\}/.exec(seed)![0]);
      const body = JSON.parse((await me(pair('MA_NULLABLE'))).body);
      t.same(body, { ...example, auth_id: 'MA_NULLABLE' });
      t.same(Object.keys(body), Object.keys(example), 'in the documented field order');
    });

    const refusals: [string, Record<string, string>][] = [
      ['no headers', {}],
      ['X-Auth-ID only', { 'X-Auth-ID': 'MA_POSTPAID' }],
      ['X-Auth-Token only', { 'X-Auth-Token': 'postpaid-token' }],
      ['unknown auth id', { 'X-Auth-ID': 'MA_NOBODY00', 'X-Auth-Token': 'postpaid-token' }],
      ['wrong token', { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-tokeN' }],
      ['token with a suffix', { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token2' }],
      ['token prefix', { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid' }],
      ["another account's token", { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'prepaid-token' }],
      ['empty token', { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': '' }],
      ['very long token', { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token'.padEnd(400, 'x') }],
      ['auth id in another case', { 'X-Auth-ID': 'ma_postpaid', 'X-Auth-Token': 'postpaid-token' }],
      ['a Bearer token alone', { Authorization: 'Bearer postpaid-token' }],
      ['HTTP Basic alone', { Authorization: `Basic ${Buffer.from('MA_POSTPAID:postpaid-token').toString('base64')}` }],
      ['wrong token of a disabled account', { 'X-Auth-ID': 'MA_DISABLED', 'X-Auth-Token': 'postpaid-token' }],
    ];
    for (const [name, headers] of refusals) {
      t.test(`${name}: 401 with the documented body`, async (t) => {
        const res = await me(headers);
        t.equal(res.status, 401);
        t.equal(res.body, invalid);
        t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
        t.match(res.headers['x-request-id'], /^req_[0-9a-f]{12}$/);
      });
    }

    t.test('expired token: 401 TOKEN_EXPIRED in the standard envelope', async (t) => {
      const res = await me(pair('MA_EXPIRED1'));
      t.equal(res.status, 401);
      t.equal(res.body, envelope('TOKEN_EXPIRED', 'Auth token expired at 2026-01-01T00:00:00.000000+00:00', res.headers['x-request-id']!));
    });
    t.test('disabled account: 403 ACCOUNT_INACTIVE', async (t) => {
      const res = await me(pair('MA_DISABLED'));
      t.equal(res.status, 403);
      t.equal(res.body, envelope('ACCOUNT_INACTIVE', 'Account is inactive. Contact support.', res.headers['x-request-id']!));
    });
    t.test('IP-locked account from loopback: 403 IP_NOT_WHITELISTED', async (t) => {
      const res = await me(pair('MA_IPLOCKED'));
      t.equal(res.status, 403);
      const ip = transport === 'inject' ? '127.0.0.1' : JSON.parse(res.body).error.message.split(' ')[3];
      t.match(ip, /^(::ffff:)?127\.0\.0\.1$/);
      t.equal(res.body, envelope('IP_NOT_WHITELISTED', `Client IP address ${ip} is not allowed by the account IP whitelist`, res.headers['x-request-id']!));
    });

    t.test('header names in any case', async (t) => {
      for (const [id, token] of [['x-auth-id', 'x-auth-token'], ['X-AUTH-ID', 'X-AUTH-TOKEN'], ['x-Auth-Id', 'X-auth-TOKEN']] as const) {
        const res = await me({ [id]: 'MA_POSTPAID', [token]: credentials.MA_POSTPAID });
        t.equal(res.status, 200, `${id} / ${token}`);
        t.equal(res.body, expected('MA_POSTPAID'));
      }
    });

    t.test('an Authorization header beside the pair is ignored', async (t) => {
      for (const authorization of ['Bearer <token>', 'Bearer prepaid-token', 'Basic Zm9vOmJhcg==', 'garbage']) {
        const res = await me({ ...pair('MA_POSTPAID'), Authorization: authorization });
        t.equal(res.status, 200, authorization);
        t.equal(res.body, expected('MA_POSTPAID'));
      }
      const bad = await me({ 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'wrong', Authorization: 'Bearer postpaid-token' });
      t.equal(bad.status, 401, 'nor can it rescue a wrong pair');
      t.equal(bad.body, invalid);
    });

    t.test('a query string changes nothing', async (t) => {
      const res = await api.request('GET', '/api/v1/auth/me?expand=all', pair('MA_POSTPAID'));
      t.equal(res.status, 200);
      t.equal(res.body, expected('MA_POSTPAID'));
    });

    t.test('HEAD: the headers of GET, no body', async (t) => {
      const res = await api.request('HEAD', '/api/v1/auth/me', pair('MA_POSTPAID'));
      t.equal(res.status, 200);
      t.equal(res.body, '');
      t.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    });

    t.test('an inbound X-Request-Id is echoed when safe, replaced otherwise', async (t) => {
      const kept = await me({ ...pair('MA_POSTPAID'), 'X-Request-Id': 'trace-42.a:b' });
      t.equal(kept.headers['x-request-id'], 'trace-42.a:b');
      const refused = await me({ 'X-Request-Id': 'trace-43' });
      t.equal(refused.headers['x-request-id'], 'trace-43');
      const replaced = await me({ ...pair('MA_POSTPAID'), 'X-Request-Id': 'no spaces allowed' });
      t.match(replaced.headers['x-request-id'], /^req_[0-9a-f]{12}$/);
    });

    t.test('request ids are unique', async (t) => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await me(i % 2 ? pair('MA_POSTPAID') : {})).headers['x-request-id']!);
      t.equal(ids.size, 20);
    });
  });
}

t.test('IP whitelist: a client inside a rule is let through', async (t) => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/ma-iplocked.json', import.meta.url), 'utf8'));
  fixture.account.ip_whitelist_rules = { office: '203.0.113.0/24', local: '127.0.0.0/8', v6: '::1' };
  const dir = fixtureDir(t, { 'locked.json': fixture });
  for (const transport of transports) {
    const api = await client(t, transport, { fixtures: dir });
    const res = await api.request('GET', '/api/v1/auth/me', pair('MA_IPLOCKED'));
    t.equal(res.status, 200, transport);
    t.same(JSON.parse(res.body).ip_whitelist_rules, fixture.account.ip_whitelist_rules);
  }
});

t.test('token expiry follows the clock', async (t) => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/ma-expired1.json', import.meta.url), 'utf8'));
  const dir = fixtureDir(t, { 'expired.json': fixture });
  const before = await client(t, 'inject', { fixtures: dir, now: () => Date.parse('2025-12-31T23:59:59Z') });
  t.equal((await before.request('GET', '/api/v1/auth/me', pair('MA_EXPIRED1'))).status, 200, 'a second before expiry');
  const at = await client(t, 'inject', { fixtures: dir, now: () => Date.parse('2026-01-01T00:00:00Z') });
  t.equal((await at.request('GET', '/api/v1/auth/me', pair('MA_EXPIRED1'))).status, 401, 'at the expiry instant');
});
