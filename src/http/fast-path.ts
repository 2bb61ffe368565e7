import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Executor } from '../api/execute.js';
import type { OpRequest } from '../api/operation.js';
import { jsonContentType } from '../errors.js';
import type { RouteTable } from './route-table.js';
import { namespaceHeader, type Namespace } from '../domain/namespace.js';
import { echoedNamespace, keepBody } from './request.js';

/** Bodies the fast path reads itself; a larger one (or one without a Content-Length) is left to Fastify. */
const FAST_BODY_LIMIT = 16 * 1024;
const jsonType = /^application\/json\s*(;|$)/i;

/**
 * The hot operations answered at the node:http level, before Fastify's routing, hooks and reply machinery
 * (which alone cost about a quarter of the throughput of a bare node:http server here). The same operations
 * as the Fastify routes, run the same way (the route's executor), with the same request ids: only the adapter differs.
 * It declines (returns false) anything it does not match exactly, including a path parameter it cannot decode,
 * a body that is not JSON or has no Content-Length, and leaves it to Fastify; it is not installed when each
 * request is to be logged.
 */
export function createFastPath(
  /** The operations' routes: the hot ones are answered here, the others left to Fastify. */
  table: RouteTable,
  nextRequestId: (req: IncomingMessage) => string,
  /** Headers every response carries (CORS). */
  always: Readonly<Record<string, string>> = {},
  /** Told of every answer once it is sent (the journal). */
  answered: (req: IncomingMessage, res: ServerResponse) => void = () => {},
  /** Answers a request whose operation threw (a 500 in the envelope), after the body was in. */
  failed: (req: IncomingMessage, res: ServerResponse, error: unknown) => void = (_req, res) => res.destroy(),
) {

  const answer = (req: IncomingMessage, res: ServerResponse, ns: Namespace, run: Executor, request: OpRequest) => {
    const { status, body, headers } = run(request, ns);
    const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const head: Record<string, string | number> = { 'x-request-id': request.requestId, 'content-type': jsonContentType, 'content-length': bytes };
    for (const name in always) head[name] = always[name]!;
    if (headers) Object.assign(head, headers);
    const named = echoedNamespace(req, ns);
    if (named !== undefined) head[namespaceHeader] = named;
    res.writeHead(status, head);
    res.end(body);
    answered(req, res);
  };

  /** A request of the emulated API, in the namespace the HTTP layer chose for it; `path`: its URL's path (the HTTP layer split it off). */
  return (req: IncomingMessage, res: ServerResponse, ns: Namespace, path: string): boolean => {
    const method = req.method;
    if (method !== 'GET' && method !== 'POST') return false;
    const found = table.match(method, path);
    const run = found?.route.run;
    if (!run) return false;
    if (method === 'POST' && !(Number(req.headers['content-length'] ?? 'NaN') <= FAST_BODY_LIMIT && jsonType.test(req.headers['content-type'] ?? '') && req.headers['transfer-encoding'] === undefined)) return false;
    const request = {
      params: found!.params,
      query: req.url!.length > path.length ? req.url!.slice(path.length + 1) : '',
      headers: req.headers,
      ip: req.socket.remoteAddress,
      body: undefined as string | undefined,
      requestId: nextRequestId(req),
    };
    if (method === 'GET') {
      answer(req, res, ns, run, request);
      return true;
    }
    // Bytes kept as they come and decoded once at the end (a body in several chunks may split a character).
    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    req.on('data', (chunk: Buffer) => {
      if (first === undefined) first = chunk;
      else (more ??= [first]).push(chunk);
    });
    req.on('end', () => {
      const text = more ? Buffer.concat(more).toString('utf8') : (first?.toString('utf8') ?? '');
      request.body = text;
      keepBody(req, text);
      // Outside the HTTP layer's own guard (this runs later): whatever throws is answered here.
      try {
        answer(req, res, ns, run, request);
      } catch (error) {
        failed(req, res, error);
        answered(req, res);
      }
    });
    return true;
  };
}
