/**
 * npm run bench: the emulator against a bare node:http server answering the same requests with the same bytes,
 * measured in the same run, in pairs (both servers up, loaded in alternate turns of a second, a turn of each side a
 * pair), and reported as the median of the pairs' ratios; figures go to docs/benchmarks.md (generated).
 *
 * The load comes from wrk (Debian's `wrk`), not from Node: a Node load generator on one core tops out below
 * what a bare node:http server answers, and then every ratio is pressed towards 1. With taskset, each server
 * runs on CPU 1 and wrk on CPU 0; wrk's own CPU is measured and a figure is refused when wrk used more than
 * 90 % of its core (the generator, not the server, would be what was measured). Beside requests a second, the
 * server's CPU time per request (user + system, from /proc) is reported: on a noisy machine it moves least.
 *
 * Env: BENCH_DURATION (s of load a side, default 6), BENCH_TURN (s a turn, default 1), BENCH_ROUNDS (default 5), BENCH_CONNECTIONS (default 50),
 * BENCH_ONLY (comma-separated scenario name prefixes, default all), BENCH_GENERATE (accounts for the large
 * start-up figure, default 1000000; 0 skips it), BENCH_OUT (default docs/benchmarks.md).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedCredentials } from '../src/fixtures/generate.js';
import { freePort } from '../scripts/free-port.js';

const duration = Number(process.env.BENCH_DURATION ?? 6);
/** A turn of load on one side, in whole seconds (wrk takes no fraction), and how many each side gets. */
const turnSeconds = Number(process.env.BENCH_TURN ?? 1);
const turns = Math.max(1, Math.round(duration / turnSeconds));
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const generate = Number(process.env.BENCH_GENERATE ?? 1_000_000);
const out = process.env.BENCH_OUT ?? fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const cli = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const rawServer = fileURLToPath(new URL('./raw-server.mjs', import.meta.url));
const good = { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'postpaid-token' };
const bad = { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'wrong-token' };
const ledger = { 'x-auth-id': 'MA_LEDGER01', 'x-auth-token': 'ledger-token' };
const subAccount = { 'x-auth-id': 'SA_SUPPORT1', 'x-auth-token': 'support-token' };

interface Scenario {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly status: number;
  /** The least emulator/raw ratio of requests a second the project aims at. */
  readonly target: number;
  /** Run on the emulator before its load (the raw server needs none). */
  readonly setup?: (url: string) => Promise<void>;
}

const all: Scenario[] = [
  { name: '/auth/me 200', method: 'GET', path: '/api/v1/auth/me', headers: good, status: 200, target: 0.9 },
  { name: '/auth/me 401', method: 'GET', path: '/api/v1/auth/me', headers: bad, status: 401, target: 0.9 },
  { name: 'balance', method: 'GET', path: '/api/v1/Account/MA_POSTPAID/balance/INR', headers: good, status: 200, target: 0.85 },
  { name: 'concurrency', method: 'GET', path: '/api/v1/Account/MA_POSTPAID/concurrency', headers: good, status: 200, target: 0.85 },
  { name: 'transactions page (50 of 10,000, type=debit)', method: 'GET', path: '/api/v1/Account/MA_LEDGER01/transactions?type=debit&per_page=50&page=3', headers: ledger, status: 200, target: 0.6 },
  {
    name: '/auth/me in 1 of 1,000 namespaces',
    method: 'GET',
    path: '/api/v1/auth/me',
    headers: { ...good, 'x-vobiz-mock-namespace': 'ns-999' },
    status: 200,
    target: 0.9,
    setup: async (url) => {
      for (let i = 0; i < 1000; i++) await (await fetch(`${url}/api/v1/auth/me`, { headers: { ...good, 'x-vobiz-mock-namespace': `ns-${i}` } })).text();
    },
  },
  { name: 'sub-accounts list (3)', method: 'GET', path: '/api/v1/accounts/MA_POSTPAID/sub-accounts/', headers: good, status: 200, target: 0.8 },
  { name: 'sub-account get', method: 'GET', path: '/api/v1/accounts/MA_POSTPAID/sub-accounts/SA_SUPPORT1', headers: good, status: 200, target: 0.8 },
  { name: '/auth/me with a sub-account pair', method: 'GET', path: '/api/v1/auth/me', headers: subAccount, status: 200, target: 0.85 },
  {
    name: 'purchase (POST, 201)',
    method: 'POST',
    path: '/api/v1/accounts/MA_POSTPAID/channel-subscriptions',
    headers: { ...good, 'content-type': 'application/json' },
    body: JSON.stringify({ resource_type: 'cps', quantity: 3 }),
    status: 201,
    target: 0.5,
  },
];
const scenarios = all.filter((s) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').some((only) => s.name.startsWith(only)));

const has = (command: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
// With taskset (util-linux) and two CPUs, every server runs on CPU 1 and wrk on CPU 0, so the two never compete.
const pinned = has('taskset') && cpus().length >= 2;
const onCpu = (cpu: number, command: string, args: string[]): [string, string[]] => (pinned ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The value below which a share `q` of the values lie, interpolated between the two nearest (q 0.5: the median). */
const quantile = (xs: readonly number[], q: number) => {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  return sorted[below]! + (sorted[Math.min(below + 1, sorted.length - 1)]! - sorted[below]!) * (at - below);
};
const median = (xs: readonly number[]) => quantile(xs, 0.5);
const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly startupMs: number;
  stop(): Promise<void>;
}

/** Spawns a server and polls until the authenticated request answers 200: spawn-to-first-200 time. */
async function start(args: string[], env: Record<string, string>, headers = good): Promise<Started> {
  const port = await freePort();
  const t0 = performance.now();
  const [command, argv] = onCpu(1, process.execPath, args);
  const child = spawn(command, argv, { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/v1/auth/me`, { headers })).status === 200 && child.exitCode === null) break;
    } catch {
      // not listening yet
    }
    if (performance.now() - t0 > 30_000) throw new Error('no 200 within 30 s');
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
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

/** A process's CPU time so far (user + system), in seconds. */
function cpuSeconds(pid: number): number {
  // After the command, which may hold spaces in parentheses: fields 14 and 15 are utime and stime.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}

const scratch = mkdtempSync(join(tmpdir(), 'vobiz-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/**
 * A wrk script for a scenario: its method, headers and body, nothing per response (a Lua `response` callback
 * costs wrk a good part of its core). Statuses are checked from wrk's own count of answers outside 2xx and 3xx.
 */
function wrkScript(s: Scenario): string {
  const file = join(scratch, `${s.name.replace(/\W+/g, '-')}.lua`);
  const lua = [
    `wrk.method = ${JSON.stringify(s.method)}`,
    ...Object.entries(s.headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    ...(s.body !== undefined ? [`wrk.body = ${JSON.stringify(s.body)}`] : []),
  ].join('\n');
  writeFileSync(file, lua);
  return file;
}

/** wrk's latency text ("812.00us", "4.31ms", "1.02s") in milliseconds. */
function milliseconds(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text ?? '');
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

/** What one run of wrk against one server measured. */
interface Slice {
  readonly requests: number;
  /** wrk's own count of the seconds it ran. */
  readonly seconds: number;
  readonly p99Ms: number;
  /** The server's CPU time over the run (user + system), in seconds. */
  readonly serverCpu: number;
  /** wrk's CPU time over the run, in seconds. */
  readonly generatorCpu: number;
}

/** One turn's figures. */
interface Load {
  readonly rps: number;
  readonly p99Ms: number;
  /** The server's CPU time per request, in microseconds. */
  readonly cpuUs: number;
}

/** Drives a server with wrk for `seconds`, measuring both processes' CPU. wrk's own is read from a shell's `times`. */
async function slice(server: Started, s: Scenario, seconds: number): Promise<Slice> {
  const pid = server.child.pid!;
  const before = cpuSeconds(pid);
  const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;
  const wrk = ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', wrkScript(s), `${server.url}${s.path}`].map(quote).join(' ');
  const [command, argv] = onCpu(0, 'bash', ['-c', `${wrk}; times`]);
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`wrk exited with ${code}`))));
  });
  const serverCpu = cpuSeconds(pid) - before;
  const [, answered, ran] = /(\d+) requests in ([\d.]+\w+)/.exec(text) ?? [];
  const requests = Number(answered);
  const failing = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const errors = /Socket errors: (.*)/.exec(text)?.[1];
  // Every answer must have the scenario's class: all 2xx, or (a 401 scenario) none.
  const wrong = s.status < 400 ? failing : requests - failing;
  if (!(requests > 0) || wrong > 0 || errors) throw new Error(`${s.name}: ${wrong} of ${requests} answers were not ${s.status}${errors ? `; socket errors: ${errors}` : ''}`);
  // `times` prints the shell's times, then its children's: "0m1.234s 0m0.567s".
  const children = text.trim().split('\n').at(-1)!.match(/(\d+)m([\d.]+)s/g)!.map((t) => {
    const [, m, sec] = /(\d+)m([\d.]+)s/.exec(t)!;
    return Number(m) * 60 + Number(sec);
  });
  return {
    requests,
    seconds: milliseconds(ran) / 1000,
    p99Ms: milliseconds(/^\s+99%\s+([\d.]+\w+)/m.exec(text)?.[1]),
    serverCpu,
    generatorCpu: children[0]! + children[1]!,
  };
}

const loadOf = (x: Slice): Load => ({ rps: x.requests / x.seconds, p99Ms: x.p99Ms, cpuUs: (x.serverCpu / x.requests) * 1e6 });

/** wrk's CPU use over a side's turns in a round, as a share of its one core. */
const generatorShareOf = (slices: readonly Slice[]) => slices.reduce((sum, x) => sum + x.generatorCpu, 0) / slices.reduce((sum, x) => sum + x.seconds, 0);

const emulator = (extra: string[] = []) => [cli, '--host', '127.0.0.1', ...extra];

interface Figure {
  readonly raw: number[];
  readonly emu: number[];
  /** emu / raw of each pair: a turn of each side, one after the other, on the same servers (start-up and RSS: a round's two servers). */
  readonly ratios: number[];
}

async function main(): Promise<void> {
  if (!has('wrk')) {
    console.error('bench: wrk is not installed (Debian: apt-get install wrk); a load generator in Node would measure itself');
    process.exit(1);
  }
  // The bodies the raw server sends are the emulator's own.
  const probe = await start(emulator(), {});
  const routes: Record<string, { status: number; body: string }> = {};
  // Both sides answer each scenario with the same headers (names, and values but the request id's) and bodies of
  // the same length. The emulator's shape is taken at once: a later scenario may change what an earlier one shows
  // (a sub-account's pair sets its last_used), and each scenario runs on a fresh server.
  const shape = async (url: string, s: Scenario) => {
    const res = await fetch(`${url}${s.path}`, { method: s.method, headers: s.headers, ...(s.body !== undefined ? { body: s.body } : {}) });
    const headers = [...res.headers].filter(([name]) => !['date', 'x-request-id', 'keep-alive', 'connection'].includes(name));
    return JSON.stringify({ status: res.status, headers, length: (await res.arrayBuffer()).byteLength, requestId: res.headers.get('x-request-id')?.length });
  };
  const emuShapes = new Map<Scenario, string>();
  for (const s of scenarios) {
    const res = await fetch(`${probe.url}${s.path}`, { method: s.method, headers: s.headers, ...(s.body !== undefined ? { body: s.body } : {}) });
    if (res.status === s.status) routes[`${s.method} ${s.path}`] = { status: s.status, body: await res.text() };
    emuShapes.set(s, await shape(probe.url, s));
  }
  routes['GET /api/v1/auth/me'] = { status: 200, body: await (await fetch(`${probe.url}/api/v1/auth/me`, { headers: good })).text() };
  const body401 = await (await fetch(`${probe.url}/api/v1/auth/me`, { headers: bad })).text();
  const subMe = await (await fetch(`${probe.url}/api/v1/auth/me`, { headers: subAccount })).text();
  const rawEnv = { ROUTES: JSON.stringify(routes), BODY_401: body401, TOKEN: good['x-auth-token'], ME: JSON.stringify({ [subAccount['x-auth-token']]: subMe }) };
  const raw = await start([rawServer], rawEnv);
  for (const s of scenarios) {
    const [emu, bare] = [emuShapes.get(s)!, await shape(raw.url, s)];
    if (emu !== bare) throw new Error(`${s.name}: the raw server does not answer what the emulator does:\n  emulator ${emu}\n  raw      ${bare}`);
  }
  await Promise.all([probe.stop(), raw.stop()]);

  const figures = new Map<string, Figure>();
  /** A figure of both sides of one pair (either side may be missing: a refused load). */
  const record = (name: string, pair: { raw?: number | undefined; emu?: number | undefined }) => {
    if (!figures.has(name)) figures.set(name, { raw: [], emu: [], ratios: [] });
    const figure = figures.get(name)!;
    if (pair.raw !== undefined) figure.raw.push(pair.raw);
    if (pair.emu !== undefined) figure.emu.push(pair.emu);
    if (pair.raw !== undefined && pair.emu !== undefined) figure.ratios.push(pair.emu / pair.raw);
  };
  const generatorShare: number[] = [];
  const refused: string[] = [];

  console.log(`bench: ${rounds} rounds, ${connections} connections, ${turns} turns of ${turnSeconds} s a side, wrk, node ${process.version}, ${pinned ? 'servers on CPU 1, wrk on CPU 0' : 'unpinned (no taskset or one CPU)'}`);
  // Each scenario on a fresh server of each side. Both are started (the raw server first in odd rounds, the
  // emulator first in even ones) and warmed, then loaded in turns of `turnSeconds`, raw and emulator
  // alternately, until each has had `duration`: a slow stretch of this shared machine, which lasts seconds,
  // falls on both sides of a ratio rather than on whichever ran in it.
  for (let round = 1; round <= rounds; round++) {
    const sides = round % 2 === 1 ? (['raw', 'emu'] as const) : (['emu', 'raw'] as const);
    for (const [n, s] of scenarios.entries()) {
      const startup: { raw?: number; emu?: number } = {};
      const rss: { raw?: number; emu?: number } = {};
      const servers: { raw?: Started; emu?: Started } = {};
      for (const side of sides) {
        const server = side === 'raw' ? await start([rawServer], rawEnv) : await start(emulator(), {});
        servers[side] = server;
        startup[side] = server.startupMs;
        if (n === 0) {
          await sleep(500);
          rss[side] = rssMb(server.child.pid!);
        }
        if (side === 'emu' && s.setup) await s.setup(server.url);
        // A second of warm-up first, not recorded (V8 compiles the hot functions; the 10,000-entry ledger is made).
        await slice(server, s, 1);
      }
      const slices: { raw: Slice[]; emu: Slice[] } = { raw: [], emu: [] };
      for (let turn = 0; turn < turns; turn++) {
        for (const side of sides) slices[side].push(await slice(servers[side]!, s, turnSeconds));
      }
      await Promise.all([servers.raw!.stop(), servers.emu!.stop()]);
      // A side whose wrk was near the end of its core in the round is refused: wrk, not the server, set its pace.
      const usable = { raw: true, emu: true };
      for (const side of sides) {
        const share = generatorShareOf(slices[side]);
        generatorShare.push(share);
        if (share > 0.9) {
          refused.push(`${s.name} (${side}, round ${round}): wrk used ${Math.round(share * 100)} % of its core`);
          usable[side] = false;
        }
      }
      record('start-up to first 200 (ms)', startup);
      if (n === 0) record('idle RSS after start (MB)', rss);
      for (let turn = 0; turn < turns; turn++) {
        const raw = usable.raw ? loadOf(slices.raw[turn]!) : undefined;
        const emu = usable.emu ? loadOf(slices.emu[turn]!) : undefined;
        record(`${s.name}: requests/s`, { raw: raw?.rps, emu: emu?.rps });
        record(`${s.name}: server CPU per request (µs)`, { raw: raw?.cpuUs, emu: emu?.cpuUs });
        record(`${s.name}: latency p99 (ms)`, { raw: raw?.p99Ms, emu: emu?.p99Ms });
      }
      const rps = (side: 'raw' | 'emu') => (usable[side] ? median(slices[side].map((x) => loadOf(x).rps)).toFixed(0) : 'refused');
      console.log(`  ${s.name}: raw ${rps('raw')} req/s, emulator ${rps('emu')} req/s (medians of the round's turns)`);
    }
    console.log(`round ${round} done`);
  }

  // A large generated set: start-up to the first 200 (on its last account) and the RSS it takes.
  const large: { startupMs: number[]; rss: number[] } = { startupMs: [], rss: [] };
  if (generate > 0) {
    const last = generatedCredentials(1, generate - 1);
    for (let round = 1; round <= Math.min(rounds, 3); round++) {
      const server = await start(emulator(['--generate', String(generate), '--seed', '1']), {}, { 'x-auth-id': last.authId, 'x-auth-token': last.token });
      large.startupMs.push(server.startupMs);
      await sleep(500);
      large.rss.push(rssMb(server.child.pid!));
      await server.stop();
    }
  }

  const targets: Record<string, string> = { 'start-up to first 200 (ms)': '<= 1.5', 'idle RSS after start (MB)': '<= 1.4' };
  for (const s of scenarios) targets[`${s.name}: requests/s`] = `>= ${s.target}`;
  const rows: string[][] = [];
  for (const [name, { raw, emu, ratios }] of figures) {
    // The median of the pairs' ratios, not the ratio of the medians: the machine's speed drifts, and a pair's
    // two sides ran one after the other on the same drift. A median, not a mean: a slow second of this shared
    // machine (a turn at half to two thirds of its neighbours' speed, a few times a minute) falls on one side of a pair, and moves a mean, not a median.
    const ratio = median(ratios);
    const digits = name.includes('µs') || name.includes('ms') || name.includes('MB') ? 1 : 0;
    const spread = ratios.length > 1 ? `${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}` : '';
    rows.push([name, median(raw).toFixed(digits), median(emu).toFixed(digits), Number.isFinite(ratio) ? ratio.toFixed(2) : '', spread, targets[name] ?? '']);
  }
  if (generate > 0) {
    rows.push([`--generate ${generate}: start-up to first 200 (ms)`, '', median(large.startupMs).toFixed(0), '', '', generate === 1_000_000 ? '<= 2500 ms' : '']);
    rows.push([`--generate ${generate}: RSS after start (MB)`, '', median(large.rss).toFixed(0), '', '', generate === 1_000_000 ? '<= 350 MB' : '']);
  }
  const table = [['figure', 'raw node:http', 'vobiz-mock', 'vobiz-mock / raw', 'middle half of pairs', 'target'], ['---', '---:', '---:', '---:', '---:', '---'], ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const text = `# Benchmarks

What this page is for: how fast the emulator answers, against a bare node:http server on the same machine in the
same run. How the bench works, and how the code is laid out for speed: [architecture.md](architecture.md#speed).

Generated by \`npm run bench\` (bench/bench.ts) on ${new Date().toISOString().slice(0, 10)}: do not edit by hand.

Each scenario runs on a fresh emulator (\`node dist/bin.js\`, journal on, as by default) and a fresh bare node:http
server answering the same requests with the same bytes (bench/raw-server.mjs), ${rounds} rounds. In a round, both
servers are started and warmed with 1 s of load each, then loaded in turns of ${turnSeconds} s, one side then the
other, until each has had ${turns * turnSeconds} s. A turn of each side, one after the other, is a pair: ${rounds * turns} pairs a scenario.
The table gives each side's median over its turns, and as ratio the median of the pairs' own ratios, with the
middle half of them (the quartiles). Start-up and RSS are measured once a round. A median of pairs, because
this shared machine has slow seconds (a turn at half to two thirds of its neighbours' speed, a few times a minute)
that fall on one side of a pair: they move a mean, or the sum of a round, but not the median. Load: wrk, one thread, ${connections} connections, ${pinned ? 'servers pinned to CPU 1 and wrk to CPU 0 (taskset)' : 'unpinned'}.
wrk's own CPU use stayed at ${Math.round(Math.max(...generatorShare) * 100)} % of its core at most (a side's round is refused above 90 %: the
generator would be what was measured). Server CPU per request is the server's user + system time over a turn
divided by the requests it answered. Latency p99 is wrk's over a turn.

Machine: ${cpus().length} × ${cpu}, node ${process.version}.

${table}
${refused.length > 0 ? `\nRefused (generator-bound): ${refused.join('; ')}\n` : ''}`;
  writeFileSync(out, text);
  console.log(`\n${table}\n\nwritten to ${out}`);
}

await main();
