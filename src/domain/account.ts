import type { AccountData } from '../schemas/account.js';
import type { ResourceType } from '../schemas/capacity.js';
import { LATEST_MS } from '../schemas/instant.js';
import { capacityKey, type Quote } from './capacity.js';
import { type EntryInput, Ledger, type Posting } from './ledger.js';
import { Memo } from './memo.js';
import { MICROS } from './money.js';
import type { SubAccountChanges, SubAccountFacts } from './sub-accounts.js';
import { type SubscriptionSeed, Subscriptions } from './subscriptions.js';
import { DAY_MICROS, offsetMicros } from './time.js';

/** A balance's own settings; its amount is the ledger's. */
export interface BalanceSettings {
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
  readonly balances: readonly BalanceSettings[];
  /** Made on first use (generated ledgers are made only when something reads them). */
  readonly transactions: () => readonly EntryInput[];
  readonly subscriptions: readonly SubscriptionSeed[];
  /** Calls in progress at the start, which no call of the control plane started (they have no ids). */
  readonly liveCalls: number;
  /** Its sub-accounts, oldest first; none when left out. */
  readonly subAccounts?: readonly SubAccountFacts[];
}

/** The profile: what a user could change of the Account object, less what the emulator derives (the limits, purchased_*). */
export type Profile = Omit<AccountData, 'purchased_cps' | 'purchased_concurrent_calls'>;

/** Days between a subscription's billing dates. */
export const BILLING_PERIOD_DAYS = 30;
const BILLING_PERIOD = BILLING_PERIOD_DAYS * DAY_MICROS;

/** The billing date a period after `at`; never past the last instant the emulator holds (no clock reaches it). */
export const billingDateAfter = (at: number): number => Math.min(at + BILLING_PERIOD, LATEST_MS * 1000);

/** The first of a subscription's billing dates (next, next + a period, ...) after `from`. */
const firstDueAfter = (next: number, from: number): number => (next > from ? next : next + (Math.floor((from - next) / BILLING_PERIOD) + 1) * BILLING_PERIOD);

/** A subscription's ledger description for a period: one string per resource and quantity, however many entries carry it. */
const descriptions = {
  'first month': new Memo(4096, (key: number) => subscriptionDescription(key, 'first month')),
  renewal: new Memo(4096, (key: number) => subscriptionDescription(key, 'renewal')),
};

function subscriptionDescription(key: number, period: 'first month' | 'renewal'): string {
  return key < 0 ? `Capacity subscription: ${-key} CPS, ${period}` : `Capacity subscription: ${key} concurrent calls, ${period}`;
}

/** What a charge the account cannot pay lacks (amounts in units, as the errors page shows them). */
export interface Refusal {
  readonly required: number;
  readonly available: number;
  readonly currency: string;
  readonly shortfall: number;
}

/** A derived value and the version of its account it was made at. */
export interface Memoized {
  readonly version: number;
  readonly value: unknown;
}

/**
 * One account's facts: its profile, its base purchase (capacity no subscription covers), its balances'
 * settings, its ledger, its subscriptions and its live calls, each kept once, and a version that every change
 * bumps. What follows from them (the limits, purchased_*, balances, concurrency) is derived by plain functions
 * (domain/derive.ts), and every body made from them by a view (src/views), memoized on the version. Nothing
 * here knows of HTTP, bytes or bodies.
 */
export class Account {
  readonly authId: string;
  readonly numericId: number;
  #profile: Profile;
  /** Capacity a fixture or a PATCH states beyond what subscriptions hold. */
  readonly #base: Record<ResourceType, number>;
  readonly #balances: ReadonlyMap<string, BalanceSettings>;
  #transactions: (() => readonly EntryInput[]) | undefined;
  #ledger: Ledger | undefined;
  /** Made by the first subscription (most accounts have none). */
  #subscriptions: Subscriptions | undefined;
  /** Live calls the control plane started, by id: their start (epoch ms, namespace clock). */
  readonly #calls = new Map<string, number>();
  /** Live calls a seed or a snapshot states without ids. */
  #unnamedCalls: number;
  /** Sub-accounts by auth_id, in the order they were made. */
  readonly #subAccounts: Map<string, SubAccountFacts>;
  /**
   * When each sub-account's credentials last authenticated (epoch µs): usage, not a change anyone made, so it
   * has its own counter and leaves the version (and every body memoized on it) alone.
   */
  readonly #subUse = new Map<string, number>();
  #useVersion = 0;
  #version = 0;
  /**
   * Values derived from the facts, each with the version it was made at (derive.ts onVersion): a memo, never read
   * as a fact. Kept here rather than in a WeakMap beside the account: one hash lookup a derivation fewer, on
   * every request.
   */
  readonly memo = new Map<string, Memoized>();
  /** The same for families of values (one per currency, one per sub-account). */
  readonly memoFamilies = new Map<string, Map<string, Memoized>>();

  constructor(seed: SeedData) {
    const { purchased_cps: cps, purchased_concurrent_calls: calls, ...profile } = seed.account;
    this.authId = seed.account.auth_id;
    this.numericId = Number(seed.account.id);
    this.#profile = profile;
    if (seed.subscriptions.length > 0) this.#subscriptions = new Subscriptions(seed.subscriptions);
    const held = this.#subscriptions?.held ?? { cps: 0, concurrent_calls: 0 };
    this.#base = { cps: cps - held.cps, concurrent_calls: calls - held.concurrent_calls };
    this.#balances = new Map(seed.balances.map((b) => [b.currency, b]));
    this.#transactions = seed.transactions;
    this.#unnamedCalls = seed.liveCalls;
    this.#subAccounts = new Map((seed.subAccounts ?? []).map((sub) => [sub.authId, sub]));
  }

  /** How many changes the account has seen since it was made (0: as its seed made it). */
  get version(): number {
    return this.#version;
  }

  get profile(): Readonly<Profile> {
    return this.#profile;
  }

  /** Capacity bought: the base purchase and what active subscriptions hold. */
  get purchased(): Readonly<Record<ResourceType, number>> {
    const held = this.#subscriptions?.held;
    return held ? { cps: this.#base.cps + held.cps, concurrent_calls: this.#base.concurrent_calls + held.concurrent_calls } : this.#base;
  }

  /** What active subscriptions hold. */
  get held(): Readonly<Record<ResourceType, number>> {
    return this.#subscriptions?.held ?? { cps: 0, concurrent_calls: 0 };
  }

  get balances(): ReadonlyMap<string, BalanceSettings> {
    return this.#balances;
  }

  get currencies(): string[] {
    return [...this.#balances.keys()];
  }

  /** The ledger, made from the seed when first read. */
  get ledger(): Ledger {
    if (!this.#ledger) {
      this.#ledger = new Ledger(this.#transactions?.() ?? []);
      this.#transactions = undefined;
    }
    return this.#ledger;
  }

  /** The subscriptions, in purchase order. */
  subscriptions(): SubscriptionSeed[] {
    return this.#subscriptions?.all() ?? [];
  }

  /** Its sub-accounts, oldest first. */
  subAccounts(): SubAccountFacts[] {
    return [...this.#subAccounts.values()];
  }

  get subAccountCount(): number {
    return this.#subAccounts.size;
  }

  subAccount(authId: string): SubAccountFacts | undefined {
    return this.#subAccounts.get(authId);
  }

  /** Adds a sub-account (its auth_id checked free by the caller). */
  addSubAccount(sub: SubAccountFacts): void {
    this.#version += 1;
    this.#subAccounts.set(sub.authId, sub);
  }

  /** Changes a sub-account's fields (and its updated_at): the new facts, or undefined when it has none such. */
  updateSubAccount(authId: string, changes: SubAccountChanges & Partial<Pick<SubAccountFacts, 'kyc' | 'kycPendingAs' | 'token'>>, now: number, touch = true): SubAccountFacts | undefined {
    const sub = this.#subAccounts.get(authId);
    if (!sub) return undefined;
    const next = { ...sub, ...changes, ...(touch ? { updatedAt: now } : {}) };
    this.#version += 1;
    this.#subAccounts.set(authId, next);
    return next;
  }

  /** Notes that a sub-account's credentials authenticated a request at `at` (epoch µs). */
  noteSubAccountUse(authId: string, at: number): void {
    this.#subUse.set(authId, at);
    this.#useVersion += 1;
  }

  /** When a sub-account's credentials last authenticated a request (epoch µs), or null. */
  subAccountLastUsed(sub: SubAccountFacts): number | null {
    return this.#subUse.get(sub.authId) ?? sub.lastUsed;
  }

  /** Bumped by every noteSubAccountUse (views that show last_used are memoized on it and the version). */
  get useVersion(): number {
    return this.#useVersion;
  }

  /** Removes a sub-account; false when it has none such. */
  removeSubAccount(authId: string): boolean {
    if (!this.#subAccounts.delete(authId)) return false;
    this.#subUse.delete(authId);
    this.#version += 1;
    return true;
  }

  /** Calls in progress: those the control plane started and those its seed states. */
  get liveCalls(): number {
    return this.#unnamedCalls + this.#calls.size;
  }

  /** The calls the control plane started, with their starts. */
  namedCalls(): [id: string, startedAt: number][] {
    return [...this.#calls];
  }

  /** Micro-units the account can spend in a currency, and whether that is a limit (prepaid, or a hard credit limit). */
  #spendable(currency: string): { available: number; limited: boolean; held: boolean } {
    const balance = this.#balances.get(currency);
    const amount = balance ? this.ledger.balance(currency) - balance.reservedFunds * MICROS : 0;
    const profile = this.#profile;
    const credit = currency === profile.pricing_tier.currency ? profile.credit_limit * MICROS : 0;
    const limited = !profile.postpaid || balance?.creditLimitType !== 'soft';
    return { available: profile.postpaid ? amount + credit : amount, limited, held: balance !== undefined };
  }

  /** The refusal for a charge (micro-units) the account cannot pay, or undefined when it can. */
  refusalFor(amount: number, currency: string): Refusal | undefined {
    const { available, limited, held } = this.#spendable(currency);
    if (held && (!limited || available >= amount)) return undefined;
    const have = Math.max(0, available);
    return { required: amount / MICROS, available: have / MICROS, currency, shortfall: (amount - have) / MICROS };
  }

  /** Adds a completed ledger entry. */
  #post(posting: Posting): void {
    this.#version += 1;
    this.ledger.post(posting);
  }

  /**
   * Buys capacity: the first month is debited at once, a debit entry added and the subscription held, all in
   * one synchronous step (so parallel purchases never interleave). Refused, changing nothing, when a prepaid
   * account's available balance or a hard-limited postpaid account's balance plus credit cannot pay.
   */
  purchase(quote: Quote, now: number, newId: () => string): { readonly subscription: SubscriptionSeed } | { readonly refusal: Refusal } {
    const refusal = this.refusalFor(quote.monthlyCost, quote.currency);
    if (refusal) return { refusal };
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
      nextBillingDate: billingDateAfter(now),
      cancelledAt: null,
      cancellationReason: null,
      createdAt: now,
      updatedAt: now,
    };
    this.#post({
      id: newId(),
      type: 'debit',
      amount: quote.monthlyCost,
      currency: quote.currency,
      description: descriptions['first month'].get(capacityKey(quote.resourceType, quote.quantity)),
      reference: `sub:${id}`,
      referenceType: 'channel_subscription',
      at: now,
    });
    (this.#subscriptions ??= new Subscriptions()).push(subscription);
    this.#profile = { ...this.#profile, updated_at: offsetMicros(now) };
    return { subscription };
  }

  /** How many renewals fall due in (from, to] (epoch microseconds) if every one is paid: the most a clock move applies. */
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
  renew(from: number, to: number, newId: () => string): { renewed: number; failed: number } {
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
        failed += 1;
        continue;
      }
      this.#post({
        id: newId(),
        type: 'debit',
        amount: sub.monthlyCost,
        currency: sub.currency,
        description: descriptions.renewal.get(capacityKey(sub.resourceType, sub.quantity)),
        reference: `sub:${sub.id}`,
        referenceType: 'channel_subscription',
        at,
      });
      subscriptions.bill(index, { status: sub.status, lastBillingDate: at, nextBillingDate: billingDateAfter(at), updatedAt: at });
      renewed += 1;
    }
    if (renewed + failed > 0) {
      this.#version += 1;
      this.#profile = { ...this.#profile, updated_at: offsetMicros(to) };
    }
    return { renewed, failed };
  }

  /** Sets a balance exactly through one adjustment entry; false when the account holds no balance in the currency. */
  setBalance(currency: string, target: number, now: number, newId: () => string): boolean {
    if (!this.#balances.has(currency)) return false;
    const delta = target - this.ledger.balance(currency);
    const post = (type: 'credit' | 'debit', amount: number, at: number) =>
      this.#post({ id: newId(), type, amount, currency, description: 'Balance set by the control plane', reference: `adjustment:${currency}`, referenceType: 'manual_adjustment', at });
    if (delta < 0) post('debit', -delta, now);
    else if (delta > 0) {
      // Credits are whole units (the documented summary types total_credit as an integer, and the Python
      // SDK parses it as one): a fractional rise is a whole credit and a small debit, as opening balances are.
      const whole = Math.ceil(delta / MICROS) * MICROS;
      post('credit', whole, now);
      if (whole > delta) post('debit', whole - delta, now + 1);
    }
    return true;
  }

  /** Charges a call: a debit entry `cdr`; returns the entry's id. Nothing is checked here (the caller checked the funds). */
  chargeCall(amount: number, currency: string, seconds: number, callId: string, now: number, newId: () => string): string {
    const id = newId();
    this.#post({ id, type: 'debit', amount, currency, description: `Outbound call (${seconds}s)`, reference: `call:${callId}`, referenceType: 'cdr', at: now });
    return id;
  }

  /** A live call begins (epoch ms, namespace clock). */
  startCall(id: string, at: number): void {
    this.#version += 1;
    this.#calls.set(id, at);
  }

  /** A live call ends: its start, or undefined when the account has no such call. */
  endCall(id: string): number | undefined {
    const started = this.#calls.get(id);
    if (started === undefined) return undefined;
    this.#version += 1;
    this.#calls.delete(id);
    return started;
  }

  /** Restores named live calls (a snapshot): `total` counts them and the unnamed ones. */
  restoreCalls(calls: readonly (readonly [id: string, startedAt: number])[], total: number): void {
    for (const [id, at] of calls) this.#calls.set(id, at);
    this.#unnamedCalls = total - this.#calls.size;
  }

  /**
   * Replaces the profile (a PATCH, checked by the caller like a fixture): purchased_* given are new totals, of
   * which active subscriptions stay held and the rest becomes the base purchase.
   */
  replaceProfile(data: AccountData): void {
    const { purchased_cps: cps, purchased_concurrent_calls: calls, ...profile } = data;
    const held = this.held;
    this.#version += 1;
    this.#base.cps = cps - held.cps;
    this.#base.concurrent_calls = calls - held.concurrent_calls;
    this.#profile = profile;
  }
}
