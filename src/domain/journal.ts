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

/** What an entry costs beyond its text (its numbers and the slots that hold them), for the budget's count. */
const ENTRY_OVERHEAD = 64;

/**
 * A body as an entry keeps it: its own copy, cut at JOURNAL_BODY_LIMIT characters. A slice of the request's
 * body would keep the whole body alive (V8 makes a slice a view of its parent): a 1 MB body would cost 1 MB
 * for as long as its entry is held.
 */
export function journaledBody(body: string | undefined): string | undefined {
  if (body === undefined || body.length <= JOURNAL_BODY_LIMIT) return body;
  return `${Buffer.from(body.slice(0, JOURNAL_BODY_LIMIT)).toString()}...`;
}

/**
 * The memory every namespace's journal shares (--journal-memory): the bytes their entries hold, and the order
 * the entries came in, so that when a new entry would pass the bound the oldest entry of any namespace goes
 * first. Whatever the number of namespaces, the journals hold at most `limit` bytes of text (about: a
 * character counts one byte, two in memory for a body outside Latin-1).
 */
export class JournalBudget {
  readonly limit: number;
  #used = 0;
  #held = 0;
  // Every entry recorded and not yet dropped here, oldest first from #head: its journal and id. Entries the
  // journals dropped themselves (a full ring, a clear) stay until they reach the head or the lists are compacted.
  #journals: Journal[] = [];
  #ids: number[] = [];
  #head = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get used(): number {
    return this.#used;
  }

  /** A journal took an entry of `bytes`: the oldest entries anywhere go until all fit. */
  charge(journal: Journal, id: number, bytes: number): void {
    this.#used += bytes;
    this.#held += 1;
    this.#journals.push(journal);
    this.#ids.push(id);
    while (this.#used > this.limit && this.#head < this.#journals.length) {
      const oldest = this.#journals[this.#head]!;
      const oldestId = this.#ids[this.#head]!;
      this.#journals[this.#head] = undefined as unknown as Journal;
      this.#head += 1;
      oldest.dropThrough(oldestId);
    }
    // Compacted when most of the lists is spent or stale, so that they stay within a few times the entries held.
    const length = this.#journals.length - this.#head;
    if (length > 1024 && length > 2 * this.#held) this.#compact();
  }

  /** A journal let entries go (overwritten, dropped, cleared). */
  release(bytes: number, entries: number): void {
    this.#used -= bytes;
    this.#held -= entries;
  }

  #compact(): void {
    const journals: Journal[] = [];
    const ids: number[] = [];
    for (let i = this.#head; i < this.#journals.length; i++) {
      if (this.#journals[i]!.holds(this.#ids[i]!)) {
        journals.push(this.#journals[i]!);
        ids.push(this.#ids[i]!);
      }
    }
    this.#journals = journals;
    this.#ids = ids;
    this.#head = 0;
  }
}

/**
 * The journal: a ring of the last `size` requests of a namespace (0: off), within the budget all namespaces
 * share. `total` counts every request since the namespace began or was cleared, `dropped` those the journal
 * no longer holds.
 *
 * Kept by column, and a request's text parts (method, target, headers, body) as one string: a busy server
 * records thousands of requests a second, each held until a thousand more have come, and one flat string is
 * far cheaper for the garbage collector to carry than the request's own header object and strings.
 */
export class Journal {
  readonly size: number;
  readonly #budget: JournalBudget;
  // The ring's columns, grown up to `size` as requests come (an idle namespace holds none).
  #times: number[] = [];
  #statuses: number[] = [];
  #durations: number[] = [];
  #texts: string[] = [];
  #faults: (string | undefined)[] = [];
  #headerCounts: number[] = [];
  #bytes: number[] = [];
  /** The slot of the oldest entry held, and how many are held. */
  #start = 0;
  #held = 0;
  #heldBytes = 0;
  #total = 0;
  #cleared = 0;

  constructor(size: number, budget: JournalBudget) {
    this.size = size;
    this.#budget = budget;
  }

  /** Positional, so that a request costs no object of its own (this runs on every request of the emulated API). */
  record(time: number, method: string, url: string, status: number, durationMs: number, rawHeaders: readonly string[], body: string | undefined, fault: string | undefined): void {
    if (this.size === 0) return;
    this.#total += 1;
    // No method, target, header name or header value holds a line break (Node's parser refuses them), so the
    // header lines are joined as they came, by one native join; the body, which may hold anything, comes last.
    const text = `${body === undefined ? '-' : '+'}${method} ${url}\n${rawHeaders.join('\n')}\n${body ?? ''}`;
    const bytes = text.length + ENTRY_OVERHEAD;
    if (this.#held === this.size) this.#dropOldest();
    const slot = (this.#start + this.#held) % this.size;
    if (slot === this.#texts.length) {
      this.#times.push(time);
      this.#statuses.push(status);
      this.#durations.push(durationMs);
      this.#texts.push(text);
      this.#faults.push(fault);
      this.#headerCounts.push(rawHeaders.length);
      this.#bytes.push(bytes);
    } else {
      this.#times[slot] = time;
      this.#statuses[slot] = status;
      this.#durations[slot] = durationMs;
      this.#texts[slot] = text;
      this.#faults[slot] = fault;
      this.#headerCounts[slot] = rawHeaders.length;
      this.#bytes[slot] = bytes;
    }
    this.#held += 1;
    this.#heldBytes += bytes;
    this.#budget.charge(this, this.#total, bytes);
  }

  #dropOldest(): void {
    const slot = this.#start;
    const bytes = this.#bytes[slot]!;
    this.#texts[slot] = '';
    this.#start = (slot + 1) % this.size;
    this.#held -= 1;
    this.#heldBytes -= bytes;
    this.#budget.release(bytes, 1);
  }

  /** The id of the oldest entry held (ids count from 1, and the ring holds the last `held` of them). */
  get #firstId(): number {
    return this.#total - this.#held + 1;
  }

  /** Whether entry `id` is still held. */
  holds(id: number): boolean {
    return this.#held > 0 && id >= this.#firstId && id <= this.#total;
  }

  /** Lets go of the entries up to and including `id` (the budget's oldest). */
  dropThrough(id: number): void {
    while (this.#held > 0 && this.#firstId <= id) this.#dropOldest();
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
    const first = this.#firstId;
    return Array.from({ length: this.#held }, (_, i) => this.#entry((this.#start + i) % this.size, first + i));
  }

  get total(): number {
    return this.#total - this.#cleared;
  }

  get held(): number {
    return this.#held;
  }

  get dropped(): number {
    return Math.max(0, this.total - this.#held);
  }

  clear(): void {
    this.#budget.release(this.#heldBytes, this.#held);
    this.#cleared = this.#total;
    this.#times = [];
    this.#statuses = [];
    this.#durations = [];
    this.#texts = [];
    this.#faults = [];
    this.#headerCounts = [];
    this.#bytes = [];
    this.#start = 0;
    this.#held = 0;
    this.#heldBytes = 0;
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
