import { connect } from 'node:net';
import { Value } from '@sinclair/typebox/value';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { createEmulator } from '../src/emulator.js';
import { ErrorEnvelopeSchema, InvalidCredentialsSchema, NumericErrorSchema, PlainErrorSchema } from '../src/schemas/error.js';
import { bearerToken } from '../src/domain/bearer.js';
import { mulberry32 } from '../src/domain/faults.js';
import { fixedNow, parseResponses, type RawResponse } from './helper.js';

/**
 * A seeded fuzz over raw sockets: a few thousand requests, each on its own connection, built from the
 * emulator's routes and bent in the ways clients and attackers bend them (methods, paths, percent-encoding,
 * versions, headers, framing, bodies, bytes). Every case must get exactly one response (none for blank
 * input), no 5xx, an X-Request-Id on every response, every error body in a documented shape with a catalogue
 * code, and none of the credentials it sent echoed back. Same seed, same cases: a failure names its case.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const PARALLEL = 32;

interface Case {
  readonly name: string;
  readonly bytes: Buffer;
  readonly head: boolean;
  /** Credentials the case sent, none of which may come back. */
  readonly secrets: readonly string[];
}

const realToken = 'postpaid-token';
const bearer = bearerToken('MA_POSTPAID');

const routes: { method: string; path: string; body?: string }[] = [
  { method: 'GET', path: '/api/v1/auth/me' },
  { method: 'GET', path: '/api/v1/Account/MA_POSTPAID/balance/INR' },
  { method: 'GET', path: '/api/v1/account/MA_POSTPAID/balance/USD' },
  { method: 'GET', path: '/api/v1/Account/MA_POSTPAID/transactions?page=2&per_page=5&limit=3&offset=9' },
  { method: 'GET', path: '/api/v1/account/MA_POSTPAID/transactions/reference-types' },
  { method: 'GET', path: '/api/v1/Account/MA_POSTPAID/concurrency' },
  { method: 'GET', path: '/api/v1/accounts/MA_POSTPAID/channel-pricing-preview?resource_type=cps&quantity=3' },
  { method: 'POST', path: '/api/v1/accounts/MA_POSTPAID/channel-subscriptions', body: '{"resource_type":"cps","quantity":3}' },
  { method: 'GET', path: '/api/v1/Account/MA_PREPAID1/balance/INR' },
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/openapi.json' },
  { method: 'GET', path: '/docs/static/swagger-ui.css' },
  { method: 'OPTIONS', path: '/api/v1/auth/me' },
  { method: 'GET', path: '/nowhere' },
  // The control plane, with bodies the fuzz bends too (fault rules stay 4xx: the fuzz asserts no 5xx).
  { method: 'POST', path: '/__mock/v1/clock', body: '{"advance":"PT1S"}' },
  { method: 'POST', path: '/__mock/v1/accounts', body: '{"from":"MA_POSTPAID"}' },
  { method: 'PATCH', path: '/__mock/v1/accounts/MA_PREPAID1', body: '{"enabled":true}' },
  { method: 'PUT', path: '/__mock/v1/accounts/MA_POSTPAID/balances/INR', body: '{"balance":23906.83}' },
  { method: 'POST', path: '/__mock/v1/accounts/MA_POSTPAID/calls', body: '{"duration_seconds":5}' },
  { method: 'GET', path: '/__mock/v1/requests?limit=3' },
  { method: 'POST', path: '/__mock/v1/requests/verify', body: '{"times":{"at_least":0}}' },
  { method: 'POST', path: '/__mock/v1/faults', body: '{"effect":{"status":429},"times":1,"match":{"path":"/nowhere"}}' },
  { method: 'GET', path: '/__mock/v1/namespaces' },
];

const methods = ['GET', 'POST', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'get', 'G3T', 'PROPFIND', 'M-SEARCH', ''];
const versions = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.9', 'HTTP/1', 'HTTPS/1.1', 'http/1.1', ''];
const pathBends = [
  (p: string) => `${p}%zz`,
  (p: string) => `${p}%00`,
  (p: string) => `${p}%ff%fe`,
  (p: string) => p.replace('/api/', '//api/'),
  (p: string) => p.replace('/v1/', '/v1/../v1/'),
  (p: string) => p.replace('MA_POSTPAID', 'MA_PREPAID1'),
  (p: string) => p.replace('MA_POSTPAID', '%4D%41_POSTPAID'),
  (p: string) => p.replace('MA_POSTPAID', 'MA%2FPOSTPAID'),
  (p: string) => p.toUpperCase(),
  (p: string) => `${p}${p.includes('?') ? '&' : '?'}page=-1&per_page=99999&from_date=yesterday&type=debit&type=credit`,
  (p: string) => `${p}${p.includes('?') ? '&' : '?'}quantity=1e309&resource_type[]=x`,
  (p: string) => `${p}/${'a'.repeat(5000)}`,
  (p: string) => `${p}#fragment`,
  () => `*`,
  (p: string) => `http://127.0.0.1${p}`,
  (p: string) => p.replace(/\//g, '\\'),
  (p: string) => `${p}?\u00e9=\u00e8`,
];

function makeCase(n: number, random: () => number): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const chance = (p: number) => random() < p;
  const secret = `fz${n}-${Math.floor(random() * 2 ** 32).toString(36)}${Math.floor(random() * 2 ** 32).toString(36)}`;
  const secrets = [secret, realToken, bearer];
  const route = pick(routes);
  let method = chance(0.8) ? route.method : pick(methods);
  let path = route.path;
  const bends: string[] = [];
  if (chance(0.35)) {
    const bend = Math.floor(random() * pathBends.length);
    path = pathBends[bend]!(path);
    bends.push(`path${bend}`);
  }
  const version = chance(0.85) ? 'HTTP/1.1' : pick(versions);
  const headers: [string, string][] = [['Host', '127.0.0.1']];
  // Credentials: the real pair, a wrong token, a Bearer or Basic credential, a token in the query or a misnamed header.
  const credential = Math.floor(random() * 8);
  if (credential === 0 || credential === 1) headers.push(['X-Auth-ID', 'MA_POSTPAID'], ['X-Auth-Token', credential === 0 ? realToken : secret]);
  if (credential === 2) headers.push(['Authorization', `Bearer ${chance(0.5) ? bearer : secret}`]);
  if (credential === 3) headers.push(['Authorization', `Basic ${Buffer.from(`MA_POSTPAID:${chance(0.5) ? realToken : secret}`).toString('base64')}`]);
  if (credential === 4) path += `${path.includes('?') ? '&' : '?'}token=${secret}&auth_token=${secret}`;
  if (credential === 5) headers.push(['X-Auth-ID', secret], ['X-Auth-Tok', secret]);
  if (credential === 6) headers.push(['X-Auth-ID', 'MA_POSTPAID'], ['X-Auth-Token', realToken], ['X-Auth-Token', secret]);
  let body = route.body ?? (chance(0.1) ? '{"resource_type":"concurrent_calls","quantity":10}' : undefined);
  if (body !== undefined && chance(0.3)) {
    const bodies = ['{"resource_type":"cps"', '[]', 'null', '{"resource_type":"cps","quantity":"3"}', '{"quantity":3e400}', '{"__proto__":{"x":1},"resource_type":"cps","quantity":3}', `{"resource_type":"${'x'.repeat(2000)}","quantity":3}`, '\u0000\u0001', '{"resource_type":"cps","quantity":3,"quantity":6}'];
    body = pick(bodies);
    bends.push('body');
  }
  if (body !== undefined || chance(0.05)) headers.push(['Content-Type', pick(['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json;;', ''])]);
  // Headers clients and attackers add.
  const extras: [string, string][] = [
    ['X-Request-Id', pick(['abc-123', '', 'a b c', 'x'.repeat(300), '../../etc/passwd', secret.slice(0, 4)])],
    ['Origin', 'https://app.example'],
    ['Access-Control-Request-Method', 'POST'],
    ['Expect', pick(['100-continue', 'teapot', ''])],
    ['Connection', pick(['close', 'keep-alive', 'upgrade', 'Upgrade, HTTP2-Settings'])],
    ['Upgrade', pick(['websocket', 'h2c'])],
    ['Accept', pick(['*/*', 'application/xml', 'text/html'])],
    ['X-Big', 'b'.repeat(pick([100, 9000, 17000]))],
    ['Host', pick(['127.0.0.1', 'evil.example', ''])],
    ['X-Vobiz-Mock-Namespace', pick(['fz', 'fz-2', 'Bad Name', '', 'a'.repeat(65)])],
  ];
  const malformed: [string, string][] = [
    ['X\u0000Bad', 'value'],
    ['Bad Name', 'value'],
    ['X-Ctl', 'a\u0001b'],
    ['X-Folded', 'one\r\n two'],
    ['', 'no name'],
  ];
  for (let k = Math.floor(random() * 3); k > 0; k--) {
    const extra = chance(0.15) ? pick(malformed) : pick(extras);
    headers.push(extra);
    bends.push(`header:${extra[0].slice(0, 12)}`);
  }
  if (chance(0.05)) {
    headers.splice(0, 1);
    bends.push('no-host');
  }
  // Framing: how the body is delimited, and each way of getting it wrong.
  let framed = body ?? '';
  const framing = Math.floor(random() * 12);
  if (body !== undefined || framing >= 9) {
    const length = Buffer.byteLength(framed);
    if (framing <= 5) headers.push(['Content-Length', String(length)]);
    else if (framing === 6) {
      headers.push(['Transfer-Encoding', 'chunked']);
      framed = `${length.toString(16)}\r\n${framed}\r\n0\r\n\r\n`;
    } else if (framing === 7) {
      headers.push(['Transfer-Encoding', 'chunked']);
      framed = `zz\r\n${framed}\r\n0\r\n\r\n`;
      bends.push('bad-chunk');
    } else if (framing === 8) {
      headers.push(['Content-Length', String(length + 10)]);
      bends.push('short-body');
    } else if (framing === 9) {
      headers.push(['Content-Length', pick(['abc', '-1', '1, 2', '99999999999999999999', '0x10'])]);
      bends.push('bad-length');
    } else if (framing === 10) {
      headers.push(['Content-Length', String(length)], ['Transfer-Encoding', 'chunked']);
      bends.push('length-and-chunked');
    } else {
      headers.push(['Content-Length', String(2_000_000)]);
      framed = 'x'.repeat(2_000_000);
      bends.push('over-limit');
    }
  }
  let head = `${method} ${path} ${version}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  // Bytes: flips, deletions and insertions in the request line and header names (never a CR or LF inserted,
  // never inside a framing header), so that each case stays one message.
  if (chance(0.15)) {
    const framingAt = head.search(/\r\n(content-length|transfer-encoding):/i);
    const limit = framingAt < 0 ? head.length - 4 : framingAt;
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
      const at = Math.floor(random() * limit);
      const byte = String.fromCharCode(pick([0, 1, 0x7f, 0x80, 0xff, 0x20, 0x3a, 0x25, 0x22, 0x3f, 0x09]) ?? 0x41);
      const kind = random();
      head = kind < 0.4 ? head.slice(0, at) + byte + head.slice(at + 1) : kind < 0.7 ? head.slice(0, at) + head.slice(at + 1) : head.slice(0, at) + byte + head.slice(at);
    }
    bends.push('bytes');
  }
  if (method === '' && version === '') method = '-';
  const name = `#${n} ${method} ${route.path} ${version} [${bends.join(' ')}]`;
  return { name, bytes: Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(framed, 'utf8')]), head: /^HEAD /.test(head), secrets };
}

/** Sends a case on a fresh connection, half-closes, and gives back all the server sent. */
function exchange(port: number, bytes: Buffer): Promise<{ raw: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timedOut = false;
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, 5000);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ raw: Buffer.concat(chunks).toString('latin1'), timedOut });
    });
    socket.end(bytes);
  });
}

const errorShapes = [ErrorEnvelopeSchema, InvalidCredentialsSchema, NumericErrorSchema, PlainErrorSchema];

function problems(c: Case, raw: string, timedOut: boolean): string[] {
  const found: string[] = [];
  if (timedOut) found.push('no close within 5 s');
  let responses: RawResponse[];
  try {
    responses = c.head ? parseResponses(raw, true) : parseResponses(raw);
  } catch {
    try {
      responses = parseResponses(raw);
    } catch (error) {
      return [...found, `unparseable response: ${(error as Error).message}`];
    }
  }
  // Interim responses (100 Continue, written by Node for Expect: 100-continue) are not answers.
  responses = responses.filter((res) => res.status >= 200);
  const blank = c.bytes.toString('latin1').trim() === '';
  if (responses.length !== (blank ? 0 : 1)) found.push(`${responses.length} responses`);
  for (const res of responses) {
    if (res.status >= 500) found.push(`status ${res.status}`);
    if (!res.headers['x-request-id']) found.push(`no X-Request-Id on a ${res.status}`);
    if (res.status >= 400 && res.body !== '') {
      let body: unknown;
      try {
        body = JSON.parse(res.body);
      } catch {
        found.push(`a ${res.status} body that is not JSON`);
        continue;
      }
      if (!errorShapes.some((schema) => Value.Check(schema, body))) found.push(`a ${res.status} body in no documented shape: ${res.body.slice(0, 120)}`);
      if (Value.Check(ErrorEnvelopeSchema, body) && (body as { requestId: string }).requestId !== res.headers['x-request-id']) found.push('requestId differs from X-Request-Id');
    }
  }
  for (const secret of c.secrets) if (raw.includes(secret)) found.push(`echoed a credential (${secret.slice(0, 8)}...)`);
  return found;
}

async function fuzz(t: Test, cases: readonly Case[], logLevel?: 'trace') {
  const lines: string[] = [];
  const logStream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const emulator = await createEmulator({ port: 0, now: () => fixedNow, timeouts: { headersTimeout: 2000, requestTimeout: 4000 }, ...(logLevel ? { logLevel, logStream } : {}) });
  t.teardown(() => emulator.close(200));
  const port = Number(new URL(emulator.url).port);
  const failures: string[] = [];
  let statuses = new Map<number, number>();
  for (let i = 0; i < cases.length; i += PARALLEL) {
    const batch = cases.slice(i, i + PARALLEL);
    const results = await Promise.all(batch.map((c) => exchange(port, c.bytes)));
    batch.forEach((c, k) => {
      const { raw, timedOut } = results[k]!;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const found = problems(c, raw, timedOut);
      if (found.length > 0) failures.push(`${c.name}: ${found.join('; ')}`);
    });
  }
  statuses = new Map([...statuses].sort((a, b) => a[0] - b[0]));
  t.comment(`statuses: ${[...statuses].map(([s, n]) => `${s}x${n}`).join(' ')}`);
  t.same(failures.slice(0, 20), [], `${failures.length} of ${cases.length} cases failed`);
  // The cases reach the routes, not only the parser: successes and several kinds of refusal.
  t.ok((statuses.get(200) ?? 0) > cases.length / 20, 'many 200s');
  t.ok([400, 401, 404, 405, 431].every((s) => (statuses.get(s) ?? 0) > 0), 'every kind of refusal');
  if (logLevel) {
    const log = lines.join('');
    t.ok(lines.length >= cases.length / 2, `${lines.length} log lines`);
    const leaked = cases.flatMap((c) => c.secrets.filter((secret) => log.includes(secret)).map((secret) => `${c.name}: ${secret.slice(0, 8)}...`));
    t.same([...new Set(leaked)].slice(0, 10), [], 'no credential in a log line at trace level');
  }
}

const random = mulberry32(SEED);
const cases = Array.from({ length: CASES }, (_, n) => makeCase(n, random));

t.test(`fuzz: ${CASES} seeded cases over raw sockets, fast path and Fastify (seed ${SEED})`, (t) => fuzz(t, cases));

t.test(`fuzz: the first ${Math.min(1000, CASES)} cases again at trace level (every request through Fastify, every line logged)`, (t) => fuzz(t, cases.slice(0, 1000), 'trace'));

/**
 * The control plane's JSON, fuzzed: each endpoint's body (and some queries) with one value swapped for what
 * breaks parsers and checkers: nesting thousands deep, huge strings, huge or over-precise numbers, instants
 * out of range or not on the calendar, globs that backtrack. One request at a time in one namespace, so that
 * after every refusal the whole namespace (its snapshot, rules and clock) can be compared with before.
 */
const weird: readonly unknown[] = [
  JSON.parse(`${'['.repeat(60)}${']'.repeat(60)}`),
  '__deep_array__',
  '__deep_object__',
  'x'.repeat(100_000),
  1e300,
  -1e300,
  2 ** 53 + 1,
  1e-7,
  0.1 + 0.2,
  -0,
  true,
  null,
  [],
  {},
  '0000-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  '+010000-01-01T00:00:00.000Z',
  '2030-02-30T00:00:00Z',
  '2030-06-30T23:59:60Z',
  '9999-12-31T23:59:59Z',
  '0001-01-01T00:00:00Z',
  'P3650D',
  'P99999999D',
  `/${'**a'.repeat(80)}b`,
  '/**a**a**a**a**a**a**a**a**b',
  `/${'*'.repeat(300)}`,
  'getBalanse',
  '\u0000\ud800',
];

/** A JSON text with one value (at a seeded place) swapped for a weird one; deep values written as text. */
function bend(base: unknown, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const value = pick(weird);
  const places: (string | number)[][] = [[]];
  const walk = (v: unknown, at: (string | number)[]) => {
    if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const next = [...at, Array.isArray(v) ? Number(k) : k];
        places.push(next);
        walk(child, next);
      }
    }
  };
  walk(base, []);
  const place = pick(places);
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const marker = '__bent__';
  let text: string;
  if (place.length === 0) text = JSON.stringify(marker);
  else {
    let parent: Record<string | number, unknown> = copy;
    for (const key of place.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    parent[place.at(-1)!] = marker;
    text = JSON.stringify(copy);
  }
  const depth = 1000 + Math.floor(random() * 5000);
  const replacement =
    value === '__deep_array__' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : value === '__deep_object__' ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : JSON.stringify(value);
  return text.replace(JSON.stringify(marker), replacement);
}

t.test(`fuzz: the control plane's bodies, bent (seed ${SEED}): alive, one answer each, the envelope, nothing changed by a refusal`, async (t) => {
  const emulator = await createEmulator({ port: 0, now: () => fixedNow });
  t.teardown(() => emulator.close(200));
  const ns = { 'X-Vobiz-Mock-Namespace': 'cfz' };
  const send = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${emulator.url}/__mock/v1${path}`, { method, headers: { ...ns, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body } : {}) });
    return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
  };
  await send('POST', '/clock', JSON.stringify({ freeze: '2026-11-22T12:00:00Z' }));
  /** The whole namespace: its state, its rules (less their counts) and its clock (its instant only while frozen). */
  const state = async () => {
    const snapshot = JSON.parse((await send('GET', '/snapshot')).text) as { clock: { mode: string; now?: string } };
    if (snapshot.clock.mode === 'real') delete snapshot.clock.now;
    const faults = (JSON.parse((await send('GET', '/faults')).text) as { faults: Record<string, unknown>[] }).faults.map(({ hits: _h, matched: _m, ...rule }) => rule);
    return JSON.stringify({ snapshot, faults });
  };
  const snapshot = JSON.parse((await send('GET', '/snapshot')).text) as unknown;
  const bodies: [string, string, unknown][] = [
    ['POST', '/clock', { advance: 'PT1S' }],
    ['POST', '/clock', { freeze: '2026-12-01T10:00:00Z' }],
    ['POST', '/accounts', { from: 'MA_POSTPAID', balances: [{ currency: 'INR', balance: 5 }] }],
    ['POST', '/accounts', { account: { auth_id: 'MA_FUZZ', base_cps_limit: 5 }, auth_token: 'fuzz-token' }],
    ['PATCH', '/accounts/MA_PREPAID1', { enabled: true, base_cps_limit: 5, credit_limit: 0 }],
    ['PUT', '/accounts/MA_POSTPAID/balances/INR', { balance: 100.5 }],
    ['POST', '/accounts/MA_POSTPAID/calls', { duration_seconds: 5 }],
    ['POST', '/faults', { effect: { status: 503, retry_after: 1 }, match: { path: '/nowhere/*', method: 'GET', operation: 'getBalance' }, times: 1, probability: 0.5, seed: 3, ttl_ms: 60000 }],
    ['POST', '/requests/count', { path: '/api/**', status: 200, method: 'GET' }],
    ['POST', '/requests/verify', { match: { path: '/x/*' }, times: { at_least: 0, at_most: 5 } }],
    ['PUT', '/snapshot', snapshot],
  ];
  const random = mulberry32(SEED + 1);
  const failures: string[] = [];
  let refusals = 0;
  for (let n = 0; n < 400; n++) {
    const [method, path, base] = bodies[Math.floor(random() * bodies.length)]!;
    const body = bend(base, random);
    const before = await state();
    const res = await send(method, path, body);
    const name = `#${n} ${method} ${path} ${body.slice(0, 80)}`;
    if (res.status >= 500) failures.push(`${name}: status ${res.status}`);
    if (res.status >= 400) {
      refusals += 1;
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.text);
      } catch {
        failures.push(`${name}: a ${res.status} body that is not JSON`);
      }
      if (!Value.Check(ErrorEnvelopeSchema, parsed)) failures.push(`${name}: a ${res.status} body not in the envelope: ${res.text.slice(0, 120)}`);
      if (res.text.length > 8000) failures.push(`${name}: a ${res.text.length}-byte error body`);
      if ((await state()) !== before) failures.push(`${name}: a ${res.status} changed the namespace`);
    }
  }
  // Queries too: bad globs, dates and numbers in GET /requests and DELETE /calls/{id}.
  for (const query of ['path=/**a**a**a**a**a**a**a**a**b', `path=${'*'.repeat(300)}`, 'since=2030-02-30T00:00:00Z', 'since=99999999999999999999', 'limit=1e300', 'status=-1', 'limit=0']) {
    const res = await send('GET', `/requests?${query}`);
    if (res.status >= 500 || (res.status >= 400 && !Value.Check(ErrorEnvelopeSchema, JSON.parse(res.text)))) failures.push(`GET /requests?${query}: ${res.status} ${res.text.slice(0, 80)}`);
  }
  t.same(failures.slice(0, 20), [], `${failures.length} problems in 400 cases`);
  t.ok(refusals > 100 && refusals < 400, `refusals and successes both (${refusals} refused)`);
  t.equal((await fetch(`${emulator.url}/health`)).status, 200, 'alive');
});
