/**
 * Money is kept as integer micro-units (1e-6 of a currency unit), so sums over any number of ledger
 * entries are exact; it becomes a JSON number or a decimal string only when a body is serialized.
 */
export const MICROS = 1_000_000;

/** A JSON amount (e.g. 0.45) to micro-units; amounts have at most 6 decimal places. */
export const toMicros = (amount: number): number => Math.round(amount * MICROS);

/** Micro-units to the JSON number the wire carries (23906.83, not 23906.830000). */
export const fromMicros = (micros: number): number => micros / MICROS;

/**
 * The JSON text of fromMicros(micros), as JSON.stringify writes it, from the integer's digits: a body rebuilt
 * on every purchase need not turn a float into text (half the time here). Past 10^14 micro-units (10^8
 * units, where a double stops holding every 15-digit decimal apart), it falls back to the float's own text.
 */
export function microsText(micros: number): string {
  if (!Number.isSafeInteger(micros) || micros >= 1e14 || micros <= -1e14) return String(micros / MICROS);
  if (micros < 0) return `-${microsText(-micros)}`;
  const whole = Math.floor(micros / MICROS);
  let fraction = micros - whole * MICROS;
  if (fraction === 0) return String(whole);
  let digits = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  const text = String(fraction);
  return `${whole}.${'00000'.slice(0, digits - text.length)}${text}`;
}

/** Micro-units of a whole number of cents as a decimal string with two places: 10470000000 -> "10470.00". */
export function decimalString(micros: number): string {
  const cents = Math.round(micros / 10_000);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
