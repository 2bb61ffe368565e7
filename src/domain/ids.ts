import { createHash } from 'node:crypto';

/**
 * Ids the store makes: UUID v4-shaped strings written from a counter and a namespace's key. The same
 * namespace and the same sequence of changes give the same ids in every run; two namespaces never share one
 * (a suite that keeps ids across workers never sees a collision).
 */

/** One-to-one on 32-bit integers (murmur3's finalizer on n ^ key), so for one key the first group alone never repeats. */
function mix(n: number, key: number): number {
  let h = Math.imul(n ^ key, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Four 32-bit words that key a namespace's ids. */
export type IdKey = readonly [number, number, number, number];

/** The key of a namespace's ids: the first 16 bytes of a hash of its name. */
export function idKeyFor(namespace: string): IdKey {
  const digest = createHash('sha256').update(`vobiz-mock:ids:${namespace}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4), digest.readInt32BE(8), digest.readInt32BE(12)];
}

const HEX_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
/**
 * Where each hex digit of the four words (most significant first) goes in `xxxxxxxx-xxxx-4xxx-vxxx-xxxxxxxxxxxx`
 * (-1: not used): the version digit 4 and the variant digit v stand between them.
 */
const ID_SLOTS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 15, 16, 17, -1, 20, 21, 22, 24, 25, 26, 27, -1, 28, 29, 30, 31, 32, 33, 34, 35];
/** The id being written, as character codes: the dashes and the version digit stay. */
const digits = [...'00000000-0000-4000-8000-000000000000'].map((c) => c.charCodeAt(0));

/** The id made from counter value n under a key: the same n and key, the same id, in every run. */
export function formatId(n: number, key: IdKey): string {
  const words = [mix(n, key[0]), mix(n, key[1]), mix(n, key[2]), mix(n, key[3])];
  for (let i = 0; i < 32; i++) {
    const slot = ID_SLOTS[i]!;
    if (slot >= 0) digits[slot] = HEX_CODES[(words[i >> 3]! >>> (28 - 4 * (i & 7))) & 15]!;
  }
  digits[19] = HEX_CODES[8 + (n % 4)]!;
  return String.fromCharCode.apply(null, digits);
}
