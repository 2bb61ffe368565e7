// The baseline: a bare node:http server answering each benchmarked request with a pre-serialized body of the
// emulator's own, found by method and URL, with the headers the emulator sends by default (an X-Request-Id of
// the same form, the CORS headers), so that both answer the same bytes. A POST's JSON body is read and parsed before the answer, as any
// JSON API must. GET /api/v1/auth/me answers 401 unless X-Auth-Token matches (TOKEN, or one of ME's), like the emulator.
import { createServer } from 'node:http';

const routes = new Map(Object.entries(JSON.parse(process.env.ROUTES ?? '{}')).map(([key, { status, body }]) => [key, { status, body: Buffer.from(body) }]));
const unauthorized = Buffer.from(process.env.BODY_401 ?? '{}');
const token = process.env.TOKEN ?? '';
// Other credentials' /auth/me bodies (a sub-account's), by X-Auth-Token.
const others = new Map(Object.entries(JSON.parse(process.env.ME ?? '{}')).map(([key, body]) => [key, Buffer.from(body)]));

let requests = 0;

function send(res, status, body, namespace) {
  requests += 1;
  const headers = {
    'x-request-id': `req_${String(requests).padStart(12, '0')}`,
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'X-Request-Id, X-Vobiz-Mock-Warning, X-Vobiz-Mock-Namespace, Retry-After',
  };
  // The emulator echoes the namespace a request named.
  if (namespace !== undefined) headers['x-vobiz-mock-namespace'] = namespace;
  res.writeHead(status, headers);
  res.end(body);
}

createServer((req, res) => {
  const route = routes.get(`${req.method} ${req.url}`);
  const namespace = req.headers['x-vobiz-mock-namespace'];
  if (!route) return send(res, 404, Buffer.from('{}'), namespace);
  if (req.url === '/api/v1/auth/me' && req.headers['x-auth-token'] !== token) {
    const other = others.get(req.headers['x-auth-token']);
    return other ? send(res, 200, other, namespace) : send(res, 401, unauthorized, namespace);
  }
  if (req.method !== 'POST') return send(res, route.status, route.body, namespace);
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      send(res, route.status, route.body, namespace);
    } catch {
      send(res, 400, Buffer.from('{}'), namespace);
    }
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
