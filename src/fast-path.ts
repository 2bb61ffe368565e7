import type { IncomingMessage, ServerResponse } from 'node:http';
import { executor } from './operations/execute.js';
import type { Env, Operation, OpRequest } from './operations/operation.js';
import { jsonContentType } from './operations/operation.js';

interface Route {
  /** Static segments, or null where a parameter goes. */
  readonly segments: readonly (string | null)[];
  readonly names: readonly string[];
  readonly run: ReturnType<typeof executor>;
}

/**
 * The hot operations answered at the node:http level, before Fastify's routing, hooks and reply machinery
 * (which alone cost about a quarter of the throughput of a bare node:http server here). The same operations
 * as the Fastify routes, run the same way (executor), with the same request ids: only the adapter differs.
 * It declines (returns false) anything it does not match exactly, including a path parameter it cannot decode,
 * and leaves it to Fastify; it is not installed when each request is to be logged.
 */
export function createFastPath(operations: readonly Operation[], env: Env, nextRequestId: (req: IncomingMessage) => string) {
  const byLength = new Map<number, Route[]>();
  for (const op of operations) {
    if (!op.hot || op.method !== 'GET') continue;
    const run = executor(op);
    for (const { url } of op.routes) {
      const parts = url.split('/');
      const route = { segments: parts.map((p) => (p.startsWith(':') ? null : p)), names: parts.filter((p) => p.startsWith(':')).map((p) => p.slice(1)), run };
      const list = byLength.get(parts.length) ?? [];
      list.push(route);
      byLength.set(parts.length, list);
    }
  }

  const match = (path: string): { route: Route; params: Record<string, string> } | undefined => {
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

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET') return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const found = match(q < 0 ? url : url.slice(0, q));
    if (!found) return false;
    const request: OpRequest = {
      params: found.params,
      query: q < 0 ? '' : url.slice(q + 1),
      headers: req.headers,
      ip: req.socket.remoteAddress,
      body: undefined,
      requestId: nextRequestId(req),
    };
    const { status, body, headers } = found.route.run(request, env);
    const head: Record<string, string | number> = { 'x-request-id': request.requestId, 'content-type': jsonContentType, 'content-length': Buffer.byteLength(body) };
    if (headers) Object.assign(head, headers);
    res.writeHead(status, head);
    res.end(body);
    return true;
  };
}
