#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBundle } from './code-cache.js';

// The package's bin: the bundled CLI with its code cache when the build made them, the plain modules otherwise.
const bundle = fileURLToPath(new URL('vobiz-mock.cjs', import.meta.url));
if (existsSync(bundle)) runBundle(bundle);
else await import('./cli.js');
