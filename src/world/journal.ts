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
 *
 * Kept by column, and a request's text parts (method, target, headers, body) as one string: a busy server
 * records thousands of requests a second, each held until a thousand more have come, and one flat string is
 * far cheaper for the garbage collector to carry than the request's own header object and strings.
 */
export class Journal {
  readonly size: number;
  // The ring's columns, grown up to `size` as requests come (an idle namespace holds none).
  #times: number[] = [];
  #statuses: number[] = [];
  #durations: number[] = [];
  #texts: string[] = [];
  #faults: (string | undefined)[] = [];
  #next = 0;
  #total = 0;
  #cleared = 0;

  constructor(size: number) {
    this.size = size;
  }

  /** Positional, so that a request costs no object of its own (this runs on every request of the emulated API). */
  record(time: number, method: string, url: string, status: number, durationMs: number, headers: IncomingHttpHeaders, body: string | undefined, fault: string | undefined): void {
    if (this.size === 0) return;
    this.#total += 1;
    // A method and a target hold no space or line break (the parser refuses them); JSON escapes line breaks.
    const text = `${body === undefined ? '-' : '+'}${method} ${url}\n${JSON.stringify(headers)}\n${body ?? ''}`;
    const slot = this.#next;
    if (this.#texts.length < this.size) {
      this.#times.push(time);
      this.#statuses.push(status);
      this.#durations.push(durationMs);
      this.#texts.push(text);
      this.#faults.push(fault);
    } else {
      this.#times[slot] = time;
      this.#statuses[slot] = status;
      this.#durations[slot] = durationMs;
      this.#texts[slot] = text;
      this.#faults[slot] = fault;
    }
    this.#next = (slot + 1) % this.size;
  }

  #entry(slot: number, id: number): Recorded {
    const text = this.#texts[slot]!;
    const space = text.indexOf(' ');
    const line = text.indexOf('\n');
    const second = text.indexOf('\n', line + 1);
    return {
      id,
      time: this.#times[slot]!,
      method: text.slice(1, space),
      url: text.slice(space + 1, line),
      status: this.#statuses[slot]!,
      durationMs: this.#durations[slot]!,
      headers: JSON.parse(text.slice(line + 1, second)) as IncomingHttpHeaders,
      body: text[0] === '+' ? text.slice(second + 1) : undefined,
      fault: this.#faults[slot],
    };
  }

  /** Oldest first. */
  entries(): Recorded[] {
    const held = this.#texts.length;
    const full = held === this.size;
    const first = full ? this.#next : 0;
    // The oldest held entry's id: ids count from 1, and the ring holds the last `held` of them.
    const base = this.#total - held + 1;
    return Array.from({ length: held }, (_, i) => this.#entry((first + i) % this.size, base + i));
  }

  get total(): number {
    return this.#total - this.#cleared;
  }

  get held(): number {
    return this.#texts.length;
  }

  get dropped(): number {
    return Math.max(0, this.total - this.#texts.length);
  }

  clear(): void {
    this.#cleared = this.#total;
    this.#times = [];
    this.#statuses = [];
    this.#durations = [];
    this.#texts = [];
    this.#faults = [];
    this.#next = 0;
  }
}
