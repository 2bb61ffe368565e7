import type { ResourceType } from '../schemas/capacity.js';
import type { PriceTable } from '../schemas/fixture.js';
import { Memo } from './memo.js';
import { decimalString, toMicros } from './money.js';

export interface Bracket {
  readonly from: number;
  readonly to: number;
  readonly quantity: number;
  readonly unit_price: string;
  readonly amount: string;
}

export interface Quote {
  readonly resourceType: ResourceType;
  readonly quantity: number;
  readonly currency: string;
  /** Micro-units a month. */
  readonly monthlyCost: number;
  readonly breakdown: readonly Bracket[];
}

/** Why a quantity cannot be sold: the message names the rule. */
export interface QuoteProblem {
  readonly problem: 'no-pricing' | 'quantity';
  readonly message: string;
}

/**
 * Capacity price tables by pricing tier: block size, minimum and maximum, and graduated brackets (units
 * 1..up_to at one unit price, the next units at the next). A purchase of 30 at 349.00 a unit costs 10470.00.
 */
export class CapacityPricing {
  readonly #tables: ReadonlyMap<string, PriceTable>;

  constructor(tables: readonly PriceTable[]) {
    this.#tables = new Map(tables.map((t) => [t.pricing_tier_id, t]));
  }

  table(pricingTierId: string): PriceTable | undefined {
    return this.#tables.get(pricingTierId);
  }

  /** Quotes already made, per tier, by capacityKey (quotes are frozen, so they can be shared). */
  readonly #quotes = new Map<string, Memo<number, Quote | QuoteProblem>>();

  /** The price of `quantity` (at least 1) of a resource on a tier, or why it cannot be sold. */
  quote(pricingTierId: string, resourceType: ResourceType, quantity: number): Quote | QuoteProblem {
    let known = this.#quotes.get(pricingTierId);
    if (!known) {
      known = new Memo(QUOTES_KEPT, (key) => Object.freeze(this.#quote(pricingTierId, ...fromCapacityKey(key))));
      this.#quotes.set(pricingTierId, known);
    }
    return known.get(capacityKey(resourceType, quantity));
  }

  #quote(pricingTierId: string, resourceType: ResourceType, quantity: number): Quote | QuoteProblem {
    const table = this.#tables.get(pricingTierId);
    if (!table) return { problem: 'no-pricing', message: `No capacity pricing for pricing tier ${pricingTierId}` };
    const rules = table[resourceType];
    const unit = resourceType === 'cps' ? 'CPS' : 'concurrent calls';
    if (quantity < rules.minimum || quantity > rules.maximum || quantity % rules.block !== 0) {
      return {
        problem: 'quantity',
        message: `${unit} are sold in blocks of ${rules.block}, from ${rules.minimum} to ${rules.maximum}; got ${quantity}`,
      };
    }
    const breakdown: Bracket[] = [];
    let from = 1;
    let cost = 0;
    for (const bracket of rules.brackets) {
      if (from > quantity) break;
      const to = bracket.up_to === null ? quantity : Math.min(bracket.up_to, quantity);
      if (to < from) continue;
      const price = toMicros(bracket.unit_price);
      const amount = price * (to - from + 1);
      cost += amount;
      breakdown.push({ from, to, quantity: to - from + 1, unit_price: decimalString(price), amount: decimalString(amount) });
      from = to + 1;
    }
    return { resourceType, quantity, currency: table.currency, monthlyCost: cost, breakdown: Object.freeze(breakdown.map((b) => Object.freeze(b))) };
  }
}

/** One number for a resource and a quantity of at least 1 (CPS negative), for maps kept by both. */
export const capacityKey = (resourceType: ResourceType, quantity: number): number => (resourceType === 'cps' ? -quantity : quantity);

const fromCapacityKey = (key: number): [ResourceType, number] => (key < 0 ? ['cps', -key] : ['concurrent_calls', key]);

/** Quotes a tier keeps. */
const QUOTES_KEPT = 1024;

export const isQuote = (q: Quote | QuoteProblem): q is Quote => !('problem' in q);
