import { Type } from '@sinclair/typebox';
import { bearerToken } from '../domain/bearer.js';
import { TokenPairSchema, TokenRotatedSchema } from '../schemas/sub-account.js';
import { tokenPairBody, tokenRotatedBody } from '../views/sub-accounts.js';
import { envelopeResponse, internalError, response } from './docs.js';
import type { Env, Operation } from './operation.js';

/**
 * The token calls of the token-authentication page, for main accounts and sub-accounts alike: a Bearer pair
 * refreshed with its refresh token, and an X-Auth-Token rotated (the old one is 401 at once).
 */

export const ACCESS_SECONDS = 1800;
export const REFRESH_SECONDS = 7 * 86_400;

/** A new Bearer pair for an account or sub-account, by the namespace clock. */
export function tokenPair(authId: string, env: Env) {
  const now = env.now();
  return {
    access_token: bearerToken(authId, { expiresAt: now + ACCESS_SECONDS * 1000 }),
    refresh_token: bearerToken(authId, { expiresAt: now + REFRESH_SECONDS * 1000, refresh: true }),
    token_type: 'bearer' as const,
    expires_in: ACCESS_SECONDS,
  };
}

const pairExample = { access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...', refresh_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...', token_type: 'bearer', expires_in: ACCESS_SECONDS };

export const refreshTokens: Operation = {
  method: 'POST',
  routes: [{ url: '/api/v1/auth/refresh', operationId: 'refreshTokens' }],
  auth: ['bearer'],
  credential: 'refresh-token',
  subAccounts: true,
  errorStyle: 'envelope',
  doc: {
    tags: ['Tokens'],
    summary: 'Refresh a Bearer pair',
    description: 'With a refresh token as `Authorization: Bearer` (from a sub-account create answer, or minted with the published key): a new access token (30 minutes) and refresh token (7 days). No body.',
    responses: {
      200: response('A new pair', Type.Ref(TokenPairSchema), { SA_SUPPORT1: pairExample }),
      401: envelopeResponse('No refresh token, a bad or expired one, or one of an account that is gone (INVALID_CREDENTIALS)', ['INVALID_CREDENTIALS', 'Invalid or missing credentials: send Authorization: Bearer <refresh token>']),
      403: envelopeResponse('A disabled account or sub-account, or a refused client IP', ['ACCOUNT_INACTIVE'], ['IP_NOT_WHITELISTED', 'Client IP address 198.51.100.7 is not allowed by the account IP whitelist']),
      500: internalError,
    },
  },
  handle: (account, _request, env, sub) => ({ status: 200, body: tokenPairBody(tokenPair(sub?.authId ?? account.authId, env)) }),
};

export const rotateAuthToken: Operation = {
  method: 'POST',
  routes: [{ url: '/api/v1/auth-token/rotate', operationId: 'rotateAuthToken' }],
  auth: ['pair'],
  subAccounts: true,
  errorStyle: 'envelope',
  doc: {
    tags: ['Tokens'],
    summary: 'Rotate the X-Auth-Token',
    description: "A new X-Auth-Token for the caller (a main account's pair, or a sub-account's): it works at once, and the old one is 401 from then on. No body.",
    responses: {
      200: response('The new token', Type.Ref(TokenRotatedSchema), { MA_POSTPAID: { message: 'Auth token rotated', auth_id: 'MA_POSTPAID', auth_token: '9f1c2b7e4d5a6f80a1b2c3d4e5f60718' } }),
      401: envelopeResponse('Missing or invalid credentials (INVALID_CREDENTIALS)', ['INVALID_CREDENTIALS']),
      403: envelopeResponse('An inactive account or a refused client IP', ['ACCOUNT_INACTIVE'], ['IP_NOT_WHITELISTED', 'Client IP address 198.51.100.7 is not allowed by the account IP whitelist']),
      500: internalError,
    },
  },
  handle(account, _request, env, sub) {
    const token = env.store.newId().replace(/-/g, '');
    if (sub) account.updateSubAccount(sub.authId, { token }, env.now() * 1000, false);
    else env.store.get(account.authId)!.replaceToken(token);
    return { status: 200, body: tokenRotatedBody(sub?.authId ?? account.authId, token) };
  },
};
