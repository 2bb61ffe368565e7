import t from 'tap';
import { client, pair, transports } from './helper.js';

const origin = { Origin: 'http://localhost:5173' };
const exposed = 'X-Request-Id, X-Vobiz-Mock-Warning, X-Vobiz-Mock-Namespace, Retry-After';

for (const transport of transports) {
  t.test(`CORS over ${transport}: every response carries it; preflights answer 204`, async (t) => {
    const api = await client(t, transport);
    for (const [method, url, status] of [
      ['GET', '/api/v1/auth/me', 200],
      ['GET', '/api/v1/Account/MA_POSTPAID/balance/INR', 200],
      ['GET', '/api/v1/Account/MA_PREPAID1/balance/INR', 403],
      ['GET', '/nope', 404],
      ['DELETE', '/api/v1/auth/me', 405],
      ['GET', '/health', 200],
      ['GET', '/openapi.json', 200],
    ] as const) {
      const res = await api.request(method, url, { ...origin, ...pair('MA_POSTPAID') });
      t.equal(res.status, status, `${method} ${url}`);
      t.equal(res.headers['access-control-allow-origin'], '*', `${method} ${url}: allow-origin`);
      t.equal(res.headers['access-control-expose-headers'], exposed, `${method} ${url}: expose-headers`);
    }
    for (const url of ['/api/v1/auth/me', '/api/v1/accounts/MA_POSTPAID/channel-subscriptions', '/api/v1/Account/MA_POSTPAID/transactions', '/anything/at/all']) {
      const res = await api.request('OPTIONS', url, { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-auth-id, x-auth-token, authorization, content-type, x-request-id' });
      t.equal(res.status, 204, `preflight ${url}`);
      t.equal(res.body, '');
      t.match(res.headers, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': 'x-auth-id, x-auth-token, authorization, content-type, x-request-id',
        'access-control-max-age': '600',
        'x-request-id': /^req_/,
      });
    }
    const bare = await api.request('OPTIONS', '/api/v1/auth/me', { ...origin, 'Access-Control-Request-Method': 'GET' });
    t.equal(bare.headers['access-control-allow-headers'], 'X-Auth-ID, X-Auth-Token, Authorization, Content-Type, X-Request-Id, X-Vobiz-Mock-Namespace, X-Vobiz-Mock-Fault', 'the SDKs\' headers when none are named');
    const plain = await api.request('OPTIONS', '/api/v1/auth/me', origin);
    t.equal(plain.status, 405, 'an OPTIONS that is no preflight is still a 405');
  });

  t.test(`--cors off over ${transport}: no CORS headers, no preflight`, async (t) => {
    const api = await client(t, transport, { cors: 'off' });
    const res = await api.request('GET', '/api/v1/auth/me', { ...origin, ...pair('MA_POSTPAID') });
    t.equal(res.status, 200);
    t.equal(res.headers['access-control-allow-origin'], undefined);
    const preflight = await api.request('OPTIONS', '/api/v1/auth/me', { ...origin, 'Access-Control-Request-Method': 'GET' });
    t.equal(preflight.status, 405);
    t.equal(preflight.headers['access-control-allow-origin'], undefined);
  });
}
