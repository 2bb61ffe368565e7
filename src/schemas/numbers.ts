import { type IntegerOptions, type NumberOptions, type TSchema, Type } from '@sinclair/typebox';
import { Expected, expectation } from './expectation.js';

/**
 * One rule for whole numbers and one for money, on every way in (fixtures, the control plane, snapshots).
 * A count or a limit is an integer the SDKs' int fields hold (Java's is 32 bits): at most 2,147,483,647, so
 * 1e300 or 2^53 + 1 is refused rather than shown as `1e+300` or silently rounded.
 */
export const INT_MAX = 2_147_483_647;

/** An integer from 0 (or `minimum`) to INT_MAX (or `maximum`). */
export const Int = (options: IntegerOptions = {}) => Type.Integer({ minimum: 0, maximum: INT_MAX, ...options });

/** The largest amount of money the emulator holds (in micro-units, 1e18: past 2^53, sums would not be exact). */
export const MONEY_LIMIT = 1e12;

/** True when an amount has at most `places` decimal places. */
export function hasPlaces(amount: number, places: number): boolean {
  const scaled = amount * 10 ** places;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/**
 * Money: a number from -1e12 to 1e12 (or the bounds given) with at most 6 decimal places. The range is the
 * schema's; the decimals are checked by moneyProblem (a schema's multipleOf is not exact in floating point).
 */
export function Money(options: NumberOptions = {}) {
  const bounds = { minimum: -MONEY_LIMIT, maximum: MONEY_LIMIT, ...options };
  if (bounds.exclusiveMinimum !== undefined) delete (bounds as { minimum?: number }).minimum;
  const words = `${expectation(Type.Number(bounds)).replace(/^a number/, 'an amount')} with at most 6 decimal places`;
  return Type.Number({ ...bounds, [Expected]: words });
}

/** What is wrong with an amount a schema made with Money() let through (more than 6 decimal places), or undefined. */
export function moneyProblem(amount: number, schema: TSchema = Money()): string | undefined {
  return hasPlaces(amount, 6) ? undefined : expectation(schema);
}
