import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../api/execute.js';
import type { Operation } from '../api/operation.js';
import type { ControlRoute } from '../control/route.js';
import { Memo } from '../domain/memo.js';

/** What a route is: an operation of the emulated API, a call of the control plane, or a page (health, documents). */
export type RouteKind = 'api' | 'control' | 'page';

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify style: `:param` segments, and `*` as the last segment for a whole subtree. */
  readonly url: string;
  readonly kind: RouteKind;
  /** The route's own operationId, and its operation's first (the one a path alias shares: getBalance for getBalanceLowercase). */
  readonly operationId: string;
  readonly primary: string;
  /** A GET route answers HEAD too (Fastify's twin). */
  readonly head: boolean;
  readonly op?: Operation;
  /** An operation's executor (api/execute.ts), found with the route rather than looked up per request. */
  readonly run?: Executor;
  readonly control?: ControlRoute;
  /** A page's Fastify handler. */
  readonly page?: (request: FastifyRequest, reply: FastifyReply) => unknown;
}

export interface Match {
  readonly route: Route;
  readonly op: Operation | undefined;
  readonly operationId: string;
  readonly primary: string;
  /** Decoded path parameters (never to be changed). */
  readonly params: Readonly<Record<string, string>>;
}

interface Entry {
  readonly route: Route;
  /** Static segments, or null where a parameter goes. */
  readonly segments: readonly (string | null)[];
  readonly names: readonly string[];
  /** A `*` last segment: any rest of the path. */
  readonly rest: boolean;
}

/** How many paths with parameters each method remembers. */
const RECENT_PATHS = 1024;

const noParams: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Every route of the emulator, built once: the fast path and Fastify's one route for the emulated API find its
 * operations here, Fastify registers the control plane and the pages from it, fault rules and the journal name a
 * request's operation by it, and a path it has under another method is a 405 naming the methods it has. Paths
 * without parameters are one lookup; the others are compared segment by segment among the routes of the same
 * length, as Fastify's router compares them: a fixed segment before a parameter, and a parameter matches any
 * segment, the empty one too (`/Account//balance/INR` names auth_id ""). A path parameter that is not valid
 * percent-encoding matches nothing.
 */
export class RouteTable {
  readonly routes: readonly Route[];
  readonly #exact = new Map<string, Map<string, Match>>();
  readonly #byLength = new Map<string, Map<number, Entry[]>>();
  readonly #all: Entry[] = [];
  /** Paths with parameters matched lately, per method (a client asks for the same few again and again). */
  readonly #recent = new Map<string, Memo<string, Match | null>>();

  constructor(routes: readonly Route[]) {
    this.routes = routes;
    for (const route of routes) {
      const parts = route.url.split('/');
      const rest = parts.at(-1) === '*';
      const names = parts.filter((p) => p.startsWith(':')).map((p) => p.slice(1));
      const entry = { route, segments: parts.map((p) => (p.startsWith(':') ? null : p)), names, rest };
      this.#all.push(entry);
      if (names.length === 0 && !rest) {
        if (!this.#exact.has(route.method)) this.#exact.set(route.method, new Map());
        this.#exact.get(route.method)!.set(route.url, { route, op: route.op, operationId: route.operationId, primary: route.primary, params: noParams });
        continue;
      }
      if (!this.#byLength.has(route.method)) this.#byLength.set(route.method, new Map());
      const byLength = this.#byLength.get(route.method)!;
      const key = rest ? -parts.length : parts.length;
      byLength.set(key, [...(byLength.get(key) ?? []), entry]);
    }
    for (const byLength of this.#byLength.values()) for (const [key, entries] of byLength) byLength.set(key, fixedFirst(entries));
  }

  /** The route a method and path (no query) name, with its decoded parameters. */
  match(method: string, path: string): Match | undefined {
    const fixed = this.#exact.get(method)?.get(path);
    if (fixed) return fixed;
    if (!this.#byLength.has(method)) return undefined;
    let recent = this.#recent.get(method);
    if (!recent) {
      recent = new Memo(RECENT_PATHS, (p) => {
        const found = this.#match(method, p);
        return found ? Object.freeze({ ...found, params: Object.freeze(found.params) }) : null;
      });
      this.#recent.set(method, recent);
    }
    return recent.get(path) ?? undefined;
  }

  /** The methods a path has (HEAD beside a GET that answers it), for a 405's Allow header; [] for a path it has not. */
  allowed(path: string): string[] {
    const parts = path.split('/');
    const methods = new Set<string>();
    for (const entry of this.#all) {
      if (!fits(entry, parts)) continue;
      methods.add(entry.route.method);
      if (entry.route.method === 'GET' && entry.route.head) methods.add('HEAD');
    }
    return [...methods].sort();
  }

  #match(method: string, path: string): Match | undefined {
    const parts = path.split('/');
    const byLength = this.#byLength.get(method)!;
    const candidates = [...(byLength.get(parts.length) ?? [])];
    for (const [key, entries] of byLength) if (key < 0 && parts.length >= -key) candidates.push(...entries);
    for (const entry of candidates) {
      const params = bind(entry, parts);
      if (params === 'undecodable') return undefined;
      if (params) return { route: entry.route, op: entry.route.op, operationId: entry.route.operationId, primary: entry.route.primary, params };
    }
    return undefined;
  }
}

/**
 * Routes of the same length in the order they are tried: of two, the one with a fixed segment where the other
 * has its first parameter comes first. Sorted once, by a key per route ('0' a fixed segment, '1' a parameter).
 */
function fixedFirst(entries: readonly Entry[]): Entry[] {
  const keyed = entries.map((entry) => ({ entry, key: entry.segments.map((s) => (s === null ? '1' : '0')).join('') }));
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ entry }) => entry);
}

/** Whether a path's segments fit a route's (a parameter matches any segment, the empty one too). */
function fits(entry: Entry, parts: readonly string[]): boolean {
  const fixed = entry.rest ? entry.segments.length - 1 : entry.segments.length;
  if (entry.rest ? parts.length < entry.segments.length : parts.length !== fixed) return false;
  for (let i = 0; i < fixed; i++) {
    const expected = entry.segments[i];
    if (expected !== null && expected !== parts[i]) return false;
  }
  return true;
}

/** A route's parameters from a path's segments: undefined when they do not fit, 'undecodable' for a bad escape. */
function bind(entry: Entry, parts: readonly string[]): Record<string, string> | undefined | 'undecodable' {
  if (!fits(entry, parts)) return undefined;
  const params: Record<string, string> = {};
  let n = 0;
  for (let i = 0; i < entry.segments.length; i++) {
    if (entry.segments[i] !== null) continue;
    const part = parts[i]!;
    let value = part;
    if (part.includes('%')) {
      try {
        value = decodeURIComponent(part);
      } catch {
        return 'undecodable';
      }
    }
    params[entry.names[n++]!] = value;
  }
  if (entry.rest) params['*'] = parts.slice(entry.segments.length - 1).join('/');
  return params;
}
