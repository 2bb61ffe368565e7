import type { Account } from '../domain/account.js';
import { accountObject, onVersionOf } from '../domain/derive.js';
import { KYC_CHECKS, kycCallsBlocked, kycOverall, kycRule, type SubAccountFacts } from '../domain/sub-accounts.js';
import { zMicros, offsetMicros } from '../domain/time.js';
import { AccountSchema } from '../schemas/account.js';
import {
  type Message,
  MessageSchema,
  type SubAccount,
  type SubAccountCreated,
  SubAccountCreatedSchema,
  type SubAccountList,
  SubAccountListSchema,
  SubAccountSchema,
  KycStatusResponseSchema,
  type KycVerification,
  KycVerificationSchema,
  type CinMatches,
  CinMatchesSchema,
  type DigilockerInitiated,
  DigilockerInitiatedSchema,
  type TokenPair,
  TokenPairSchema,
  type TokenRotated,
  TokenRotatedSchema,
} from '../schemas/sub-account.js';
import { serializer } from './serializer.js';

export const REDACTED = '<redacted>';

/** The sub-account object of a sub-account of `parent`; its token in clear only when `token` is given (the create answer). */
export function subAccountObject(parent: Account, sub: SubAccountFacts, token = REDACTED): SubAccount {
  const lastUsed = parent.subAccountLastUsed(sub);
  return {
    name: sub.name,
    email: sub.email,
    phone: sub.phone,
    description: sub.description,
    permissions: { ...sub.permissions },
    rate_limit: sub.rateLimit,
    id: sub.id,
    parent_account_id: String(parent.numericId),
    parent_auth_id: parent.authId,
    auth_id: sub.authId,
    auth_token: token,
    api_id: sub.apiId,
    email_verified: false,
    enabled: sub.enabled,
    created: zMicros(sub.createdAt).slice(0, 10),
    modified: zMicros(sub.updatedAt).slice(0, 10),
    is_active: sub.enabled,
    created_at: zMicros(sub.createdAt),
    updated_at: zMicros(sub.updatedAt),
    last_used: lastUsed === null ? null : zMicros(lastUsed),
    account: `/v1/Account/${parent.authId}/`,
    resource_uri: `/v1/Account/${parent.authId}/Subaccount/${sub.authId}/`,
  };
}

/** Memoized on the parent's version and its sub-accounts' use (last_used), which the version leaves alone. */
const byUse = new WeakMap<Account, Map<string, { version: number; use: number; body: Buffer }>>();

function onUse(parent: Account, key: string, make: () => string): Buffer {
  let known = byUse.get(parent);
  if (!known) byUse.set(parent, (known = new Map()));
  const hit = known.get(key);
  if (hit && hit.version === parent.version && hit.use === parent.useVersion) return hit.body;
  // A page or an item of each: bounded by what a client asks, so the memo holds the latest few.
  if (known.size >= 64) known.clear();
  const body = Buffer.from(make());
  known.set(key, { version: parent.version, use: parent.useVersion, body });
  return body;
}

/** GET .../sub-accounts/: a page of them, newest first; `activeOnly` leaves out disabled ones. */
export function subAccountListBody(parent: Account, page: number, size: number, activeOnly: boolean): Buffer {
  return onUse(parent, `list:${page}:${size}:${activeOnly}`, () => {
    const all = parent.subAccounts().filter((s) => !activeOnly || s.enabled).reverse();
    const items = all.slice((page - 1) * size, page * size).map((s) => subAccountObject(parent, s));
    return serializer<SubAccountList>(SubAccountListSchema)({ sub_accounts: items, total: all.length, page, size });
  });
}

/** GET .../sub-accounts/{sub_auth_id}. */
export function subAccountBody(parent: Account, sub: SubAccountFacts): Buffer {
  return onUse(parent, `item:${sub.authId}`, () => serializer<SubAccount>(SubAccountSchema)(subAccountObject(parent, sub)));
}

/** POST's answer: the only body that shows the token in clear. */
export function createdBody(parent: Account, sub: SubAccountFacts, tokens: SubAccountCreated['tokens']): string {
  return serializer<SubAccountCreated>(SubAccountCreatedSchema)({
    message: 'Sub-account created successfully',
    sub_account: subAccountObject(parent, sub, sub.token),
    auth_credentials: { auth_id: sub.authId, auth_token: sub.token },
    tokens,
  });
}

export const messageBody = (message: string): string => serializer<Message>(MessageSchema)({ message });

/**
 * GET /api/v1/auth/me with a sub-account's credentials: the Account object of its parent (the plan, limits,
 * pricing and features it works under) with the sub-account's own identity, so every SDK's Account model reads it.
 */
export function subAccountMeBody(parent: Account, sub: SubAccountFacts): Buffer {
  return onVersionOf(parent, 'body:me', sub.authId, () =>
    Buffer.from(
      serializer(AccountSchema)({
        ...accountObject(parent),
        id: sub.id,
        api_id: sub.apiId,
        name: sub.name,
        email: sub.email ?? '',
        phone: sub.phone ?? '',
        description: sub.description,
        auth_id: sub.authId,
        enabled: sub.enabled,
        is_active: sub.enabled,
        created_at: offsetMicros(sub.createdAt),
        updated_at: offsetMicros(sub.updatedAt),
      }),
    ),
  );
}

/** GET /api/v1/sub-accounts/{sub_auth_id}/kyc/status. */
export function kycStatusBody(sub: SubAccountFacts): string {
  const considered = kycRule(sub.businessType).considered;
  return serializer(KycStatusResponseSchema)({
    sub_account_id: sub.authId,
    kyc_mode: sub.kycMode,
    business_type: sub.businessType,
    overall_status: kycOverall(sub),
    kyc_calls_blocked: kycCallsBlocked(sub),
    verifications: Object.fromEntries(
      KYC_CHECKS.map((check) => [check, sub.kycMode === 'personal_use' ? 'not_required' : considered.includes(check) ? sub.kyc[check] : 'not_required']),
    ),
  });
}

/** A test-mode verification's answer. */
export const kycVerificationBody = (check: KycVerification['verification_type'], status: KycVerification['status'], blocked: boolean, mock: boolean): string =>
  serializer<KycVerification>(KycVerificationSchema)({ verification_type: check, status, kyc_calls_blocked: blocked, mock });

export const cinMatchesBody = (matches: CinMatches['matches']): string => serializer<CinMatches>(CinMatchesSchema)({ matches });

export const digilockerInitiatedBody = (authUrl: string, accessRequestId: string): string =>
  serializer<DigilockerInitiated>(DigilockerInitiatedSchema)({ auth_url: authUrl, access_request_id: accessRequestId });

export const tokenPairBody = (pair: TokenPair): string => serializer<TokenPair>(TokenPairSchema)(pair);

export const tokenRotatedBody = (authId: string, token: string): string => serializer<TokenRotated>(TokenRotatedSchema)({ message: 'Auth token rotated', auth_id: authId, auth_token: token });
