import { hash, timingSafeEqual } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { type AccountData, renderAccount } from '../schemas/account.js';
import { compileIpRules } from './invariants.js';
import { serializeAccount } from './serialize.js';

/** Where an account comes from: its credentials at once, its data when first needed (generated accounts are lazy). */
export interface AccountSeed {
  readonly authId: string;
  readonly token: string;
  /** Where the account was defined, for messages: a file name or "generated #N (seed S)". */
  readonly origin: string;
  readonly data: () => AccountData;
}

/** An account's state and everything derived from it once, so the request path only reads. */
export interface AccountState {
  readonly data: AccountData;
  /** The serialized Account body: rebuilt only when the account changes. */
  readonly body: Buffer;
  readonly expiresAt: number | null;
  readonly active: boolean;
  /** null when IP authentication is off. */
  readonly allowsIp: ((ip: string) => boolean) | null;
}

const digest = (token: string): Buffer => hash('sha256', token, 'buffer');

function deriveState(data: AccountData): AccountState {
  const rules = data.ip_auth_enabled ? compileIpRules(data.ip_whitelist_rules) : null;
  return {
    data,
    body: Buffer.from(serializeAccount(renderAccount(data))),
    expiresAt: data.auth_token_expire_time === null ? null : Date.parse(data.auth_token_expire_time),
    active: data.enabled && data.is_active,
    allowsIp: rules
      ? (ip) => {
          const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
          return isIPv4(v4) ? rules.check(v4, 'ipv4') : rules.check(ip, 'ipv6');
        }
      : null,
  };
}

export class StoredAccount {
  readonly authId: string;
  readonly origin: string;
  readonly #digest: Buffer;
  readonly #seed: AccountSeed;
  #state: AccountState | undefined;

  constructor(seed: AccountSeed) {
    this.authId = seed.authId;
    this.origin = seed.origin;
    this.#digest = digest(seed.token);
    this.#seed = seed;
  }

  /** Constant-time: compares fixed-length digests, so neither content nor length of the token leaks. */
  tokenMatches(token: string): boolean {
    return timingSafeEqual(digest(token), this.#digest);
  }

  get token(): string {
    return this.#seed.token;
  }

  get state(): AccountState {
    return (this.#state ??= deriveState(this.#seed.data()));
  }
}

const nobody = new StoredAccount({ authId: '', token: '\u0000', origin: '', data: () => { throw new Error('unreachable'); } });

export interface AccountStore extends Iterable<StoredAccount> {
  readonly size: number;
  get(authId: string): StoredAccount | undefined;
  /** The account whose credentials these are, or undefined; takes the same time whether or not authId exists. */
  authenticate(authId: string, token: string): StoredAccount | undefined;
}

/** The in-memory store. Seeds must have distinct auth ids (the loader checks). */
export function createMemoryStore(seeds: readonly AccountSeed[]): AccountStore {
  const accounts = new Map<string, StoredAccount>();
  for (const seed of seeds) accounts.set(seed.authId, new StoredAccount(seed));
  return {
    get size() {
      return accounts.size;
    },
    get: (authId) => accounts.get(authId),
    authenticate(authId, token) {
      const account = accounts.get(authId);
      const ok = (account ?? nobody).tokenMatches(token);
      return ok && account ? account : undefined;
    },
    [Symbol.iterator]: () => accounts.values(),
  };
}
