import { createHash } from 'node:crypto';
import type { AccountData } from '../schemas/account.js';
import { derivedAccountFields } from '../schemas/account.js';
import type { FixtureFile } from '../schemas/fixture.js';
import type { BalanceSeed, SeedData } from './account-state.js';
import type { SubscriptionSeed } from './subscriptions.js';
import { billingDateAfter } from './account-state.js';
import type { EntryInput } from './ledger.js';
import { isCreditType } from './ledger.js';
import { generateLedger, seededFaker } from './ledger-generator.js';
import { toMicros } from './money.js';
import { parseMicros, zMicros } from './time.js';

/** A UUID-shaped id derived from a name: fixtures that leave ids out still get the same ids every run. */
export function nameId(name: string): string {
  const hex = createHash('sha256').update(`vobiz-mock:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Generated entries stop here unless a fixture says otherwise, so a ledger never depends on the day it is made. */
export const LEDGER_UNTIL = '2026-11-01T00:00:00.000000Z';

/** The account less what the emulator derives. */
export function storedAccount(account: FixtureFile['account']): AccountData {
  const copy: Record<string, unknown> = { ...account };
  for (const field of derivedAccountFields) delete copy[field];
  return copy as unknown as AccountData;
}

/**
 * A balance stated in a fixture is reached through the ledger: an "Opening balance" entry dated before
 * every other entry makes up the difference. Credits are whole units, so a fractional difference becomes a
 * whole credit and a small debit.
 */
function openingEntries(authId: string, balance: BalanceSeed, stated: number, entries: readonly EntryInput[]): EntryInput[] {
  let sum = 0;
  let first = Number.POSITIVE_INFINITY;
  for (const e of entries) {
    if (e.currency !== balance.currency) continue;
    first = Math.min(first, e.at);
    if (e.status === 'completed') sum += isCreditType(e.type) ? e.amount : -e.amount;
  }
  const diff = toMicros(stated) - sum;
  if (diff === 0) return [];
  const at = Math.min(parseMicros(balance.createdAt), first - 2);
  const make = (offset: number, type: 'credit' | 'debit', amount: number, description: string): EntryInput => {
    const stamp = zMicros(at + offset);
    return {
      id: nameId(`${authId}:opening:${balance.currency}:${offset}`),
      type,
      amount,
      currency: balance.currency,
      description,
      reference: `opening:${balance.currency}`,
      referenceType: 'manual_adjustment',
      status: 'completed',
      at: at + offset,
      createdAt: stamp,
      processedAt: stamp,
      updatedAt: stamp,
    };
  };
  if (diff < 0) return [make(0, 'debit', -diff, 'Opening balance')];
  const whole = Math.ceil(diff / 1_000_000) * 1_000_000;
  const opening = [make(0, 'credit', whole, 'Opening balance')];
  if (whole !== diff) opening.push(make(1, 'debit', whole - diff, 'Opening balance adjustment'));
  return opening;
}

/** What a checked fixture file starts its account with, every default filled in. */
export function seedFromFixture(fixture: FixtureFile): SeedData {
  const account = storedAccount(fixture.account);
  const authId = account.auth_id;
  const tier = account.pricing_tier;
  const accountCreated = parseMicros(account.created_at);
  const balances: BalanceSeed[] = (fixture.balances ?? [{ currency: tier.currency }]).map((b) => {
    const createdAt = b.created_at ?? zMicros(accountCreated);
    const updatedAt = b.updated_at ?? createdAt;
    return {
      id: b.id ?? nameId(`${authId}:balance:${b.currency}`),
      currency: b.currency,
      reservedFunds: b.reserved_funds ?? 0,
      promotionalBalance: b.promotional_balance ?? 0,
      promotionalReservedBalance: b.promotional_reserved_balance ?? 0,
      creditLimitType: b.credit_limit_type ?? 'soft',
      lowBalanceThreshold: b.low_balance_threshold ?? 50,
      status: b.status ?? 'active',
      createdAt,
      updatedAt,
      updatedAtMicros: parseMicros(updatedAt),
    };
  });
  const listed: EntryInput[] = (fixture.transactions ?? []).map((t, i) => ({
    id: t.id ?? nameId(`${authId}:transaction:${i}`),
    type: t.type,
    amount: toMicros(t.amount),
    currency: t.currency ?? tier.currency,
    description: t.description,
    reference: t.reference ?? '',
    referenceType: t.reference_type ?? 'manual_adjustment',
    status: t.status ?? 'completed',
    at: parseMicros(t.created_at),
    createdAt: t.created_at,
    processedAt: t.processed_at ?? t.created_at,
    updatedAt: t.updated_at ?? t.created_at,
  }));
  const plan = fixture.generate_transactions;
  const transactions = () => {
    const generated = plan
      ? generateLedger(seededFaker([plan.seed]), {
          count: plan.count,
          currency: tier.currency,
          ratePerMinute: tier.rate_per_minute,
          billingIncrementSeconds: tier.billing_increment_seconds,
          minimumDurationSeconds: tier.minimum_duration_seconds,
          postpaid: account.postpaid,
          from: accountCreated,
          until: parseMicros(plan.until ?? LEDGER_UNTIL),
        })
      : [];
    const entries = [...listed, ...generated];
    const opening = (fixture.balances ?? []).flatMap((b, i) => (b.balance === undefined ? [] : openingEntries(authId, balances[i]!, b.balance, entries)));
    return [...opening, ...entries];
  };
  const subscriptions: SubscriptionSeed[] = (fixture.subscriptions ?? []).map((s, i) => {
    const purchasedAt = parseMicros(s.purchased_at);
    const last = s.last_billing_date === undefined ? purchasedAt : parseMicros(s.last_billing_date);
    return {
      id: s.id ?? nameId(`${authId}:subscription:${i}`),
      resourceType: s.resource_type,
      quantity: s.quantity,
      monthlyCost: toMicros(Number(s.monthly_cost)),
      currency: s.currency ?? tier.currency,
      status: s.status ?? 'active',
      purchasedAt,
      lastBillingDate: last,
      nextBillingDate: s.next_billing_date === undefined ? billingDateAfter(last) : parseMicros(s.next_billing_date),
      cancelledAt: s.cancelled_at === undefined || s.cancelled_at === null ? null : parseMicros(s.cancelled_at),
      cancellationReason: s.cancellation_reason ?? null,
      createdAt: purchasedAt,
      updatedAt: last,
    };
  });
  return { account, balances, transactions, subscriptions, liveCalls: fixture.live_calls ?? 0 };
}
