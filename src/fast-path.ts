import type { IncomingMessage, ServerResponse } from 'node:http';
import { executor } from './operations/execute.js';
import type { Env, Operation, OpRequest } from './operations/operation.js';
import { jsonContentType } from './errors.js';

interface Route {
  /** Static segments, or null where a parameter goes. */
  readonly segments: readonly (string | null)[];
  readonly names: readonly string[];
  readonly run: ReturnType<typeof executor>;
}

/** Bodies the fast path reads itself; a larger one (or one without a Content-Length) is left to Fastify. */
const FAST_BODY_LIMIT = 16 * 1024;
const jsonType = /^application\/json\s*(;|$)/i;

/**
 * The hot operations answered at the node:http level, before Fastify's routing, hooks and reply machinery
 * (which alone cost about a quarter of the throughput of a bare node:http server here). The same operations
 * as the Fastify routes, run the same way (executor), with the same request ids: only the adapter differs.
 * It declines (returns false) anything it does not match exactly, including a path parameter it cannot decode,
 * a body that is not JSON or has no Content-Length, and leaves it to Fastify; it is not installed when each
 * request is to be logged.
 */
export function createFastPath(
  operations: readonly Operation[],
  env: Env,
  nextRequestId: (req: IncomingMessage) => string,
  /** Headers every response carries (CORS). */
  always: Readonly<Record<string, string>> = {},
) {
  const tables = { GET: new Map<number, Route[]>(), POST: new Map<number, Route[]>() };
  // Paths without parameters (GET /api/v1/auth/me) are found by one lookup, without splitting the path.
  const exact = { GET: new Map<string, Route>(), POST: new Map<string, Route>() };
  const noParams: Record<string, string> = Object.freeze({}) as Record<string, string>;
  for (const op of operations) {
    if (!op.hot) continue;
    const run = executor(op);
    const byLength = tables[op.method];
    for (const { url } of op.routes) {
      const parts = url.split('/');
      const route = { segments: parts.map((p) => (p.startsWith(':') ? null : p)), names: parts.filter((p) => p.startsWith(':')).map((p) => p.slice(1)), run };
      if (route.names.length === 0) {
        exact[op.method].set(url, route);
        continue;
      }
      const list = byLength.get(parts.length) ?? [];
      list.push(route);
      byLength.set(parts.length, list);
    }
  }

  const match = (byLength: Map<number, Route[]>, path: string): { route: Route; params: Record<string, string> } | undefined => {
    const parts = path.split('/');
    const candidates = byLength.get(parts.length);
    if (!candidates) return undefined;
    outer: for (const route of candidates) {
      const params: Record<string, string> = {};
      let n = 0;
      for (let i = 0; i < parts.length; i++) {
        const expected = route.segments[i];
        const part = parts[i]!;
        if (expected === null) {
          if (part === '') continue outer;
          let value = part;
          if (part.includes('%')) {
            try {
              value = decodeURIComponent(part);
            } catch {
              return undefined;
            }
          }
          params[route.names[n++]!] = value;
        } else if (expected !== part) continue outer;
      }
      return { route, params };
    }
    return undefined;
  };

  const answer = (res: ServerResponse, route: Route, request: OpRequest) => {
    const { status, body, headers, length } = route.run(request, env);
    const head: Record<string, string | number> = { 'x-request-id': request.requestId, 'content-type': jsonContentType, 'content-length': length ?? Buffer.byteLength(body), ...always };
    if (headers) Object.assign(head, headers);
    res.writeHead(status, head);
    res.end(body);
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const method = req.method;
    if (method !== 'GET' && method !== 'POST') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const fixed = exact[method].get(path);
    const found = fixed ? { route: fixed, params: noParams } : match(tables[method], path);
    if (!found) return false;
    const length = Number(req.headers['content-length'] ?? 'NaN');
    if (method === 'POST' && !(length <= FAST_BODY_LIMIT && jsonType.test(req.headers['content-type'] ?? '') && req.headers['transfer-encoding'] === undefined)) return false;
    const request = {
      params: found.params,
      query: q < 0 ? '' : url.slice(q + 1),
      headers: req.headers,
      ip: req.socket.remoteAddress,
      body: undefined as string | undefined,
      requestId: nextRequestId(req),
    };
    if (method === 'GET') {
      answer(res, found.route, request);
      return true;
    }
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      request.body = text;
      answer(res, found.route, request);
    });
    return true;
  };
}
