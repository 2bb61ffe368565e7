import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server as NetServer } from 'node:net';
// Imported rather than the global, which is a getter Node runs on every use.
import { performance } from 'node:perf_hooks';
import { codeForStatus, errorBody, errorCatalogue, jsonContentType } from '../errors.js';
import { parseFaultHeader } from '../domain/faults.js';
import type { FaultEffect } from '../schemas/faults.js';
import { journaledBody } from '../domain/journal.js';
import { canonicalUrl, pathKind } from './paths.js';
import { bodyOf, echoedNamespace, selectNamespace, tagNamespace } from './request.js';
import { namespaceHeader, type Namespace, NamespaceRefusal, type Namespaces } from '../domain/namespace.js';
import type { ErrorCode } from '../schemas/error.js';

/**
 * The HTTP layer below Fastify: the node:http server and everything it would otherwise answer by itself.
 * Node's parser rejects some requests before any route sees them (a malformed request line or header, a
 * header block over 16 KB, headers or a body that take too long, CONNECT, an unknown Expect, HTTP/1.1
 * without Host); here each gets the standard envelope with a catalogue code, an X-Request-Id and the CORS
 * headers, exactly once. It also owns the connections: a shutdown drains them (below), and a response sent
 * before its request's body has arrived (a 413) is followed by a lingering close, so that the client reads
 * the answer instead of a reset.
 */

export interface HttpLayerOptions {
  /** Fastify's handler, for what the fast path declines. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The node:http fast path (set once the app is built), given a request of the emulated API, its namespace and its path: true when it took the request. */
  readonly fastPath: () => ((req: IncomingMessage, res: ServerResponse, ns: Namespace, path: string) => boolean) | undefined;
  readonly nextRequestId: (req: { headers: Record<string, string | string[] | undefined> }) => string;
  readonly now: () => number;
  /** Headers every response carries (CORS). */
  readonly always: () => Readonly<Record<string, string>>;
  /** Told of each request the parser refused (its code and llhttp's reason, never its bytes). */
  readonly onRefused?: (detail: { code: string; reason: string; status: number }) => void;
  /** Told once of each exception thrown while a request was answered (the request still gets a 500). */
  readonly onError?: (error: unknown, requestId: string) => void;
  /** The namespaces: the one a request's X-Vobiz-Mock-Namespace selects serves it. */
  readonly namespaces: Namespaces;
  /** The operation (its route's operationId, its primary one, and the path auth_id) a method and path name, for fault rules. */
  readonly route: (method: string, path: string) => { operationId: string; primary: string; params: Record<string, string> } | undefined;
  /** Honour X-Vobiz-Mock-Fault (--allow-fault-headers). */
  readonly allowFaultHeaders?: boolean;
  /** Milliseconds for a request's headers to arrive (408 after). */
  readonly headersTimeout?: number;
  /** Milliseconds for a whole request, body included, to arrive (408 after). */
  readonly requestTimeout?: number;
}

/** How long a connection is read (and its bytes dropped) after an answer sent before its request's end. */
const LINGER_MS = 2000;
/** A connection idle this long while draining has no request on its way: it is closed. */
const QUIET_MS = 500;

const kUsed = Symbol('vobiz-mock.lastUsed');
const kRefused = Symbol('vobiz-mock.refused');
const kClosing = Symbol('vobiz-mock.closing');
const kPending = Symbol('vobiz-mock.pending');

/** A request the fast path took and answers later (a POST, once its body is in), to be journaled then. */
interface Pending {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly ns: Namespace;
  /** Whether it is journaled, and what its entry takes from its start: when it began (performance.now) and arrived (namespace clock), and the fault that hit it. */
  readonly journaled: boolean;
  readonly started: number;
  readonly at: number;
  readonly fault: string | undefined;
}

interface Tracked extends Socket {
  /** Node's parser: `incoming` is the request it reads or read last, held until that request has ended and been answered. */
  parser?: { incoming: IncomingMessage | null } | null;
  [kUsed]?: number;
  [kRefused]?: boolean;
  [kClosing]?: boolean;
  [kPending]?: Pending | undefined;
  _httpMessage?: ServerResponse | null;
}

/** What llhttp's error codes mean for the client. */
function refusal(code: string | undefined): { status: number; error: ErrorCode } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, error: 'REQUEST_HEADER_FIELDS_TOO_LARGE' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, error: 'REQUEST_TIMEOUT' };
  return { status: 400, error: 'BAD_REQUEST' };
}


/** Makes a response send its headers and half its body, then cut the connection. */
function truncate(res: ServerResponse): void {
  res.end = ((chunk?: unknown) => {
    const body = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.alloc(0);
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    setImmediate(() => res.socket?.destroy());
    return res;
  }) as ServerResponse['end'];
}

export interface HttpLayer {
  readonly server: Server;
  /** Fastify's clientErrorHandler: a request the parser refused (see createHttpLayer). */
  readonly clientError: (error: Error & { code?: string; reason?: string }, socket: Socket) => void;
  /**
   * Stops taking connections and closes the open ones without losing a request: requests in flight, and
   * any that arrive on an open connection meanwhile, are answered with `Connection: close`; a connection
   * is closed once its answer is out or when it has been idle for a moment; whatever is left at `deadlineMs`
   * is cut. Resolves when every connection is closed.
   */
  drain(deadlineMs: number): Promise<void>;
  /** The fast path tells of each answer it sent (after res.end()), so that it is journaled without a listener. */
  readonly answered: (req: IncomingMessage, res: ServerResponse) => void;
  /** Answers a request whose handling threw: a 500 INTERNAL_ERROR in the envelope (or a cut connection, if the answer had begun). */
  readonly failed: (req: IncomingMessage, res: ServerResponse, error: unknown) => void;
}

type ErrorAnswer = (req: IncomingMessage, res: ServerResponse, code: ErrorCode, message: string, at?: number, close?: boolean, extra?: Record<string, string>, details?: Record<string, unknown>, status?: number) => string;

/** Error answers outside Fastify: raw bytes for a socket no response object owns, or through a response Node made. */
function errorAnswers(options: HttpLayerOptions): { rawError: (status: number, code: ErrorCode, message: string | undefined, extra?: Record<string, string>) => string; respondError: ErrorAnswer } {
  const { nextRequestId, now, always } = options;
  /** The raw bytes of an error response, for a socket no response object owns; the connection closes after. */
  const rawError = (status: number, code: ErrorCode, message: string | undefined, extra: Record<string, string> = {}): string => {
    const requestId = nextRequestId({ headers: {} });
    const { body } = errorBody(code, requestId, now(), message, undefined, status);
    const headers: Record<string, string | number> = {
      'x-request-id': requestId,
      'content-type': jsonContentType,
      'content-length': Buffer.byteLength(body),
      ...always(),
      ...extra,
      connection: 'close',
    };
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('')}\r\n${body}`;
  };

  /** An error through a response object Node made (the request was parsed, but cannot be served). */
  const respondError: ErrorAnswer = (req, res, code, message, at = now(), close = true, extra = {}, details, status) => {
    const requestId = nextRequestId(req);
    const error = errorBody(code, requestId, at, message, details, status);
    if (close) res.shouldKeepAlive = false;
    const named = echoedNamespace(req);
    const echo = named !== undefined ? { [namespaceHeader]: named } : {};
    const cors = pathKind((req.url ?? '/').split('?', 1)[0]!) === 'control' ? {} : always();
    res.writeHead(status ?? error.status, { 'x-request-id': requestId, 'content-type': jsonContentType, 'content-length': Buffer.byteLength(error.body), ...cors, ...echo, ...extra });
    res.end(error.body);
    return requestId;
  };
  return { rawError, respondError };
}

/**
 * Requests in flight, per namespace, and their journal entries. Positional, so that a request costs no object
 * of its own here (this runs on every request of the emulated API).
 */
function requestTracking() {
  /**
   * A request of a namespace is answered (status 0: no answer reached the client): it is no longer in flight
   * there, and it is journaled when it was a request of the emulated API and the journal is on.
   */
  const finish = (req: IncomingMessage, ns: Namespace, journaled: boolean, started: number, at: number, fault: string | undefined, status: number, body: string | undefined): void => {
    ns.inFlight -= 1;
    if (journaled) ns.journal.record(at, req.method ?? '', req.url ?? '/', status, performance.now() - started, req.rawHeaders, journaledBody(body), fault);
  };

  /** Finishes a request once it is answered: at once when it was (the fast path answers a GET at once), else when it is (and its namespace counts as used until then). */
  const track = (req: IncomingMessage, res: ServerResponse, ns: Namespace, journaled: boolean, started: number, at: number, fault: string | undefined, fast: boolean): void => {
    // Answered at once: its body, if any, was never read (its chunks come after this returns).
    if (res.writableEnded) return finish(req, ns, journaled, started, at, fault, res.statusCode, undefined);
    // The fast path answers once the body is in, and says so (answered): finished then, or with status 0
    // if the connection closes first. One such request per connection (a pipelined second one is listened for).
    const socket = req.socket as Tracked | null;
    if (fast && socket && socket[kPending] === undefined) {
      socket[kPending] = { req, res, ns, journaled, started, at, fault };
      return;
    }
    res.once('close', () => {
      ns.lastUsed = Date.now();
      finish(req, ns, journaled, started, at, fault, res.headersSent ? res.statusCode : 0, bodyOf(req));
    });
  };

  /** Finishes a pending request (status 0: the connection closed before its answer). */
  const settle = (socket: Tracked, pending: Pending, status: number): void => {
    socket[kPending] = undefined;
    finish(pending.req, pending.ns, pending.journaled, pending.started, pending.at, pending.fault, status, bodyOf(pending.req));
  };

  const answered = (req: IncomingMessage, res: ServerResponse): void => {
    const socket = req.socket as Tracked | null;
    const pending = socket?.[kPending];
    if (pending !== undefined && pending.req === req) settle(socket!, pending, res.statusCode);
  };
  return { track, settle, answered };
}

/** Fault rules and fault headers: what a request of the emulated API meets, and how its effect is applied. */
function faultHandling(options: HttpLayerOptions, respondError: ErrorAnswer, dispatch: (req: IncomingMessage, res: ServerResponse, ns: Namespace | undefined, path: string | undefined) => boolean, failed: HttpLayer['failed']) {
  /** The effect to apply to a request, and what fired it. */
  const faultFor = (req: IncomingMessage, ns: Namespace, path: string): { effect: FaultEffect; fault: string } | undefined => {
    const header = options.allowFaultHeaders === true ? req.headers['x-vobiz-mock-fault'] : undefined;
    const effect = typeof header === 'string' ? parseFaultHeader(header) : undefined;
    if (effect) return { effect, fault: 'header' };
    if (ns.faults.size === 0) return undefined;
    const method = req.method ?? '';
    const found = options.route(method, path);
    const authId = found?.params['auth_id'] ?? (typeof req.headers['x-auth-id'] === 'string' ? req.headers['x-auth-id'] : undefined);
    const rule = ns.faults.decide({ method, path, operation: found?.operationId, primary: found?.primary, authId }, Date.now());
    return rule ? { effect: rule.input.effect, fault: rule.id } : undefined;
  };

  /** Applies a fault's effect: after its delay, a broken connection, an error answer, or the real answer cut short. */
  const applyFault = (req: IncomingMessage, res: ServerResponse, ns: Namespace, path: string, effect: FaultEffect): void => {
    const affect = (socket: Socket) => {
      if (effect.drop === 'reset') return void socket.resetAndDestroy();
      if (effect.drop === 'empty') return void socket.destroy();
      if (effect.drop === 'truncated') truncate(res);
      if (effect.status !== undefined || effect.code !== undefined) {
        const code = effect.code ?? codeForStatus(effect.status!);
        const extra: Record<string, string> = effect.retry_after !== undefined ? { 'retry-after': String(effect.retry_after) } : {};
        const details = effect.retry_after !== undefined ? { retryAfter: effect.retry_after } : undefined;
        respondError(req, res, code, effect.message ?? errorCatalogue[code].message, ns.now(), false, extra, details, effect.status);
        return;
      }
      dispatch(req, res, ns, path);
    };
    const act = () => {
      const socket = req.socket;
      if (socket.destroyed) return;
      try {
        affect(socket);
      } catch (error) {
        failed(req, res, error);
      }
    };
    if (effect.delay_ms !== undefined && effect.delay_ms > 0) setTimeout(act, effect.delay_ms);
    else act();
  };
  return { faultFor, applyFault };
}

/**
 * Ends a connection after its last answer (Node calls it as socket.destroySoon). When that answer went out
 * before its request had fully arrived (a 413, a refused request), the rest is read and dropped for up to
 * LINGER_MS first: closing with unread bytes would make the kernel reset the connection, and the client
 * would see the reset instead of the answer.
 */
function lingeringClose(this: Tracked): void {
  if (this[kClosing] === true) return;
  this[kClosing] = true;
  // Node's own reference, held only while it needs it: one of ours on the connection kept every connection's
  // last request alive to be copied by the next collection of the young generation.
  const last = this.parser?.incoming;
  if (this.writable) this.end();
  if (this[kRefused] !== true && (last == null || last.complete)) {
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
    return;
  }
  const timer = setTimeout(() => this.destroy(), LINGER_MS);
  timer.unref();
  this.once('close', () => clearTimeout(timer));
  this.once('end', () => this.destroy());
  this.on('data', () => {});
  this.resume();
}

/**
 * A request the parser refused. One response per request: when the request's own answer has gone out
 * already (a GET answered before its malformed chunked body ended), the connection is closed without a
 * second one. Told to onRefused by the parser's code and reason, never its bytes.
 */
function clientErrorHandler(options: HttpLayerOptions, rawError: ReturnType<typeof errorAnswers>['rawError']): HttpLayer['clientError'] {
  return (error, plain) => {
    const socket = plain as Tracked;
    // The parser, once failed, fails again on every later chunk: the first refusal is the answer.
    if (socket[kRefused] === true) return;
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket[kRefused] = true;
    const { status, error: code } = refusal(error.code);
    const reason = typeof error.reason === 'string' ? error.reason : '';
    options.onRefused?.({ code: error.code ?? 'UNKNOWN', reason, status });
    const last = socket.parser?.incoming;
    // The response in progress (Node's own) has begun; or there is none while the last request's body is still
    // coming: its answer went out whole already.
    const current = socket._httpMessage;
    const answered = current ? current.headersSent : last != null && !last.complete;
    if (!answered) socket.write(rawError(status, code, code === 'BAD_REQUEST' ? `Malformed HTTP request${reason ? `: ${reason}` : ''}` : undefined));
    socket.destroySoon();
  };
}

/** Stops listening and closes every connection without losing a request (see HttpLayer.drain). */
function drainConnections(server: Server, sockets: Set<Tracked>, deadlineMs: number): Promise<void> {
  // Stops listening without Node's closeIdleConnections(), which would cut connections whose next
  // request is already on its way.
  if (server.listening) NetServer.prototype.close.call(server);
  for (const socket of sockets) {
    const res = socket._httpMessage;
    if (res && !res.headersSent) res.shouldKeepAlive = false;
  }
  const started = Date.now();
  return new Promise<void>((resolve) => {
    const sweep = () => {
      const at = Date.now();
      for (const socket of sockets) {
        if (at - started >= deadlineMs) socket.destroy();
        else if (!socket._httpMessage && at - Math.max(socket[kUsed] ?? 0, started) >= QUIET_MS) socket.destroySoon();
      }
      if (sockets.size === 0) resolve();
      else setTimeout(sweep, 20);
    };
    sweep();
  });
}

/** The server's connections: tracked (for the drain), closed lingering, and Node's own answers made envelopes. */
function wireConnections(server: Server, sockets: Set<Tracked>, settle: (socket: Tracked, pending: Pending, status: number) => void, rawError: ReturnType<typeof errorAnswers>['rawError'], respondError: ErrorAnswer): void {
// A client that half-closes after its request (sends FIN, keeps reading) still gets its answer; Node's
// default drops requests still being answered when the client's FIN arrives.
(server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;

server.on('connection', (socket: Tracked) => {
  sockets.add(socket);
  socket.once('close', () => {
    sockets.delete(socket);
    const pending = socket[kPending];
    if (pending) settle(socket, pending, pending.res.headersSent ? pending.res.statusCode : 0);
  });
  socket.destroySoon = lingeringClose;
});

// CONNECT (a proxy's method) is not served: 405, where Node would close the socket without a word.
server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
  socket.end(rawError(405, 'METHOD_NOT_ALLOWED', 'CONNECT is not allowed: vobiz-mock is not a proxy', { allow: 'GET, HEAD, POST, OPTIONS' }));
});

// Expect other than 100-continue: 417 in the envelope, where Node sends an empty one.
server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
  respondError(req, res, 'EXPECTATION_FAILED', 'Only "Expect: 100-continue" is supported');
});
}

export function createHttpLayer(options: HttpLayerOptions): HttpLayer {
  const { handler, fastPath, now, namespaces } = options;
  const sockets = new Set<Tracked>();
  let draining = false;
  const { rawError, respondError } = errorAnswers(options);
  const { track, settle, answered } = requestTracking();

  /**
   * Answers a request in its namespace (undefined: a page that uses none): a request of the emulated API (`path`:
   * its path) by the fast path if it takes it, everything else by Fastify, which finds the namespace on the
   * request. True when the fast path took the request.
   */
  const dispatch = (req: IncomingMessage, res: ServerResponse, ns: Namespace | undefined, apiPath: string | undefined): boolean => {
    if (apiPath !== undefined && ns !== undefined && fastPath()?.(req, res, ns, apiPath) === true) return true;
    tagNamespace(req, ns);
    // The fast path echoes the namespace in its own headers (setHeader before writeHead would make Node
    // merge every header the slow way); everything else gets it here.
    const named = echoedNamespace(req, ns);
    if (named !== undefined) res.setHeader(namespaceHeader, named);
    handler(req, res);
    return false;
  };

  /** Belt and braces: whatever threw while a request was answered, it gets a 500 in the envelope and the process goes on. */
  const failed = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
    let requestId = 'none';
    try {
      if (!res.headersSent) requestId = respondError(req, res, 'INTERNAL_ERROR', errorCatalogue.INTERNAL_ERROR.message);
      else req.socket.destroy();
    } catch {
      req.socket.destroy();
    }
    options.onError?.(error, requestId);
  };
  const { faultFor, applyFault } = faultHandling(options, respondError, dispatch, failed);

  /**
   * Where a request enters: its path made canonical and classed once (control plane, a stateless page, or
   * the emulated API), its namespace chosen (made on first use, except for stateless pages), then the
   * emulated API's faults and journal around the answer.
   */
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (draining) {
      (req.socket as Tracked)[kUsed] = Date.now();
      res.shouldKeepAlive = false;
    }
    if (req.headers.host === undefined && req.httpVersion === '1.1') {
      respondError(req, res, 'BAD_REQUEST', 'HTTP/1.1 requests must carry a Host header');
      return;
    }
    const url = canonicalUrl(req.url ?? '/');
    if (url !== req.url) req.url = url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const kind = pathKind(path);
    const ns = selectNamespace(req, namespaces, kind);
    if (ns instanceof NamespaceRefusal) {
      respondError(req, res, ns.code, ns.message, now(), false);
      return;
    }
    if (ns === undefined || kind === 'stateless') {
      dispatch(req, res, ns, undefined);
      return;
    }
    ns.lastUsed = Date.now();
    ns.inFlight += 1;
    // The emulated API is subject to the namespace's fault rules (and fault headers, if allowed), and journaled.
    const journaled = kind === 'api' && ns.journal.size > 0;
    const started = journaled ? performance.now() : 0;
    const at = journaled ? ns.now() : 0;
    let fault: string | undefined;
    let fast = false;
    try {
      const hit = kind === 'api' ? faultFor(req, ns, path) : undefined;
      fault = hit?.fault;
      if (hit) applyFault(req, res, ns, path, hit.effect);
      else fast = dispatch(req, res, ns, kind === 'api' ? path : undefined);
    } catch (error) {
      failed(req, res, error);
    }
    track(req, res, ns, journaled, started, at, fault, fast);
  };

  const server = createServer(
    {
      // Answered below in the envelope rather than with Node's empty 400.
      requireHostHeader: false,
      headersTimeout: options.headersTimeout ?? 10_000,
      requestTimeout: options.requestTimeout ?? 30_000,
      // How often the timeouts above are checked (Node's default, 30 s, would make a 10 s limit 40 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor((options.headersTimeout ?? 10_000) / 4))),
    },
    (req, res) => {
      try {
        serve(req, res);
      } catch (error) {
        failed(req, res, error);
      }
    },
  );

  wireConnections(server, sockets, settle, rawError, respondError);
  const clientError = clientErrorHandler(options, rawError);

  return {
    server,
    clientError,
    answered,
    failed,
    drain(deadlineMs) {
      draining = true;
      return drainConnections(server, sockets, deadlineMs);
    },
  };
}
