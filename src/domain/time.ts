/**
 * Timestamps: kept as epoch microseconds for ordering and filtering, and written in the style of the body they
 * appear in (the documentation's examples use three): the Account object `2026-01-19T18:39:14.529435+00:00`,
 * balances and transactions `2026-01-19T18:39:15.050543Z`, subscriptions `2026-07-16T10:00:00Z`.
 */

// The last two seconds formatted (ISO to the second, and with its Z): a purchase writes the same instant in
// several bodies, and its next billing date beside it.
interface Second {
  readonly second: number;
  readonly text: string;
  readonly z: string;
}
let last: Second = { second: Number.NaN, text: '', z: '' };
let other: Second = last;

function formatted(micros: number): Second {
  const second = Math.floor(micros / 1_000_000);
  if (second === last.second) return last;
  if (second === other.second) return other;
  other = last;
  const text = new Date(second * 1000).toISOString().slice(0, 19);
  last = { second, text, z: `${text}Z` };
  return last;
}

const iso = (micros: number): string => formatted(micros).text;

const sixDigits = (micros: number) => String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');

/** `2026-01-19T18:39:15.050543Z` */
export const zMicros = (micros: number): string => `${iso(micros)}.${sixDigits(micros)}Z`;

/** `2026-01-19T18:39:14.529435+00:00` */
export const offsetMicros = (micros: number): string => `${iso(micros)}.${sixDigits(micros)}+00:00`;

/** `2026-07-16T10:00:00Z` */
export const zSeconds = (micros: number): string => formatted(micros).z;

export const DAY_MICROS = 86_400_000_000;
