// The baseline: a bare node:http server answering the bench's request with pre-serialized bodies.
import { createServer } from 'node:http';

const ok = Buffer.from(process.env.BODY_200 ?? '{}');
const unauthorized = Buffer.from(process.env.BODY_401 ?? '{}');
const token = process.env.TOKEN ?? '';

createServer((req, res) => {
  const body = req.headers['x-auth-token'] === token ? ok : unauthorized;
  res.writeHead(body === ok ? 200 : 401, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
