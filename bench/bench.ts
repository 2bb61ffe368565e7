/**
 * npm run bench: the emulator against a bare node:http server answering the same requests with
 * pre-serialized bodies, measured in the same run, alternating, and reported as ratios.
 *
 * Env: BENCH_DURATION (s a load, default 10), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const cli = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const rawServer = fileURLToPath(new URL('./raw-server.mjs', import.meta.url));
const good = { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'postpaid-token' };
const bad = { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'wrong-token' };

// With taskset (util-linux), the load generator (this process) runs on CPU 0 and every server on CPU 1, so
// the two never compete and runs vary less. Without it, both float.
const pinned = (() => {
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let nextPort = 4300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

interface Started {
  child: ChildProcess;
  url: string;
  startupMs: number;
  stop(): Promise<void>;
}

/** Spawns a server and polls until the authenticated request answers 200: spawn-to-first-200 time. */
async function start(args: string[], env: Record<string, string>, headers = good): Promise<Started> {
  const port = nextPort++;
  const t0 = performance.now();
  const [command, argv] = pinned ? ['taskset', ['-c', '1', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/api/v1/auth/me`, { headers });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - t0 > 20_000) throw new Error('no 200 within 20 s');
    await sleep(2);
  }
  const startupMs = performance.now() - t0;
  return {
    child,
    url,
    startupMs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function load(url: string, headers: Record<string, string>, expected: number) {
  const result = await autocannon({ url: `${url}/api/v1/auth/me`, headers, connections, duration });
  const total = result.requests.total;
  const wrong = result.non2xx - (expected === 200 ? 0 : total) + result.errors;
  if (expected === 200 ? result.non2xx > 0 || result.errors > 0 : result['4xx'] !== total) {
    throw new Error(`unexpected answers under load: non2xx ${result.non2xx}, errors ${result.errors}, ${wrong}`);
  }
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50 };
}

const emulator = (extra: string[] = []) => [cli, '--host', '127.0.0.1', ...extra];

async function main() {
  // The bodies the raw server sends are the emulator's own.
  const probe = await start(emulator(), {});
  const body200 = await (await fetch(`${probe.url}/api/v1/auth/me`, { headers: good })).text();
  const body401 = await (await fetch(`${probe.url}/api/v1/auth/me`, { headers: bad })).text();
  await probe.stop();
  const rawEnv = { BODY_200: body200, BODY_401: body401, TOKEN: good['x-auth-token'] };
  const raw = () => start([rawServer], rawEnv);
  const emu = () => start(emulator(), {});

  const figures: Record<string, { raw: number[]; emu: number[] }> = {};
  const record = (name: string, side: 'raw' | 'emu', value: number) => {
    figures[name] ??= { raw: [], emu: [] };
    figures[name][side].push(value);
  };

  console.log(`bench: ${rounds} rounds, ${connections} connections, ${duration} s a load, node ${process.version}, ${pinned ? 'servers pinned to CPU 1, load on CPU 0' : 'unpinned'}`);
  for (let round = 1; round <= rounds; round++) {
    for (const side of ['raw', 'emu'] as const) {
      const server = side === 'raw' ? await raw() : await emu();
      record('start-up to first 200 (ms)', side, server.startupMs);
      await sleep(500);
      record('idle RSS after start (MB)', side, rssMb(server.child.pid!));
      const ok = await load(server.url, good, 200);
      record('200 throughput (req/s)', side, ok.rps);
      record('200 latency p99 (ms)', side, ok.p99);
      const no = await load(server.url, bad, 401);
      record('401 throughput (req/s)', side, no.rps);
      record('401 latency p99 (ms)', side, no.p99);
      await server.stop();
    }
    console.log(`round ${round} done`);
  }

  // --generate 100000: start-up, and 200-path throughput on a generated account against the default set.
  const big: number[] = [];
  const bigRps: number[] = [];
  const defaultRps: number[] = [];
  const { generatedCredentials } = await import('../src/store/generate.js');
  const last = generatedCredentials(1, 99_999);
  const lastHeaders = { 'x-auth-id': last.authId, 'x-auth-token': last.token };
  for (let round = 1; round <= rounds; round++) {
    const dflt = await emu();
    defaultRps.push((await load(dflt.url, good, 200)).rps);
    await dflt.stop();
    const server = await start(emulator(['--generate', '100000', '--seed', '1']), {}, lastHeaders);
    big.push(server.startupMs);
    bigRps.push((await load(server.url, lastHeaders, 200)).rps);
    await server.stop();
  }

  const rows: string[][] = [['figure', 'raw node:http', 'vobiz-mock', 'emulator/raw', 'target']];
  const targets: Record<string, string> = {
    '200 throughput (req/s)': '>= 0.80',
    '401 throughput (req/s)': '>= 0.80',
    '200 latency p99 (ms)': '<= 1.50',
    '401 latency p99 (ms)': '<= 1.50',
    'start-up to first 200 (ms)': '<= 2.00',
    'idle RSS after start (MB)': '<= 1.50',
  };
  for (const [name, { raw: r, emu: e }] of Object.entries(figures)) {
    const rm = median(r);
    const em = median(e);
    rows.push([name, rm.toFixed(1), em.toFixed(1), (em / rm).toFixed(2), targets[name] ?? '']);
  }
  rows.push(['--generate 100000: start-up to first 200 (ms)', '', median(big).toFixed(0), '', '< 2000 ms']);
  rows.push([
    '--generate 100000: 200 throughput / default set',
    median(defaultRps).toFixed(0),
    median(bigRps).toFixed(0),
    (median(bigRps) / median(defaultRps)).toFixed(2),
    '>= 0.95',
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  console.log(`\n${rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n')}`);
  console.log('(medians over rounds; in the last row "raw" is the default fixture set)');
}

await main();
