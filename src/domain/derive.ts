import { type Account as AccountObject, type AccountData, derivedAccountValues } from '../schemas/account.js';
import type { Account, Memoized } from './account.js';
import { ipMatcher } from './ip.js';
import { MICROS } from './money.js';

/**
 * What follows from an account's facts, by plain functions: its stored fields and the documented Account
 * object, its limits, its balances, its concurrency, what its credentials allow. Each is computed when first
 * asked after a change and kept until the next (onVersion), never stored beside the facts.
 */

/** `make()` for an account, computed once per version of it: derivations and views share the account's memo. */
export function onVersion<T>(account: Account, key: string, make: () => T): T {
  return memoized(account, account.memo, key, make);
}

/**
 * onVersion for a member of a family (a currency's balance, a sub-account's body), told apart by `part` without a
 * key string made per request; a family has one member per currency or sub-account the account holds.
 */
export function onVersionOf<T>(account: Account, family: string, part: string, make: () => T): T {
  let members = account.memoFamilies.get(family);
  if (!members) account.memoFamilies.set(family, (members = new Map()));
  return memoized(account, members, part, make);
}

function memoized<T>(account: Account, memo: Map<string, Memoized>, key: string, make: () => T): T {
  const hit = memo.get(key);
  if (hit !== undefined && hit.version === account.version) return hit.value as T;
  const value = make();
  memo.set(key, { version: account.version, value });
  return value;
}

/** The stored Account fields: the profile, with purchased_* from the base purchase and the subscriptions. */
export function accountData(account: Account): AccountData {
  return onVersion(account, 'data', () => {
    const { cps, concurrent_calls } = account.purchased;
    return { ...account.profile, purchased_cps: cps, purchased_concurrent_calls: concurrent_calls };
  });
}

/** The documented Account object (GET /api/v1/auth/me): the stored fields and the derived ones. */
export function accountObject(account: Account): AccountObject {
  return onVersion(account, 'object', () => {
    const data = accountData(account);
    return { ...data, ...derivedAccountValues(data) };
  });
}

/** concurrent_calls_limit: the base limit and what was bought. */
export const concurrentCallsLimit = (account: Account): number => account.profile.base_concurrent_calls_limit + account.purchased.concurrent_calls;

/** cps_limit: the base limit and what was bought. */
export const cpsLimit = (account: Account): number => account.profile.base_cps_limit + account.purchased.cps;

/** Calls in progress against the limit. */
export function concurrency(account: Account): { readonly concurrent: number; readonly max: number; readonly pct: number } {
  const concurrent = account.liveCalls;
  const max = concurrentCallsLimit(account);
  return { concurrent, max, pct: max === 0 ? 0 : Math.round((100 * concurrent) / max) };
}

/** A balance's figures: the completed entries' sum, what is available, its credit and its latest change. */
export interface BalanceFigures {
  /** Micro-units. */
  readonly balance: number;
  readonly available: number;
  /** Units: the account's credit_limit in its tier's currency, 0 in others. */
  readonly creditLimit: number;
  readonly updatedAt: string;
}

export function balanceFigures(account: Account, currency: string): BalanceFigures | undefined {
  const settings = account.balances.get(currency);
  if (!settings) return undefined;
  const ledger = account.ledger;
  const balance = ledger.balance(currency);
  const newest = ledger.newest(currency);
  const profile = account.profile;
  return {
    balance,
    available: balance - settings.reservedFunds * MICROS,
    creditLimit: currency === profile.pricing_tier.currency ? profile.credit_limit : 0,
    updatedAt: newest && newest.at > settings.updatedAtMicros ? newest.createdAt : settings.updatedAt,
  };
}

/** What an account's profile says of its credentials: when its token expires, whether it may call, from where. */
export interface Access {
  /** Epoch ms; null when the token does not expire. */
  readonly expiresAt: number | null;
  readonly active: boolean;
  /** null when IP authentication is off. */
  readonly allowsIp: ((ip: string) => boolean) | null;
}

export function access(account: Account): Access {
  return onVersion(account, 'access', () => {
    const p = account.profile;
    return {
      expiresAt: p.auth_token_expire_time === null ? null : Date.parse(p.auth_token_expire_time),
      active: p.enabled && p.is_active,
      allowsIp: p.ip_auth_enabled ? ipMatcher(p.ip_whitelist_rules) : null,
    };
  });
}
