import type { IncomingMessage } from 'node:http';
import { type Namespace, namespaceHeader, namespacePattern, NamespaceRefusal, type Namespaces } from '../domain/namespace.js';
import type { PathKind } from './paths.js';

const kNamespace = Symbol('vobiz-mock.namespace');
const kBody = Symbol('vobiz-mock.body');

interface Tagged extends IncomingMessage {
  /** The request's namespace; null when it was classed as using none (a stateless page of a namespace not made). */
  [kNamespace]?: Namespace | null;
  [kBody]?: string;
}

/**
 * The one place a request's namespace is chosen (by the HTTP layer, or for a request injected into Fastify by
 * the context plugin): the one its X-Vobiz-Mock-Namespace names, `default` without one, made on first use except
 * for a page that uses no state (undefined: none is made); or why none can serve it (an invalid name, no room for
 * another). Nothing is written on the request: see tagNamespace.
 */
export function selectNamespace(req: IncomingMessage, namespaces: Namespaces, kind: PathKind): Namespace | NamespaceRefusal | undefined {
  // A page that uses no state (/health, /docs) makes no namespace; every other request makes its own on first use.
  const header = req.headers[namespaceHeader];
  return kind === 'stateless' ? namespaces.peek(header) : namespaces.select(header);
}

/**
 * Tags a request with its namespace (undefined: it uses none), for what reads it from the request later: Fastify's
 * routes and hooks. The fast path is handed its namespace instead: a property added to every request costs it an
 * allocation, and Node's own code more shapes to see.
 */
export function tagNamespace(req: IncomingMessage, ns: Namespace | undefined): void {
  (req as Tagged)[kNamespace] = ns ?? null;
}

/** selectNamespace, the request tagged with the namespace chosen. */
export function chooseNamespace(req: IncomingMessage, namespaces: Namespaces, kind: PathKind): NamespaceRefusal | undefined {
  const ns = selectNamespace(req, namespaces, kind);
  if (ns instanceof NamespaceRefusal) return ns;
  tagNamespace(req, ns);
  return undefined;
}

/**
 * The X-Vobiz-Mock-Namespace every response to a request echoes: the request's own, when it is a valid name.
 * `chosen`: the namespace chosen for it, when the caller has it (else the one it is tagged with).
 */
export function echoedNamespace(req: IncomingMessage, chosen: Namespace | null | undefined = (req as Tagged)[kNamespace]): string | undefined {
  const named = req.headers[namespaceHeader];
  if (typeof named !== 'string') return undefined;
  // The namespace it chose has this name (valid when it was made): no pattern to test again.
  return chosen?.name === named || namespacePattern.test(named) ? named : undefined;
}

/** The namespace of a request (set by the HTTP layer, or for injected requests by the context plugin's hook). */
export function namespaceOf(req: IncomingMessage): Namespace {
  return (req as Tagged)[kNamespace]!;
}

export function namespaceOfOrNone(req: IncomingMessage): Namespace | undefined {
  return (req as Tagged)[kNamespace] ?? undefined;
}

/** Whether a request's namespace was chosen already (by the HTTP layer), even if it is none. */
export function hasNamespace(req: IncomingMessage): boolean {
  return (req as Tagged)[kNamespace] !== undefined;
}

/** An adapter keeps the JSON body it read, for the journal. */
export function keepBody(req: IncomingMessage, text: string | undefined): void {
  if (text !== undefined) (req as Tagged)[kBody] = text;
}

export function bodyOf(req: IncomingMessage): string | undefined {
  return (req as Tagged)[kBody];
}
