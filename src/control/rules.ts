import type { PricingTier } from '../schemas/pricing-tier.js';
import { toMicros } from '../domain/money.js';

/**
 * What a call costs (the facts sheet's inferred formula, §5.6): the billable time is the duration raised to
 * the tier's minimum_duration_seconds, then rounded up to a multiple of billing_increment_seconds; the charge
 * is billable / 60 x rate_per_minute, in micro-units (rounded to the nearest).
 */
export function chargeFor(durationSeconds: number, tier: Pick<PricingTier, 'rate_per_minute' | 'billing_increment_seconds' | 'minimum_duration_seconds'>): { billable: number; amount: number } {
  const increment = Math.max(1, tier.billing_increment_seconds);
  const raised = Math.max(durationSeconds, tier.minimum_duration_seconds);
  const billable = raised === 0 ? 0 : Math.ceil(raised / increment) * increment;
  return { billable, amount: Math.round((billable * toMicros(tier.rate_per_minute)) / 60) };
}

/** Milliseconds of an ISO 8601 duration (PnW, PnDTnHnMnS, fractions in the last part), or undefined. Months and years are not fixed lengths: refused. */
export function parseDuration(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w = '0', d = '0', h = '0', min = '0', s = '0'] = m;
  return Math.round(((Number(w) * 7 + Number(d)) * 86_400 + Number(h) * 3600 + Number(min) * 60 + Number(s)) * 1000);
}
