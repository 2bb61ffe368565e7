/**
 * What a request path is, decided once for every layer (the HTTP layer, Fastify's hooks, fault rules, the
 * journal): the control plane, a page that uses no namespace state, or the emulated API (every other path,
 * unknown ones included, which are journaled and subject to faults like the rest).
 */
export type PathKind = 'control' | 'stateless' | 'api';

export const CONTROL_PREFIX = '/__mock/v1';

export function pathKind(path: string): PathKind {
  if (path.startsWith('/__mock/') || path === '/__mock') return 'control';
  if (path === '/health' || path === '/docs' || path.startsWith('/docs/') || path === '/openapi.json' || path === '/openapi.yaml') return 'stateless';
  return 'api';
}

const escape = /%[0-9A-Fa-f]{2}/g;
const unreserved = /^[A-Za-z0-9._~-]$/;

/**
 * A request target with its path's percent-escapes of unreserved characters decoded (RFC 3986 §6.2.2.2:
 * `/%5F%5Fmock/v1/reset` is `/__mock/v1/reset`, `%4D%41_X` is `MA_X`), so that every layer sees one path: a
 * router that decodes would otherwise serve what a prefix test classed otherwise. Other escapes (`%2F`,
 * `%20`) stay as they are; the query is left alone.
 */
export function canonicalUrl(url: string): string {
  // One scan for the common case: no escape anywhere.
  if (!url.includes('%')) return url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.includes('%')) return url;
  const decoded = path.replace(escape, (e) => {
    const c = String.fromCharCode(parseInt(e.slice(1), 16));
    return unreserved.test(c) ? c : e;
  });
  return q < 0 ? decoded : decoded + url.slice(q);
}
