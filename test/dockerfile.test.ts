import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { createEmulator } from '../src/emulator.js';

const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');

t.test("the image's labels carry the package's version", async (t) => {
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  t.match(dockerfile, new RegExp(`^ARG VERSION=${version.replaceAll('.', '\\.')}$`, 'm'), 'ARG VERSION follows package.json');
  for (const label of ['version', 'revision', 'source', 'licenses', 'title']) t.match(dockerfile, `org.opencontainers.image.${label}=`);
});

t.test('the HEALTHCHECK command, run as Docker runs it: 0 against a live emulator, not 0 without one', async (t) => {
  const command = JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  t.equal(command[0], 'bash');
  const emulator = await createEmulator({ port: 0 });
  t.teardown(() => emulator.close());
  // Spawned, not spawnSync: the emulator answers from this very process.
  const check = async (port: string) => {
    const child = spawn(command[0]!, command.slice(1), { env: { PATH: process.env.PATH ?? '', PORT: port }, stdio: 'ignore', timeout: 5000 });
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  };
  t.equal(await check(new URL(emulator.url).port), 0, 'healthy');
  await emulator.close();
  t.not(await check(new URL(emulator.url).port), 0, 'unhealthy once it is gone');
});

t.test("the documented compose health check, as compose runs it: the image's own check, 0 against a live emulator", async (t) => {
  const { parse } = await import('yaml');
  const readme = readFileSync(new URL('../docs/docker-and-ci.md', import.meta.url), 'utf8');
  const block = /```yaml\n(# compose\.yaml[\s\S]*?)```/.exec(readme)![1]!;
  const compose = parse(block) as { services: { vobiz: { healthcheck: { test: string[] } } } };
  const [kind, ...command] = compose.services.vobiz.healthcheck.test;
  t.equal(kind, 'CMD');
  // Compose reads $$ as a literal $; the recipe's port is the image's default.
  const args = command.map((part) => part.replaceAll('$$', '$'));
  const emulator = await createEmulator({ port: 0 });
  t.teardown(() => emulator.close());
  const port = new URL(emulator.url).port;
  const child = spawn(args[0]!, args.slice(1).map((part) => part.replace('/127.0.0.1/4010', `/127.0.0.1/${port}`)), { env: { PATH: process.env.PATH ?? '' }, stdio: 'ignore', timeout: 5000 });
  const [code] = (await once(child, 'exit')) as [number | null];
  t.equal(code, 0, 'healthy');
});
