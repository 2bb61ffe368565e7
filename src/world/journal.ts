import type { IncomingHttpHeaders } from 'node:http';

/** One request as the journal keeps it: what is cheap to keep; the rest is derived when it is read. */
export interface Recorded {
  readonly id: number;
  /** Epoch milliseconds (the namespace's clock) when the request arrived. */
  readonly time: number;
  readonly method: string;
  /** The request target as sent: path and query. */
  readonly url: string;
  readonly status: number;
  readonly durationMs: number;
  /** The headers as received (credentials included): redacted whenever an entry is read, never shown raw. */
  readonly headers: IncomingHttpHeaders;
  /** A JSON body, as text, up to 4 KB. */
  readonly body: string | undefined;
  /** The fault rule (or "header") applied, if any. */
  readonly fault: string | undefined;
}

/** Bodies longer than this are kept cut. */
export const JOURNAL_BODY_LIMIT = 4096;

/**
 * The journal: a ring of the last `size` requests of a namespace (0: off). `total` counts every request since
 * the namespace began or was cleared, `dropped` those the ring no longer holds.
 */
export class Journal {
  readonly size: number;
  #ring: (Recorded | undefined)[] = [];
  #next = 0;
  #total = 0;
  #cleared = 0;

  constructor(size: number) {
    this.size = size;
  }

  /** Positional, so that a request costs one object (this runs on every request of the emulated API). */
  record(time: number, method: string, url: string, status: number, durationMs: number, headers: IncomingHttpHeaders, body: string | undefined, fault: string | undefined): void {
    if (this.size === 0) return;
    this.#total += 1;
    const stored: Recorded = { id: this.#total, time, method, url, status, durationMs, headers, body, fault };
    if (this.#ring.length < this.size) this.#ring.push(stored);
    else this.#ring[this.#next] = stored;
    this.#next = (this.#next + 1) % this.size;
  }

  /** Oldest first. */
  entries(): Recorded[] {
    if (this.#ring.length < this.size) return this.#ring.filter((e): e is Recorded => e !== undefined);
    return [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)].filter((e): e is Recorded => e !== undefined);
  }

  get total(): number {
    return this.#total - this.#cleared;
  }

  get held(): number {
    return this.#ring.length;
  }

  get dropped(): number {
    return Math.max(0, this.total - this.#ring.length);
  }

  clear(): void {
    this.#cleared = this.#total;
    this.#ring = [];
    this.#next = 0;
  }
}
