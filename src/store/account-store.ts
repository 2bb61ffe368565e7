import { timingSafeEqual } from 'node:crypto';
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
  readonly body: string;
  readonly bodyLength: number;
  readonly expiresAt: number | null;
  readonly active: boolean;
  /** null when IP authentication is off. */
  readonly allowsIp: ((ip: string) => boolean) | null;
}

/**
 * Tokens are compared as zero-padded buffers one byte longer than the longest token a fixture may hold
 * (256 visible ASCII characters): equal content and equal length, or no match, in time that depends on
 * neither. A longer header fills the last byte, which a stored token never does.
 */
const PADDED = 257;
const scratch = Buffer.alloc(PADDED);

function padded(token: string): Buffer {
  return Buffer.alloc(PADDED).fill(token, 0, Math.min(token.length, PADDED), 'latin1');
}

function deriveState(data: AccountData): AccountState {
  // A string, not a Buffer: Node sends headers and body in one write instead of a writev of two.
  const body = serializeAccount(renderAccount(data));
  const rules = data.ip_auth_enabled ? compileIpRules(data.ip_whitelist_rules) : null;
  return {
    data,
    body,
    bodyLength: Buffer.byteLength(body),
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
    return (this.#state ??= deriveState(this.#seed.data()));
  }
}

// Compared against when the auth id is unknown, so an unknown id costs what a wrong token costs; a match
// against it still yields no account.
const nobody = new StoredAccount({ authId: '', token: '\u00ff'.repeat(PADDED), origin: '', data: () => { throw new Error('unreachable'); } });

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
