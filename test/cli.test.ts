import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { settings } from '../src/config.js';
import { bearerToken } from '../src/domain/bearer.js';
import { generatedSubCredentials } from '../src/fixtures/generate.js';
import { version } from '../src/version.js';
import { fixtureDir } from './helper.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const env = { PATH: process.env.PATH ?? '' };
const run = (args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...env, ...extraEnv }, timeout: 20_000, maxBuffer: 64 * 1024 * 1024 });

/** Starts the CLI on a free port and resolves once its start-up line is out. */
async function start(t: Test, args: string[] = []) {
  const child = spawn(process.execPath, [bin, '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = once(child, 'exit') as Promise<[number | null, string | null]>;
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    out += chunk;
    if (out.includes('\n')) break;
  }
  const line = JSON.parse(out.split('\n')[0]!);
  const url = /listening on (http:\/\/\S+) /.exec(line.msg)![1]!;
  return { child, line, url, exit };
}


t.test('--help names every flag and its environment variable', async (t) => {
  const res = run(['--help']);
  t.equal(res.status, 0);
  for (const s of settings) {
    t.match(res.stdout, `--${s.flag} ${s.value}`);
    t.match(res.stdout, s.env);
  }
  t.match(res.stdout, 'vobiz-mock accounts');
  t.equal(res.stderr, '');
});

t.test('--version', async (t) => {
  const res = run(['--version']);
  t.equal(res.status, 0);
  t.equal(res.stdout, `${version}\n`);
});

t.test('bad flags and variables exit 2 with a message', async (t) => {
  const cases: [string[], Record<string, string>, string][] = [
    [['--nope'], {}, "vobiz-mock: unknown option '--nope'"],
    [['--port', 'abc'], {}, 'vobiz-mock: invalid --port "abc": expected an integer from 0 to 65535'],
    [['--port'], {}, "vobiz-mock: Option '--port <value>' argument missing"],
    [[], { PORT: '99999' }, 'vobiz-mock: invalid environment variable PORT "99999": expected an integer from 0 to 65535'],
    [['--log-level', 'loud'], {}, 'vobiz-mock: invalid --log-level "loud": expected one of fatal, error, warn, info, debug, trace, silent'],
    [['serve'], {}, 'vobiz-mock: unknown command "serve"'],
    [['--port', '-1'], {}, 'vobiz-mock: invalid --port "-1": expected an integer from 0 to 65535'],
    [['--port=-5'], {}, 'vobiz-mock: invalid --port "-5": expected an integer from 0 to 65535'],
    [['--json'], {}, 'vobiz-mock: --json belongs to the accounts command: vobiz-mock accounts --json'],
    [['--host', 'no-such-host.invalid', '--port', '0'], {}, 'vobiz-mock: cannot listen on --host "no-such-host.invalid": the name does not resolve'],
    [['--host', '203.0.113.9', '--port', '0'], {}, 'vobiz-mock: cannot listen on --host "203.0.113.9": not an address of this machine'],
  ];
  for (const [args, extraEnv, message] of cases) {
    const res = run(args, extraEnv);
    t.equal(res.status, 2, args.join(' ') || JSON.stringify(extraEnv));
    t.equal(res.stderr.split('\n')[0], message);
    t.equal(res.stdout, '');
  }
});

t.test('a bad fixture stops start-up with exit 1, naming file, path and expectation', async (t) => {
  const dir = fixtureDir(t, { 'broken.json': { auth_token: 'x', account: { type: 'account' } } });
  const res = run(['--fixtures', dir, '--port', '0']);
  t.equal(res.status, 1);
  t.match(res.stderr, 'vobiz-mock: bad fixtures:\n');
  t.match(res.stderr, `${dir}/broken.json: $.account.id: expected a string of 1 to 15 digits (required property is missing)`);
  t.notMatch(res.stderr, /\n\s+at /, 'no stack trace');
  const env = run(['--port', '0'], { VOBIZ_MOCK_FIXTURES: dir });
  t.equal(env.status, 1, 'VOBIZ_MOCK_FIXTURES too');
});

t.test('--port 0: one start-up line with version, URL and accounts; then serves', async (t) => {
  const { child, line, url, exit } = await start(t, ['--generate', '3']);
  t.match(line, { level: 30, msg: `vobiz-mock ${version} listening on ${url} with 11 accounts; dashboard ${url}/__mock/`, dashboard: `${url}/__mock/`, url, port: Number(new URL(url).port), host: '127.0.0.1', version, accounts: 11 });
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${url}/api/v1/auth/me`, { headers: { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token' } });
  t.equal(res.status, 200);
  t.equal(((await res.json()) as { auth_id: string }).auth_id, 'MA_POSTPAID');
  child.kill('SIGINT');
  t.same(await exit, [0, null], 'SIGINT: exit 0');
});

t.test('accounts prints the accounts and their credentials', async (t) => {
  const table = run(['accounts', '--generate', '2', '--seed', '1']);
  t.equal(table.status, 0);
  const lines = table.stdout.trimEnd().split('\n');
  t.match(lines[0], /^AUTH_ID\s+AUTH_TOKEN\s+BILLING\s+NAME$/);
  t.equal(lines.length, 15, 'a header, 8 fixtures, their 3 sub-accounts, 2 generated (the first with a sub-account)');
  t.match(table.stdout, /MA_POSTPAID\s+postpaid-token\s+postpaid\s+John Doe\nSA_SUPPORT1\s+support-token\s+sub\s+Support Team \(sub-account of MA_POSTPAID\)\nSA_DISABLD1\s+disabled-sub-token\s+sub\s+Former Reseller \(sub-account of MA_POSTPAID, disabled\)\n/);
  const json = JSON.parse(run(['accounts', '--generate', '2', '--seed', '1', '--json']).stdout);
  t.same(json.slice(-3).map((a: { auth_id: string }) => a.auth_id), ['MA_6I044WBJ', generatedSubCredentials(1, 0, 0).authId, 'MA_6IGNID9I']);
  const postpaid = json.find((a: { auth_id: string }) => a.auth_id === 'MA_POSTPAID');
  t.same(Object.keys(postpaid), ['auth_id', 'auth_token', 'bearer_token', 'name', 'postpaid', 'origin']);
  t.equal(postpaid.bearer_token, bearerToken('MA_POSTPAID'), 'a Bearer token for the capacity endpoints');
  const sub = json.find((a: { auth_id: string }) => a.auth_id === 'SA_KYCWAIT1');
  t.same(sub, { auth_id: 'SA_KYCWAIT1', auth_token: 'kyc-wait-token', bearer_token: bearerToken('SA_KYCWAIT1'), name: 'Customer Co', parent_auth_id: 'MA_POSTPAID', enabled: true, origin: sub.origin });
  t.same(JSON.parse(run(['accounts', '--generate', '2', '--seed', '1', '--json']).stdout), json, 'the same every time');
  // Streamed a row at a time: still one JSON document, and the same rows as the accounts the emulator serves.
  const many = JSON.parse(run(['accounts', '--generate', '3000', '--seed', '1', '--json']).stdout) as { auth_id: string }[];
  // 3,000 generated accounts, every fifth with 1 to 3 sub-accounts (1,200 here), after the fixtures' 11.
  t.equal(many.length, 4211);
  t.equal(new Set(many.map((a) => a.auth_id)).size, 4211);
  t.same(many.slice(0, 10), json.slice(0, 10));
  t.equal(run(['accounts', '--generate', '3000']).stdout.trimEnd().split('\n').length, 4212, 'the table: a header and a line an account or sub-account');
});

/** Opens a raw connection, asks for the 1.5 MB Swagger UI bundle and stops reading after the first chunk. */
async function slowDownload(url: string) {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write('GET /docs/static/swagger-ui-bundle.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const chunks: Buffer[] = [Buffer.from(await once(socket, 'data').then(([c]) => c as Buffer))];
  socket.pause();
  return {
    socket,
    async finish() {
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.resume();
      await once(socket, 'close');
      const text = Buffer.concat(chunks).toString('latin1');
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1]);
      return { length, received: text.length - text.indexOf('\r\n\r\n') - 4 };
    },
  };
}

t.test('SIGTERM: stops accepting, finishes the request in flight, exits 0', async (t) => {
  const { child, url, exit } = await start(t);
  const download = await slowDownload(url);
  const t0 = Date.now();
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  await t.rejects(fetch(`${url}/health`), 'new connections are refused');
  const { length, received } = await download.finish();
  t.ok(length > 1_000_000, `a large response (${length} bytes)`);
  t.equal(received, length, 'the response in flight arrives whole');
  t.same(await exit, [0, null]);
  t.ok(Date.now() - t0 < 2000, 'within 2 s');
});

t.test('SIGTERM with a client that never reads: cut off, exit 0 within 2 s', async (t) => {
  const { child, url, exit } = await start(t);
  const download = await slowDownload(url);
  const t0 = Date.now();
  child.kill('SIGTERM');
  t.same(await exit, [0, null]);
  const elapsed = Date.now() - t0;
  t.ok(elapsed < 2000, `exited after ${elapsed} ms`);
  download.socket.destroy();
});

t.test('SIGTERM under keep-alive load from 128 connections: every request answered, no reset, exit 0 within 2 s', async (t) => {
  const { child, url, exit } = await start(t);
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  t.teardown(() => agent.destroy());
  const failures: Record<string, number> = {};
  let answered = 0;
  let closing = 0;
  let stop = false;
  const one = () =>
    new Promise<boolean>((resolve) => {
      const req = httpRequest(`${url}/api/v1/auth/me`, { agent, headers: { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'postpaid-token' } }, (res) => {
        if (res.headers.connection === 'close') closing++;
        res.resume();
        res.on('end', () => {
          answered++;
          resolve(true);
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        failures[error.code ?? error.message] = (failures[error.code ?? error.message] ?? 0) + 1;
        resolve(false);
      });
      req.end();
    });
  const workers = Array.from({ length: 128 }, async () => {
    while (!stop) if (!(await one())) await new Promise((r) => setTimeout(r, 5));
  });
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  child.kill('SIGTERM');
  t.same(await exit, [0, null], 'exit 0');
  const took = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await Promise.all(workers);
  t.ok(answered > 128, `${answered} requests answered`);
  t.equal(closing, 128, 'each of the 128 connections got one answer with Connection: close');
  t.same(Object.keys(failures).filter((code) => code !== 'ECONNREFUSED'), [], `only new connections were refused (${JSON.stringify(failures)})`);
  t.ok(took < 2000, `exited after ${took} ms`);
});

/** Runs the CLI until its start-up line is out, lets `whileUp` use it, stops it, and gives all it printed. */
async function outputOf(t: Test, args: string[], whileUp: (firstLine: string) => Promise<void> = async () => {}): Promise<string> {
  const child = spawn(process.execPath, [bin, '--port', '0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  while (!out.includes('listening on')) await new Promise((resolve) => setTimeout(resolve, 20));
  await whileUp(out.split('\n')[0]!);
  child.kill('SIGTERM');
  await once(child, 'exit');
  return out;
}

t.test('the start-up line is printed once whatever the host; --log-format pretty gives readable lines', async (t) => {
  const out = await outputOf(t, ['--host', '0.0.0.0'], async (line) => {
    t.equal((await fetch(`http://127.0.0.1:${JSON.parse(line).port as number}/health`)).status, 200);
  });
  t.equal(out.split('\n').filter((l) => l.includes('listening on')).length, 1, 'one start-up line for 0.0.0.0');
  const text = await outputOf(t, ['--log-format', 'pretty']);
  t.match(text.split('\n')[0], /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: vobiz-mock \S+ listening on (http:\/\/127\.0\.0\.1:\d+) with 8 accounts; dashboard \1\/__mock\/$/, 'a readable line, not JSON, with the dashboard\'s address');
});

t.test('accounts into a reader that stops early (| head -1): quiet, exit 0', async (t) => {
  const child = spawn(process.execPath, [bin, 'accounts', '--generate', '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The first chunk read, the pipe closed: as head does after its line.
  await once(child.stdout, 'data');
  child.stdout.destroy();
  const [code] = (await once(child, 'exit')) as [number | null];
  t.equal(code, 0);
  t.equal(stderr, '', 'no "write EPIPE"');
});
