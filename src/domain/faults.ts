import { type ErrorCode, errorCodes } from '../schemas/error.js';
import type { FaultEffect, FaultInput } from '../schemas/faults.js';
import { Glob } from './glob.js';

/** What a matcher sees of a request. */
export interface FaultTarget {
  readonly method: string;
  readonly path: string;
  /** The route's operationId (getBalanceLowercase), and its operation's first one (getBalance). */
  readonly operation: string | undefined;
  readonly primary: string | undefined;
  readonly authId: string | undefined;
}

/** A small seeded generator (mulberry32): numbers in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}



export class FaultRule {
  readonly id: string;
  readonly input: FaultInput;
  readonly createdAt: number;
  /** Calls that matched. */
  seen = 0;
  /** Calls it was applied to. */
  hits = 0;
  readonly #path: Glob | undefined;
  readonly #random: () => number;

  constructor(id: string, input: FaultInput, createdAt: number) {
    this.id = id;
    this.input = input;
    this.createdAt = createdAt;
    this.#path = input.match?.path === undefined ? undefined : new Glob(input.match.path);
    this.#random = mulberry32(input.seed ?? 1);
  }

  expired(at: number): boolean {
    return this.input.ttl_ms !== undefined && at - this.createdAt >= this.input.ttl_ms;
  }

  matches(target: FaultTarget): boolean {
    const m = this.input.match ?? {};
    if (m.method !== undefined && m.method.toUpperCase() !== target.method) return false;
    if (this.#path !== undefined && !this.#path.test(target.path)) return false;
    if (m.operation !== undefined && m.operation !== target.operation && m.operation !== target.primary) return false;
    if (m.auth_id !== undefined && m.auth_id !== target.authId) return false;
    return true;
  }

  /** Counts a matching call and says whether the rule hits it. */
  decide(): boolean {
    this.seen += 1;
    if (this.seen <= (this.input.after ?? 0)) return false;
    if (this.input.times !== undefined && this.hits >= this.input.times) return false;
    if (this.input.probability !== undefined && this.#random() >= this.input.probability) return false;
    this.hits += 1;
    return true;
  }

  get view() {
    return { id: this.id, ...this.input, hits: this.hits, matched: this.seen, created_at: new Date(this.createdAt).toISOString() };
  }
}

/** A namespace's fault rules, first match first: at most `max` of them (--max-fault-rules). */
export class Faults {
  readonly max: number;
  #rules: FaultRule[] = [];
  #made = 0;

  constructor(max: number) {
    this.max = max;
  }

  get size(): number {
    return this.#rules.length;
  }

  /** Adds a rule; the caller refuses one past `max` (expired rules are let go first: see list). */
  add(input: FaultInput, at: number): FaultRule {
    this.#made += 1;
    const rule = new FaultRule(`fault_${this.#made}`, input, at);
    this.#rules.push(rule);
    return rule;
  }

  list(at: number): FaultRule[] {
    this.#rules = this.#rules.filter((r) => !r.expired(at));
    return [...this.#rules];
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length < before;
  }

  clear(): void {
    this.#rules = [];
  }

  /** The first live rule that matches the request and hits it; every matching rule counts the call. */
  decide(target: FaultTarget, at: number): FaultRule | undefined {
    let chosen: FaultRule | undefined;
    for (const rule of this.#rules) {
      if (rule.expired(at) || !rule.matches(target)) continue;
      if (rule.decide() && chosen === undefined) chosen = rule;
    }
    return chosen;
  }
}

/**
 * The per-request fault header (only with --allow-fault-headers): `status=503`, `delay=1500`, `reset`,
 * `empty`, `truncate`, `retry_after=2`, `code=RATE_LIMIT_EXCEEDED`, separated by commas or semicolons.
 * Undefined when the header says nothing the emulator understands.
 */
export function parseFaultHeader(value: string): FaultEffect | undefined {
  const effect: FaultEffect = {};
  for (const part of value.split(/[;,]/)) {
    const [key = '', raw] = part.trim().split('=', 2).map((s) => s.trim());
    const n = Number(raw);
    if (key === 'status' && Number.isInteger(n) && n >= 400 && n <= 599) effect.status = n;
    else if (key === 'delay' && Number.isInteger(n) && n >= 0 && n <= 60_000) effect.delay_ms = n;
    else if (key === 'retry_after' && Number.isInteger(n) && n >= 0) effect.retry_after = n;
    else if (key === 'reset' || key === 'empty') effect.drop = key;
    else if (key === 'truncate' || key === 'truncated') effect.drop = 'truncated';
    else if (key === 'code' && raw !== undefined && (errorCodes as readonly string[]).includes(raw)) effect.code = raw as ErrorCode;
  }
  return Object.keys(effect).length > 0 ? effect : undefined;
}
