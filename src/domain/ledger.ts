import type { TransactionStatus } from '../schemas/transaction.js';
import { flat } from './flat.js';
import { fromMicros } from './money.js';
import { zMicros } from './time.js';

/**
 * Entry types in the credit class; every other type is a debit. `credit` and `debit` are the documented
 * types; the others are the legacy types older entries carry, which the type filter sweeps into a class.
 */
const creditTypes = new Set(['credit', 'payment', 'refund', 'recharge', 'promotional_credit']);

export const isCreditType = (type: string): boolean => creditTypes.has(type);

export interface EntryInput {
  readonly id: string;
  readonly type: string;
  /** Micro-units, always positive. */
  readonly amount: number;
  readonly currency: string;
  readonly description: string;
  readonly reference: string;
  readonly referenceType: string;
  readonly status: TransactionStatus;
  /** Epoch microseconds of createdAt. */
  readonly at: number;
  readonly createdAt: string;
  readonly processedAt: string;
  readonly updatedAt: string;
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

export interface QueryResult {
  /** How many entries matched. */
  readonly count: number;
  /** The serialized summary of every entry that matched. */
  readonly summary: string;
  /** The matching entries from position start (0: the newest) to end, serialized and joined with commas. */
  items(start: number, end: number): string;
  /** Bodies already made from this result, by whatever key their maker chooses (a page, say). */
  bodies?: Map<string, Buffer>;
}

const MEMO_SIZE = 64;

/**
 * An account's ledger, kept by column (an entry is a row: no object, and no timestamp strings of its own when
 * the emulator made it, since its stamps are written from its time when a body shows them), in
 * created_at order. The completed sums per currency are kept as entries are added, and query results are
 * remembered per filter until the next entry (so paging through one filtered set filters it once).
 */
export class Ledger {
  readonly #accountId: string;
  readonly #balanceId: (currency: string) => string;
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
  /** Each entry serialized, once a page has shown it. */
  readonly #json: (string | undefined)[];
  /** Per currency: the sum of completed entries (micro-units), and the time and created_at of the newest one. */
  readonly #currencies = new Map<string, { sum: number; newestAt: number; newestCreated: string | 0 }>();
  #memo: Map<string, QueryResult> | undefined;
  readonly #typeSet = new Set<string>();
  #types: readonly string[] = [];

  /**
   * A ledger of the entries a fixture or a generator gives, each column made at its size at once (a generated
   * account's dozen entries pushed one by one would leave every column with room for half as many again, for
   * as long as the account is held).
   */
  constructor(accountId: string, balanceId: (currency: string) => string, entries: readonly EntryInput[] = []) {
    this.#accountId = accountId;
    this.#balanceId = balanceId;
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
    this.#json = rows.map(() => undefined);
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
      this.#json.push(undefined);
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
      this.#json.splice(i, 0, undefined);
    }
    this.#count(at, amount, type, currency, referenceType, 'completed', 0);
  }

  /** Counts a new entry into the sums per currency and the reference types, and forgets remembered queries. */
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
    this.#memo = undefined;
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

  /** The reference types present, in name order. */
  referenceTypes(): readonly string[] {
    return this.#types;
  }

  #createdAt(row: number): string {
    const created = this.#created[row]!;
    return created === 0 ? zMicros(this.#at[row]!) : created;
  }

  /** One entry as the API shows it, serialized once. */
  #jsonOf(row: number): string {
    let json = this.#json[row];
    if (json === undefined) {
      const createdAt = this.#createdAt(row);
      const later = this.#later[row]!;
      const currency = this.#currency[row]!;
      // In TransactionSchema's field order.
      json = JSON.stringify({
        id: this.#id[row]!,
        account_id: this.#accountId,
        balance_id: this.#balanceId(currency),
        type: this.#type[row],
        amount: fromMicros(this.#amount[row]!),
        currency,
        description: this.#description[row],
        reference: this.#reference[row]!,
        reference_type: this.#referenceType[row],
        status: this.#status[row],
        processed_at: later === 0 ? createdAt : later[0],
        created_at: createdAt,
        updated_at: later === 0 ? createdAt : later[1],
      });
      this.#json[row] = flat(json);
    }
    return json;
  }

  /** Every entry, oldest first, as its input (what a snapshot writes). */
  all(): EntryInput[] {
    return this.#at.map((at, row) => {
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
        at,
        createdAt,
        processedAt: later === 0 ? createdAt : later[0],
        updatedAt: later === 0 ? createdAt : later[1],
      };
    });
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

  #summarize(rows: readonly number[]): string {
    let debit = 0;
    let credit = 0;
    const byType = new Map<string, { debit: number; credit: number; count: number }>();
    for (const row of rows) {
      const amount = this.#amount[row]!;
      const referenceType = this.#referenceType[row]!;
      let totals = byType.get(referenceType);
      if (!totals) byType.set(referenceType, (totals = { debit: 0, credit: 0, count: 0 }));
      totals.count++;
      // Only completed entries moved money: an unfiltered summary's net_amount is the balance.
      if (this.#status[row] !== 'completed') continue;
      if (isCreditType(this.#type[row]!)) {
        credit += amount;
        totals.credit += amount;
      } else {
        debit += amount;
        totals.debit += amount;
      }
    }
    // In TransactionSummarySchema's field order; credits are whole units, so total_credit is an integer.
    return flat(JSON.stringify({
      total_transactions: rows.length,
      total_debit: fromMicros(debit),
      total_credit: fromMicros(credit),
      net_amount: fromMicros(credit - debit),
      by_reference_type: [...byType.keys()].sort().map((referenceType) => {
        const t = byType.get(referenceType)!;
        return { reference_type: referenceType, total_debit: fromMicros(t.debit), total_credit: fromMicros(t.credit), count: t.count };
      }),
    }));
  }

  /** Entries matching every filter, newest first, with their summary. `key` names the filter for the memo. */
  query(key: string, filter: TransactionFilter): QueryResult {
    const known = this.#memo?.get(key);
    if (known) return known;
    const times = this.#at;
    // The date range by binary search; the other filters by a scan of what is left.
    const lo = filter.from === undefined ? 0 : lowerBound(times, filter.from);
    const hi = filter.to === undefined ? times.length : lowerBound(times, filter.to + 1);
    const rows: number[] = [];
    for (let row = hi - 1; row >= lo; row--) if (this.#matches(row, filter)) rows.push(row);
    const result: QueryResult = {
      count: rows.length,
      summary: this.#summarize(rows),
      // Rows are valid while the result is: the memo forgets it when an entry is added (rows may move).
      items: (start, end) => {
        let items = '';
        for (let i = start; i < end; i++) items += i === start ? this.#jsonOf(rows[i]!) : `,${this.#jsonOf(rows[i]!)}`;
        return items;
      },
    };
    const memo = (this.#memo ??= new Map());
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(key, result);
    return result;
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
