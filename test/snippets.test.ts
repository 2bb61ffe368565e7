// Every fenced shell, TypeScript and JavaScript block of the README and docs/ runs here, or says why it cannot (an HTML
// comment just before it: `<!-- snippet: not run: <reason> -->`). A recipe that stops working fails the tests, not
// the users.
// - curl lines run against a fresh emulator (one a block, so a block's calls see each other's effects), its
//   address put for localhost:4010; a same-line comment that is a body (`# {...}`, `...` for what is left out)
//   must match what came back; every call must reach a route (no "No route for").
// - `npx vobiz-mock <command>` lines run the built bin and must exit 0.
// - TypeScript blocks run with tsx in a scratch project that installed the package from `npm pack`, as a reader's
//   project would, with an emulator listening where they expect one; a Vitest recipe is run by Vitest.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import type * as Tap from 'tap';
import { createEmulator } from '../src/emulator.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist/bin.js');

interface Snippet {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  /** The reason it is not run, when it says so. */
  readonly notRun: string | undefined;
}

/** The fenced blocks of a Markdown file in the languages the rule covers. */
function snippets(file: string): Snippet[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found: Snippet[] = [];
  for (const match of text.matchAll(/(?:<!-- snippet: not run: ([^>]*?) -->\n)?```(sh|bash|shell|ts|typescript|js|javascript)\n([\s\S]*?)```/g)) {
    found.push({ file, line: text.slice(0, match.index).split('\n').length, lang: match[2]!, body: match[3]!, notRun: match[1]?.trim() });
  }
  return found;
}

interface Command {
  readonly command: string;
  /** A same-line comment. */
  readonly comment: string | undefined;
  /** What a comment line says it answers: `# a wrong token: 401 {...}` before it, or `#   201 {...}` after it. */
  expected?: { status: number; body: string };
}

/** A shell block's commands: continuation lines joined, comment lines read for what they say a command answers. */
function commands(body: string): Command[] {
  const found: Command[] = [];
  let pending: Command['expected'];
  for (const raw of body.replace(/\\\n\s*/g, ' ').split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const says = /(?:^#\s+|:\s)(\d{3}) ([{[].*)$/.exec(line);
      if (!says) continue;
      const expected = { status: Number(says[1]), body: says[2]! };
      // Indented under a command (`#   201 {...}`): that command's; otherwise the next one's.
      if (/^#\s{2,}\d{3} /.test(line) && found.length > 0) found[found.length - 1]!.expected = expected;
      else pending = expected;
      continue;
    }
    const at = line.search(/\s#\s/);
    const command: Command = at < 0 ? { command: line, comment: undefined } : { command: line.slice(0, at).trim(), comment: line.slice(at).replace(/^\s#\s*/, '') };
    if (pending) command.expected = pending;
    pending = undefined;
    found.push(command);
  }
  return found;
}

/** A documented body (`...` for what it leaves out) as a pattern of the whole body. */
const bodyPattern = (documented: string) =>
  new RegExp(`^${documented.split('...').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?')}$`);

const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const all = pages.flatMap(snippets);

/** A heading's anchor, as GitHub makes it. */
const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

t.test('every page starts with what it is for, and every relative link and anchor resolves', async (t) => {
  for (const page of pages.filter((p) => p.startsWith('docs/'))) t.match(readFileSync(join(root, page), 'utf8'), /^# .+\n\nWhat this page is for: /, `${page} says what it is for`);
  const broken: string[] = [];
  for (const page of pages) {
    const text = readFileSync(join(root, page), 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [path, anchor] = target!.split('#') as [string, string | undefined];
      const file = path === '' ? join(root, page) : join(root, dirname(page), path);
      if (!existsSync(file)) {
        broken.push(`${page}: ${target}`);
        continue;
      }
      if (anchor !== undefined && file.endsWith('.md')) {
        const headings = [...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map(([, h]) => slug(h!));
        if (!headings.includes(anchor)) broken.push(`${page}: ${target} (no such heading)`);
      }
    }
  }
  t.same(broken, []);
});

t.test('every block either runs or says why it cannot', async (t) => {
  t.ok(all.length >= 10, `${all.length} blocks`);
  for (const s of all) {
    if (s.notRun !== undefined) {
      t.ok(s.notRun.length >= 10, `${s.file}:${s.line} says why it is not run: ${s.notRun}`);
      continue;
    }
    if (s.lang === 'ts' || s.lang === 'typescript' || s.lang === 'js' || s.lang === 'javascript') continue;
    for (const { command } of commands(s.body)) {
      t.ok(/^(curl|H=|npx vobiz-mock )/.test(command), `${s.file}:${s.line}: "${command}" can be run here (curl, a variable, npx vobiz-mock), or the block says why not`);
    }
  }
});

for (const s of all.filter((s) => s.notRun === undefined && /^(sh|bash|shell)$/.test(s.lang))) {
  t.test(`${s.file}:${s.line} (shell) runs as written`, async (t) => {
    const emulator = await createEmulator({ port: 0 });
    t.teardown(() => emulator.close());
    const address = new URL(emulator.url).host;
    const variables: string[] = [];
    for (const { command, comment, expected } of commands(s.body)) {
      if (command.startsWith('H=')) {
        variables.push(command);
        continue;
      }
      if (command.startsWith('npx vobiz-mock ')) {
        const { stdout } = await run('bash', ['-c', command.replace(/^npx vobiz-mock/, `node ${JSON.stringify(bin)}`)]);
        t.ok(stdout.length > 0, `${command}: exit 0, with output`);
        continue;
      }
      const local = command.replace(/(https?:\/\/)?(localhost|127\.0\.0\.1):4010/g, (_m, scheme: string | undefined) => `${scheme ?? ''}${address}`);
      if (command.includes(' | ')) {
        // A pipeline (curl ... | grep ...): as written, exit 0 and some output.
        const { stdout } = await run('bash', ['-o', 'pipefail', '-c', `${variables.join('\n')}\n${local}`]);
        t.ok(stdout.trim().length > 0, `${command}: exit 0, with output`);
        continue;
      }
      const { stdout } = await run('bash', ['-c', `${variables.join('\n')}\n${local} -w '\\n%{http_code}'`]);
      const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
      const body = stdout.slice(0, stdout.lastIndexOf('\n'));
      t.ok(status >= 200 && status < 500, `${command}: ${status}`);
      t.notMatch(body, /No route for/, 'the path exists');
      if (comment !== undefined && /^[{[]/.test(comment)) t.match(body, bodyPattern(comment), `the body is as the comment shows it: ${comment}`);
      if (expected) {
        t.equal(status, expected.status, `the status the comment gives: ${expected.status}`);
        t.match(body, bodyPattern(expected.body), `the body the comment gives: ${expected.body}`);
      }
    }
  });
}

/** A scratch project with the packed package installed (made once, for every TypeScript block). */
let scratch: string | undefined;
function scratchProject(t: Tap.Test): string {
  if (scratch !== undefined) return scratch;
  const dir = mkdtempSync(join(tmpdir(), 'vobiz-mock-snippets-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The build is there (pretest); packing without scripts packs exactly it.
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' })) as [{ filename: string }];
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'reader', version: '1.0.0', type: 'module', private: true }));
  execFileSync('npm', ['install', join(dir, info.filename), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: project, stdio: 'ignore' });
  return (scratch = project);
}

const typescriptBlocks = all.filter((s) => s.notRun === undefined && /^(ts|typescript|js|javascript)$/.test(s.lang));
t.test('TypeScript blocks, in a project that installed the packed package', async (t) => {
  const project = scratchProject(t);
  for (const s of typescriptBlocks) {
    await t.test(`${s.file}:${s.line} runs as written`, async (t) => {
      // Where it expects `npx vobiz-mock` to be running, one is.
      const emulator = await createEmulator({ port: 0 });
      t.teardown(() => emulator.close());
      const dir = mkdtempSync(join(project, 'snippet-'));
      t.teardown(() => rmSync(dir, { recursive: true, force: true }));
      const body = s.body.replaceAll('http://127.0.0.1:4010', emulator.url);
      if (/from 'vitest'/.test(body)) {
        // A Vitest recipe, run by Vitest as its reader would (Vitest from this repository; vobiz-mock the installed one).
        writeFileSync(join(dir, 'recipe.test.mts'), body);
        const { stdout } = await run(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--reporter', 'verbose'], { cwd: dir, timeout: 120_000, env: { ...process.env, CI: 'true' } });
        t.match(stdout, /Tests\s+\d+ passed/, 'every test of the recipe passes');
        t.notMatch(stdout, /failed/);
        return;
      }
      const file = join(dir, 'snippet.mts');
      writeFileSync(file, body);
      const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
      const { stderr } = await run(process.execPath, ['--import', tsx, file], { cwd: dir, timeout: 60_000 });
      t.equal(stderr, '', 'exit 0, nothing on stderr');
      t.ok(existsSync(join(project, 'node_modules/vobiz-mock/package.json')), 'vobiz-mock from the packed package');
    });
  }
});
