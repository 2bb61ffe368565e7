import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/**
 * Runs the bundled CLI (a CommonJS file) through vm.Script with a V8 code cache: the build writes the
 * cache after a warm start, so later starts skip parsing and compiling most of the bundle (on Node 20,
 * which has no module.enableCompileCache). V8 refuses a cache made by another Node or from other source,
 * and the bundle then simply compiles as usual.
 */
export function runBundle(bundle: string, cache = `${bundle}.cache`): { writeCache(): void } {
  // The bundle is CommonJS's module wrapper, a function expression (scripts/bundle.mjs), compiled as read.
  const source = readFileSync(bundle, 'utf8');
  const cachedData = existsSync(cache) ? readFileSync(cache) : undefined;
  const script = new vm.Script(source, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return {
    writeCache: () => writeFileSync(cache, script.createCachedData()),
  };
}
