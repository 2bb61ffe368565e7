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

const none: readonly string[] = [];

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
 * first. Whatever the number of namespaces, the journals hold at most about `limit` bytes (an entry counts its
 * strings' characters and a fixed cost per string and per entry; a body outside Latin-1 takes two bytes a
 * character in memory).
 */
export class JournalBudget {
  readonly limit: number;
  #used = 0;
  // Every entry recorded and not yet dropped here, oldest first: its journal and id, in a ring of #count slots
  // from #head. Entries the journals dropped themselves (a full ring, a clear) stay until they reach the head or
  // the ring fills, when they are squeezed out; the ring doubles only when more than half of it is still held, so
  // it holds at most twice the most entries held at once, and its slots are allocated as it grows, never per
  // entry. The two lists it replaced grew by push and were copied when compacted: under /auth/me, 100,000
  // requests took 138 collections of the young generation (each 1.7 to 2.5 times as long) and a full one,
  // against 248 and none with the journal off, and with the ring. Valgrind (--single-threaded), steady state:
  // 78,600 -> 76,300 instructions a request.
  #journals: (Journal | undefined)[] = new Array<Journal | undefined>(1024).fill(undefined);
  #ids: number[] = new Array<number>(1024).fill(0);
  #head = 0;
  #count = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get used(): number {
    return this.#used;
  }

  /** A journal took an entry of `bytes`: the oldest entries anywhere go until all fit. */
  charge(journal: Journal, id: number, bytes: number): void {
    this.#used += bytes;
    if (this.#count === this.#journals.length) this.#makeRoom();
    const mask = this.#journals.length - 1;
    const slot = (this.#head + this.#count) & mask;
    this.#journals[slot] = journal;
    this.#ids[slot] = id;
    this.#count += 1;
    while (this.#used > this.limit && this.#count > 0) {
      const oldest = this.#journals[this.#head]!;
      const oldestId = this.#ids[this.#head]!;
      this.#journals[this.#head] = undefined;
      this.#head = (this.#head + 1) & mask;
      this.#count -= 1;
      oldest.dropThrough(oldestId);
    }
  }

  /** A journal let entries go (overwritten, dropped, cleared). */
  release(bytes: number): void {
    this.#used -= bytes;
  }

  /** The ring is full: the entries no journal holds any more go (in place, in order), and it doubles if over half is left. */
  #makeRoom(): void {
    const size = this.#journals.length;
    const mask = size - 1;
    let kept = 0;
    for (let i = 0; i < this.#count; i++) {
      const from = (this.#head + i) & mask;
      const journal = this.#journals[from]!;
      const id = this.#ids[from]!;
      this.#journals[from] = undefined;
      if (!journal.holds(id)) continue;
      const to = (this.#head + kept) & mask;
      this.#journals[to] = journal;
      this.#ids[to] = id;
      kept += 1;
    }
    this.#count = kept;
    if (kept * 2 <= size) return;
    const journals = new Array<Journal | undefined>(size * 2).fill(undefined);
    const ids = new Array<number>(size * 2).fill(0);
    for (let i = 0; i < kept; i++) {
      journals[i] = this.#journals[(this.#head + i) & mask];
      ids[i] = this.#ids[(this.#head + i) & mask]!;
    }
    this.#journals = journals;
    this.#ids = ids;
    this.#head = 0;
  }
}

/**
 * What an entry costs beyond its strings' characters, for the budget's count: its slots in the columns, the
 * header array's, and each string's own header (V8's, rounded up).
 */
const ENTRY_OVERHEAD = 128;
const STRING_OVERHEAD = 24;

/**
 * The journal: a ring of the last `size` requests of a namespace (0: off), within the budget all namespaces
 * share. `total` counts every request since the namespace began or was cleared, `dropped` those the journal
 * no longer holds.
 *
 * Kept by column, and of a request what Node made already: its method and target strings and its raw header
 * lines (one array), nothing copied or joined. Recording is a few stores; an entry is made readable only when it
 * is read. Measured against one string joined from those parts per request (the layout before), /auth/me under
 * wrk: server CPU per request 34.6 -> 31.6 µs (medians of 5 paired runs), in-process (bench/hot-path.mjs) 3.93
 * -> 3.74 µs: the copy into fresh memory costs more under load, where the caches are cold, than in a loop.
 */
export class Journal {
  readonly size: number;
  readonly #budget: JournalBudget;
  // The ring's columns, grown up to `size` as requests come (an idle namespace holds none).
  #times: number[] = [];
  #statuses: number[] = [];
  #durations: number[] = [];
  #methods: string[] = [];
  #urls: string[] = [];
  #headers: (readonly string[])[] = [];
  #bodies: (string | undefined)[] = [];
  #faults: (string | undefined)[] = [];
  #bytes: number[] = [];
  /** The target and header lines of the last entry recorded, which the next one keeps instead of its own when they are equal. */
  #lastUrl = '';
  #lastHeaders: readonly string[] = none;
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

  /**
   * Positional, so that a request costs no object of its own (this runs on every request of the emulated API).
   * `rawHeaders` is kept as it is (Node's req.rawHeaders, never changed after the request is parsed).
   */
  record(time: number, method: string, url: string, status: number, durationMs: number, rawHeaders: readonly string[], body: string | undefined, fault: string | undefined): void {
    if (this.size === 0) return;
    // A client sends the same target and headers again and again: the entry keeps the previous entry's strings
    // then, and the request's own die young. Kept, they would be copied by every collection of the young
    // generation until they reach the old one. Comparison included, /auth/me costs 1,100 instructions fewer
    // (76,800 -> 75,700 a request; valgrind, steady state).
    if (url === this.#lastUrl) url = this.#lastUrl;
    else this.#lastUrl = url;
    if (sameLines(rawHeaders, this.#lastHeaders)) rawHeaders = this.#lastHeaders;
    else this.#lastHeaders = rawHeaders;
    this.#total += 1;
    let bytes = ENTRY_OVERHEAD + url.length + (body === undefined ? 0 : body.length + STRING_OVERHEAD);
    for (let i = 0; i < rawHeaders.length; i++) bytes += rawHeaders[i]!.length + STRING_OVERHEAD;
    if (this.#held === this.size) this.#dropOldest();
    const slot = (this.#start + this.#held) % this.size;
    if (slot === this.#times.length) {
      this.#times.push(time);
      this.#statuses.push(status);
      this.#durations.push(durationMs);
      this.#methods.push(method);
      this.#urls.push(url);
      this.#headers.push(rawHeaders);
      this.#bodies.push(body);
      this.#faults.push(fault);
      this.#bytes.push(bytes);
    } else {
      this.#times[slot] = time;
      this.#statuses[slot] = status;
      this.#durations[slot] = durationMs;
      this.#methods[slot] = method;
      this.#urls[slot] = url;
      this.#headers[slot] = rawHeaders;
      this.#bodies[slot] = body;
      this.#faults[slot] = fault;
      this.#bytes[slot] = bytes;
    }
    this.#held += 1;
    this.#heldBytes += bytes;
    this.#budget.charge(this, this.#total, bytes);
  }

  #dropOldest(): void {
    const slot = this.#start;
    const bytes = this.#bytes[slot]!;
    // What the slot held goes now, not when the ring comes round to it again.
    this.#urls[slot] = '';
    this.#headers[slot] = none;
    this.#bodies[slot] = undefined;
    this.#start = (slot + 1) % this.size;
    this.#held -= 1;
    this.#heldBytes -= bytes;
    this.#budget.release(bytes);
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
    return {
      id,
      time: this.#times[slot]!,
      method: this.#methods[slot]!,
      url: this.#urls[slot]!,
      status: this.#statuses[slot]!,
      durationMs: this.#durations[slot]!,
      headers: headersOf(this.#headers[slot]!),
      body: this.#bodies[slot],
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
    this.#budget.release(this.#heldBytes);
    this.#cleared = this.#total;
    this.#lastUrl = '';
    this.#lastHeaders = none;
    this.#times = [];
    this.#statuses = [];
    this.#durations = [];
    this.#methods = [];
    this.#urls = [];
    this.#headers = [];
    this.#bodies = [];
    this.#faults = [];
    this.#bytes = [];
    this.#start = 0;
    this.#held = 0;
    this.#heldBytes = 0;
  }
}

/** Whether two requests' raw header lines are the same. */
function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
