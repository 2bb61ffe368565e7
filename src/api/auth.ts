import type { IncomingHttpHeaders } from 'node:http';
import { Failure, type Scheme } from './operation.js';
import { verifyBearer } from '../domain/bearer.js';
import { access } from '../domain/derive.js';
import { type AccountStore, type StoredAccount, SubPrincipal } from '../domain/store.js';

const inactive = new Failure('ACCOUNT_INACTIVE');

/** The INVALID_CREDENTIALS failure of an endpoint, naming what it accepts. */
export function invalidCredentialsFor(schemes: readonly Scheme[]): Failure {
  const ways = ['X-Auth-ID and X-Auth-Token'];
  if (schemes.includes('basic')) ways.push('HTTP Basic auth_id:auth_token');
  if (schemes.includes('bearer')) ways.push('Authorization: Bearer <token>');
  return new Failure('INVALID_CREDENTIALS', `Invalid or missing credentials: send ${ways.join(', or ')}`);
}

/** The user name of an HTTP Basic Authorization header (its auth_id), for the journal; never the password. */
export function basicUser(header: string | undefined): string | undefined {
  const m = typeof header === 'string' ? /^\s*basic\s+(\S+)/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(0, colon);
}

/** Whose credentials a pair is: a sub-account's (SA_...) or an account's. */
const byPair = (store: AccountStore, authId: string, token: string): StoredAccount | SubPrincipal | undefined =>
  authId.startsWith('SA_') ? store.authenticateSub(authId, token) : store.authenticate(authId, token);

function fromBasic(store: AccountStore, value: string): StoredAccount | SubPrincipal | undefined {
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : byPair(store, decoded.slice(0, colon), decoded.slice(colon + 1));
}

/**
 * The account a request's credentials name, or the failure to answer. The X-Auth-ID / X-Auth-Token pair decides
 * whenever either header is present, so the placeholder Bearer the Python, Node and PHP SDKs send beside it
 * never matters; otherwise an Authorization header of a scheme the endpoint accepts (Basic, Bearer) is tried.
 * Then token expiry (for the pair and Basic), account state and the IP whitelist. Shared by every operation.
 */
export function authorize(
  schemes: readonly Scheme[],
  invalid: Failure,
  store: AccountStore,
  now: number,
  headers: IncomingHttpHeaders,
  ip: string | undefined,
): StoredAccount | SubPrincipal | Failure {
  const authId = headers['x-auth-id'];
  const token = headers['x-auth-token'];
  let account: StoredAccount | SubPrincipal | undefined;
  let bearer = false;
  if (authId !== undefined || token !== undefined) {
    account = typeof authId === 'string' && typeof token === 'string' ? byPair(store, authId, token) : undefined;
  } else if (schemes.length > 1) {
    const authorization = headers.authorization ?? '';
    const space = authorization.indexOf(' ');
    const scheme = authorization.slice(0, space).toLowerCase();
    const value = authorization.slice(space + 1).trim();
    if (scheme === 'basic' && schemes.includes('basic')) account = fromBasic(store, value);
    else if (scheme === 'bearer' && schemes.includes('bearer')) {
      account = store.authenticateBearer(value, now);
      bearer = true;
    }
  }
  return account ? admit(account, bearer, now, ip) : invalid;
}

/**
 * The account or sub-account a refresh token (`Authorization: Bearer`) was issued for, admitted as any other
 * credential is (POST /api/v1/auth/refresh).
 */
export function authorizeRefresh(invalid: Failure, store: AccountStore, now: number, authorization: string | undefined, ip: string | undefined): StoredAccount | SubPrincipal | Failure {
  const m = typeof authorization === 'string' ? /^\s*bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  const subject = m ? verifyBearer(m[1]!, now, true) : undefined;
  const found = subject === undefined ? undefined : subject.startsWith('SA_') ? store.subAccount(subject) : store.get(subject);
  return found ? admit(found, true, now, ip) : invalid;
}

/**
 * Whoever the credentials named, if their state lets them in. A sub-account's work while it and its parent are
 * enabled, the parent's IP whitelist applying to it too (the parent's token expiry is not the sub-account's).
 */
function admit(principal: StoredAccount | SubPrincipal, bearer: boolean, now: number, ip: string | undefined): StoredAccount | SubPrincipal | Failure {
  if (principal instanceof SubPrincipal) {
    if (!principal.sub.enabled) return new Failure('ACCOUNT_INACTIVE', `Sub-account ${principal.sub.authId} is disabled`);
    return checkAccount(principal.parent, true, now, ip) ?? principal;
  }
  return checkAccount(principal, bearer, now, ip) ?? principal;
}

/** An account's own state: token expiry (for the pair and Basic), enabled, and its IP whitelist. */
function checkAccount(account: StoredAccount, bearer: boolean, now: number, ip: string | undefined): Failure | undefined {
  const facts = account.account;
  const { expiresAt, active, allowsIp } = access(facts);
  if (!bearer && expiresAt !== null && expiresAt <= now) {
    return new Failure('TOKEN_EXPIRED', `Auth token expired at ${facts.profile.auth_token_expire_time}`);
  }
  if (!active) return inactive;
  if (allowsIp && !allowsIp(ip ?? '')) {
    return new Failure('IP_NOT_WHITELISTED', `Client IP address ${ip} is not allowed by the account IP whitelist`);
  }
  return undefined;
}
