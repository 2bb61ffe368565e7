import { Writable } from 'node:stream';
import t from 'tap';
import { buildApp } from '../src/app.js';
import type { AddressInfo } from 'node:net';
import { client, fixedNow, pair, rawExchange } from './helper.js';

const envelope = (code: string, message: string, requestId: string) =>
  JSON.stringify({ status: 'error', error: { code, message }, timestamp: new Date(fixedNow).toISOString(), requestId });

for (const transport of ['inject', 'http'] as const) {
  t.test(`unknown paths and methods over ${transport}`, async (t) => {
    const api = await client(t, transport);
    const cases: [string, string, number, string, string, string | undefined][] = [
      ['GET', '/nope', 404, 'NOT_FOUND', 'No route for GET /nope', undefined],
      ['GET', '/api/v1/auth/me/', 404, 'NOT_FOUND', 'No route for GET /api/v1/auth/me/', undefined],
      ['GET', '/api/v1/Auth/me', 404, 'NOT_FOUND', 'No route for GET /api/v1/Auth/me', undefined],
      ['POST', '/api/v1/auth/me', 405, 'METHOD_NOT_ALLOWED', 'POST is not allowed on /api/v1/auth/me; use GET, HEAD', 'GET, HEAD'],
      ['DELETE', '/api/v1/auth/me?x=1', 405, 'METHOD_NOT_ALLOWED', 'DELETE is not allowed on /api/v1/auth/me; use GET, HEAD', 'GET, HEAD'],
      ['OPTIONS', '/api/v1/auth/me', 405, 'METHOD_NOT_ALLOWED', 'OPTIONS is not allowed on /api/v1/auth/me; use GET, HEAD', 'GET, HEAD'],
      ['PUT', '/health', 405, 'METHOD_NOT_ALLOWED', 'PUT is not allowed on /health; use GET, HEAD', 'GET, HEAD'],
      ['POST', '/docs/static/index.html', 405, 'METHOD_NOT_ALLOWED', 'POST is not allowed on /docs/static/index.html; use GET, HEAD', 'GET, HEAD'],
    ];
    for (const [method, url, status, code, message, allow] of cases) {
      const res = await api.request(method, url, pair('MA_POSTPAID'));
      t.equal(res.status, status, `${method} ${url}`);
      t.equal(res.headers.allow, allow, `${method} ${url}: Allow`);
      t.equal(res.body, envelope(code, message, res.headers['x-request-id']!), `${method} ${url}: body`);
    }
  });
}

t.test('a JSON body sent with the wrong method is a 405, whatever the body', async (t) => {
  const api = await client(t, 'inject');
  for (const payload of ['', '{not json']) {
    const res = await api.request('POST', '/api/v1/auth/me', { 'content-type': 'application/json', ...pair('MA_POSTPAID') }, payload);
    t.equal(res.status, 405, JSON.stringify(payload));
    t.equal(res.body, envelope('METHOD_NOT_ALLOWED', 'POST is not allowed on /api/v1/auth/me; use GET, HEAD', res.headers['x-request-id']!));
  }
});

t.test('health', async (t) => {
  const api = await client(t, 'inject');
  const res = await api.request('GET', '/health');
  t.equal(res.status, 200);
  t.same(JSON.parse(res.body), { status: 'ok', version: JSON.parse((await import('node:fs')).readFileSync('package.json', 'utf8')).version, accounts: 8 });
});

t.test('logs: one line a request at debug and trace, secrets redacted', async (t) => {
  for (const [transport, logLevel] of [['inject', 'debug'], ['http', 'debug'], ['inject', 'trace'], ['http', 'trace']] as const) {
    const lines: string[] = [];
    const logStream = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).trim().split('\n')), done()) });
    const app = await buildApp({ logLevel, logStream });
    let send: (headers: Record<string, string>, path?: string) => Promise<unknown>;
    if (transport === 'inject') send = (headers, path = '/api/v1/auth/me') => app.inject({ url: path, headers });
    else {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      send = (headers, path = '/api/v1/auth/me') => fetch(`${url}${path}`, { headers }).then((r) => r.text());
    }
    await send({ ...pair('MA_POSTPAID'), authorization: 'Bearer super-secret-bearer', cookie: 'session=cookie-secret' });
    await send({ 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'wrong-but-secret' });
    await send(
      { 'proxy-authorization': 'Basic proxy-secret', 'x-api-key': 'api-key-secret', 'x-auth_token': 'misplaced-secret', 'x-vobiz-token': 'other-secret' },
      '/api/v1/Account/MA_POSTPAID/transactions?token=query-secret&auth_token=query-secret-2&Password=query-secret-3&page=2&api%5Fkey=query-secret-4',
    );
    // Tokens in headers and parameters no name gives away: a token in the ID header, a misspelt header, an
    // undocumented parameter, and an inbound request id that is the request's own token.
    await send({ 'x-auth-id': 'pasted-token-secret', 'x-auth-tok': 'typo-secret', authorisation: 'spelt-secret' }, '/api/v1/auth/me?x=param-secret&page=1');
    await send({ 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'echo-secret', 'x-request-id': 'echo-secret' });
    if (transport === 'http') {
      // A request the HTTP parser refuses, with a token in it: logged at trace by its parser code only.
      const { port } = app.server.address() as AddressInfo;
      const raw = await rawExchange(port, 'GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Auth-Token: parser-secret\r\nContent-Length: abc\r\n\r\n');
      t.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
    }
    await app.close();
    const text = lines.join('\n');
    const secrets = ['postpaid-token', 'super-secret-bearer', 'cookie-secret', 'wrong-but-secret', 'proxy-secret', 'api-key-secret', 'misplaced-secret', 'other-secret', 'query-secret'];
    for (const secret of [...secrets, 'pasted-token-secret', 'typo-secret', 'spelt-secret', 'param-secret', 'echo-secret', 'parser-secret']) {
      t.notMatch(text, secret, `${transport}: ${secret} never logged`);
    }
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    t.equal(requests.length, 5, `${transport}: one line a request`);
    t.equal(requests[3].url, '/api/v1/auth/me?x=[redacted]&page=1');
    t.same(requests[3].headers['x-auth-id'], '[not an account]');
    t.match(requests[4].requestId, /^req_/, 'a request id that is the credential is not adopted');
    if (transport === 'http' && logLevel === 'trace') {
      t.ok(lines.some((l) => l.includes('"code":"HPE_INVALID_CONTENT_LENGTH"')), 'the refusal is logged by its parser code');
    }
    t.equal(requests[2].url, '/api/v1/Account/MA_POSTPAID/transactions?token=[redacted]&auth_token=[redacted]&Password=[redacted]&page=2&api%5Fkey=[redacted]');
    t.match(requests[2].headers, { 'proxy-authorization': '[redacted]', 'x-api-key': '[redacted]', 'x-auth_token': '[redacted]', 'x-vobiz-token': '[redacted]' });
    t.match(requests[0], {
      level: 20,
      method: 'GET',
      url: '/api/v1/auth/me',
      statusCode: 200,
      requestId: /^req_/,
      headers: { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': '[redacted]', authorization: '[redacted]', cookie: '[redacted]' },
    });
    t.equal(requests[1].statusCode, 401);
  }
});

t.test('at the default level, requests are not logged', async (t) => {
  const lines: string[] = [];
  const logStream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const app = await buildApp({ logStream });
  await app.inject({ url: '/api/v1/auth/me', headers: pair('MA_POSTPAID') });
  await app.close();
  t.same(lines, []);
});
