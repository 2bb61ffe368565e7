import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { createEmulator, type Emulator } from '../src/emulator.js';
import { corsHeaders } from '../src/http/plugins/cors.js';
import { fixedNow, parseResponses, type RawResponse, rawExchange } from './helper.js';

const stamp = new Date(fixedNow).toISOString();
/** The whole envelope expected for a response, its request id taken from its header. */
const envelope = (res: RawResponse, code: string, message: string) =>
  JSON.stringify({ status: 'error', error: { code, message }, timestamp: stamp, requestId: res.headers['x-request-id'] });

async function emulator(t: Test): Promise<{ emu: Emulator; port: number }> {
  const emu = await createEmulator({ port: 0, now: () => fixedNow, timeouts: { headersTimeout: 400, requestTimeout: 800 } });
  t.teardown(() => emu.close(200));
  return { emu, port: Number(new URL(emu.url).port) };
}

const token = 'postpaid-token';

t.test('every refusal below the routes: one response, in the envelope, with a catalogue code, X-Request-Id and CORS', async (t) => {
  const { port } = await emulator(t);
  const cases: [string, string, number, string, string][] = [
    ['a bad Content-Length', `GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ${token}\r\nContent-Length: abc\r\n\r\n`, 400, 'BAD_REQUEST', 'Malformed HTTP request: Invalid character in Content-Length'],
    ['headers over 16 KB', `GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'REQUEST_HEADER_FIELDS_TOO_LARGE', 'Request headers are larger than 16 KB'],
    ['a path that is not percent-encoding', 'GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'BAD_REQUEST', 'The request path is not valid percent-encoding'],
    ['HTTP/1.1 without Host', 'GET /api/v1/auth/me HTTP/1.1\r\n\r\n', 400, 'BAD_REQUEST', 'HTTP/1.1 requests must carry a Host header'],
    ['an unknown Expect', 'GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n', 417, 'EXPECTATION_FAILED', 'Only "Expect: 100-continue" is supported'],
    ['TLS bytes on the HTTP port', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', 400, 'BAD_REQUEST', 'Malformed HTTP request: Invalid method encountered'],
    ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 405, 'METHOD_NOT_ALLOWED', 'CONNECT is not allowed: vobiz-mock is not a proxy'],
    ['headers that never end (408 after the headers timeout)', 'GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\n', 408, 'REQUEST_TIMEOUT', 'The request did not arrive in time'],
    ['a body that never ends (408 after the request timeout)', 'POST /api/v1/accounts/MA_POSTPAID/channel-subscriptions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"res', 408, 'REQUEST_TIMEOUT', 'The request did not arrive in time'],
    ['a NUL under /docs/static/', 'GET /docs/static/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404, 'NOT_FOUND', 'No route for GET /docs/static/%00'],
    ['a backslash walk under /docs/static/', 'GET /docs/static/..%5cpackage.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404, 'NOT_FOUND', 'No route for GET /docs/static/..%5cpackage.json'],
  ];
  for (const [name, bytes, status, code, message] of cases) {
    const raw = await rawExchange(port, bytes, 3000);
    const responses = parseResponses(raw);
    t.equal(responses.length, 1, `${name}: one response`);
    const [res] = responses;
    if (!res) continue;
    t.equal(res.status, status, `${name}: status`);
    t.match(res.headers['x-request-id'], /^req_[0-9a-f]{12}$/, `${name}: a request id`);
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', `${name}: JSON`);
    t.equal(res.headers['access-control-allow-origin'], corsHeaders['access-control-allow-origin'], `${name}: CORS`);
    t.equal(res.body, envelope(res, code, message), `${name}: the whole body`);
    if (code === 'METHOD_NOT_ALLOWED') t.equal(res.headers['allow'], 'GET, HEAD, POST, OPTIONS');
    t.notMatch(raw, token, `${name}: the token is not echoed`);
  }
});

t.test('a GET answered before its malformed chunked body ends: one response, then the connection closes', async (t) => {
  const { port } = await emulator(t);
  for (const path of ['/api/v1/auth/me', '/health']) {
    const raw = await rawExchange(
      port,
      `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Auth-ID: MA_POSTPAID\r\nX-Auth-Token: ${token}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`,
      3000,
    );
    const statuses = parseResponses(raw).map((r) => r.status);
    // The fast path answers before the body is parsed (200); Fastify's routes answer a tick later, after the
    // parser has refused the body (400). Either way: one.
    t.ok(path === '/health' ? [200, 400].includes(statuses[0]!) && statuses.length === 1 : statuses.length === 1 && statuses[0] === 200, `${path}: exactly one response (${statuses.join(', ')})`);
  }
  // The malformed chunk arriving only after the answer has gone out whole (Node no longer holds that response).
  const late = await rawExchange(
    port,
    `GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Auth-ID: MA_POSTPAID\r\nX-Auth-Token: ${token}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n`,
    3000,
    'zz\r\nhello\r\n0\r\n\r\n',
  );
  const me = await (await fetch(`http://127.0.0.1:${port}/api/v1/auth/me`, { headers: { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': token } })).text();
  t.strictSame(
    parseResponses(late).map((r) => [r.status, r.body]),
    [[200, me]],
    'a malformed chunk after the whole answer: the answer, whole, and no second response',
  );
  // A framing error in a POST body that has not been answered yet: one 400, not the purchase.
  const raw = await rawExchange(port, `POST /api/v1/accounts/MA_POSTPAID/channel-subscriptions HTTP/1.1\r\nHost: x\r\nX-Auth-ID: MA_POSTPAID\r\nX-Auth-Token: ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"res\r\nqq\r\n`, 3000);
  const [only, ...more] = parseResponses(raw);
  t.equal(more.length, 0);
  t.equal(only?.status, 400);
  t.equal(only?.body, only && envelope(only, 'BAD_REQUEST', 'Malformed HTTP request: Invalid character in chunk size'));
});

t.test('a body over the limit: the client reads the 413 before the connection closes (no reset)', async (t) => {
  const { port } = await emulator(t);
  const body = Buffer.alloc(5_000_000, 'a');
  const head = `POST /api/v1/accounts/MA_POSTPAID/channel-subscriptions HTTP/1.1\r\nHost: x\r\nX-Auth-ID: MA_POSTPAID\r\nX-Auth-Token: ${token}\r\nContent-Type: application/json\r\n`;
  const chunked = Buffer.concat([Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n`), ...Array.from({ length: 50 }, (_, i) => Buffer.concat([Buffer.from('186a0\r\n'), body.subarray(i * 100_000, (i + 1) * 100_000), Buffer.from('\r\n')])), Buffer.from('0\r\n\r\n')]);
  for (const [name, bytes] of [
    ['with a Content-Length', Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\n\r\n`), body])],
    ['chunked', chunked],
  ] as const) {
    const responses = parseResponses(await rawExchange(port, bytes, 5000));
    t.equal(responses.length, 1, `${name}: one response`);
    t.equal(responses[0]?.status, 413, `${name}: 413`);
    t.equal(responses[0]?.body, responses[0] && envelope(responses[0], 'PAYLOAD_TOO_LARGE', 'Request body is larger than 65536 bytes, the most POST /api/v1/accounts/:auth_id/channel-subscriptions takes'), `${name}: the whole body`);
  }
});

t.test('HEAD under /docs answers the headers GET does, Content-Length included', async (t) => {
  const { emu } = await emulator(t);
  for (const path of ['/docs/', '/docs/json', '/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-ui.css', '/openapi.json']) {
    const get = await fetch(`${emu.url}${path}`);
    const body = Buffer.from(await get.arrayBuffer());
    const head = await fetch(`${emu.url}${path}`, { method: 'HEAD' });
    t.equal(head.status, 200, `${path}: 200`);
    t.equal(head.headers.get('content-length'), String(body.length), `${path}: the length of GET's body`);
    t.equal(head.headers.get('content-type'), get.headers.get('content-type'), `${path}: the same type`);
    t.equal(head.headers.get('etag'), get.headers.get('etag'), `${path}: the same etag`);
  }
  // A conditional GET of a static file is a 304.
  const first = await fetch(`${emu.url}/docs/static/swagger-ui.css`);
  await first.arrayBuffer();
  const again = await fetch(`${emu.url}/docs/static/swagger-ui.css`, { headers: { 'if-none-match': first.headers.get('etag')! } });
  t.equal(again.status, 304);
});

t.test('1,000 clients that never read the 1.6 MB Swagger UI bundle hold no copy of it', async (t) => {
  const { port } = await emulator(t);
  const { connect } = await import('node:net');
  const warm = await fetch(`http://127.0.0.1:${port}/docs/static/swagger-ui-bundle.js`);
  const size = (await warm.arrayBuffer()).byteLength;
  const rss = () => process.memoryUsage().rss / 1024 / 1024;
  const before = rss();
  const sockets = [];
  for (let i = 0; i < 1000; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.pause();
    socket.write('GET /docs/static/swagger-ui-bundle.js HTTP/1.1\r\nHost: x\r\n\r\n');
    sockets.push(socket);
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 1500));
  const grown = rss() - before;
  // A copy a client would be 1.6 GB; a shared buffer plus a socket each is tens of MB at most.
  t.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MB for 1,000 non-readers of ${(size / 1e6).toFixed(1)} MB (a copy each would be ${(size / 1e6) * 1000} MB)`);
  for (const socket of sockets) socket.destroy();
});

t.test('the package of static files is what /docs serves', async (t) => {
  // The shared buffers are the package's files, byte for byte.
  const { emu } = await emulator(t);
  const served = Buffer.from(await (await fetch(`${emu.url}/docs/static/swagger-ui.css`)).arrayBuffer());
  const file = readFileSync(new URL('../node_modules/@fastify/swagger-ui/static/swagger-ui.css', import.meta.url));
  t.ok(served.equals(file));
});

t.test('a path parameter of 300 characters is routed alike by both adapters (403, not a router error)', async (t) => {
  const { client, transports, pair } = await import('./helper.js');
  for (const transport of transports) {
    const api = await client(t, transport);
    const res = await api.request('GET', `/api/v1/Account/${'A'.repeat(300)}/balance/INR`, pair('MA_POSTPAID'));
    t.equal(res.status, 403, transport);
    t.equal(JSON.parse(res.body).error.code, 'ACCESS_DENIED', transport);
  }
});
