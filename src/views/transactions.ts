import type { Account } from '../domain/account.js';
import { isCreditType, type TransactionFilter } from '../domain/ledger.js';
import { fromMicros } from '../domain/money.js';
import { type Transaction, type TransactionList, TransactionListSchema, type TransactionSummary } from '../schemas/transaction.js';
import { serializer } from './serializer.js';

/** Filtered sets and pages an account keeps for the version they were made from (a client pages through a few). */
const KEPT = 16;

interface Kept {
  version: number;
  readonly sets: Map<string, { readonly rows: readonly number[]; readonly summary: TransactionSummary }>;
  readonly pages: Map<string, Buffer>;
}

const kept = new WeakMap<Account, Kept>();

function keptFor(account: Account): Kept {
  let k = kept.get(account);
  if (!k || k.version !== account.version) kept.set(account, (k = { version: account.version, sets: new Map(), pages: new Map() }));
  return k;
}

/** Totals over every entry of a set: amounts of completed entries (those that moved money), counts of all. */
function summarize(account: Account, rows: readonly number[]): TransactionSummary {
  const ledger = account.ledger;
  let debit = 0;
  let credit = 0;
  const byType = new Map<string, { debit: number; credit: number; count: number }>();
  for (const row of rows) {
    const e = ledger.entry(row);
    let totals = byType.get(e.referenceType);
    if (!totals) byType.set(e.referenceType, (totals = { debit: 0, credit: 0, count: 0 }));
    totals.count++;
    if (e.status !== 'completed') continue;
    if (isCreditType(e.type)) {
      credit += e.amount;
      totals.credit += e.amount;
    } else {
      debit += e.amount;
      totals.debit += e.amount;
    }
  }
  return {
    total_transactions: rows.length,
    total_debit: fromMicros(debit),
    total_credit: fromMicros(credit),
    net_amount: fromMicros(credit - debit),
    by_reference_type: [...byType.keys()].sort().map((type) => {
      const t = byType.get(type)!;
      return { reference_type: type, total_debit: fromMicros(t.debit), total_credit: fromMicros(t.credit), count: t.count };
    }),
  };
}

/** Row `row` of the ledger as the Transaction object. */
function transaction(account: Account, row: number): Transaction {
  const e = account.ledger.entry(row);
  return {
    id: e.id,
    account_id: account.authId,
    balance_id: account.balances.get(e.currency)?.id ?? '',
    type: e.type,
    amount: fromMicros(e.amount),
    currency: e.currency,
    description: e.description,
    reference: e.reference,
    reference_type: e.referenceType,
    status: e.status,
    processed_at: e.processedAt,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

/**
 * GET .../transactions: one page of the entries matching a filter (`key` names it), newest first, with the
 * totals over every page. The set is filtered once and each page made once per version of the account.
 */
export function transactionsPage(account: Account, key: string, filter: TransactionFilter, page: number, perPage: number): Buffer {
  const k = keptFor(account);
  const pageKey = `${key} ${page} ${perPage}`;
  const known = k.pages.get(pageKey);
  if (known !== undefined) return known;
  let set = k.sets.get(key);
  if (!set) {
    const rows = account.ledger.query(filter);
    set = { rows, summary: summarize(account, rows) };
    if (k.sets.size >= KEPT) k.sets.clear();
    k.sets.set(key, set);
  }
  const total = set.rows.length;
  const start = Math.min((page - 1) * perPage, total);
  const text = serializer<TransactionList>(TransactionListSchema)({
    transactions: set.rows.slice(start, Math.min(start + perPage, total)).map((row) => transaction(account, row)),
    summary: set.summary,
    total,
    page,
    per_page: perPage,
    total_pages: Math.ceil(total / perPage),
  });
  const body = Buffer.from(text);
  if (k.pages.size >= KEPT) k.pages.clear();
  k.pages.set(pageKey, body);
  return body;
}
