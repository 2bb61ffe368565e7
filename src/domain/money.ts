/**
 * Money is kept as integer micro-units (1e-6 of a currency unit), so sums over any number of ledger
 * entries are exact; it becomes a JSON number or a decimal string only when a body is serialized.
 */
export const MICROS = 1_000_000;

/** A JSON amount (e.g. 0.45) to micro-units; amounts have at most 6 decimal places. */
export const toMicros = (amount: number): number => Math.round(amount * MICROS);

/** Micro-units to the JSON number the wire carries (23906.83, not 23906.830000). */
export const fromMicros = (micros: number): number => micros / MICROS;

/** Micro-units of a whole number of cents as a decimal string with two places: 10470000000 -> "10470.00". */
export function decimalString(micros: number): string {
  const cents = Math.round(micros / 10_000);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
