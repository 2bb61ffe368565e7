// The layout's rules, checked on the source: what each folder under src/ may import (as its README says), and
// no function longer than 120 lines.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import ts from 'typescript';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Each folder and what it may import of the project (a folder, or a file at src/'s top). */
const allowed: Record<string, readonly string[]> = {
  schemas: [],
  domain: ['schemas'],
  views: ['domain', 'schemas'],
  api: ['domain', 'views', 'schemas', 'errors.ts'],
  control: ['domain', 'views', 'schemas', 'fixtures', 'api', 'errors.ts', 'config.ts', 'version.ts'],
  fixtures: ['domain', 'schemas', 'config.ts', 'paths.ts'],
  // Browser code: the control plane's typed client (and, through it, type-only imports of its schemas).
  dashboard: ['control'],
};

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/** The part of src/ a file is in: its top folder, or its own name at the top. */
const partOf = (file: string) => relative(src, file).split('/')[0]!;

const sources = files(src).map((file) => ({ file, text: readFileSync(file, 'utf8') }));

t.test('each folder under src/ imports only what its README allows', async (t) => {
  for (const folder of Object.keys(allowed)) {
    const readme = readFileSync(join(src, folder, 'README.md'), 'utf8');
    t.match(readme, /May import:/, `${folder}/README.md says what it may import`);
  }
  const breaches: string[] = [];
  for (const { file, text } of sources) {
    const from = partOf(file);
    const rules = allowed[from];
    if (!rules) continue;
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = partOf(resolve(dirname(file), spec!.replace(/\.js$/, '.ts')));
      if (target !== from && !rules.includes(target)) breaches.push(`${relative(src, file)} imports ${spec}`);
    }
    if (/from 'fastify'|from 'fastify-plugin'/.test(text)) breaches.push(`${relative(src, file)} imports Fastify`);
  }
  t.same(breaches, []);
  // The rule can fail: an import the table does not allow is found.
  t.equal(partOf(resolve(src, 'domain', '../http/paths.ts')), 'http');
});

t.test('no function in src/ is longer than 120 lines', async (t) => {
  const long: string[] = [];
  for (const { file, text } of sources) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const last = sf.getLineAndCharacterOfPosition(node.end).line;
        if (last - first + 1 > 120) long.push(`${relative(src, file)}:${first + 1} (${last - first + 1} lines)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  t.same(long, []);
});
