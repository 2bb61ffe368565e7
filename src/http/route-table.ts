import { Memo } from '../memo.js';
import type { Operation } from '../operations/operation.js';

export interface Match {
  readonly op: Operation;
  /** The route's own operationId, and its operation's first (the one a path alias shares: getBalance for getBalanceLowercase). */
  readonly operationId: string;
  readonly primary: string;
  readonly params: Record<string, string>;
}

interface Entry {
  readonly op: Operation;
  readonly operationId: string;
  readonly primary: string;
  /** Static segments, or null where a parameter goes. */
  readonly segments: readonly (string | null)[];
  readonly names: readonly string[];
}

/** How many paths with parameters each method remembers. */
const RECENT_PATHS = 1024;

const noParams: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * The operations' routes, found by method and path without Fastify: for the fast path, and for what must know
 * a request's operation before (fault rules) or after (the journal) it is answered. Paths without parameters
 * are one lookup; the others are compared segment by segment among the routes of the same length. A path
 * parameter that is not valid percent-encoding matches nothing (Fastify answers it).
 */
export class RouteTable {
  /** By method: paths without parameters, and the other routes by their number of segments. */
  readonly #exact = new Map<string, Map<string, Match>>();
  readonly #byLength = new Map<string, Map<number, Entry[]>>();

  constructor(operations: readonly Operation[]) {
    for (const op of operations) {
      const primary = op.routes[0]!.operationId;
      for (const { url, operationId } of op.routes) {
        const parts = url.split('/');
        const names = parts.filter((p) => p.startsWith(':')).map((p) => p.slice(1));
        if (names.length === 0) {
          if (!this.#exact.has(op.method)) this.#exact.set(op.method, new Map());
          this.#exact.get(op.method)!.set(url, { op, operationId, primary, params: noParams });
          continue;
        }
        if (!this.#byLength.has(op.method)) this.#byLength.set(op.method, new Map());
        const byLength = this.#byLength.get(op.method)!;
        const list = byLength.get(parts.length) ?? [];
        list.push({ op, operationId, primary, segments: parts.map((p) => (p.startsWith(':') ? null : p)), names });
        byLength.set(parts.length, list);
      }
    }
  }

  /** Paths with parameters matched lately, per method (a client asks for the same few again and again). */
  readonly #recent = new Map<string, Memo<string, Match | null>>();

  /** The operation a method and path (no query) name, with its decoded parameters (never to be changed). */
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

  #match(method: string, path: string): Match | undefined {
    const parts = path.split('/');
    const candidates = this.#byLength.get(method)?.get(parts.length);
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
      return { op: route.op, operationId: route.operationId, primary: route.primary, params };
    }
    return undefined;
  }
}
