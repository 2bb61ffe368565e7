#!/usr/bin/env node
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

const here = fileURLToPath(import.meta.url);
import { ConfigError, type RawSettings, resolveConfig, settings, settingsFromEnv } from './config.js';
import { createEmulator } from './emulator.js';
import { bearerToken } from './domain/bearer.js';
import { builtInFixtures, FixtureError, loadFixtureSet } from './fixtures/fixtures.js';
import type { AccountSeed } from './domain/store.js';
import { generatedAccountMaker, generatedCredentials } from './fixtures/generate.js';
import { version } from './version.js';

const DRAIN_MS = 1500;

/** Option lines in three aligned columns: flag, environment variable, help. */
function helpRows(rows: readonly (readonly [string, string, string])[]): string {
  const flag = Math.max(...rows.map((r) => r[0].length));
  const env = Math.max(...rows.map((r) => r[1].length));
  return rows.map(([f, e, h]) => `  ${f.padEnd(flag)}  ${e.padEnd(env)}  ${h}`).join('\n');
}

const usage = `vobiz-mock ${version}: a local emulator of the Vobiz Account API

Usage:
  vobiz-mock [options]            start the emulator
  vobiz-mock accounts [options]   print the accounts (and credentials) those options give, then exit

Options (each also read from the environment variable shown; a flag wins over its variable):
${helpRows([
  ...settings.map((s) => [`--${`${s.flag} ${s.value}`.trimEnd()}`, s.env, s.help] as const),
  ['--json', '', 'accounts: print JSON instead of a table'],
  ['-h, --help', '', 'show this help'],
  ['-v, --version', '', 'show the version'],
])}

Exit codes: 0 done, 1 bad fixtures or start-up failure, 2 bad flag or environment variable.
`;

const options: ParseArgsConfig['options'] = {
  ...Object.fromEntries(settings.map((s) => [s.flag, { type: s.boolean ? ('boolean' as const) : ('string' as const) }])),
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

function fail(code: 1 | 2, message: string): never {
  process.stderr.write(`vobiz-mock: ${message}\n`);
  if (code === 2) process.stderr.write('Try vobiz-mock --help.\n');
  process.exit(code);
}

/** `--port -1` as `--port=-1`: a value that starts with a dash is still the value, and is then checked as one. */
function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const flag = arg.startsWith('--') ? settings.find((s) => `--${s.flag}` === arg) : undefined;
    if (flag && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function parse(argv: string[]) {
  try {
    const parsed = parseArgs({ args: joinDashValues(argv), options, allowPositionals: true, strict: true });
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const positionals = parsed.positionals;
    const flags: RawSettings = {};
    for (const s of settings) {
      const value = values[s.flag];
      if (typeof value === 'string') flags[s.key] = value;
      else if (value === true) flags[s.key] = 'true';
    }
    if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'accounts')) {
      throw new ConfigError(`unknown command ${JSON.stringify(positionals.join(' '))}`);
    }
    if (values['json'] === true && positionals[0] !== 'accounts') {
      throw new ConfigError('--json belongs to the accounts command: vobiz-mock accounts --json');
    }
    return { command: positionals[0] ?? 'serve', flags, values };
  } catch (error) {
    const { code, message } = error as Error & { code?: string };
    // Node's own text goes on about positionals after "--"; the option is what matters.
    return fail(2, code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown option ${/'[^']*'/.exec(message)?.[0] ?? message}` : message);
  }
}

/** Writes with back-pressure: a million accounts stream out in bounded memory. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

/** The accounts and credentials, as a table or JSON, streamed: generated accounts are made one at a time. */
async function printAccounts(config: ReturnType<typeof resolveConfig>, json: boolean): Promise<void> {
  const fixtures = loadFixtureSet(config.fixtures ?? builtInFixtures).seeds;
  const make = config.generate > 0 ? await generatedAccountMaker(config.seed) : undefined;
  const taken = new Map(fixtures.map((seed) => [seed.authId, seed.origin]));
  function* seeds(): Generator<AccountSeed> {
    yield* fixtures;
    for (let index = 0; index < config.generate; index++) {
      const seed = make!(index);
      const first = taken.get(seed.authId);
      if (first !== undefined) {
        throw new FixtureError([{ file: seed.origin, path: '$.account.auth_id', expected: `an auth_id not used by another account, got ${JSON.stringify(seed.authId)} (also in ${first})` }]);
      }
      yield seed;
    }
  }
  const row = (seed: AccountSeed) => {
    const data = seed.account?.() ?? seed.data().account;
    return { auth_id: seed.authId, auth_token: seed.token, bearer_token: bearerToken(seed.authId), name: data.name, postpaid: data.postpaid, origin: seed.origin };
  };
  // A seed's sub-accounts (fixtures only list them), each after its parent.
  const subRows = (seed: AccountSeed) =>
    seed.subAccounts?.length
      ? (seed.data().subAccounts ?? []).map((sub) => ({ auth_id: sub.authId, auth_token: sub.token, bearer_token: bearerToken(sub.authId), name: sub.name, parent_auth_id: seed.authId, enabled: sub.enabled, origin: seed.origin }))
      : [];
  if (json) {
    // What JSON.stringify(rows, null, 2) gives, a row at a time.
    let count = 0;
    for (const seed of seeds()) {
      for (const r of [row(seed), ...subRows(seed)]) await write(`${count++ === 0 ? '[\n' : ',\n'}${JSON.stringify(r, null, 2).replace(/^/gm, '  ')}`);
    }
    await write(count === 0 ? '[]\n' : '\n]\n');
    return;
  }
  const generated = config.generate > 0 ? generatedCredentials(config.seed, 0) : undefined;
  const listed = fixtures.flatMap((s) => [{ id: s.authId, token: s.token }, ...subRows(s).map((r) => ({ id: r.auth_id, token: r.auth_token }))]);
  const widths = [11, 10].map((min, i) =>
    Math.max(min, ...listed.map((s) => (i === 0 ? s.id : s.token).length), generated ? (i === 0 ? generated.authId : generated.token).length : 0),
  );
  const line = (cells: string[]) => `${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c)).join('  ').trimEnd()}\n`;
  await write(line(['AUTH_ID', 'AUTH_TOKEN', 'BILLING', 'NAME']));
  for (const seed of seeds()) {
    const r = row(seed);
    await write(line([r.auth_id, r.auth_token, r.postpaid ? 'postpaid' : 'prepaid ', r.name]));
    for (const sub of subRows(seed)) await write(line([sub.auth_id, sub.auth_token, 'sub     ', `${sub.name} (sub-account of ${sub.parent_auth_id}${sub.enabled ? '' : ', disabled'})`]));
  }
}

/** Where the CLI's log lines go: readable lines at a terminal (or when asked), JSON lines otherwise. */
function logStream(format: ReturnType<typeof resolveConfig>['logFormat']): NodeJS.WritableStream | undefined {
  if (format === 'json' || (format === 'auto' && !process.stdout.isTTY)) return undefined;
  const pretty = createRequire(here)('pino-pretty') as (options: object) => NodeJS.WritableStream;
  // The start-up line's fields are in its message already.
  return pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,url,port,host,version,accounts,dashboard' });
}

async function serve(config: ReturnType<typeof resolveConfig>): Promise<void> {
  const stream = logStream(config.logFormat);
  // The emulated API answers alone until the first request (or 50 ms): that request does not wait behind Fastify's load.
  const emulator = await createEmulator({ ...config, ...(stream ? { logStream: stream } : {}) }, { buildAfterMs: 50 });
  let stopping = false;
  const stop = (signal: NodeJS.Signals | 'parent exited') => {
    if (stopping) process.exit(0);
    stopping = true;
    emulator.app.log.info({ signal }, 'stopping: finishing requests in flight');
    // The drain answers what is in flight or on its way and cuts the rest at DRAIN_MS; this timer is the
    // last resort, so the process always ends within 2 s.
    setTimeout(() => process.exit(0), DRAIN_MS + 300).unref();
    emulator.close(DRAIN_MS).then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // `npm start` and `npx vobiz-mock` run the emulator under a shell that does not pass their SIGTERM on: when
  // the process that started the emulator is gone (the emulator is handed to init), the emulator stops too.
  const parent = process.ppid;
  if (parent > 1) {
    setInterval(() => {
      if (process.ppid !== parent) stop('parent exited');
    }, 250).unref();
  }
}

async function main(): Promise<void> {
  const { command, flags, values } = parse(process.argv.slice(2));
  if (values.help) return void process.stdout.write(usage);
  if (values.version) return void process.stdout.write(`${version}\n`);
  let config;
  try {
    config = resolveConfig({ env: settingsFromEnv(), flags });
  } catch (error) {
    return fail(2, (error as Error).message);
  }
  try {
    if (command === 'accounts') {
      // A reader that stops early (`| head -1`) is not a failure: stop quietly, as other commands do.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(0) : fail(1, error.message)));
      await printAccounts(config, values.json === true);
    }
    else await serve(config);
  } catch (error) {
    if (error instanceof FixtureError) return fail(1, `bad fixtures:\n${error.message}`);
    const { code } = error as Error & { code?: string };
    // A host that names no address of this machine is a bad flag (or HOST), not a start-up failure.
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL') {
      return fail(2, `cannot listen on --host ${JSON.stringify(config.host)}: ${code === 'EADDRNOTAVAIL' ? 'not an address of this machine' : 'the name does not resolve'}`);
    }
    return fail(1, (error as Error).message);
  }
}

void main();
