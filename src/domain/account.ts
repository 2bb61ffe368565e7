import { isIPv4 } from 'node:net';
import { type AccountData, derivedAccountValues, renderAccount } from '../schemas/account.js';
import type { ResourceType } from '../schemas/capacity.js';
import { capacityKey, type Quote } from './capacity.js';
import { compileIpRules } from './invariants.js';
import { Memo } from '../memo.js';
import { type SubscriptionSeed, Subscriptions } from './subscriptions.js';
import { type EntryInput, Ledger, type Posting, type QueryResult, type TransactionFilter } from './ledger.js';
import { decimalString, fromMicros, MICROS, microsText } from './money.js';
import { flat } from './flat.js';
import { accountWriter, quoted, serializeAccount, type WrittenBody } from './serialize.js';
import { DAY_MICROS, LATEST_MS, offsetMicros, zMicros, zSeconds } from './time.js';

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


/** Everything an account starts with. `account.purchased_*` are the totals at load, subscriptions included. */
export interface SeedData {
  readonly account: AccountData;
  readonly balances: readonly BalanceSeed[];
  /** Made on first use (generated ledgers are made only when something reads them). */
  readonly transactions: () => readonly EntryInput[];
  readonly subscriptions: readonly SubscriptionSeed[];
  readonly liveCalls: number;
}

/** A subscription's ledger description for a period: one string per resource and quantity, however many entries carry it. */
const descriptions = {
  'first month': new Memo(4096, (key: number) => subscriptionDescription(key, 'first month')),
  renewal: new Memo(4096, (key: number) => subscriptionDescription(key, 'renewal')),
};

function subscriptionDescription(key: number, period: 'first month' | 'renewal'): string {
  return key < 0 ? `Capacity subscription: ${-key} CPS, ${period}` : `Capacity subscription: ${key} concurrent calls, ${period}`;
}

/** A ledger entry's reference to the subscription it pays for. */
const subscriptionReference = (id: string): string => `sub:${id}`;

/** The stored fields a purchase or a renewal changes (the derived limits follow from them). */
const capacityFields = ['purchased_cps', 'purchased_concurrent_calls', 'updated_at'] as const;

/** A balance body's text around its balance, available_balance and updated_at values, and those parts' bytes with the closing brace. */
interface BalanceTemplate {
  readonly parts: readonly [string, string, string];
  readonly bytes: number;
}

/** Days between a subscription's billing dates. */
export const BILLING_PERIOD_DAYS = 30;
const BILLING_PERIOD = BILLING_PERIOD_DAYS * DAY_MICROS;

/** The billing date a period after `at`; never past the last instant the emulator holds (no clock reaches it). */
export const billingDateAfter = (at: number): number => Math.min(at + BILLING_PERIOD, LATEST_MS * 1000);

/** The first of a subscription's billing dates (next, next + a period, ...) after `from`. */
const firstDueAfter = (next: number, from: number): number => (next > from ? next : next + (Math.floor((from - next) / BILLING_PERIOD) + 1) * BILLING_PERIOD);

export type PurchaseResult =
  | { readonly subscription: string }
  | { readonly refusal: Refusal };

export function serializeSubscription(s: SubscriptionSeed, accountId: number): string {
  // In ChannelSubscriptionSchema's field order; written out (a purchase answers with it) rather than through
  // an object and JSON.stringify. Strings that could hold anything are escaped as JSON.stringify escapes them.
  const cancelledAt = s.cancelledAt === null ? 'null' : `"${zSeconds(s.cancelledAt)}"`;
  const reason = s.cancellationReason === null ? 'null' : quoted(s.cancellationReason);
  return (
    `{"id":${quoted(s.id)},"account_id":${accountId},"resource_type":"${s.resourceType}","quantity":${s.quantity},` +
    `"monthly_cost":"${decimalString(s.monthlyCost)}","currency":${quoted(s.currency)},"status":"${s.status}",` +
    `"last_billing_date":"${zSeconds(s.lastBillingDate)}","next_billing_date":"${zSeconds(s.nextBillingDate)}","purchased_at":"${zSeconds(s.purchasedAt)}",` +
    `"cancelled_at":${cancelledAt},"cancellation_reason":${reason},"is_active":${s.status === 'active'},` +
    `"created_at":"${zSeconds(s.createdAt)}","updated_at":"${zSeconds(s.updatedAt)}"}`
  );
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
  /** Made by the first subscription (most accounts have none). */
  #subscriptions: Subscriptions | undefined;
  /** What active subscriptions add up to, kept as they change (a purchase must not cost a walk of all of them). */
  readonly #held: Record<ResourceType, number> = { cps: 0, concurrent_calls: 0 };
  readonly #balances: ReadonlyMap<string, BalanceSeed>;
  #liveCalls: number;
  #transactions: (() => readonly EntryInput[]) | undefined;
  #ledger: Ledger | undefined;
  /** Per currency held: the balance body, its length in bytes, and the template it is written from. */
  readonly #balanceViews = new Map<string, { template: BalanceTemplate; body: WrittenBody }>();
  #referenceTypes: readonly string[] | undefined;
  #referenceTypesBody: WrittenBody = { body: '', length: 0 };
  /** Made on the first change: rewrites only the fields a change touched. */
  #writer: ReturnType<typeof accountWriter> | undefined;

  /** The account less its derived fields; purchased_* derived from the base purchase and active subscriptions. */
  readonly data: AccountData;
  /** Bumped by every change: 0 while the account is as its seed made it. */
  #version = 0;

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
  /** What concurrencyHead was made from: max_concurrent and the live calls. */
  #concurrencyOf: [number, number] = [Number.NaN, Number.NaN];

  constructor(seed: SeedData) {
    this.authId = seed.account.auth_id;
    this.numericId = Number(seed.account.id);
    if (seed.subscriptions.length > 0) this.#subscriptions = new Subscriptions(seed.subscriptions);
    for (const s of seed.subscriptions) if (s.status === 'active') this.#held[s.resourceType] += s.quantity;
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

  /** Rebuilds what follows from the profile; `changed` names the only stored fields a change touched, if known. */
  #deriveProfile(changed?: readonly (keyof AccountData)[]): void {
    // The account's own copy: purchased_* are rewritten here, from the base purchase and active subscriptions.
    const data = this.data;
    data.purchased_cps = this.#base.cps + this.#held.cps;
    data.purchased_concurrent_calls = this.#base.concurrent_calls + this.#held.concurrent_calls;
    if (this.#writer) ({ body: this.body, length: this.bodyLength } = this.#writer(data, changed));
    else {
      this.body = flat(serializeAccount(renderAccount(data)));
      this.bodyLength = Buffer.byteLength(this.body);
    }
    this.#deriveConcurrency();
    if (changed !== undefined) return;
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
  }

  #deriveConcurrency(): void {
    const max = derivedAccountValues(this.data).concurrent_calls_limit;
    if (max !== this.#concurrencyOf[0] || this.#liveCalls !== this.#concurrencyOf[1]) {
      this.#concurrencyOf = [max, this.#liveCalls];
      const pct = max === 0 ? 0 : Math.round((100 * this.#liveCalls) / max);
      // In ConcurrencySchema's field order; the request id (safe characters only) closes it per request.
      this.concurrencyHead = `${JSON.stringify({ account_id: this.authId, concurrent_calls: this.#liveCalls, max_concurrent: max, utilization_pct: pct }).slice(0, -1)},"request_id":"`;
    }
  }

  get ledger(): Ledger {
    if (!this.#ledger) {
      const ledger = new Ledger(this.authId, (currency) => this.#balances.get(currency)?.id ?? '', this.#transactions?.() ?? []);
      this.#transactions = undefined;
      this.#ledger = ledger;
      this.#deriveLedger();
    }
    return this.#ledger;
  }

  /**
   * The balance bodies (of one currency, or all) and the reference types, from the ledger. A balance body is
   * its settings' text with three values set in: made whole for every currency (at the ledger's making and
   * when the profile changes), and for one currency after an entry only the amounts and updated_at are new.
   */
  #deriveLedger(only?: string): void {
    const ledger = this.#ledger!;
    for (const b of this.#balances.values()) {
      if (only !== undefined && b.currency !== only) continue;
      const known = this.#balanceViews.get(b.currency);
      const template = only === undefined || !known ? this.#balanceTemplate(b) : known.template;
      const amount = ledger.balance(b.currency);
      const newest = ledger.newest(b.currency);
      const updatedAt = quoted(newest && newest.at > b.updatedAtMicros ? newest.createdAt : b.updatedAt);
      const balance = microsText(amount);
      const available = microsText(amount - b.reservedFunds * MICROS);
      // Numbers as JSON.stringify writes them (ASCII, so their length is their size). Not flattened here (a
      // purchase rebuilds it, and it may never be read before the next): its first write to a socket flattens it.
      const body = template.parts[0] + balance + template.parts[1] + available + template.parts[2] + updatedAt + '}';
      const length = template.bytes + balance.length + available.length + Buffer.byteLength(updatedAt);
      this.#balanceViews.set(b.currency, { template, body: { body, length } });
    }
    const types = ledger.referenceTypes();
    if (types !== this.#referenceTypes) {
      this.#referenceTypes = types;
      const body = JSON.stringify({ reference_types: types });
      this.#referenceTypesBody = { body, length: Buffer.byteLength(body) };
    }
  }

  /** A balance body around its balance, available_balance and updated_at values, in BalanceSchema's field order. */
  #balanceTemplate(b: BalanceSeed): BalanceTemplate {
    const inner = (fields: Record<string, unknown>) => JSON.stringify(fields).slice(1, -1);
    const creditLimit = b.currency === this.data.pricing_tier.currency ? this.data.credit_limit : 0;
    const parts = [
      flat(`{${inner({ id: b.id, account_id: this.authId, currency: b.currency })},"balance":`),
      flat(`,${inner({ reserved_funds: b.reservedFunds, promotional_balance: b.promotionalBalance, promotional_reserved_balance: b.promotionalReservedBalance })},"available_balance":`),
      flat(`,${inner({ credit_limit: creditLimit, is_postpaid: this.data.postpaid, credit_limit_type: b.creditLimitType, low_balance_threshold: b.lowBalanceThreshold, status: b.status, created_at: b.createdAt })},"updated_at":`),
    ] as const;
    // The parts' bytes and the closing brace.
    return { parts, bytes: parts.reduce((sum, part) => sum + Buffer.byteLength(part), 1) };
  }

  /** The serialized balance in a currency the account holds and its length in bytes, or undefined. */
  balanceBody(currency: string): WrittenBody | undefined {
    void this.ledger;
    return this.#balanceViews.get(currency)?.body;
  }

  get currencies(): string[] {
    return [...this.#balances.keys()];
  }

  get referenceTypesBody(): WrittenBody {
    void this.ledger;
    return this.#referenceTypesBody;
  }

  transactions(key: string, filter: TransactionFilter): QueryResult {
    return this.ledger.query(key, filter);
  }

  /** Micro-units the account can spend in a currency, and whether that is a limit (prepaid, or a hard credit limit). */
  #spendable(currency: string): { available: number; limited: boolean; held: boolean } {
    const ledger = this.ledger;
    const balance = this.#balances.get(currency);
    const amount = balance ? ledger.balance(currency) - balance.reservedFunds * 1_000_000 : 0;
    const credit = currency === this.data.pricing_tier.currency ? this.data.credit_limit * 1_000_000 : 0;
    const limited = !this.data.postpaid || balance?.creditLimitType !== 'soft';
    return { available: this.data.postpaid ? amount + credit : amount, limited, held: balance !== undefined };
  }

  /** The refusal for a charge the account cannot pay, or undefined when it can. */
  refusalFor(amount: number, currency: string): Refusal | undefined {
    const { available, limited, held } = this.#spendable(currency);
    if (held && (!limited || available >= amount)) return undefined;
    const have = Math.max(0, available);
    return { required: fromMicros(amount), available: fromMicros(have), currency, shortfall: fromMicros(amount - have) };
  }

  /** Adds a completed ledger entry and rebuilds what it changes (balance bodies, reference types, updated_at). */
  #post(posting: Posting): void {
    this.#version += 1;
    this.ledger.post(posting);
    this.#deriveLedger(posting.currency);
  }

  /**
   * Buys capacity: the first month is debited at once, a debit entry added, the subscription held, and
   * every derived body rebuilt, all in one synchronous step (so parallel purchases never interleave).
   * Refused, changing nothing, when a prepaid account's available balance or a hard-limited postpaid
   * account's balance plus credit cannot pay.
   */
  purchase(quote: Quote, now: number, nextId: () => string): PurchaseResult {
    const refusal = this.refusalFor(quote.monthlyCost, quote.currency);
    if (refusal) return { refusal };
    const id = nextId();
    const subscription: SubscriptionSeed = {
      id,
      resourceType: quote.resourceType,
      quantity: quote.quantity,
      monthlyCost: quote.monthlyCost,
      currency: quote.currency,
      status: 'active',
      purchasedAt: now,
      lastBillingDate: now,
      nextBillingDate: billingDateAfter(now),
      cancelledAt: null,
      cancellationReason: null,
      createdAt: now,
      updatedAt: now,
    };
    this.#post({
      id: nextId(),
      type: 'debit',
      amount: quote.monthlyCost,
      currency: quote.currency,
      description: descriptions['first month'].get(capacityKey(quote.resourceType, quote.quantity)),
      reference: subscriptionReference(id),
      referenceType: 'channel_subscription',
      at: now,
    });
    (this.#subscriptions ??= new Subscriptions()).push(subscription);
    this.#held[subscription.resourceType] += subscription.quantity;
    this.data.updated_at = offsetMicros(now);
    this.#writer ??= accountWriter(capacityFields);
    this.#deriveProfile(capacityFields);
    return { subscription: serializeSubscription(subscription, this.numericId) };
  }

  /** How many renewals fall due in (from, to] (epoch microseconds) if every one is paid: the most an advance applies. */
  renewalsDue(from: number, to: number): number {
    const subscriptions = this.#subscriptions;
    let count = 0;
    for (let i = 0; i < (subscriptions?.size ?? 0); i++) {
      if (subscriptions!.status(i) !== 'active') continue;
      const first = firstDueAfter(subscriptions!.nextBillingDate(i), from);
      if (first <= to) count += Math.floor((to - first) / BILLING_PERIOD) + 1;
    }
    return count;
  }

  /**
   * Applies the renewals that fall due in (from, to] (epoch microseconds), in date order (ties in purchase
   * order): each debits a month and adds its entry, moving the billing dates; one the account cannot pay makes
   * the subscription past_due (its capacity is no longer held, and it is not retried). Renewals due before
   * `from` are not charged retroactively: the clock only charges what it passes. The caller bounds the work
   * (renewalsDue).
   */
  renew(from: number, to: number, nextId: () => string): { renewed: number; failed: number } {
    let renewed = 0;
    let failed = 0;
    const subscriptions = this.#subscriptions;
    if (!subscriptions) return { renewed, failed };
    const due: (readonly [at: number, row: number])[] = [];
    for (let i = 0; i < subscriptions.size; i++) {
      if (subscriptions.status(i) !== 'active') continue;
      for (let at = firstDueAfter(subscriptions.nextBillingDate(i), from); at <= to; at += BILLING_PERIOD) due.push([at, i]);
    }
    due.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [at, index] of due) {
      // A subscription that could not pay an earlier renewal of this window is past_due: its later ones go.
      if (subscriptions.status(index) !== 'active') continue;
      const sub = subscriptions.get(index);
      if (this.refusalFor(sub.monthlyCost, sub.currency)) {
        subscriptions.bill(index, { status: 'past_due', lastBillingDate: sub.lastBillingDate, nextBillingDate: at, updatedAt: at });
        this.#held[sub.resourceType] -= sub.quantity;
        failed += 1;
        continue;
      }
      this.#post({
        id: nextId(),
        type: 'debit',
        amount: sub.monthlyCost,
        currency: sub.currency,
        description: descriptions.renewal.get(capacityKey(sub.resourceType, sub.quantity)),
        reference: subscriptionReference(sub.id),
        referenceType: 'channel_subscription',
        at,
      });
      subscriptions.bill(index, { status: sub.status, lastBillingDate: at, nextBillingDate: billingDateAfter(at), updatedAt: at });
      renewed += 1;
    }
    if (renewed + failed > 0) {
      this.#version += 1;
      this.data.updated_at = offsetMicros(to);
      this.#writer ??= accountWriter(capacityFields);
      this.#deriveProfile(capacityFields);
    }
    return { renewed, failed };
  }

  /** The subscriptions as the API shows them. */
  subscriptionBodies(): string[] {
    return (this.#subscriptions?.all() ?? []).map((s) => serializeSubscription(s, this.numericId));
  }

  /** Sets a balance exactly through one adjustment entry; false when the account holds no balance in the currency. */
  setBalance(currency: string, target: number, now: number, nextId: () => string): boolean {
    if (!this.#balances.has(currency)) return false;
    const delta = target - this.ledger.balance(currency);
    const post = (type: 'credit' | 'debit', amount: number, at: number) =>
      this.#post({ id: nextId(), type, amount, currency, description: 'Balance set by the control plane', reference: `adjustment:${currency}`, referenceType: 'manual_adjustment', at });
    if (delta < 0) post('debit', -delta, now);
    else if (delta > 0) {
      // Credits are whole units (the documented summary types total_credit as an integer, and the Python
      // SDK parses it as one): a fractional rise is a whole credit and a small debit, as opening balances are.
      const whole = Math.ceil(delta / 1_000_000) * 1_000_000;
      post('credit', whole, now);
      if (whole > delta) post('debit', whole - delta, now + 1);
    }
    return true;
  }

  /** Charges a call: a debit entry `cdr`. Nothing is checked here (the caller checked the funds). */
  chargeCall(amount: number, currency: string, seconds: number, callId: string, now: number, nextId: () => string): string {
    const id = nextId();
    this.#post({ id, type: 'debit', amount, currency, description: `Outbound call (${seconds}s)`, reference: `call:${callId}`, referenceType: 'cdr', at: now });
    return id;
  }

  /**
   * The state as a fixture file (what a snapshot holds): the profile, each balance with its amount, every
   * ledger entry (so no opening entry is needed when it is loaded again), the subscriptions to the microsecond
   * and the live calls. Loading it gives the same bodies.
   */
  toFixture(token: string | undefined): Record<string, unknown> {
    const ledger = this.ledger;
    return {
      ...(token === undefined ? {} : { auth_token: token }),
      account: renderAccount(this.data),
      balances: [...this.#balances.values()].map((b) => ({
        currency: b.currency,
        id: b.id,
        balance: fromMicros(ledger.balance(b.currency)),
        reserved_funds: b.reservedFunds,
        promotional_balance: b.promotionalBalance,
        promotional_reserved_balance: b.promotionalReservedBalance,
        credit_limit_type: b.creditLimitType,
        low_balance_threshold: b.lowBalanceThreshold,
        status: b.status,
        created_at: b.createdAt,
        updated_at: b.updatedAt,
      })),
      transactions: ledger.all().map((e) => ({
        id: e.id,
        type: e.type,
        amount: fromMicros(e.amount),
        currency: e.currency,
        description: e.description,
        reference: e.reference,
        reference_type: e.referenceType,
        status: e.status,
        created_at: e.createdAt,
        processed_at: e.processedAt,
        updated_at: e.updatedAt,
      })),
      subscriptions: (this.#subscriptions?.all() ?? []).map((s) => ({
        id: s.id,
        resource_type: s.resourceType,
        quantity: s.quantity,
        monthly_cost: decimalString(s.monthlyCost),
        currency: s.currency,
        status: s.status,
        purchased_at: zMicros(s.purchasedAt),
        last_billing_date: zMicros(s.lastBillingDate),
        next_billing_date: zMicros(s.nextBillingDate),
        cancelled_at: s.cancelledAt === null ? null : zMicros(s.cancelledAt),
        cancellation_reason: s.cancellationReason,
      })),
      live_calls: this.#liveCalls,
    };
  }

  /** How many changes the account has seen since its seed made it (0: none). */
  get version(): number {
    return this.#version;
  }

  /** What active subscriptions hold. */
  get heldCapacity(): Readonly<Record<ResourceType, number>> {
    return { ...this.#held };
  }

  get liveCalls(): number {
    return this.#liveCalls;
  }

  /** A call starts (+1) or ends (-1): concurrency is rebuilt. */
  countCall(delta: 1 | -1): void {
    this.#version += 1;
    this.#liveCalls = Math.max(0, this.#liveCalls + delta);
    this.#deriveConcurrency();
  }

  /**
   * Replaces the profile (a PATCH, checked by the caller like a fixture): purchased_* given are new totals,
   * of which active subscriptions stay held and the rest becomes the base purchase.
   */
  replaceProfile(data: AccountData): void {
    this.#version += 1;
    this.#base.cps = data.purchased_cps - this.#held.cps;
    this.#base.concurrent_calls = data.purchased_concurrent_calls - this.#held.concurrent_calls;
    Object.assign(this.data, data);
    this.#writer ??= accountWriter(capacityFields);
    this.#deriveProfile();
    if (this.#ledger) this.#deriveLedger();
  }
}

export interface Refusal {
  readonly required: number;
  readonly available: number;
  readonly currency: string;
  readonly shortfall: number;
}
