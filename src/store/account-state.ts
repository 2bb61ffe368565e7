import { isIPv4 } from 'node:net';
import { type AccountData, derivedAccountValues, renderAccount } from '../schemas/account.js';
import type { ResourceType, SubscriptionStatus } from '../schemas/capacity.js';
import type { Quote } from './capacity.js';
import { compileIpRules } from './invariants.js';
import { Entry, type EntryInput, Ledger, type QueryResult, type TransactionFilter } from './ledger.js';
import { decimalString, fromMicros } from './money.js';
import { accountWriter, serializeAccount } from './serialize.js';
import { DAY_MICROS, offsetMicros, zMicros, zSeconds } from './time.js';

/** A balance's own settings; its amount is the ledger's. */
export interface BalanceSeed {
  readonly id: string;
  readonly currency: string;
  readonly reservedFunds: number;
  readonly promotionalBalance: number;
  readonly promotionalReservedBalance: number;
  readonly creditLimitType: 'soft' | 'hard';
  readonly lowBalanceThreshold: number;
  readonly status: string;
  readonly createdAt: string;
  /** A stated last change; the newest completed entry wins when it is later. */
  readonly updatedAt: string;
  readonly updatedAtMicros: number;
}

export interface SubscriptionSeed {
  readonly id: string;
  readonly resourceType: ResourceType;
  readonly quantity: number;
  /** Micro-units a month. */
  readonly monthlyCost: number;
  readonly currency: string;
  readonly status: SubscriptionStatus;
  /** Epoch microseconds. */
  readonly purchasedAt: number;
  readonly lastBillingDate: number;
  readonly nextBillingDate: number;
  readonly cancelledAt: number | null;
  readonly cancellationReason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Everything an account starts with. `account.purchased_*` are the totals at load, subscriptions included. */
export interface SeedData {
  readonly account: AccountData;
  readonly balances: readonly BalanceSeed[];
  /** Made on first use (generated ledgers are made only when something reads them). */
  readonly transactions: () => readonly EntryInput[];
  readonly subscriptions: readonly SubscriptionSeed[];
  readonly liveCalls: number;
}

/** Days between a subscription's billing dates. */
export const BILLING_PERIOD_DAYS = 30;

export type PurchaseResult =
  | { readonly subscription: string }
  | { readonly refusal: { readonly required: number; readonly available: number; readonly currency: string; readonly shortfall: number } };

function serializeSubscription(s: SubscriptionSeed, accountId: number): string {
  // In ChannelSubscriptionSchema's field order.
  return JSON.stringify({
    id: s.id,
    account_id: accountId,
    resource_type: s.resourceType,
    quantity: s.quantity,
    monthly_cost: decimalString(s.monthlyCost),
    currency: s.currency,
    status: s.status,
    last_billing_date: zSeconds(s.lastBillingDate),
    next_billing_date: zSeconds(s.nextBillingDate),
    purchased_at: zSeconds(s.purchasedAt),
    cancelled_at: s.cancelledAt === null ? null : zSeconds(s.cancelledAt),
    cancellation_reason: s.cancellationReason,
    is_active: s.status === 'active',
    created_at: zSeconds(s.createdAt),
    updated_at: zSeconds(s.updatedAt),
  });
}

/**
 * One account's state: what a user could change (the profile, balances' settings, the ledger, subscriptions,
 * live calls) and everything derived from it, rebuilt once on each change so that requests only read.
 * The limits, purchased_* and balances are never stored twice: they are derived from their sources.
 */
export class AccountState {
  readonly authId: string;
  readonly numericId: number;
  /** What no subscription covers of purchased_* (a base purchase a fixture states). */
  readonly #base: Record<ResourceType, number>;
  readonly #subscriptions: SubscriptionSeed[];
  /** What active subscriptions add up to, kept as they change (a purchase must not cost a walk of all of them). */
  readonly #held: Record<ResourceType, number> = { cps: 0, concurrent_calls: 0 };
  readonly #balances: ReadonlyMap<string, BalanceSeed>;
  #liveCalls: number;
  #transactions: (() => readonly EntryInput[]) | undefined;
  #ledger: Ledger | undefined;
  readonly #balanceBodies = new Map<string, string>();
  #referenceTypes: readonly string[] | undefined;
  #referenceTypesBody = '';
  /** Made on the first change: rewrites only the fields a change touched. */
  #writer: ((data: AccountData) => string) | undefined;

  /** The account less its derived fields; purchased_* derived from the base purchase and active subscriptions. */
  readonly data: AccountData;

  // Derived from the account and subscriptions.
  body!: string;
  bodyLength!: number;
  expiresAt!: number | null;
  active!: boolean;
  /** null when IP authentication is off. */
  allowsIp!: ((ip: string) => boolean) | null;
  /** The rules allowsIp was compiled from (compiled again only when they are replaced). */
  #ipRules: AccountData['ip_whitelist_rules'] | null = null;
  /** The concurrency body up to its request_id value. */
  concurrencyHead!: string;

  constructor(seed: SeedData) {
    this.authId = seed.account.auth_id;
    this.numericId = Number(seed.account.id);
    this.#subscriptions = [...seed.subscriptions];
    for (const s of this.#subscriptions) if (s.status === 'active') this.#held[s.resourceType] += s.quantity;
    this.#base = {
      cps: seed.account.purchased_cps - this.#held.cps,
      concurrent_calls: seed.account.purchased_concurrent_calls - this.#held.concurrent_calls,
    };
    this.data = { ...seed.account };
    this.#balances = new Map(seed.balances.map((b) => [b.currency, b]));
    this.#liveCalls = seed.liveCalls;
    this.#transactions = seed.transactions;
    this.#deriveProfile();
  }

  #deriveProfile(): void {
    // The account's own copy: purchased_* are rewritten here, from the base purchase and active subscriptions.
    const data = this.data;
    data.purchased_cps = this.#base.cps + this.#held.cps;
    data.purchased_concurrent_calls = this.#base.concurrent_calls + this.#held.concurrent_calls;
    this.body = this.#writer ? this.#writer(data) : serializeAccount(renderAccount(data));
    this.bodyLength = Buffer.byteLength(this.body);
    this.expiresAt = data.auth_token_expire_time === null ? null : Date.parse(data.auth_token_expire_time);
    this.active = data.enabled && data.is_active;
    const ipRules = data.ip_auth_enabled ? data.ip_whitelist_rules : null;
    if (ipRules !== this.#ipRules || this.allowsIp === undefined) {
      this.#ipRules = ipRules;
      const rules = ipRules ? compileIpRules(ipRules) : null;
      this.allowsIp = rules
        ? (ip) => {
            const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
            return isIPv4(v4) ? rules.check(v4, 'ipv4') : rules.check(ip, 'ipv6');
          }
        : null;
    }
    const max = derivedAccountValues(data).concurrent_calls_limit;
    const pct = max === 0 ? 0 : Math.round((100 * this.#liveCalls) / max);
    // In ConcurrencySchema's field order; the request id (safe characters only) closes it per request.
    this.concurrencyHead = `${JSON.stringify({ account_id: this.authId, concurrent_calls: this.#liveCalls, max_concurrent: max, utilization_pct: pct }).slice(0, -1)},"request_id":"`;
  }

  get ledger(): Ledger {
    if (!this.#ledger) {
      const ledger = new Ledger();
      for (const input of this.#transactions?.() ?? []) ledger.add(this.#entry(input));
      this.#transactions = undefined;
      this.#ledger = ledger;
      this.#deriveLedger();
    }
    return this.#ledger;
  }

  #entry(input: EntryInput): Entry {
    return new Entry(input, this.authId, this.#balances.get(input.currency)?.id ?? '');
  }

  /** The balance bodies (of one currency, or all) and the reference types, from the ledger. */
  #deriveLedger(only?: string): void {
    const ledger = this.#ledger!;
    for (const b of this.#balances.values()) {
      if (only !== undefined && b.currency !== only) continue;
      const amount = ledger.balance(b.currency);
      const newest = ledger.newest(b.currency);
      const creditLimit = b.currency === this.data.pricing_tier.currency ? this.data.credit_limit : 0;
      // In BalanceSchema's field order.
      this.#balanceBodies.set(
        b.currency,
        JSON.stringify({
          id: b.id,
          account_id: this.authId,
          currency: b.currency,
          balance: fromMicros(amount),
          reserved_funds: b.reservedFunds,
          promotional_balance: b.promotionalBalance,
          promotional_reserved_balance: b.promotionalReservedBalance,
          available_balance: fromMicros(amount - b.reservedFunds * 1_000_000),
          credit_limit: creditLimit,
          is_postpaid: this.data.postpaid,
          credit_limit_type: b.creditLimitType,
          low_balance_threshold: b.lowBalanceThreshold,
          status: b.status,
          created_at: b.createdAt,
          updated_at: newest && newest.at > b.updatedAtMicros ? newest.createdAt : b.updatedAt,
        }),
      );
    }
    const types = ledger.referenceTypes();
    if (types !== this.#referenceTypes) {
      this.#referenceTypes = types;
      this.#referenceTypesBody = JSON.stringify({ reference_types: types });
    }
  }

  /** The serialized balance in a currency the account holds, or undefined. */
  balanceBody(currency: string): string | undefined {
    void this.ledger;
    return this.#balanceBodies.get(currency);
  }

  get currencies(): string[] {
    return [...this.#balances.keys()];
  }

  get referenceTypesBody(): string {
    void this.ledger;
    return this.#referenceTypesBody;
  }

  transactions(key: string, filter: TransactionFilter): QueryResult {
    return this.ledger.query(key, filter);
  }

  /**
   * Buys capacity: the first month is debited at once, a debit entry added, the subscription held, and
   * every derived body rebuilt, all in one synchronous step (so parallel purchases never interleave).
   * Refused, changing nothing, when a prepaid account's available balance or a hard-limited postpaid
   * account's balance plus credit cannot pay.
   */
  purchase(quote: Quote, now: number, newId: () => string): PurchaseResult {
    const ledger = this.ledger;
    const balance = this.#balances.get(quote.currency);
    const amount = balance ? ledger.balance(quote.currency) - balance.reservedFunds * 1_000_000 : 0;
    const credit = quote.currency === this.data.pricing_tier.currency ? this.data.credit_limit * 1_000_000 : 0;
    const limited = !this.data.postpaid || balance?.creditLimitType !== 'soft';
    const available = this.data.postpaid ? amount + credit : amount;
    if (!balance || (limited && available < quote.monthlyCost)) {
      const have = Math.max(0, available);
      return {
        refusal: {
          required: fromMicros(quote.monthlyCost),
          available: fromMicros(have),
          currency: quote.currency,
          shortfall: fromMicros(quote.monthlyCost - have),
        },
      };
    }
    const id = newId();
    const subscription: SubscriptionSeed = {
      id,
      resourceType: quote.resourceType,
      quantity: quote.quantity,
      monthlyCost: quote.monthlyCost,
      currency: quote.currency,
      status: 'active',
      purchasedAt: now,
      lastBillingDate: now,
      nextBillingDate: now + BILLING_PERIOD_DAYS * DAY_MICROS,
      cancelledAt: null,
      cancellationReason: null,
      createdAt: now,
      updatedAt: now,
    };
    const unit = quote.resourceType === 'cps' ? 'CPS' : 'concurrent calls';
    const stamp = zMicros(now);
    ledger.add(
      this.#entry({
        id: newId(),
        type: 'debit',
        amount: quote.monthlyCost,
        currency: quote.currency,
        description: `Capacity subscription: ${quote.quantity} ${unit}, first month`,
        reference: `sub:${id}`,
        referenceType: 'channel_subscription',
        status: 'completed',
        at: now,
        createdAt: stamp,
        processedAt: stamp,
        updatedAt: stamp,
      }),
    );
    this.#subscriptions.push(subscription);
    this.#held[subscription.resourceType] += subscription.quantity;
    this.data.updated_at = offsetMicros(now);
    this.#writer ??= accountWriter();
    this.#deriveProfile();
    this.#deriveLedger(quote.currency);
    return { subscription: serializeSubscription(subscription, this.numericId) };
  }
}
