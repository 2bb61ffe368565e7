import type { IncomingHttpHeaders } from 'node:http';
import { errorBody, invalidCredentials } from './errors.js';
import type { ErrorCode } from './schemas/error.js';
import { type AccountStore, StoredAccount } from './store/account-store.js';

/** Why a request was refused: the credentials themselves, or a catalogue error about a valid pair. */
export type Refusal = { readonly code: 'INVALID_CREDENTIALS' } | { readonly code: ErrorCode; readonly message?: string };

const badPair: Refusal = { code: 'INVALID_CREDENTIALS' };

/**
 * The X-Auth-ID / X-Auth-Token pair decides; any Authorization header is ignored (the Python, Node and PHP
 * SDKs send a placeholder Bearer on every call). Credentials first, then token expiry, then account state,
 * then the IP whitelist. Shared by the Fastify route and the fast path, so both answer alike.
 */
export function authenticate(store: AccountStore, now: number, headers: IncomingHttpHeaders, ip: string | undefined): StoredAccount | Refusal {
  const authId = headers['x-auth-id'];
  const token = headers['x-auth-token'];
  const account = typeof authId === 'string' && typeof token === 'string' ? store.authenticate(authId, token) : undefined;
  if (!account) return badPair;
  const state = account.state;
  if (state.expiresAt !== null && state.expiresAt <= now) {
    return { code: 'TOKEN_EXPIRED', message: `Auth token expired at ${state.data.auth_token_expire_time}` };
  }
  if (!state.active) return { code: 'ACCOUNT_INACTIVE' };
  if (state.allowsIp && !state.allowsIp(ip ?? '')) {
    return { code: 'IP_NOT_WHITELISTED', message: `Client IP address ${ip} is not allowed by the account IP whitelist` };
  }
  return account;
}

export const isAccount = (result: StoredAccount | Refusal): result is StoredAccount => result instanceof StoredAccount;

// A string, not a Buffer: Node then sends a small body in one write with the headers, not a writev of two.
const badPairResponse = { status: invalidCredentials.status, body: JSON.stringify(invalidCredentials.body) } as const;

/** The status and body a refusal is sent with. */
export function refusalResponse(refusal: Refusal, requestId: string, now: number): { readonly status: number; readonly body: string } {
  if (refusal === badPair) return badPairResponse;
  return errorBody(refusal.code as ErrorCode, requestId, now, 'message' in refusal ? refusal.message : undefined);
}
