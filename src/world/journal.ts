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
  #headerCounts: number[] = [];
  #next = 0;
  #total = 0;
  #cleared = 0;

  constructor(size: number) {
    this.size = size;
  }

  /** Positional, so that a request costs no object of its own (this runs on every request of the emulated API). */
  record(time: number, method: string, url: string, status: number, durationMs: number, rawHeaders: readonly string[], body: string | undefined, fault: string | undefined): void {
    if (this.size === 0) return;
    this.#total += 1;
    // No method, target, header name or header value holds a line break (Node's parser refuses them), so the
    // header lines are joined as they came, by one native join; the body, which may hold anything, comes last.
    const text = `${body === undefined ? '-' : '+'}${method} ${url}\n${rawHeaders.join('\n')}\n${body ?? ''}`;
    const slot = this.#next;
    if (this.#texts.length < this.size) {
      this.#times.push(time);
      this.#statuses.push(status);
      this.#durations.push(durationMs);
      this.#texts.push(text);
      this.#faults.push(fault);
      this.#headerCounts.push(rawHeaders.length);
    } else {
      this.#times[slot] = time;
      this.#statuses[slot] = status;
      this.#durations[slot] = durationMs;
      this.#texts[slot] = text;
      this.#faults[slot] = fault;
      this.#headerCounts[slot] = rawHeaders.length;
    }
    this.#next = (slot + 1) % this.size;
  }

  #entry(slot: number, id: number): Recorded {
    const text = this.#texts[slot]!;
    const space = text.indexOf(' ');
    const line = text.indexOf('\n');
    const count = this.#headerCounts[slot]!;
    // The header lines (count of them), then the line break before the body.
    let second = line + 1;
    if (count > 0) {
      second = line;
      for (let i = 0; i < count; i++) second = text.indexOf('\n', second + 1);
    }
    const raw = count === 0 ? [] : text.slice(line + 1, second).split('\n');
    return {
      id,
      time: this.#times[slot]!,
      method: text.slice(1, space),
      url: text.slice(space + 1, line),
      status: this.#statuses[slot]!,
      durationMs: this.#durations[slot]!,
      headers: headersOf(raw),
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
    this.#headerCounts = [];
    this.#next = 0;
  }
}

/** Headers Node keeps the first of when a request repeats them (as IncomingMessage.headers does). */
const singletons = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since', 'if-unmodified-since',
  'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after', 'server', 'user-agent',
]);

/** Raw header lines (name, value, name, value, ...) as Node's `req.headers` shows them. */
export function headersOf(raw: readonly string[]): IncomingHttpHeaders {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const known = headers[name];
    if (name === 'set-cookie') headers[name] = [...((known as string[] | undefined) ?? []), value];
    else if (known === undefined) headers[name] = value;
    else if (!singletons.has(name)) headers[name] = `${known as string}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers;
}
