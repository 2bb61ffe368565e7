import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules/.bin/tsc');

t.test('the packed package installs outside the clone and loads from CommonJS and ESM, with types', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vobiz-mock-pack-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The build is already there (pretest); packing without scripts packs exactly it.
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
  const [info] = JSON.parse(packed) as [{ filename: string; size: number; unpackedSize: number; files: { path: string }[] }];
  const paths = info.files.map((f) => f.path);
  t.notOk(paths.some((p) => p.endsWith('.map') || p.endsWith('.cache') || p.endsWith('.tsbuildinfo')), 'no source maps or build caches');
  t.ok(['LICENSE', 'CHANGELOG.md', 'dist/index.cjs', 'dist/index.d.cts', 'dist/bin.js', 'fixtures/capacity-pricing.json', 'dist/dashboard/index.html', 'dist/dashboard/app.js', 'dist/dashboard/app.css'].every((p) => paths.includes(p)));
  // A guard against shipping what is not needed (maps and caches are checked above), not a budget: about 760 kB now
  // (the dashboard's files about 45 kB of it).
  t.ok(info.size < 850_000, `small: ${info.size} bytes packed`);
  // What the documentation says of it stays true (within 10 %).
  const said = /about (\d+) kB packed, ([\d.]+) MB unpacked/.exec(readFileSync(join(root, 'docs/getting-started.md'), 'utf8'))!;
  t.ok(Math.abs(Number(said[1]) * 1000 - info.size) / info.size < 0.1, `README: ${said[1]} kB packed, npm pack: ${info.size} bytes`);
  t.ok(Math.abs(Number(said[2]) * 1e6 - info.unpackedSize) / info.unpackedSize < 0.1, `README: ${said[2]} MB unpacked, npm pack: ${info.unpackedSize} bytes`);

  const consumer = join(dir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'commonjs' }));
  execFileSync('npm', ['install', join(dir, info.filename), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: consumer, stdio: 'ignore' });
  writeFileSync(
    join(consumer, 'c.cjs'),
    `const { createEmulator } = require('vobiz-mock');
createEmulator({ port: 0 }).then(async (e) => {
  const r = await fetch(e.url + '/api/v1/auth/me', { headers: { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token' } });
  process.stdout.write('cjs ' + r.status + ' ' + (await r.json()).auth_id);
  await e.close();
});`,
  );
  writeFileSync(
    join(consumer, 'e.mjs'),
    `import { ControlClient, createEmulator, workerNamespace } from 'vobiz-mock';
const e = await createEmulator({ port: 0 });
const control = new ControlClient(e.url, { namespace: workerNamespace('pkg', { JEST_WORKER_ID: '1' }) });
await control.setBalance('MA_POSTPAID', 'INR', 42);
const r = await fetch(e.url + '/api/v1/Account/MA_POSTPAID/balance/INR', { headers: { 'X-Auth-ID': 'MA_POSTPAID', 'X-Auth-Token': 'postpaid-token', ...control.headers } });
process.stdout.write('esm ' + r.status + ' ' + (await r.json()).balance + ' ' + control.namespace);
await e.close();`,
  );
  t.equal(execFileSync(process.execPath, ['c.cjs'], { cwd: consumer, encoding: 'utf8' }), 'cjs 200 MA_POSTPAID');
  t.equal(execFileSync(process.execPath, ['e.mjs'], { cwd: consumer, encoding: 'utf8' }), 'esm 200 42 pkg-1', 'the control-plane client, in a worker namespace');
  t.equal(execFileSync(join(consumer, 'node_modules/.bin/vobiz-mock'), ['--version'], { encoding: 'utf8' }).trim(), '0.1.0', 'the bin');
  // The Testcontainers helper without its optional peer: a clear refusal, from CommonJS and ESM.
  for (const [file, code] of [
    ['t.cjs', "require('vobiz-mock/testcontainers').startVobizMock().catch((e) => process.stdout.write(e.message));"],
    ['t.mjs', "import { startVobizMock } from 'vobiz-mock/testcontainers';\nawait startVobizMock().catch((e) => process.stdout.write(e.message));"],
  ] as const) {
    writeFileSync(join(consumer, file), code);
    t.equal(execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' }), 'vobiz-mock/testcontainers needs the testcontainers package: npm install --save-dev testcontainers', file);
  }

  // Types, for a CommonJS and an ESM TypeScript consumer alike.
  const typed = `import { ControlClient, createEmulator, type Account } from 'vobiz-mock';\nconst account: Account | undefined = undefined;\nexport const run = () => createEmulator({ port: 0 }).then((e) => e.control('typed').clock().then(() => e.close())).then(() => account);\nexport const client = new ControlClient('http://127.0.0.1:4010');\n`;
  writeFileSync(join(consumer, 'a.cts'), typed);
  writeFileSync(join(consumer, 'b.mts'), typed);
  t.doesNotThrow(
    () => execFileSync(tsc, ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--typeRoots', join(root, 'node_modules/@types'), '--types', 'node', 'a.cts', 'b.mts'], { cwd: consumer, stdio: 'pipe' }),
    'tsc type-checks both',
  );
  t.ok(statSync(join(consumer, 'node_modules/vobiz-mock/dist/index.d.cts')).isFile());
  t.ok(readdirSync(join(consumer, 'node_modules/vobiz-mock/fixtures')).length >= 9);
});
