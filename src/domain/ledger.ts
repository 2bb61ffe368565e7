import type { TransactionStatus } from '../schemas/transaction.js';
import { zMicros } from './time.js';

/**
 * Entry types in the credit class; every other type is a debit. `credit` and `debit` are the documented
 * types; the others are the legacy types older entries carry, which the type filter sweeps into a class.
 */
const creditTypes = new Set(['credit', 'payment', 'refund', 'recharge', 'promotional_credit']);

export const isCreditType = (type: string): boolean => creditTypes.has(type);

/** An entry as a fixture or a generator gives it: as it is shown, and its time. */
export interface EntryInput extends Entry {
  /** Epoch microseconds of createdAt. */
  readonly at: number;
}

/**
 * A completed entry the emulator makes (a purchase, a renewal, a call, an adjustment): stamped at its time,
 * created, processed and updated at once.
 */
export interface Posting {
  readonly id: string;
  readonly type: 'credit' | 'debit';
  readonly amount: number;
  readonly currency: string;
  readonly description: string;
  readonly reference: string;
  readonly referenceType: string;
  readonly at: number;
}

export interface TransactionFilter {
  /** Epoch microseconds, inclusive. */
  readonly from?: number;
  readonly to?: number;
  readonly credit?: boolean;
  /** An exact type other than the two classes. */
  readonly type?: string;
  readonly status?: TransactionStatus;
  readonly currency?: string;
  readonly referenceType?: string;
  /** Lower-cased substrings. */
  readonly description?: string;
  readonly reference?: string;
  readonly id?: string;
}

/** An entry as it is shown (amount in micro-units, always positive; stamps written out). */
export interface Entry {
  readonly id: string;
  readonly type: string;
  readonly amount: number;
  readonly currency: string;
  readonly description: string;
  readonly reference: string;
  readonly referenceType: string;
  readonly status: TransactionStatus;
  readonly createdAt: string;
  readonly processedAt: string;
  readonly updatedAt: string;
}

/**
 * An account's ledger, kept by column (an entry is a row: no object, and no timestamp strings of its own when
 * the emulator made it, since its stamps are written from its time when a body shows them), in created_at
 * order. Its completed sums per currency, the newest entry per currency and the reference types present are
 * kept as entries are added (an index of the rows: a purchase checks the funds without summing them all).
 */
export class Ledger {
  readonly #at: number[];
  readonly #amount: number[];
  readonly #id: string[];
  readonly #type: string[];
  readonly #currency: string[];
  readonly #description: string[];
  readonly #reference: string[];
  readonly #referenceType: string[];
  readonly #status: TransactionStatus[];
  /** created_at as given, or 0: written from the time (zMicros). */
  readonly #created: (string | 0)[];
  /** processed_at and updated_at as given, or 0: the same as created_at. */
  readonly #later: (readonly [string, string] | 0)[];
  /** Per currency: the sum of completed entries (micro-units), and the time and created_at of the newest one. */
  readonly #currencies = new Map<string, { sum: number; newestAt: number; newestCreated: string | 0 }>();
  readonly #typeSet = new Set<string>();
  #types: readonly string[] = [];

  /**
   * A ledger of the entries a fixture or a generator gives, each column made at its size at once (a generated
   * account's dozen entries pushed one by one would leave every column with room for half as many again, for
   * as long as the account is held).
   */
  constructor(entries: readonly EntryInput[] = []) {
    // In time order, ties in the given order (Array.prototype.sort is stable).
    const rows = entries.every((e, i) => i === 0 || entries[i - 1]!.at <= e.at) ? entries : [...entries].sort((a, b) => a.at - b.at);
    this.#at = rows.map((e) => e.at);
    this.#amount = rows.map((e) => e.amount);
    this.#id = rows.map((e) => e.id);
    this.#type = rows.map((e) => e.type);
    this.#currency = rows.map((e) => e.currency);
    this.#description = rows.map((e) => e.description);
    this.#reference = rows.map((e) => e.reference);
    this.#referenceType = rows.map((e) => e.referenceType);
    this.#status = rows.map((e) => e.status);
    this.#created = rows.map(createdOf);
    this.#later = rows.map(laterOf);
    for (const [row, e] of rows.entries()) this.#count(e.at, e.amount, e.type, e.currency, e.referenceType, e.status, this.#created[row]!);
  }

  get size(): number {
    return this.#at.length;
  }

  /**
   * Adds a completed entry the emulator made, stamped at its time: usually the newest, appended; otherwise
   * after every entry with the same or an earlier time.
   */
  post(p: Posting): void {
    const { at, amount, id, type, currency, description, reference, referenceType } = p;
    const times = this.#at;
    let i = times.length;
    while (i > 0 && times[i - 1]! > at) i--;
    if (i === times.length) {
      times.push(at);
      this.#amount.push(amount);
      this.#id.push(id);
      this.#type.push(type);
      this.#currency.push(currency);
      this.#description.push(description);
      this.#reference.push(reference);
      this.#referenceType.push(referenceType);
      this.#status.push('completed');
      this.#created.push(0);
      this.#later.push(0);
    } else {
      times.splice(i, 0, at);
      this.#amount.splice(i, 0, amount);
      this.#id.splice(i, 0, id);
      this.#type.splice(i, 0, type);
      this.#currency.splice(i, 0, currency);
      this.#description.splice(i, 0, description);
      this.#reference.splice(i, 0, reference);
      this.#referenceType.splice(i, 0, referenceType);
      this.#status.splice(i, 0, 'completed');
      this.#created.splice(i, 0, 0);
      this.#later.splice(i, 0, 0);
    }
    this.#count(at, amount, type, currency, referenceType, 'completed', 0);
  }

  /** Counts a new entry into the sums per currency and the reference types. */
  #count(at: number, amount: number, type: string, currency: string, referenceType: string, status: TransactionStatus, created: string | 0): void {
    if (status === 'completed') {
      const known = this.#currencies.get(currency);
      const delta = isCreditType(type) ? amount : -amount;
      if (!known) this.#currencies.set(currency, { sum: delta, newestAt: at, newestCreated: created });
      else {
        known.sum += delta;
        if (known.newestAt <= at) {
          known.newestAt = at;
          known.newestCreated = created;
        }
      }
    }
    if (!this.#typeSet.has(referenceType)) {
      this.#typeSet.add(referenceType);
      this.#types = [...this.#typeSet].sort();
    }
  }

  /** Micro-units: the sum of completed entries in a currency. */
  balance(currency: string): number {
    return this.#currencies.get(currency)?.sum ?? 0;
  }

  /** The time and created_at of the newest completed entry in a currency. */
  newest(currency: string): { at: number; createdAt: string } | undefined {
    const known = this.#currencies.get(currency);
    return known && { at: known.newestAt, createdAt: known.newestCreated === 0 ? zMicros(known.newestAt) : known.newestCreated };
  }

  /**
   * The balance in a currency after each completed entry, oldest first, as [epoch µs, micro-units]: at most
   * `points` of them, evenly spaced over the entries, the newest always among them.
   */
  balanceHistory(currency: string, points: number): [at: number, balance: number][] {
    const all: [number, number][] = [];
    let sum = 0;
    for (let row = 0; row < this.#id.length; row++) {
      if (this.#status[row] !== 'completed' || this.#currency[row] !== currency) continue;
      sum += isCreditType(this.#type[row]!) ? this.#amount[row]! : -this.#amount[row]!;
      all.push([this.#at[row]!, sum]);
    }
    if (all.length <= points) return all;
    const step = (all.length - 1) / (points - 1);
    return Array.from({ length: points }, (_, i) => all[Math.round(i * step)]!);
  }

  /** The reference types present, in name order. */
  referenceTypes(): readonly string[] {
    return this.#types;
  }

  #createdAt(row: number): string {
    const created = this.#created[row]!;
    return created === 0 ? zMicros(this.#at[row]!) : created;
  }

  /** Row `row` (0: the oldest) as it is shown. */
  entry(row: number): Entry {
    const createdAt = this.#createdAt(row);
    const later = this.#later[row]!;
    return {
      id: this.#id[row]!,
      type: this.#type[row]!,
      amount: this.#amount[row]!,
      currency: this.#currency[row]!,
      description: this.#description[row]!,
      reference: this.#reference[row]!,
      referenceType: this.#referenceType[row]!,
      status: this.#status[row]!,
      createdAt,
      processedAt: later === 0 ? createdAt : later[0],
      updatedAt: later === 0 ? createdAt : later[1],
    };
  }

  /** Every entry, oldest first, as its input (what a snapshot writes). */
  all(): EntryInput[] {
    return this.#at.map((at, row) => ({ ...this.entry(row), at }));
  }

  #matches(row: number, f: TransactionFilter): boolean {
    return (
      (f.credit === undefined || isCreditType(this.#type[row]!) === f.credit) &&
      (f.type === undefined || this.#type[row] === f.type) &&
      (f.status === undefined || this.#status[row] === f.status) &&
      (f.currency === undefined || this.#currency[row] === f.currency) &&
      (f.referenceType === undefined || this.#referenceType[row] === f.referenceType) &&
      (f.id === undefined || this.#id[row]!.toLowerCase() === f.id) &&
      (f.description === undefined || this.#description[row]!.toLowerCase().includes(f.description)) &&
      (f.reference === undefined || this.#reference[row]!.toLowerCase().includes(f.reference))
    );
  }

  /** The rows (0: the oldest) of the entries matching every filter, newest first. */
  query(filter: TransactionFilter): number[] {
    const times = this.#at;
    // The date range by binary search; the other filters by a scan of what is left.
    const lo = filter.from === undefined ? 0 : lowerBound(times, filter.from);
    const hi = filter.to === undefined ? times.length : lowerBound(times, filter.to + 1);
    const rows: number[] = [];
    for (let row = hi - 1; row >= lo; row--) if (this.#matches(row, filter)) rows.push(row);
    return rows;
  }
}

/** created_at as the ledger keeps it: 0 when it is the entry's time written out (zMicros). */
const createdOf = (e: EntryInput): string | 0 => (e.createdAt === zMicros(e.at) ? 0 : e.createdAt);
/** processed_at and updated_at as the ledger keeps them: 0 when both are created_at. */
const laterOf = (e: EntryInput): readonly [string, string] | 0 => (e.processedAt === e.createdAt && e.updatedAt === e.createdAt ? 0 : [e.processedAt, e.updatedAt]);

/** The first index whose time is at or after `at`. */
function lowerBound(times: readonly number[], at: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
