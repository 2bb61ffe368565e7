/**
 * Ids the store makes: UUID v4-shaped strings written from a counter. The store keeps the counter's value (a
 * small integer) where it keeps such an id, and writes the string when a body shows it: a purchase keeps no
 * string for its subscription's id or its ledger entry's.
 */

/** An id as the store keeps it: a string (given by a fixture or a caller), or the counter value it was made from. */
export type Id = string | number;

/** One-to-one on 32-bit integers (murmur3's finalizer on n ^ key), so the first group alone never repeats. */
function mix(n: number, key: number): number {
  let h = Math.imul(n ^ key, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const HEX_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
/**
 * Where each hex digit of the four words (most significant first) goes in `xxxxxxxx-xxxx-4xxx-vxxx-xxxxxxxxxxxx`
 * (-1: not used): the version digit 4 and the variant digit v stand between them.
 */
const ID_SLOTS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 15, 16, 17, -1, 20, 21, 22, 24, 25, 26, 27, -1, 28, 29, 30, 31, 32, 33, 34, 35];
/** The id being written, as character codes: the dashes and the version digit stay. */
const digits = [...'00000000-0000-4000-8000-000000000000'].map((c) => c.charCodeAt(0));

/** The id made from counter value n: the same n, the same id, in every run. */
export function formatId(n: number): string {
  const words = [mix(n, 0x9e3779b9), mix(n, 0x85ebca6b), mix(n, 0xc2b2ae35), mix(n, 0x27d4eb2f)];
  for (let i = 0; i < 32; i++) {
    const slot = ID_SLOTS[i]!;
    if (slot >= 0) digits[slot] = HEX_CODES[(words[i >> 3]! >>> (28 - 4 * (i & 7))) & 15]!;
  }
  digits[19] = HEX_CODES[8 + (n % 4)]!;
  return String.fromCharCode.apply(null, digits);
}

/** An id as a string. */
export const idText = (id: Id): string => (typeof id === 'number' ? formatId(id) : id);
