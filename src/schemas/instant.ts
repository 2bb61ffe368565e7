/**
 * Instants as clients and fixtures write them: RFC 3339 date-times, read strictly, within the range the
 * emulator holds. What a schema's `date-time` format accepts, and what every message about one says.
 */

/** The first and the last instant the emulator holds: four-digit years, as RFC 3339 wants. */
export const EARLIEST = '0001-01-01T00:00:00Z';
export const LATEST = '9999-12-31T23:59:59Z';
export const EARLIEST_MS = -62_135_596_800_000;
export const LATEST_MS = 253_402_300_799_000;

/** What an instant must be, for messages. */
export const instantExpected = 'an RFC 3339 date-time such as 2026-01-01T00:00:00Z';
export const rangeExpected = `an instant from ${EARLIEST} to ${LATEST}`;

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a year, month (1-12) and day name a day of the calendar (2030-02-30 does not). */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : monthDays[month - 1]!);
}

/**
 * Epoch microseconds of an RFC 3339 date-time that names a real instant the emulator can hold, or what was
 * expected instead. Stricter than Date.parse, which rolls 2030-02-30 over to March, takes other formats and
 * goes past year 9999: a date that does not exist, an hour 24 or a second 60 (a leap second, which no
 * JavaScript date holds) and an instant out of range are refused.
 */
export function readInstant(text: string): { readonly micros: number } | { readonly expected: string } {
  const m = rfc3339.exec(text);
  if (!m) return { expected: instantExpected };
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!isCalendarDay(year, month, day)) return { expected: `a date-time on a day the calendar has (${m[1]}-${m[2]}-${m[3]} is not one)` };
  const offsetHours = m[10] === undefined ? 0 : Number(m[10]);
  const offsetMinutes = m[11] === undefined ? 0 : Number(m[11]);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return { expected: 'a date-time with a time of day from 00:00:00 to 23:59:59 and an offset of at most 23:59 (no leap second)' };
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const sign = m[9] === '-' ? -1 : 1;
  const ms = date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  const micros = ms * 1000 + Number((m[7] ?? '').slice(0, 6).padEnd(6, '0'));
  if (micros < EARLIEST_MS * 1000 || micros > LATEST_MS * 1000) return { expected: rangeExpected };
  return { micros };
}

/** Epoch microseconds of an RFC 3339 timestamp (see readInstant), or NaN. */
export function parseMicros(text: string): number {
  const read = readInstant(text);
  return 'micros' in read ? read.micros : Number.NaN;
}
