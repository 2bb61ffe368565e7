import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { packageRoot } from '../paths.js';
import type { Page } from './documents.js';
import { sendError } from './plugins/errors.js';

/** Where the dashboard lives: a page of the emulator itself, beside the control plane it calls (/__mock/v1). */
export const DASHBOARD_PATH = '/__mock/';

/** The dashboard's files, as `npm run build` writes them (scripts/bundle.mjs, from src/dashboard). */
const files: Readonly<Record<string, string>> = {
  '/__mock/': 'index.html',
  '/__mock/app.js': 'app.js',
  '/__mock/app.css': 'app.css',
};

const types: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * The page may load its own files and call its own origin, nothing else: no inline script, no other host (it
 * needs no network beyond the emulator). uPlot and Preact set styles through the CSSOM, which style-src allows.
 */
const securityHeaders = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface File {
  readonly body: Buffer;
  readonly etag: string;
  readonly type: string;
}

/**
 * The dashboard's pages: its files read once, on first request, and kept (about 30 KB gzipped in all), each
 * with a strong ETag (its content's hash) and `Cache-Control: no-cache`, so a browser asks again each time and
 * gets a 304 while the file is unchanged. /__mock redirects to /__mock/.
 */
export function dashboardPages(): Page[] {
  const loaded = new Map<string, Promise<File | undefined>>();
  const load = (name: string) => {
    let file = loaded.get(name);
    if (!file) {
      file = readFile(new URL(`dist/dashboard/${name}`, packageRoot)).then(
        (body) => ({ body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, type: types[name.split('.').pop()!]! }),
        () => undefined,
      );
      loaded.set(name, file);
    }
    return file;
  };
  const serve = (name: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const file = await load(name);
    if (!file) {
      loaded.delete(name);
      return sendError(reply, 'NOT_FOUND', `The dashboard is not built (dist/dashboard/${name}): run npm run build`);
    }
    reply.headers(securityHeaders).header('content-type', file.type).header('etag', file.etag).header('cache-control', 'no-cache');
    const given = request.headers['if-none-match'];
    if (given !== undefined && given.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) return reply.code(304).send();
    return reply.send(file.body);
  };
  return [
    { url: '/__mock', handler: (_request, reply) => reply.redirect(DASHBOARD_PATH, 302) },
    ...Object.entries(files).map(([url, name]) => ({ url, handler: serve(name) })),
  ];
}
