import { Value } from '@sinclair/typebox/value';
import t from 'tap';
import { client, type Client, fixedNow, pair, transports } from './helper.js';
import { PythonSdkAccount, PythonSdkMessage, PythonSdkSubAccount, PythonSdkSubAccountCreated, PythonSdkSubAccountList } from './strict-sdk-model.js';

const stamp = new Date(fixedNow).toISOString();
const envelope = (code: string, message: string, requestId: string, details?: unknown) =>
  JSON.stringify({ status: 'error', error: { code, message, ...(details ? { details } : {}) }, timestamp: stamp, requestId });
const parent = pair('MA_POSTPAID');
const json = { ...parent, 'content-type': 'application/json' };
const base = '/api/v1/accounts/MA_POSTPAID/sub-accounts';
const sa = (authId: string, token: string) => ({ 'X-Auth-ID': authId, 'X-Auth-Token': token });
const reqId = (res: { headers: Record<string, string> }) => res.headers['x-request-id']!;

/** The seeded sub-accounts of MA_POSTPAID as the API shows them (token redacted), oldest first. */
const seeded = {
  SA_SUPPORT1: {
    name: 'Support Team',
    email: 'support@example.com',
    phone: '+1234567890',
    description: 'Support-facing voice workload',
    permissions: { calls: true, cdr: true },
    rate_limit: 500,
    id: '600001',
    parent_account_id: '500002',
    parent_auth_id: 'MA_POSTPAID',
    auth_id: 'SA_SUPPORT1',
    auth_token: '<redacted>',
    api_id: '3f0c7a52-1d9e-4b8a-9c61-2e5d7f4a8b10',
    email_verified: false,
    enabled: true,
    created: '2026-03-25',
    modified: '2026-03-25',
    is_active: true,
    created_at: '2026-03-25T10:00:00.000000Z',
    updated_at: '2026-03-25T10:00:00.000000Z',
    last_used: null as string | null,
    account: '/v1/Account/MA_POSTPAID/',
    resource_uri: '/v1/Account/MA_POSTPAID/Subaccount/SA_SUPPORT1/',
  },
  SA_DISABLD1: {
    name: 'Former Reseller',
    email: 'reseller@example.com',
    phone: null,
    description: 'Disabled: its pair is 403 ACCOUNT_INACTIVE',
    permissions: { calls: true, cdr: false },
    rate_limit: 1000,
    id: '600002',
    parent_account_id: '500002',
    parent_auth_id: 'MA_POSTPAID',
    auth_id: 'SA_DISABLD1',
    auth_token: '<redacted>',
    api_id: '7b21e9d4-58c3-4f0a-8e6d-91c2a4b7f503',
    email_verified: false,
    enabled: false,
    created: '2026-04-02',
    modified: '2026-04-20',
    is_active: false,
    created_at: '2026-04-02T08:30:00.000000Z',
    updated_at: '2026-04-20T16:45:00.000000Z',
    last_used: null,
    account: '/v1/Account/MA_POSTPAID/',
    resource_uri: '/v1/Account/MA_POSTPAID/Subaccount/SA_DISABLD1/',
  },
  SA_KYCWAIT1: {
    name: 'Customer Co',
    email: 'kyc@customer.example',
    phone: '+919812345678',
    description: 'customer_use: calls blocked until its KYC is verified',
    permissions: { calls: true, cdr: true },
    rate_limit: 1000,
    id: '600003',
    parent_account_id: '500002',
    parent_auth_id: 'MA_POSTPAID',
    auth_id: 'SA_KYCWAIT1',
    auth_token: '<redacted>',
    api_id: 'c84d0f6e-2a17-4b95-b3e8-5f60d1a9c274',
    email_verified: false,
    enabled: true,
    created: '2026-05-01',
    modified: '2026-05-01',
    is_active: true,
    created_at: '2026-05-01T12:00:00.000000Z',
    updated_at: '2026-05-01T12:00:00.000000Z',
    last_used: null,
    account: '/v1/Account/MA_POSTPAID/',
    resource_uri: '/v1/Account/MA_POSTPAID/Subaccount/SA_KYCWAIT1/',
  },
};
const newestFirst = [seeded.SA_KYCWAIT1, seeded.SA_DISABLD1, seeded.SA_SUPPORT1];

const create = (api: Client, body: unknown, headers: Record<string, string> = json, url = `${base}/`) =>
  api.request('POST', url, headers, typeof body === 'string' ? body : JSON.stringify(body));

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

for (const transport of transports) {
  t.test(`list, both slash forms, pages and active_only, over ${transport}`, async (t) => {
    const api = await client(t, transport);
    for (const url of [`${base}/`, base]) {
      const res = await api.request('GET', url, parent);
      t.equal(res.status, 200, url);
      t.equal(res.body, JSON.stringify({ sub_accounts: newestFirst, total: 3, page: 1, size: 25 }), `${url}: the whole body`);
      t.ok(Value.Check(PythonSdkSubAccountList, JSON.parse(res.body)), 'parses under the Python SDK model');
    }
    const paged = await api.request('GET', `${base}/?page=2&size=2`, parent);
    t.equal(paged.body, JSON.stringify({ sub_accounts: [seeded.SA_SUPPORT1], total: 3, page: 2, size: 2 }));
    const active = await api.request('GET', `${base}/?active_only=true`, parent);
    t.equal(active.body, JSON.stringify({ sub_accounts: [seeded.SA_KYCWAIT1, seeded.SA_SUPPORT1], total: 2, page: 1, size: 25 }));
    const none = await api.request('GET', '/api/v1/accounts/MA_PREPAID1/sub-accounts/', pair('MA_PREPAID1'));
    t.equal(none.body, JSON.stringify({ sub_accounts: [], total: 0, page: 1, size: 25 }));
    const bad = await api.request('GET', `${base}/?size=500&active_only=yes`, parent);
    t.equal(bad.status, 400);
    t.equal(
      bad.body,
      envelope('VALIDATION_ERROR', 'Validation failed', reqId(bad), {
        errors: [
          { field: 'size', message: 'must be a whole number from 1 to 100', code: 'OUT_OF_RANGE', value: '500' },
          { field: 'active_only', message: 'must be true or false', code: 'INVALID_VALUE' },
        ],
      }),
    );
  });

  t.test(`create, get, update, delete: whole bodies, over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const res = await create(api, { name: 'Night Shift', email: 'night@example.com', permissions: { calls: true }, rate_limit: 50, password: 'S3cret!', kyc_mode: 'personal_use' });
    t.equal(res.status, 201);
    const made = JSON.parse(res.body);
    const authId: string = made.auth_credentials.auth_id;
    const token: string = made.auth_credentials.auth_token;
    t.match(authId, /^SA_[0-9A-F]{8}$/);
    t.match(token, /^[0-9a-f]{32}$/);
    const object = {
      name: 'Night Shift',
      email: 'night@example.com',
      phone: null,
      description: null,
      permissions: { calls: true },
      rate_limit: 50,
      id: made.sub_account.id,
      parent_account_id: '500002',
      parent_auth_id: 'MA_POSTPAID',
      auth_id: authId,
      auth_token: token,
      api_id: made.sub_account.api_id,
      email_verified: false,
      enabled: true,
      created: '2026-11-22',
      modified: '2026-11-22',
      is_active: true,
      created_at: '2026-11-22T12:00:00.000000Z',
      updated_at: '2026-11-22T12:00:00.000000Z',
      last_used: null,
      account: '/v1/Account/MA_POSTPAID/',
      resource_uri: `/v1/Account/MA_POSTPAID/Subaccount/${authId}/`,
    };
    t.match(object.id, /^[0-9]+$/);
    t.match(object.api_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    t.equal(
      res.body,
      JSON.stringify({
        message: 'Sub-account created successfully',
        sub_account: object,
        auth_credentials: { auth_id: authId, auth_token: token },
        tokens: { access_token: made.tokens.access_token, refresh_token: made.tokens.refresh_token, token_type: 'bearer', expires_in: 1800 },
      }),
      'the whole body, the token in clear',
    );
    t.ok(Value.Check(PythonSdkSubAccountCreated, made), 'parses under the Python SDK model');
    t.same(claims(made.tokens.access_token), { sub: authId, iss: 'vobiz-mock', exp: fixedNow / 1000 + 1800 });
    t.same(claims(made.tokens.refresh_token), { sub: authId, iss: 'vobiz-mock', exp: fixedNow / 1000 + 7 * 86400, use: 'refresh' });
    t.notOk(res.body.includes('S3cret!'), 'the password is never shown');

    const redacted = { ...object, auth_token: '<redacted>' };
    for (const url of [`${base}/${authId}`, `${base}/${authId}/`]) {
      const got = await api.request('GET', url, parent);
      t.equal(got.status, 200);
      t.equal(got.body, JSON.stringify(redacted), `${url}: redacted afterwards`);
      t.ok(Value.Check(PythonSdkSubAccount, JSON.parse(got.body)));
    }
    const list = await api.request('GET', base, parent);
    t.equal(list.body, JSON.stringify({ sub_accounts: [redacted, ...newestFirst], total: 4, page: 1, size: 25 }), 'newest first');

    const updated = await api.request('PUT', `${base}/${authId}`, json, JSON.stringify({ name: 'Day Shift', enabled: false, permissions: { calls: false, cdr: true } }));
    t.equal(updated.status, 200);
    const after = { ...redacted, name: 'Day Shift', permissions: { calls: false, cdr: true }, enabled: false, is_active: false };
    t.equal(updated.body, JSON.stringify(after), 'the whole object after a partial update');
    t.ok(Value.Check(PythonSdkSubAccount, JSON.parse(updated.body)));
    const unchanged = await api.request('PUT', `${base}/${authId}/`, json, '{}');
    t.equal(unchanged.body, JSON.stringify(after), '{} changes nothing');

    const deleted = await api.request('DELETE', `${base}/${authId}`, parent);
    t.equal(deleted.status, 200);
    t.equal(deleted.body, '{"message":"Sub-account deleted successfully"}');
    t.ok(Value.Check(PythonSdkMessage, JSON.parse(deleted.body)));
    const gone = await api.request('GET', `${base}/${authId}`, parent);
    t.equal(gone.status, 404);
    t.equal(gone.body, envelope('NOT_FOUND', `MA_POSTPAID has no sub-account ${authId}`, reqId(gone)));
    const again = await api.request('DELETE', `${base}/${authId}/`, parent);
    t.equal(again.status, 404);
  });

  t.test(`bad input: the documented 400, nothing made, over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const cases: [unknown, number, (id: string) => string][] = [
      [{}, 400, (id) => envelope('VALIDATION_ERROR', 'Validation failed', id, { errors: [{ field: 'name', message: 'is required: a name of 1 to 255 characters', code: 'REQUIRED' }] })],
      [{ name: 'X', colour: 'blue' }, 400, (id) => envelope('VALIDATION_ERROR', 'Validation failed', id, { errors: [{ field: 'colour', message: 'is not a field here (the fields are name, email, phone, description, rate_limit, permissions, password, enabled, kyc_mode, business_type)', code: 'UNKNOWN_FIELD' }] })],
      [{ name: 'X', rate_limit: '10' }, 400, (id) => envelope('VALIDATION_ERROR', 'Validation failed', id, { errors: [{ field: 'rate_limit', message: 'must be a whole number of requests from 1 to 1000000', code: 'INVALID_TYPE', value: '10' }] })],
      [{ name: 'X', kyc_mode: 'customer_use' }, 400, (id) => envelope('VALIDATION_ERROR', 'Validation failed', id, { errors: [{ field: 'email', message: 'is required when kyc_mode is customer_use (the KYC link is sent there)', code: 'REQUIRED' }] })],
      ['{"name": ', 400, (id) => envelope('BAD_REQUEST', 'Request body must be valid JSON: the text ends before the JSON value does', id)],
      ['[]', 400, (id) => envelope('BAD_REQUEST', 'Request body must be a JSON object {"name": "..."}', id)],
    ];
    for (const [body, status, expected] of cases) {
      const res = await create(api, body);
      t.equal(res.status, status, JSON.stringify(body));
      t.equal(res.body, expected(reqId(res)), `${JSON.stringify(body)}: the whole body`);
    }
    const list = await api.request('GET', base, parent);
    t.equal(JSON.parse(list.body).total, 3, 'nothing was made');
  });

  t.test(`credentials: the SA pair, disabled, deleted, wrong parent, Bearer, over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const parentMe = JSON.parse((await api.request('GET', '/api/v1/auth/me', parent)).body);
    const me = await api.request('GET', '/api/v1/auth/me', sa('SA_SUPPORT1', 'support-token'));
    t.equal(me.status, 200);
    t.equal(
      me.body,
      JSON.stringify({
        ...parentMe,
        id: '600001',
        api_id: '3f0c7a52-1d9e-4b8a-9c61-2e5d7f4a8b10',
        name: 'Support Team',
        email: 'support@example.com',
        phone: '+1234567890',
        description: 'Support-facing voice workload',
        auth_id: 'SA_SUPPORT1',
        enabled: true,
        is_active: true,
        created_at: '2026-03-25T10:00:00.000000+00:00',
        updated_at: '2026-03-25T10:00:00.000000+00:00',
      }),
      "the parent's Account object with the sub-account's identity",
    );
    t.ok(Value.Check(PythonSdkAccount, JSON.parse(me.body)), 'parses under the Python SDK Account model');
    const used = await api.request('GET', `${base}/SA_SUPPORT1`, parent);
    t.equal(JSON.parse(used.body).last_used, '2026-11-22T12:00:00.000000Z', 'last_used is the last authenticated request');

    const wrong = await api.request('GET', '/api/v1/auth/me', sa('SA_SUPPORT1', 'nope'));
    t.equal(wrong.status, 401);
    t.equal(wrong.body, '{"error":"unauthorized","message":"invalid credentials"}');
    const disabled = await api.request('GET', '/api/v1/auth/me', sa('SA_DISABLD1', 'disabled-sub-token'));
    t.equal(disabled.status, 403);
    t.equal(disabled.body, envelope('ACCOUNT_INACTIVE', 'Sub-account SA_DISABLD1 is disabled', reqId(disabled)));
    const balance = await api.request('GET', '/api/v1/Account/MA_POSTPAID/balance/INR', sa('SA_SUPPORT1', 'support-token'));
    t.equal(balance.status, 403);
    t.equal(balance.body, envelope('ACCESS_DENIED', "A sub-account's credentials cannot call this endpoint: send its parent account's X-Auth-ID and X-Auth-Token", reqId(balance)));
    const manage = await api.request('GET', `${base}/`, sa('SA_SUPPORT1', 'support-token'));
    t.equal(manage.status, 403, "a sub-account's pair cannot manage sub-accounts");
    const kyc = await api.request('GET', '/api/v1/sub-accounts/SA_KYCWAIT1/kyc/status', sa('SA_KYCWAIT1', 'kyc-wait-token'));
    t.equal(kyc.status, 403, "KYC calls with the sub-account's own pair are 403");

    const other = await api.request('GET', '/api/v1/accounts/MA_PREPAID1/sub-accounts/', parent);
    t.equal(other.status, 404, 'another main account is 404 here, not 403');
    t.equal(other.body, envelope('NOT_FOUND', 'No main account MA_PREPAID1 among those these credentials own', reqId(other)));

    const made = JSON.parse((await create(api, { name: 'Short-lived' })).body);
    const bearer = { authorization: `Bearer ${made.tokens.access_token}` };
    const preview = await api.request('GET', '/api/v1/accounts/MA_POSTPAID/channel-pricing-preview?resource_type=cps&quantity=1', bearer);
    t.equal(preview.status, 403, "the access token authenticates as the sub-account (which may not buy capacity)");
    const refresh = await api.request('GET', '/api/v1/accounts/MA_POSTPAID/channel-pricing-preview?resource_type=cps&quantity=1', { authorization: `Bearer ${made.tokens.refresh_token}` });
    t.equal(refresh.status, 401, 'a refresh token is not an access token');
    const ownPair = sa(made.auth_credentials.auth_id, made.auth_credentials.auth_token);
    t.equal((await api.request('GET', '/api/v1/auth/me', ownPair)).status, 200, 'a new pair works at once');
    await api.request('DELETE', `${base}/${made.auth_credentials.auth_id}`, parent);
    const deleted = await api.request('GET', '/api/v1/auth/me', ownPair);
    t.equal(deleted.status, 401, "a deleted sub-account's pair is 401");
    t.equal((await api.request('GET', '/api/v1/accounts/MA_POSTPAID/channel-pricing-preview?resource_type=cps&quantity=1', bearer)).status, 401, 'and so is its Bearer token');
  });
}

t.test('KYC status: customer_use waits, personal_use needs none', async (t) => {
  const api = await client(t, 'http');
  const waiting = await api.request('GET', '/api/v1/sub-accounts/SA_KYCWAIT1/kyc/status', parent);
  t.equal(waiting.status, 200);
  t.equal(
    waiting.body,
    JSON.stringify({
      sub_account_id: 'SA_KYCWAIT1',
      kyc_mode: 'customer_use',
      business_type: 'private_limited',
      overall_status: 'not_started',
      kyc_calls_blocked: true,
      verifications: { pan: 'not_started', gst: 'not_started', aadhaar: 'not_required', cin: 'not_started' },
    }),
  );
  const personal = await api.request('GET', '/api/v1/sub-accounts/SA_SUPPORT1/kyc/status', parent);
  t.equal(
    personal.body,
    JSON.stringify({
      sub_account_id: 'SA_SUPPORT1',
      kyc_mode: 'personal_use',
      business_type: null,
      overall_status: 'verified',
      kyc_calls_blocked: false,
      verifications: { pan: 'not_required', gst: 'not_required', aadhaar: 'not_required', cin: 'not_required' },
    }),
  );
  const foreign = await api.request('GET', '/api/v1/sub-accounts/SA_SUPPORT1/kyc/status', pair('MA_PREPAID1'));
  t.equal(foreign.status, 404, "another account's sub-account is not found");
});

t.test('namespaces: isolated, reset to the seeds, snapshots carry sub-accounts', async (t) => {
  const api = await client(t, 'http');
  const inA = { ...json, 'X-Vobiz-Mock-Namespace': 'sub-a' };
  const made = JSON.parse((await create(api, { name: 'Only in A' }, inA)).body);
  const listA = await api.request('GET', base, inA);
  t.equal(JSON.parse(listA.body).total, 4);
  const listB = await api.request('GET', base, { ...parent, 'X-Vobiz-Mock-Namespace': 'sub-b' });
  t.equal(JSON.parse(listB.body).total, 3, 'another namespace does not see it');
  t.equal((await api.request('GET', '/api/v1/auth/me', { ...sa(made.auth_credentials.auth_id, made.auth_credentials.auth_token), 'X-Vobiz-Mock-Namespace': 'sub-b' })).status, 401);

  const snapshot = await api.request('GET', '/__mock/v1/snapshot', { 'X-Vobiz-Mock-Namespace': 'sub-a' });
  t.equal(snapshot.status, 200);
  const loaded = await api.request('PUT', '/__mock/v1/snapshot', { 'X-Vobiz-Mock-Namespace': 'sub-c', 'content-type': 'application/json' }, snapshot.body);
  t.equal(loaded.status, 204);
  const inC = { ...parent, 'X-Vobiz-Mock-Namespace': 'sub-c' };
  t.equal((await api.request('GET', base, inC)).body, (await api.request('GET', base, inA)).body, 'the same list after a round trip');
  t.equal((await api.request('GET', '/api/v1/auth/me', { ...sa(made.auth_credentials.auth_id, made.auth_credentials.auth_token), 'X-Vobiz-Mock-Namespace': 'sub-c' })).status, 200, 'its pair works in the restored namespace');

  const reset = await api.request('POST', '/__mock/v1/reset', { 'X-Vobiz-Mock-Namespace': 'sub-a' });
  t.equal(reset.status, 204);
  t.equal(JSON.parse((await api.request('GET', base, inA)).body).total, 3, 'reset: back to the seeded three');
});

t.test('100 parallel creates under one parent: 100 distinct ids and tokens', async (t) => {
  const api = await client(t, 'http');
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => create(api, { name: `Parallel ${i}` })));
  t.same([...new Set(answers.map((a) => a.status))], [201]);
  const bodies = answers.map((a) => JSON.parse(a.body));
  t.equal(new Set(bodies.map((b) => b.auth_credentials.auth_id)).size, 100);
  t.equal(new Set(bodies.map((b) => b.auth_credentials.auth_token)).size, 100);
  t.equal(new Set(bodies.map((b) => b.sub_account.id)).size, 100);
  t.equal(JSON.parse((await api.request('GET', `${base}/?size=1`, parent)).body).total, 103);
});

t.test('--max-sub-accounts bounds each account, with a clear answer', async (t) => {
  const api = await client(t, 'http', { maxSubAccounts: 4 });
  t.equal((await create(api, { name: 'Fourth' })).status, 201);
  const refused = await create(api, { name: 'Fifth' });
  t.equal(refused.status, 409);
  t.equal(refused.body, envelope('CONFLICT', 'MA_POSTPAID holds 4 sub-accounts, the most one account may (--max-sub-accounts): delete some', reqId(refused)));
});

t.test('KYC test mode: magic inputs bring a customer_use sub-account to verified, and calls follow', async (t) => {
  const api = await client(t, 'http');
  const kyc = '/api/v1/sub-accounts/test/SA_KYCWAIT1/kyc';
  const post = (path: string, body: unknown) => api.request('POST', `${kyc}/${path}`, json, JSON.stringify(body));
  const status = async () => JSON.parse((await api.request('GET', '/api/v1/sub-accounts/SA_KYCWAIT1/kyc/status', parent)).body);
  const call = () => api.request('POST', '/__mock/v1/accounts/SA_KYCWAIT1/calls', { 'content-type': 'application/json' }, '{"duration_seconds":30}');
  const answer = (check: string, state: string, blocked: boolean, mock = true) => JSON.stringify({ verification_type: check, status: state, kyc_calls_blocked: blocked, mock });

  const blocked = await call();
  t.equal(blocked.status, 403, 'a customer_use sub-account awaiting KYC cannot place calls');
  t.equal(blocked.body, envelope('ACCESS_DENIED', 'Calls refused: SA_KYCWAIT1 is customer_use and its KYC is not verified (not_started): calls are blocked until it is', reqId(blocked)));

  const pan = await post('verify-pan', { pan: 'TESTSUCCESS0001' });
  t.equal(pan.status, 200);
  t.equal(pan.body, answer('pan', 'verified', true));
  t.equal((await post('verify-gst', { gstin: 'TESTPENDING001GST' })).body, answer('gst', 'pending', true));
  const search = await post('cin/search', { company_name: 'anything' });
  t.equal(search.body, '{"matches":[{"cin":"U72900KA2024PTC123456","company_name":"ACME PRIVATE LIMITED","status":"Active"},{"cin":"U74999MH2019PTC334455","company_name":"ACME SOLUTIONS PRIVATE LIMITED","status":"Active"}]}');
  t.same(await status(), {
    sub_account_id: 'SA_KYCWAIT1',
    kyc_mode: 'customer_use',
    business_type: 'private_limited',
    overall_status: 'pending',
    kyc_calls_blocked: true,
    verifications: { pan: 'verified', gst: 'pending', aadhaar: 'not_required', cin: 'not_started' },
  });
  const notPending = await post('finalize-pending', { verification_type: 'cin' });
  t.equal(notPending.status, 400);
  t.equal(notPending.body, envelope('VALIDATION_ERROR', 'Validation failed', reqId(notPending), { errors: [{ field: 'verification_type', message: 'must be a pending verification: cin is not_started', code: 'INVALID_VALUE', value: 'cin' }] }));
  const finalized = await post('finalize-pending', { verification_type: 'gst' });
  t.equal(finalized.status, 200);
  t.equal(finalized.body, answer('gst', 'verified', false), 'PAN and GST: an entity is verified');
  const placed = await call();
  t.equal(placed.status, 201, 'verified: calls go through');
  t.equal(JSON.parse(placed.body).sub_auth_id, 'SA_KYCWAIT1');
  t.equal(JSON.parse(placed.body).auth_id, 'MA_POSTPAID', "charged to its parent's balance");

  const error = await post('verify-pan', { pan: 'TESTERROR0001' });
  t.equal(error.status, 500);
  t.equal(error.body, envelope('INTERNAL_ERROR', 'Simulated KYC provider error (TESTERROR0001)', reqId(error)));
  t.equal((await post('verify-pan', { pan: 'TESTFAIL0001' })).body, answer('pan', 'failed', true), 'a failed document blocks calls again');
  t.equal((await status()).overall_status, 'failed');
  t.equal((await call()).status, 403);
  t.equal((await post('cin/confirm', { company_name: 'ACME', selected_cin: 'U72900KA2024PTC123456' })).body, answer('cin', 'verified', true));
  const notMagic = await post('verify-pan', { pan: 'ABCDE1234F' });
  t.equal(notMagic.status, 400);
  t.equal(
    notMagic.body,
    envelope('VALIDATION_ERROR', 'Validation failed', reqId(notMagic), {
      errors: [{ field: 'pan', message: 'must be a test-mode magic input: TESTSUCCESS0001, TESTFAIL0001, TESTERROR0001, TESTPENDING001 or TESTPENDING_FAIL', code: 'INVALID_VALUE', value: 'ABCDE1234F' }],
    }),
  );
  const own = await api.request('POST', `${kyc}/verify-pan`, { ...sa('SA_KYCWAIT1', 'kyc-wait-token'), 'content-type': 'application/json' }, '{"pan":"TESTSUCCESS0001"}');
  t.equal(own.status, 403, "the sub-account's own pair is 403 on KYC calls");

  const personal = '/api/v1/sub-accounts/test/SA_SUPPORT1/kyc';
  const initiated = await api.request('POST', `${personal}/digilocker/initiate`, json, '{"redirect_url":"https://partner.example.com/kyc/callback"}');
  t.equal(initiated.body, '{"auth_url":"https://kyc.vobiz.ai/mock/digilocker","access_request_id":"MOCK_AR_SUCCESS"}');
  const verified = await api.request('POST', `${personal}/digilocker/verify`, json, '{"access_request_id":"MOCK_AR_FAIL"}');
  t.equal(verified.body, answer('aadhaar', 'failed', false), 'personal_use: never blocked');
  const supportCall = await api.request('POST', '/__mock/v1/accounts/SA_SUPPORT1/calls', { 'content-type': 'application/json' }, '{"duration_seconds":30}');
  t.equal(supportCall.status, 201, 'personal_use: KYC never blocks calls');
  const disabledCall = await api.request('POST', '/__mock/v1/accounts/SA_DISABLD1/calls', { 'content-type': 'application/json' }, '{"duration_seconds":30}');
  t.equal(disabledCall.status, 403);
  t.equal(disabledCall.body, envelope('ACCESS_DENIED', 'Calls refused: SA_DISABLD1 is disabled', reqId(disabledCall)));
});

t.test('KYC calls (not test mode): a well-formed document is verified, no provider asked', async (t) => {
  const api = await client(t, 'http');
  const made = JSON.parse((await create(api, { name: 'Sole Trader', email: 'trader@example.com', kyc_mode: 'customer_use', business_type: 'individual' })).body);
  const id = made.auth_credentials.auth_id;
  const kyc = `/api/v1/sub-accounts/${id}/kyc`;
  const badPan = await api.request('POST', `${kyc}/verify-pan`, json, '{"pan":"strawberry"}');
  t.equal(badPan.status, 400);
  t.equal(
    badPan.body,
    envelope('VALIDATION_ERROR', 'Validation failed', reqId(badPan), {
      errors: [{ field: 'pan', message: 'must be a PAN (5 letters, 4 digits, a letter: ABCDE1234F) or a magic input: TESTSUCCESS0001, TESTFAIL0001, TESTERROR0001, TESTPENDING001 or TESTPENDING_FAIL', code: 'INVALID_VALUE', value: 'strawberry' }],
    }),
  );
  t.equal((await api.request('POST', `${kyc}/verify-pan`, json, '{"pan":"ABCDE1234F"}')).body, '{"verification_type":"pan","status":"verified","kyc_calls_blocked":true,"mock":false}');
  const consent = await api.request('POST', `${kyc}/digilocker/initiate`, json, '{"redirect_url":"https://partner.example.com/back"}');
  t.equal(consent.body, '{"auth_url":"https://kyc.vobiz.ai/digilocker/consent","access_request_id":"AR_VOBIZ_MOCK_CONSENT"}');
  const aadhaar = await api.request('POST', `${kyc}/digilocker/verify`, json, '{"access_request_id":"AR_VOBIZ_MOCK_CONSENT"}');
  t.equal(aadhaar.body, '{"verification_type":"aadhaar","status":"verified","kyc_calls_blocked":false,"mock":false}', 'an individual: PAN and Aadhaar');
  const status = JSON.parse((await api.request('GET', `${kyc}/status`, parent)).body);
  t.same([status.overall_status, status.verifications], ['verified', { pan: 'verified', gst: 'not_required', aadhaar: 'verified', cin: 'not_required' }]);
  t.equal((await api.request('POST', `/__mock/v1/accounts/${id}/calls`, { 'content-type': 'application/json' }, '{"duration_seconds":5}')).status, 201);
});

for (const transport of transports) {
  t.test(`tokens: refresh a Bearer pair, rotate an X-Auth-Token, over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const made = JSON.parse((await create(api, { name: 'Token Test' })).body);
    const authId: string = made.auth_credentials.auth_id;
    const refreshed = await api.request('POST', '/api/v1/auth/refresh', { authorization: `Bearer ${made.tokens.refresh_token}` });
    t.equal(refreshed.status, 200);
    const pairBody = JSON.parse(refreshed.body);
    t.same(Object.keys(pairBody), ['access_token', 'refresh_token', 'token_type', 'expires_in']);
    t.same([pairBody.token_type, pairBody.expires_in], ['bearer', 1800]);
    t.same(claims(pairBody.access_token), { sub: authId, iss: 'vobiz-mock', exp: fixedNow / 1000 + 1800 });
    const withAccess = await api.request('POST', '/api/v1/auth/refresh', { authorization: `Bearer ${made.tokens.access_token}` });
    t.equal(withAccess.status, 401, 'an access token does not refresh');
    t.equal(withAccess.body, envelope('INVALID_CREDENTIALS', 'Invalid or missing credentials: send Authorization: Bearer <refresh token>', reqId(withAccess)));

    const oldPair = sa(authId, made.auth_credentials.auth_token);
    const rotated = await api.request('POST', '/api/v1/auth-token/rotate', oldPair);
    t.equal(rotated.status, 200);
    const { auth_token: next } = JSON.parse(rotated.body);
    t.equal(rotated.body, JSON.stringify({ message: 'Auth token rotated', auth_id: authId, auth_token: next }));
    t.not(next, made.auth_credentials.auth_token);
    t.equal((await api.request('GET', '/api/v1/auth/me', oldPair)).status, 401, 'the old token is 401 at once');
    t.equal((await api.request('GET', '/api/v1/auth/me', sa(authId, next))).status, 200, 'the new one works');

    const main = await api.request('POST', '/api/v1/auth-token/rotate', parent);
    const mainToken = JSON.parse(main.body).auth_token;
    t.equal(main.body, JSON.stringify({ message: 'Auth token rotated', auth_id: 'MA_POSTPAID', auth_token: mainToken }));
    t.equal((await api.request('GET', '/api/v1/auth/me', parent)).status, 401, "a main account's old token too");
    t.equal((await api.request('GET', '/api/v1/auth/me', { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': mainToken })).status, 200);
  });
}

t.test('generated accounts: every fifth has 1 to 3 sub-accounts, found by arithmetic, deterministic by seed', async (t) => {
  const { generatedCredentials, generatedSubCredentials, generatedSubCount } = await import('../src/fixtures/generate.js');
  t.same([0, 1, 5, 10, 15].map(generatedSubCount), [1, 0, 2, 3, 1]);
  const api = await client(t, 'http', { generate: 20, seed: 7 });
  const parentOf = generatedCredentials(7, 5);
  const list = JSON.parse((await api.request('GET', `/api/v1/accounts/${parentOf.authId}/sub-accounts/`, { 'X-Auth-ID': parentOf.authId, 'X-Auth-Token': parentOf.token })).body);
  const first = generatedSubCredentials(7, 5, 0);
  const second = generatedSubCredentials(7, 5, 1);
  t.same(list.sub_accounts.map((s: { auth_id: string }) => s.auth_id), [second.authId, first.authId], 'newest first');
  t.match(first.authId, /^SA_[0-9A-Z]{8}$/);
  t.same(list.sub_accounts.map((s: { enabled: boolean; email: string | null }) => [s.enabled, s.email !== null]), [[true, true], [true, false]]);
  t.ok(Value.Check(PythonSdkSubAccountList, list), 'parses under the Python SDK model');
  const me = await api.request('GET', '/api/v1/auth/me', { 'X-Auth-ID': first.authId, 'X-Auth-Token': first.token });
  t.equal(me.status, 200, "a generated sub-account's pair works");
  t.equal(JSON.parse(me.body).auth_id, first.authId);
  const kyc = JSON.parse((await api.request('GET', `/api/v1/sub-accounts/${second.authId}/kyc/status`, { 'X-Auth-ID': parentOf.authId, 'X-Auth-Token': parentOf.token })).body);
  t.same([kyc.kyc_mode, kyc.kyc_calls_blocked], ['customer_use', true], 'the second awaits KYC');
  const outOfRange = generatedSubCredentials(7, 25, 0);
  t.equal((await api.request('GET', '/api/v1/auth/me', { 'X-Auth-ID': outOfRange.authId, 'X-Auth-Token': outOfRange.token })).status, 401, 'beyond --generate: none');
  const again = await client(t, 'http', { generate: 20, seed: 7 });
  t.equal((await again.request('GET', `/api/v1/accounts/${parentOf.authId}/sub-accounts/`, { 'X-Auth-ID': parentOf.authId, 'X-Auth-Token': parentOf.token })).body, JSON.stringify(list), 'the same seed, the same sub-accounts');
});

t.test('wrong casing (/Accounts/, /sub_accounts/): 401 whatever the credentials, as the pages document', async (t) => {
  for (const transport of transports) {
    const api = await client(t, transport);
    for (const [method, url] of [
      ['GET', '/api/v1/Accounts/MA_POSTPAID/sub-accounts/'],
      ['POST', '/api/v1/accounts/MA_POSTPAID/sub_accounts'],
      ['GET', '/api/v1/Accounts/MA_POSTPAID/sub_accounts/SA_SUPPORT1'],
      ['DELETE', '/api/v1/accounts/MA_POSTPAID/sub_accounts/SA_SUPPORT1/'],
    ] as const) {
      const res = await api.request(method, url, method === 'POST' ? json : parent, method === 'POST' ? '{"name":"X"}' : undefined);
      t.equal(res.status, 401, `${transport} ${method} ${url}`);
      t.equal(
        res.body,
        envelope('INVALID_CREDENTIALS', 'The sub-account paths are /api/v1/accounts/{auth_id}/sub-accounts/ and .../sub-accounts/{sub_auth_id}, in lower case: this casing is 401, as Vobiz answers it', reqId(res)),
      );
    }
    t.equal(JSON.parse((await api.request('GET', base, parent)).body).total, 3, 'nothing changed');
  }
});

t.test("the journal names a sub-account's requests by its auth_id, its token redacted", async (t) => {
  const api = await client(t, 'http');
  const ns = { 'X-Vobiz-Mock-Namespace': 'sub-journal' };
  await api.request('GET', '/api/v1/auth/me', { ...sa('SA_SUPPORT1', 'support-token'), ...ns });
  await api.request('GET', '/api/v1/auth/me', { ...sa('SA_NOSUCH1', 'whatever'), ...ns });
  const journal = JSON.parse((await api.request('GET', '/__mock/v1/requests', ns)).body);
  const entries = journal.requests.map((e: { auth_id: string; status: number; headers: Record<string, string> }) => [e.auth_id, e.status, e.headers['x-auth-id'], e.headers['x-auth-token']]);
  t.same(entries, [
    ['SA_SUPPORT1', 200, 'SA_SUPPORT1', '[redacted]'],
    ['[not an account]', 401, '[not an account]', '[redacted]'],
  ]);
  t.notOk(JSON.stringify(journal).includes('support-token'), 'the token is never journaled');
});
