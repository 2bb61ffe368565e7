import type { ResourceType, SubscriptionStatus } from '../schemas/capacity.js';

/** A capacity subscription as the state keeps it (times in epoch microseconds, money in micro-units). */
export interface SubscriptionSeed {
  readonly id: string;
  readonly resourceType: ResourceType;
  readonly quantity: number;
  /** Micro-units a month. */
  readonly monthlyCost: number;
  readonly currency: string;
  readonly status: SubscriptionStatus;
  readonly purchasedAt: number;
  readonly lastBillingDate: number;
  readonly nextBillingDate: number;
  readonly cancelledAt: number | null;
  readonly cancellationReason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * An account's subscriptions, kept by column (a purchase adds a row of numbers and shared strings, not an
 * object of its own): an account that has bought capacity a hundred thousand times holds a hundred thousand
 * rows, which the garbage collector need not walk one by one. What active rows hold, per resource, is kept
 * as rows are added and billed (an index of the rows, like the ledger's sums): a purchase must not walk them.
 */
export class Subscriptions {
  readonly #held: Record<ResourceType, number> = { cps: 0, concurrent_calls: 0 };
  readonly #id: string[] = [];
  readonly #resourceType: ResourceType[] = [];
  readonly #quantity: number[] = [];
  readonly #monthlyCost: number[] = [];
  readonly #currency: string[] = [];
  readonly #status: SubscriptionStatus[] = [];
  readonly #purchasedAt: number[] = [];
  readonly #lastBillingDate: number[] = [];
  readonly #nextBillingDate: number[] = [];
  /** NaN: not cancelled. */
  readonly #cancelledAt: number[] = [];
  readonly #cancellationReason: (string | null)[] = [];
  readonly #createdAt: number[] = [];
  readonly #updatedAt: number[] = [];

  constructor(seeds: readonly SubscriptionSeed[] = []) {
    for (const seed of seeds) this.push(seed);
  }

  get size(): number {
    return this.#id.length;
  }

  /** What active subscriptions hold, per resource. */
  get held(): Readonly<Record<ResourceType, number>> {
    return this.#held;
  }

  push(s: SubscriptionSeed): void {
    if (s.status === 'active') this.#held[s.resourceType] += s.quantity;
    this.#id.push(s.id);
    this.#resourceType.push(s.resourceType);
    this.#quantity.push(s.quantity);
    this.#monthlyCost.push(s.monthlyCost);
    this.#currency.push(s.currency);
    this.#status.push(s.status);
    this.#purchasedAt.push(s.purchasedAt);
    this.#lastBillingDate.push(s.lastBillingDate);
    this.#nextBillingDate.push(s.nextBillingDate);
    this.#cancelledAt.push(s.cancelledAt ?? Number.NaN);
    this.#cancellationReason.push(s.cancellationReason);
    this.#createdAt.push(s.createdAt);
    this.#updatedAt.push(s.updatedAt);
  }

  /** Row i as an object. */
  get(i: number): SubscriptionSeed {
    const cancelledAt = this.#cancelledAt[i]!;
    return {
      id: this.#id[i]!,
      resourceType: this.#resourceType[i]!,
      quantity: this.#quantity[i]!,
      monthlyCost: this.#monthlyCost[i]!,
      currency: this.#currency[i]!,
      status: this.#status[i]!,
      purchasedAt: this.#purchasedAt[i]!,
      lastBillingDate: this.#lastBillingDate[i]!,
      nextBillingDate: this.#nextBillingDate[i]!,
      cancelledAt: Number.isNaN(cancelledAt) ? null : cancelledAt,
      cancellationReason: this.#cancellationReason[i]!,
      createdAt: this.#createdAt[i]!,
      updatedAt: this.#updatedAt[i]!,
    };
  }

  /** Moves row i's status and billing dates (a renewal, or one that could not be paid). */
  bill(i: number, change: { readonly status: SubscriptionStatus; readonly lastBillingDate: number; readonly nextBillingDate: number; readonly updatedAt: number }): void {
    const was = this.#status[i] === 'active';
    const is = change.status === 'active';
    if (was !== is) this.#held[this.#resourceType[i]!] += (is ? 1 : -1) * this.#quantity[i]!;
    this.#status[i] = change.status;
    this.#lastBillingDate[i] = change.lastBillingDate;
    this.#nextBillingDate[i] = change.nextBillingDate;
    this.#updatedAt[i] = change.updatedAt;
  }

  /** The status and next billing date of row i, without an object (renewals scan every row). */
  status(i: number): SubscriptionStatus {
    return this.#status[i]!;
  }

  nextBillingDate(i: number): number {
    return this.#nextBillingDate[i]!;
  }

  /** Every row as an object, in purchase order. */
  all(): SubscriptionSeed[] {
    return this.#id.map((_, i) => this.get(i));
  }
}
