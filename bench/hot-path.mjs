// The emulator's own JavaScript per request, timed in-process: the node:http 'request' listener of a built app,
// called with stand-ins for Node's request and response (fresh header strings each time, as Node's parser makes
// them; writeHead and end do nothing). It leaves out everything Node and the kernel do, so it is not a figure
// to report (the bench is), but it is steady to about 1 % on this noisy kind of machine where wrk's ratios move
// by 5 %: a tool for deciding whether a change to the hot path is worth keeping. Confirm under load before
// keeping one: a change to how properties are copied read 40 % faster here and the same under wrk
// (docs/architecture.md#speed).
//
//   npm run build && node bench/hot-path.mjs [path] [extra headers as JSON]   (JOURNAL=0 turns the journal off)
import { buildApp } from '../dist/app.js';

const app = await buildApp({ logLevel: 'warn', ...(process.env.JOURNAL ? { journalSize: Number(process.env.JOURNAL) } : {}) });
const listener = app.httpLayer.server.listeners('request')[0];
const path = process.argv[2] ?? '/api/v1/auth/me';
const extra = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const socket = { remoteAddress: '127.0.0.1', destroyed: false, writable: true };
const fresh = (text) => Buffer.from(text, 'latin1').toString('latin1');

const response = () => ({
  statusCode: 200,
  headersSent: false,
  writableEnded: false,
  shouldKeepAlive: true,
  writeHead(status) {
    this.statusCode = status;
    this.headersSent = true;
  },
  end() {
    this.writableEnded = true;
  },
  once() {},
  on() {},
  setHeader() {},
});

const request = () => {
  const rawHeaders = Object.entries({ host: '127.0.0.1:8080', 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'postpaid-token', ...extra }).flat().map(fresh);
  const headers = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i].toLowerCase()] = rawHeaders[i + 1];
  return { method: 'GET', url: fresh(path), headers, rawHeaders, socket, httpVersion: '1.1', complete: true };
};

const first = response();
listener(request(), first);
console.log(`GET ${path}: ${first.statusCode}`);
const N = 300_000;
const times = [];
for (let round = 0; round < 12; round++) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) listener(request(), response());
  times.push(Number(process.hrtime.bigint() - started) / N / 1000);
}
times.sort((a, b) => a - b);
console.log(`${times[0].toFixed(3)} µs a request at best, ${times[6].toFixed(3)} median (12 rounds of ${N}, stand-ins' cost included)`);
await app.close();
