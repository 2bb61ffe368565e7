import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Resolves with the URL once the emulator's start-up line is out on the child's standard output. */
async function listening(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout!) {
    out += chunk;
    const url = /listening on (http:\/\/\S+) /.exec(out)?.[1];
    if (url) return url;
  }
  throw new Error(`no start-up line: ${out}`);
}

/** Polls until the URL stops answering; false if it still answers after `ms`. */
async function stopsAnswering(url: string, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      await fetch(`${url}/health`);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

t.test('SIGTERM or SIGINT sent to `npm start` itself stops the emulator', async (t) => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const npm = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    t.teardown(() => void npm.kill('SIGKILL'));
    const url = await listening(npm);
    t.equal((await fetch(`${url}/health`)).status, 200, `${signal}: answering`);
    npm.kill(signal);
    t.ok(await stopsAnswering(url, 3000), `${signal}: the emulator stops within 3 s`);
  }
});

t.test('an emulator whose parent is killed outright (as under npx) stops too', async (t) => {
  // A parent that starts the emulator, then dies without passing anything on.
  const parent = spawn(process.execPath, ['-e', `require('node:child_process').spawn(process.execPath, [${JSON.stringify(bin)}, '--port', '0'], { stdio: 'inherit' }); setInterval(() => {}, 1000);`], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => void parent.kill('SIGKILL'));
  const url = await listening(parent);
  t.equal((await fetch(`${url}/health`)).status, 200);
  parent.kill('SIGKILL');
  await once(parent, 'exit');
  t.ok(await stopsAnswering(url, 3000), 'the orphaned emulator stops within 3 s');
});

t.test('npm start builds only a stale dist/ (scripts/fresh.mjs), and never runs one', async (t) => {
  const { mkdtempSync, mkdirSync, writeFileSync, utimesSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { spawnSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'vobiz-mock-fresh-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const file of ['src/deep/a.ts', 'scripts/bundle.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), 'x');
  }
  const fresh = () => spawnSync(process.execPath, [join(root, 'scripts/fresh.mjs'), dir]).status;
  const at = (file: string, seconds: number) => utimesSync(join(dir, file), seconds, seconds);
  const now = Math.floor(Date.now() / 1000);
  t.equal(fresh(), 1, 'no build yet: stale');
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist/vobiz-mock.cjs.cache'), 'x');
  for (const file of ['src/deep/a.ts', 'src/deep', 'src', 'scripts/bundle.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) at(file, now - 100);
  at('dist/vobiz-mock.cjs.cache', now - 50);
  t.equal(fresh(), 0, 'built after every source: fresh');
  at('src/deep/a.ts', now);
  t.equal(fresh(), 1, 'a source edited since: stale');
});
