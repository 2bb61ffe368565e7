import { formatId, type IdKey, idKeyFor } from './ids.js';
import { Account, type SeedData } from './account.js';
import { verifyBearer } from './bearer.js';
import { CapacityPricing } from './capacity.js';
import type { SubAccountFacts } from './sub-accounts.js';

/** What an operation needs of the namespace it runs in: its accounts and its clock (epoch milliseconds). */
export interface Env {
  readonly store: AccountStore;
  readonly now: () => number;
  /** Sub-accounts an account may hold (default 1000). */
  readonly maxSubAccounts?: number;
}

/** Where an account comes from: its credentials at once, its data when first needed (generated accounts are lazy). */
export interface AccountSeed {
  readonly authId: string;
  readonly token: string;
  /** Where the account was defined, for messages: a file name or "generated #N (seed S)". */
  readonly origin: string;
  readonly data: () => SeedData;
  /** Whether the account starts with subscriptions (that a clock move may renew); generated accounts have none. */
  readonly hasSubscriptions?: boolean;
  /** The account alone, when it is cheaper to make than all of data() (listing generated accounts). */
  readonly account?: () => SeedData['account'];
  /** The auth_ids of the sub-accounts it starts with (so their credentials find it before it is made). */
  readonly subAccounts?: readonly string[];
}

/**
 * A stored token is kept for comparison as its characters' codes, zero-padded to one more than the longest token
 * a fixture or the control plane admits (256 visible ASCII characters), then its length: PADDED + 1 slots.
 */
const PADDED = 257;
const SLOTS = PADDED + 1;
/** A length no given token can match (a token of PADDED characters or more never matches). */
const NO_LENGTH = PADDED;

// Stored tokens are cut from shared slabs: an array of its own would cost an account about half a kilobyte.
const SLAB = 256 * SLOTS;
let slab = new Uint16Array(SLAB);
let used = 0;

/** A token as it is stored for comparison (cut from the slab); `length` NO_LENGTH makes one that matches nothing. */
function padded(token: string, length = token.length < PADDED ? token.length : NO_LENGTH): Uint16Array {
  if (used === SLAB) {
    slab = new Uint16Array(SLAB);
    used = 0;
  }
  const codes = slab.subarray(used, used + SLOTS);
  used += SLOTS;
  for (let i = 0; i < token.length && i < PADDED; i++) codes[i] = token.charCodeAt(i);
  codes[PADDED] = length;
  return codes;
}

/**
 * A given token against a stored one: every character of the given token is compared, whatever differs, and the
 * lengths as one more word, so the time depends on the given token's length alone (the caller's to know) and on
 * nothing of the stored token's, neither its content nor its length. No buffer is written: padding the given
 * token into one (two C++ calls) was most of the comparison's cost.
 */
function matchesPadded(stored: Uint16Array, given: string): boolean {
  const n = given.length < PADDED ? given.length : PADDED;
  let diff = given.length < PADDED ? given.length ^ stored[PADDED]! : 1;
  for (let i = 0; i < n; i++) diff |= given.charCodeAt(i) ^ stored[i]!;
  return diff === 0;
}

// A sub-account's token, stored for comparisons once per version of its facts (an object replaced by every
// change, so a changed token is stored again). An unknown sub-account is compared against a token that matches
// nothing, so it costs what a wrong token costs.
const subPadded = new WeakMap<SubAccountFacts, Uint16Array>();
const nobodyPadded = padded('', NO_LENGTH);

/** Compares a given token with a sub-account's (undefined: none) as tokenMatches does; false for none. */
function subTokenMatches(sub: SubAccountFacts | undefined, given: string): boolean {
  if (sub === undefined) return matchesPadded(nobodyPadded, given) && false;
  let stored = subPadded.get(sub);
  if (stored === undefined) subPadded.set(sub, (stored = padded(sub.token)));
  return matchesPadded(stored, given);
}

/** A sub-account's credentials authenticated: its parent, and its own facts. */
export class SubPrincipal {
  constructor(
    readonly parent: StoredAccount,
    readonly sub: SubAccountFacts,
  ) {}
}

export class StoredAccount {
  readonly authId: string;
  #token: Uint16Array | undefined;
  #plain: string | undefined;
  readonly #seed: AccountSeed;
  #account: Account | undefined;

  /** Whether it was added at runtime (a snapshot or the control plane), rather than made from its seed. */
  readonly added: boolean;

  constructor(seed: AccountSeed, added = false) {
    this.authId = seed.authId;
    this.#seed = seed;
    this.added = added;
  }

  /** Whether it can differ from its seed: added, given another token, or changed since it was made. */
  get changed(): boolean {
    return this.added || this.#plain !== undefined || (this.#account !== undefined && this.#account.version > 0);
  }

  /** Where the account was defined (see AccountSeed). */
  get origin(): string {
    return this.#seed.origin;
  }

  /** Constant-time in the token's content and length. */
  tokenMatches(token: string): boolean {
    // Padded on first use: a hundred thousand generated accounts need not hold a buffer each from the start.
    return matchesPadded((this.#token ??= padded(this.#seed.token)), token);
  }

  /** A new token (a PATCH): compared from now on instead of the seed's. */
  replaceToken(token: string): void {
    this.#token = padded(token);
    this.#plain = token;
  }

  /** The token, for a snapshot of the namespace (never for a response of the emulated API). */
  get currentToken(): string {
    return this.#plain ?? this.#seed.token;
  }

  /** Whether a PATCH gave it another token than its seed's. */
  get tokenReplaced(): boolean {
    return this.#plain !== undefined;
  }

  /** The account's facts, made from its seed when first asked for. */
  get account(): Account {
    return (this.#account ??= new Account(this.#seed.data()));
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
  /** An account to read (a listing): the one made, or one made from its seed and not kept (reading does not grow the store). */
  peek(authId: string): StoredAccount | undefined;
  /** Every auth_id from place `from` (0: the first), in the order of iteration, without making an account. */
  authIds(from?: number): Iterable<string>;
  /** The account whose credentials these are, or undefined; takes the same time whether or not authId exists. */
  authenticate(authId: string, token: string): StoredAccount | undefined;
  /** The account a Bearer token was issued for, or undefined (bad signature, expired at `now`, unknown account). */
  authenticateBearer(token: string, now: number): StoredAccount | SubPrincipal | undefined;
  /** The sub-account whose credentials these are (with its parent), or undefined; the same time whether or not it exists. */
  authenticateSub(authId: string, token: string): SubPrincipal | undefined;
  /** The sub-account with this auth_id and its parent, or undefined. */
  subAccount(authId: string): SubPrincipal | undefined;
  /** Whether an auth_id is taken, by an account or a sub-account. */
  taken(authId: string): boolean;
  /** Records that a sub-account of `parent` has this auth_id (made), or has it no more (removed). */
  noteSubAccount(authId: string, parent: string | undefined): void;
  /** A new id (UUID form) for something the emulator makes: the same sequence in every run, its own in each namespace. */
  newId(): string;
  /** Adds an account made at runtime; throws a RangeError when its auth_id is taken. */
  add(seed: AccountSeed): StoredAccount;
  /** Removes an account; false when there is none. */
  remove(authId: string): boolean;
  /** The accounts made so far (read, changed or added); those that differ from their seeds are among them (see StoredAccount.changed). */
  touched(): Iterable<StoredAccount>;
  /** The accounts that may have subscriptions: those made so far, and seeds that start with some. */
  withSubscriptions(): Iterable<StoredAccount>;
  /** The token a seed (fixture or generated account) was loaded with; undefined for any other auth_id. */
  seedToken(authId: string): string | undefined;
  /** Seeded accounts this store removed. */
  removedSeeds(): Iterable<string>;
  /** How many accounts have been made (a measure of the store's size in memory). */
  readonly touchedCount: number;
  /** How many accounts were added beyond the seeds (less those removed again). */
  readonly addedCount: number;
  /** A fresh store on the same seeds and prices, for a namespace (its ids are its own). */
  fork(namespace: string): AccountStore;
}

/**
 * The in-memory store: an overlay on the seeds. An account is made from its seed the first time it is asked
 * for (so a hundred thousand generated accounts cost nothing until used, and a fork costs nothing until it
 * is used either); accounts added at runtime and removed ones live in the overlay alone. Seeds must have
 * distinct auth ids (the loader checks).
 */
export function createMemoryStore(seeds: readonly AccountSeed[] | SeedIndex, pricing = new CapacityPricing([]), namespace = 'default'): AccountStore {
  const index = Array.isArray(seeds) ? mapIndex(new Map(seeds.map((seed) => [seed.authId, seed]))) : (seeds as SeedIndex);
  return overlay(index, pricing, idKeyFor(namespace));
}

/**
 * The seeds a store is made on, by auth id: a map, or (generated accounts) arithmetic that finds a seed from its
 * auth id and makes it when asked, so that a million generated accounts cost no map and no object each.
 */
export interface SeedIndex {
  readonly size: number;
  get(authId: string): AccountSeed | undefined;
  has(authId: string): boolean;
  /** Every seed's auth id from place `from` (0: the first), in load order. */
  keys(from?: number): Iterable<string>;
  /** A seed's place in load order, or undefined. */
  position(authId: string): number | undefined;
  /** The parent of a seeded sub-account. */
  subAccountParent(authId: string): string | undefined;
  /** The seeds that start with subscriptions (that a clock move may renew). */
  withSubscriptions(): Iterable<AccountSeed>;
}

/** A map of seeds as a SeedIndex. */
export function mapIndex(seeds: ReadonlyMap<string, AccountSeed>): SeedIndex {
  let places: Map<string, number> | undefined;
  const parents = new Map<string, string>();
  for (const seed of seeds.values()) for (const sub of seed.subAccounts ?? []) parents.set(sub, seed.authId);
  return {
    subAccountParent: (authId) => parents.get(authId),
    get size() {
      return seeds.size;
    },
    get: (authId) => seeds.get(authId),
    has: (authId) => seeds.has(authId),
    *keys(from = 0) {
      let place = 0;
      for (const authId of seeds.keys()) if (place++ >= from) yield authId;
    },
    position(authId) {
      places ??= new Map([...seeds.keys()].map((id, place) => [id, place]));
      return places.get(authId);
    },
    *withSubscriptions() {
      for (const seed of seeds.values()) if (seed.hasSubscriptions === true) yield seed;
    },
  };
}

/**
 * The auth ids of an overlay from place `from`: the seeds less those removed, then the accounts added. Removed
 * seeds hold no place (there are few: each is a control-plane delete): the seed at place `from` is found past
 * those before it, so a deep page of a million generated accounts costs no walk from the start.
 */
function* idsFrom(index: SeedIndex, own: ReadonlyMap<string, StoredAccount | null>, from: number): Generator<string> {
  const removedAt = [...own].filter(([, account]) => account === null).map(([authId]) => index.position(authId)!).sort((a, b) => a - b);
  let place = from;
  for (const at of removedAt) {
    if (at > place) break;
    place += 1;
  }
  for (const authId of index.keys(place)) if (own.get(authId) !== null) yield authId;
  let skip = Math.max(0, from - (index.size - removedAt.length));
  for (const [authId, account] of own) {
    if (!account || index.has(authId)) continue;
    if (skip > 0) skip -= 1;
    else yield authId;
  }
}

function overlay(index: SeedIndex, pricing: CapacityPricing, idKey: IdKey): AccountStore {
  /** Accounts made so far (from a seed or added); null for a seed's account that was removed. */
  const own = new Map<string, StoredAccount | null>();
  let added = 0;
  let removed = 0;
  let made = 0;
  /** Sub-accounts made or removed since the seeds: their parent's auth_id, or null when removed. */
  const subParents = new Map<string, string | null>();
  const parentOf = (authId: string): string | undefined => {
    const known = subParents.get(authId);
    return known === undefined ? index.subAccountParent(authId) : (known ?? undefined);
  };
  const subAccount = (authId: string): SubPrincipal | undefined => {
    const parentId = parentOf(authId);
    const parent = parentId === undefined ? undefined : get(parentId);
    const sub = parent?.account.subAccount(authId);
    return sub && parent ? new SubPrincipal(parent, sub) : undefined;
  };
  const get = (authId: string): StoredAccount | undefined => {
    const known = own.get(authId);
    if (known !== undefined) return known ?? undefined;
    const seed = index.get(authId);
    if (seed === undefined) return undefined;
    const account = new StoredAccount(seed);
    own.set(authId, account);
    return account;
  };
  return {
    get size() {
      return index.size + added - removed;
    },
    pricing,
    get,
    peek(authId) {
      const known = own.get(authId);
      if (known !== undefined) return known ?? undefined;
      const seed = index.get(authId);
      return seed === undefined ? undefined : new StoredAccount(seed);
    },
    authIds: (from = 0) => idsFrom(index, own, from),
    authenticate(authId, token) {
      const account = get(authId);
      const ok = (account ?? nobody).tokenMatches(token);
      return ok && account ? account : undefined;
    },
    authenticateBearer(token, now) {
      const subject = verifyBearer(token, now);
      if (subject === undefined) return undefined;
      return subject.startsWith('SA_') ? subAccount(subject) : get(subject);
    },
    authenticateSub(authId, token) {
      const found = subAccount(authId);
      return subTokenMatches(found?.sub, token) ? found : undefined;
    },
    subAccount,
    taken: (authId) => get(authId) !== undefined || parentOf(authId) !== undefined,
    noteSubAccount(authId, parent) {
      subParents.set(authId, parent ?? null);
    },
    newId: () => formatId(++made, idKey),
    add(seed) {
      if (get(seed.authId) !== undefined) throw new RangeError(`${seed.authId} exists`);
      const account = new StoredAccount(seed, true);
      for (const sub of seed.subAccounts ?? []) subParents.set(sub, seed.authId);
      if (index.has(seed.authId)) removed -= 1;
      else added += 1;
      own.set(seed.authId, account);
      return account;
    },
    remove(authId) {
      const account = get(authId);
      if (account === undefined) return false;
      for (const sub of account.account.subAccounts()) subParents.set(sub.authId, null);
      if (index.has(authId)) {
        own.set(authId, null);
        removed += 1;
      } else {
        own.delete(authId);
        added -= 1;
      }
      return true;
    },
    *touched() {
      for (const account of own.values()) if (account) yield account;
    },
    *withSubscriptions() {
      for (const seed of index.withSubscriptions()) get(seed.authId);
      for (const account of own.values()) if (account) yield account;
    },
    seedToken: (authId) => index.get(authId)?.token,
    *removedSeeds() {
      for (const [authId, account] of own) if (account === null) yield authId;
    },
    get touchedCount() {
      return own.size;
    },
    get addedCount() {
      return added;
    },
    fork: (namespace) => overlay(index, pricing, idKeyFor(namespace)),
    *[Symbol.iterator]() {
      for (const authId of this.authIds()) yield get(authId)!;
    },
  };
}
