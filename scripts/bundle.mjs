// Bundles the CLI into one CommonJS file and writes its V8 code cache. Loading one file instead of
// hundreds of modules (Fastify, TypeBox, pino, ...), compiled from a cache, is most of what makes
// start-up fast. dist/index.js and its siblings (the library) stay unbundled.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { copyFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const bundle = resolve('dist/vobiz-mock.cjs');

/**
 * Fastify requires node:https and node:http2 (for its https and http2 options, which the emulator never sets: it
 * hands Fastify its own node:http server) and semver (to check a plugin's `fastify` version range, which no plugin
 * here declares) when it loads; they are loaded when first used instead. Measured: 9-11 % of the start-up to the
 * first 200 here (compiling two built-in modules and semver's regular expressions), above the 3 % rule.
 */
const lazyInFastify = {
  name: 'lazy-in-fastify',
  setup(b) {
    b.onResolve({ filter: /^(node:https|node:http2|semver)$/ }, (args) =>
      /[\\/]node_modules[\\/]fastify[\\/]/.test(args.importer) ? { path: args.path, namespace: 'lazy', pluginData: args.resolveDir } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      resolveDir: args.pluginData,
      contents: `let loaded; const load = () => (loaded ??= require(${JSON.stringify(args.path === 'semver' ? 'semver/index.js' : args.path)}));
module.exports = new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });`,
    }));
  },
};

await build({
  entryPoints: ['src/cli.ts'],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Names are minified too (no keepNames): keepNames wraps every named function in a call that redefines its
  // name, paid again each time a closure is made (per request, for some), and it cost 4 MB of the idle RSS and
  // 8 % of the start-up here. Stack traces map back through the source map (node --enable-source-maps).
  minify: true,
  sourcemap: true,
  // The dependencies' licence notices go to vobiz-mock.cjs.LEGAL.txt beside the bundle (the bundle links it), not
  // to its end: one of them holds a non-ASCII letter, and one such character makes V8 hold the whole 1 MB source
  // as a two-byte string. With the wrapper below: the source's heap 2.2 -> 1.2 MB, idle RSS 57.5 -> 56.8 MB.
  legalComments: 'linked',
  // Loaded on demand and kept as packages: faker only for --generate; swagger, swagger-ui (and its static
  // files) and yaml only for the OpenAPI document and /docs.
  external: ['@faker-js/faker', '@fastify/swagger', '@fastify/swagger-ui', 'yaml'],
  // import() becomes require(): vm.Script has no stable hook for import(), and Node >= 20.19 requires ES modules.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__import_meta_url' },
  // The file is one function expression, CommonJS's module wrapper, so that runBundle compiles the file's text as
  // it is read: wrapping it at run time made a second 1 MB string, garbage that stayed until a full collection.
  banner: { js: "(function (exports, require, module, __filename, __dirname) { const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: '})' },
  plugins: [lazyInFastify],
  logLevel: 'warning',
});

// For CommonJS consumers, one file each, their dependencies left as packages: the library
// (`require('vobiz-mock')`) and the Testcontainers helper (`vobiz-mock/testcontainers`); with their types, the
// ESM declarations re-exported.
for (const name of ['index', 'testcontainers']) {
  await build({
    entryPoints: [`src/${name}.ts`],
    outfile: resolve(`dist/${name}.cjs`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__import_meta_url' },
    banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  writeFileSync(resolve(`dist/${name}.d.cts`), `export * from './${name}.js';\n`);
}

// The dashboard (src/dashboard): one script and one stylesheet for the browser, beside its page.
await build({
  entryPoints: { app: 'src/dashboard/main.ts' },
  outdir: resolve('dist/dashboard'),
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  // The page's one-line source is the library's; a map would only double what is served.
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(resolve('src/dashboard/index.html'), resolve('dist/dashboard/index.html'));

// A warm start in this process: start the CLI, answer one request, then save what V8 compiled.
const probe = createServer().listen(0, '127.0.0.1');
await once(probe, 'listening');
const { port } = probe.address();
probe.close();
process.argv = [process.argv[0], bundle, '--port', String(port), '--log-level', 'silent', '--fixtures', 'fixtures'];
const { runBundle } = await import('../dist/code-cache.js');
const loaded = runBundle(bundle, `${bundle}.cache-new`);
const headers = { 'x-auth-id': 'MA_POSTPAID', 'x-auth-token': 'postpaid-token' };
for (let i = 0; ; i++) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/me`, { headers });
    if (res.status === 200) break;
  } catch (error) {
    if (i > 500) throw error;
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
}
loaded.writeCache();
const { renameSync } = await import('node:fs');
renameSync(`${bundle}.cache-new`, `${bundle}.cache`);
process.exit(0);
