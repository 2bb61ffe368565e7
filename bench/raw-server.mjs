// The baseline: a bare node:http server answering each benchmarked request with a pre-serialized body of the
// emulator's own, found by method and URL, with the CORS headers the emulator sends by default. A POST's JSON body is read and parsed before the answer, as any
// JSON API must. GET /api/v1/auth/me answers 401 unless X-Auth-Token matches, like the emulator.
import { createServer } from 'node:http';

const routes = new Map(Object.entries(JSON.parse(process.env.ROUTES ?? '{}')).map(([key, { status, body }]) => [key, { status, body: Buffer.from(body) }]));
const unauthorized = Buffer.from(process.env.BODY_401 ?? '{}');
const token = process.env.TOKEN ?? '';

function send(res, status, body) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'X-Request-Id, X-Vobiz-Mock-Warning, X-Vobiz-Mock-Namespace, Retry-After',
  });
  res.end(body);
}

createServer((req, res) => {
  const route = routes.get(`${req.method} ${req.url}`);
  if (!route) return send(res, 404, Buffer.from('{}'));
  if (req.url === '/api/v1/auth/me' && req.headers['x-auth-token'] !== token) return send(res, 401, unauthorized);
  if (req.method !== 'POST') return send(res, route.status, route.body);
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      send(res, route.status, route.body);
    } catch {
      send(res, 400, Buffer.from('{}'));
    }
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
