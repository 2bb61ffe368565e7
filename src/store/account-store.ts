import { timingSafeEqual } from 'node:crypto';
import { AccountState, type SeedData } from './account-state.js';
import { verifyBearer } from './bearer.js';
import { CapacityPricing } from './capacity.js';

/** Where an account comes from: its credentials at once, its data when first needed (generated accounts are lazy). */
export interface AccountSeed {
  readonly authId: string;
  readonly token: string;
  /** Where the account was defined, for messages: a file name or "generated #N (seed S)". */
  readonly origin: string;
  readonly data: () => SeedData;
  /** The account alone, when it is cheaper to make than all of data() (listing generated accounts). */
  readonly account?: () => SeedData['account'];
}

/**
 * Tokens are compared as zero-padded buffers one byte longer than the longest token a fixture may hold
 * (256 visible ASCII characters): equal content and equal length, or no match, in time that depends on
 * neither. A longer header fills the last byte, which a stored token never does.
 */
const PADDED = 257;
const scratch = Buffer.alloc(PADDED);

// Padded tokens are cut from shared slabs: a buffer of its own would cost an account about half a kilobyte.
const SLAB = 256 * PADDED;
let slab = Buffer.alloc(SLAB);
let used = 0;

function padded(token: string): Buffer {
  if (used === SLAB) {
    slab = Buffer.alloc(SLAB);
    used = 0;
  }
  const view = slab.subarray(used, used + PADDED);
  used += PADDED;
  view.fill(token, 0, Math.min(token.length, PADDED), 'latin1');
  return view;
}

export class StoredAccount {
  readonly authId: string;
  readonly origin: string;
  #token: Buffer | undefined;
  readonly #seed: AccountSeed;
  #state: AccountState | undefined;

  constructor(seed: AccountSeed) {
    this.authId = seed.authId;
    this.origin = seed.origin;
    this.#seed = seed;
  }

  /** Constant-time in the token's content and length. */
  tokenMatches(token: string): boolean {
    scratch.fill(0);
    scratch.write(token, 0, PADDED, 'latin1');
    // Padded on first use: a hundred thousand generated accounts need not hold a buffer each from the start.
    return timingSafeEqual(scratch, (this.#token ??= padded(this.#seed.token)));
  }

  get state(): AccountState {
    return (this.#state ??= new AccountState(this.#seed.data()));
  }
}

// Compared against when the auth id is unknown, so an unknown id costs what a wrong token costs; a match
// against it still yields no account.
const nobody = new StoredAccount({ authId: '', token: '\u00ff'.repeat(PADDED), origin: '', data: () => { throw new Error('unreachable'); } });

export interface AccountStore extends Iterable<StoredAccount> {
  readonly size: number;
  /** Capacity price tables by pricing tier. */
  readonly pricing: CapacityPricing;
  get(authId: string): StoredAccount | undefined;
  /** The account whose credentials these are, or undefined; takes the same time whether or not authId exists. */
  authenticate(authId: string, token: string): StoredAccount | undefined;
  /** The account a Bearer token was issued for, or undefined (bad signature, expired at `now`, unknown account). */
  authenticateBearer(token: string, now: number): StoredAccount | undefined;
  /** A new id (UUID form) for something the emulator makes: the same sequence in every run. */
  newId(): string;
}

/** A 32-bit integer hash (murmur3's finalizer, one-to-one) of n and a key. */
function mix(n: number, key: number): number {
  let h = Math.imul(n ^ key, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The in-memory store. Seeds must have distinct auth ids (the loader checks). */
export function createMemoryStore(seeds: readonly AccountSeed[], pricing = new CapacityPricing([])): AccountStore {
  const accounts = new Map<string, StoredAccount>();
  for (const seed of seeds) accounts.set(seed.authId, new StoredAccount(seed));
  let made = 0;
  return {
    get size() {
      return accounts.size;
    },
    pricing,
    get: (authId) => accounts.get(authId),
    authenticate(authId, token) {
      const account = accounts.get(authId);
      const ok = (account ?? nobody).tokenMatches(token);
      return ok && account ? account : undefined;
    },
    authenticateBearer(token, now) {
      const subject = verifyBearer(token, now);
      return subject === undefined ? undefined : accounts.get(subject);
    },
    newId() {
      made += 1;
      // mix() is one-to-one on 32-bit integers, so the first group alone never repeats; the rest only looks random.
      const hex = (key: number) => {
        const h = mix(made, key);
        return HEX[h >>> 24]! + HEX[(h >>> 16) & 255]! + HEX[(h >>> 8) & 255]! + HEX[h & 255]!;
      };
      const [a, b, c, d] = [hex(0x9e3779b9), hex(0x85ebca6b), hex(0xc2b2ae35), hex(0x27d4eb2f)];
      return `${a}-${b.slice(0, 4)}-4${b.slice(4, 7)}-${'89ab'[made % 4]}${c.slice(0, 3)}-${c.slice(3, 7)}${d}`;
    },
    [Symbol.iterator]: () => accounts.values(),
  };
}
