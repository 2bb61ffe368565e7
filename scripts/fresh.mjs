// Exits 0 when dist/ is newer than every file it is built from, 1 otherwise: `npm start` builds only then,
// and never runs a stale build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The project root: the working directory, or the first argument (the tests point it at a copy).
const root = process.argv[2] ?? '.';

const built = (() => {
  try {
    return statSync(join(root, 'dist/vobiz-mock.cjs.cache')).mtimeMs;
  } catch {
    return 0;
  }
})();

function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = ['src', 'scripts/bundle.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
process.exit(built > 0 && sources.every((path) => newest(join(root, path)) < built) ? 0 : 1);
