import type { TransactionStatus } from '../schemas/transaction.js';
import { fromMicros } from './money.js';

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

/** A ledger entry, serialized once (when a page first shows it): a page is a join of these strings. */
export class Entry implements EntryInput {
  readonly id: string;
  readonly type: string;
  readonly amount: number;
  readonly currency: string;
  readonly description: string;
  readonly reference: string;
  readonly referenceType: string;
  readonly status: TransactionStatus;
  readonly at: number;
  readonly createdAt: string;
  readonly processedAt: string;
  readonly updatedAt: string;
  readonly credit: boolean;
  readonly #accountId: string;
  readonly #balanceId: string;
  #json: string | undefined;
  #lower: [description: string, reference: string] | undefined;

  constructor(input: EntryInput, accountId: string, balanceId: string) {
    this.id = input.id;
    this.type = input.type;
    this.amount = input.amount;
    this.currency = input.currency;
    this.description = input.description;
    this.reference = input.reference;
    this.referenceType = input.referenceType;
    this.status = input.status;
    this.at = input.at;
    this.createdAt = input.createdAt;
    this.processedAt = input.processedAt;
    this.updatedAt = input.updatedAt;
    this.credit = isCreditType(input.type);
    this.#accountId = accountId;
    this.#balanceId = balanceId;
  }

  get json(): string {
    // In TransactionSchema's field order.
    return (this.#json ??= JSON.stringify({
      id: this.id,
      account_id: this.#accountId,
      balance_id: this.#balanceId,
      type: this.type,
      amount: fromMicros(this.amount),
      currency: this.currency,
      description: this.description,
      reference: this.reference,
      reference_type: this.referenceType,
      status: this.status,
      processed_at: this.processedAt,
      created_at: this.createdAt,
      updated_at: this.updatedAt,
    }));
  }

  /** Lower-cased for the case-insensitive substring filters, on first use. */
  get lowerDescription(): string {
    return (this.#lower ??= [this.description.toLowerCase(), this.reference.toLowerCase()])[0];
  }

  get lowerReference(): string {
    return (this.#lower ??= [this.description.toLowerCase(), this.reference.toLowerCase()])[1];
  }
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
  /** Newest first. */
  readonly entries: readonly Entry[];
  /** The serialized summary of every entry that matched. */
  readonly summary: string;
  /** Bodies already made from this result, by whatever key their maker chooses (a page, say). */
  bodies?: Map<string, Buffer>;
}

function matches(entry: Entry, f: TransactionFilter): boolean {
  const e = entry;
  return (
    (f.credit === undefined || entry.credit === f.credit) &&
    (f.type === undefined || e.type === f.type) &&
    (f.status === undefined || e.status === f.status) &&
    (f.currency === undefined || e.currency === f.currency) &&
    (f.referenceType === undefined || e.referenceType === f.referenceType) &&
    (f.id === undefined || e.id.toLowerCase() === f.id) &&
    (f.description === undefined || entry.lowerDescription.includes(f.description)) &&
    (f.reference === undefined || entry.lowerReference.includes(f.reference))
  );
}

function summarize(entries: readonly Entry[]): string {
  let debit = 0;
  let credit = 0;
  const byType = new Map<string, { debit: number; credit: number; count: number }>();
  for (const entry of entries) {
    const { amount, referenceType } = entry;
    let totals = byType.get(referenceType);
    if (!totals) byType.set(referenceType, (totals = { debit: 0, credit: 0, count: 0 }));
    totals.count++;
    // Only completed entries moved money: an unfiltered summary's net_amount is the balance.
    if (entry.status !== 'completed') continue;
    if (entry.credit) {
      credit += amount;
      totals.credit += amount;
    } else {
      debit += amount;
      totals.debit += amount;
    }
  }
  // In TransactionSummarySchema's field order; credits are whole units, so total_credit is an integer.
  return JSON.stringify({
    total_transactions: entries.length,
    total_debit: fromMicros(debit),
    total_credit: fromMicros(credit),
    net_amount: fromMicros(credit - debit),
    by_reference_type: [...byType.keys()].sort().map((referenceType) => {
      const t = byType.get(referenceType)!;
      return { reference_type: referenceType, total_debit: fromMicros(t.debit), total_credit: fromMicros(t.credit), count: t.count };
    }),
  });
}

const MEMO_SIZE = 64;

/**
 * An account's ledger: entries in created_at order, the completed sums per currency kept as entries are
 * added, and query results remembered per filter until the next entry (so paging through one filtered set
 * filters it once).
 */
export class Ledger {
  readonly #entries: Entry[] = [];
  /** Per currency: the sum of completed entries (micro-units) and the newest completed entry. */
  readonly #currencies = new Map<string, { sum: number; newest: Entry }>();
  #memo: Map<string, QueryResult> | undefined;
  readonly #typeSet = new Set<string>();
  #types: readonly string[] = [];

  get size(): number {
    return this.#entries.length;
  }

  /** Every entry, oldest first. */
  all(): readonly Entry[] {
    return this.#entries;
  }

  add(entry: Entry): void {
    const list = this.#entries;
    // Usually the newest: appended. Otherwise after every entry with the same or an earlier time.
    let i = list.length;
    while (i > 0 && list[i - 1]!.at > entry.at) i--;
    if (i === list.length) list.push(entry);
    else list.splice(i, 0, entry);
    const { status, currency, amount, at } = entry;
    if (status === 'completed') {
      const known = this.#currencies.get(currency);
      const delta = entry.credit ? amount : -amount;
      if (!known) this.#currencies.set(currency, { sum: delta, newest: entry });
      else {
        known.sum += delta;
        if (known.newest.at <= at) known.newest = entry;
      }
    }
    this.#memo = undefined;
    if (!this.#typeSet.has(entry.referenceType)) {
      this.#typeSet.add(entry.referenceType);
      this.#types = [...this.#typeSet].sort();
    }
  }

  /** Micro-units: the sum of completed entries in a currency. */
  balance(currency: string): number {
    return this.#currencies.get(currency)?.sum ?? 0;
  }

  /** The newest completed entry in a currency. */
  newest(currency: string): Entry | undefined {
    return this.#currencies.get(currency)?.newest;
  }

  /** The reference types present, in name order. */
  referenceTypes(): readonly string[] {
    return this.#types;
  }

  /** Entries matching every filter, newest first, with their summary. `key` names the filter for the memo. */
  query(key: string, filter: TransactionFilter): QueryResult {
    const known = this.#memo?.get(key);
    if (known) return known;
    const list = this.#entries;
    // The date range by binary search; the other filters by a scan of what is left.
    const lo = filter.from === undefined ? 0 : lowerBound(list, filter.from);
    const hi = filter.to === undefined ? list.length : lowerBound(list, filter.to + 1);
    const found: Entry[] = [];
    for (let i = hi - 1; i >= lo; i--) {
      const entry = list[i]!;
      if (matches(entry, filter)) found.push(entry);
    }
    const result: QueryResult = { entries: found, summary: summarize(found) };
    const memo = (this.#memo ??= new Map());
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(key, result);
    return result;
  }
}

/** The first index whose entry is at or after `at`. */
function lowerBound(list: readonly Entry[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
