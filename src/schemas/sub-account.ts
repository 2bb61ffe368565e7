import { type Static, Type } from '@sinclair/typebox';
import { Expected } from './expectation.js';
import { AuthTokenString, Nullable, StringEnum } from './helpers.js';

export const BUSINESS_TYPES = ['individual', 'proprietorship', 'private_limited', 'llp', 'partnership', 'public_limited', 'trust', 'society', 'huf', 'government'] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];
export type KycMode = 'personal_use' | 'customer_use';
/** A KYC verification's state, and the sub-account's overall one. */
export type KycStatus = 'not_started' | 'pending' | 'verified' | 'failed';
/** The verifications of the KYC flow (Aadhaar through DigiLocker), in the order the status call shows them. */
export const KYC_CHECKS = ['pan', 'gst', 'aadhaar', 'cin'] as const;
export type KycCheck = (typeof KYC_CHECKS)[number];

const KycModeSchema = StringEnum(['personal_use', 'customer_use'] as const, { description: 'personal_use: calls at once. customer_use: calls blocked until its KYC is verified.' });
const BusinessTypeSchema = StringEnum(BUSINESS_TYPES, { description: 'The legal form KYC verifies (customer_use).' });
const KycStatusSchema = StringEnum(['not_started', 'pending', 'verified', 'failed'] as const);

export const PermissionsSchema = Type.Object(
  {
    calls: Type.Optional(Type.Boolean({ description: 'May place and receive calls.' })),
    cdr: Type.Optional(Type.Boolean({ description: 'May read its call records.' })),
  },
  { additionalProperties: false, description: 'What the sub-account may do: {"calls": true, "cdr": true} when not given (never null: the Java SDK cannot read a null here).' },
);

const SubAccountAuthId = Type.String({ pattern: '^SA_[A-Z0-9]{8}$', [Expected]: 'SA_ and 8 of A-Z 0-9', description: "The sub-account's X-Auth-ID: SA_ and 8 characters." });

/**
 * The sub-account object, with exactly the fields (in the order, and of the types) the official SDKs' models
 * declare: the Python SDK forbids any other key, so the newest documentation's kyc_mode, business_type and
 * kyc_calls_blocked live behind the KYC status call instead (see docs/fidelity.md).
 */
export const SubAccountSchema = Type.Object(
  {
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    description: Nullable(Type.String()),
    permissions: PermissionsSchema,
    rate_limit: Type.Integer({ description: 'Requests per minute it may make (stored and shown; not enforced: docs/sub-accounts.md).' }),
    id: Type.String({ description: 'Numeric id, as a string of digits; not the credential.' }),
    parent_account_id: Type.String({ description: "The parent's numeric id." }),
    parent_auth_id: Type.String({ description: "The parent's auth_id (MA_...)." }),
    auth_id: Type.String({ description: 'SA_ and 8 characters: its own X-Auth-ID.' }),
    auth_token: Type.String({ description: 'Its X-Auth-Token in the create answer; "<redacted>" everywhere else.' }),
    api_id: Type.String({ format: 'uuid' }),
    email_verified: Type.Boolean(),
    enabled: Type.Boolean(),
    created: Type.String({ description: 'The day it was made (YYYY-MM-DD).' }),
    modified: Type.String({ description: 'The day it last changed (YYYY-MM-DD).' }),
    is_active: Type.Boolean({ description: 'Whether its credentials work: the same as enabled.' }),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    last_used: Nullable(Type.String({ format: 'date-time' }), { description: 'When its credentials last authenticated a request; null when never.' }),
    account: Type.String({ description: "The parent's resource path: /v1/Account/{parent_auth_id}/." }),
    resource_uri: Type.String({ description: 'Its resource path: /v1/Account/{parent_auth_id}/Subaccount/{auth_id}/.' }),
  },
  { $id: 'SubAccount', additionalProperties: false },
);
export type SubAccount = Static<typeof SubAccountSchema>;

export const SubAccountListSchema = Type.Object(
  {
    sub_accounts: Type.Array(Type.Ref(SubAccountSchema), { description: 'Newest first.' }),
    total: Type.Integer({ description: 'How many match (all pages).' }),
    page: Type.Integer(),
    size: Type.Integer(),
  },
  { $id: 'SubAccountList', additionalProperties: false },
);
export type SubAccountList = Static<typeof SubAccountListSchema>;

/** A Bearer pair: the create answer's `tokens`, and POST /api/v1/auth/refresh's answer. */
export const TokenPairSchema = Type.Object(
  {
    access_token: Type.String({ description: 'A Bearer token (JWT), for 30 minutes of the namespace clock.' }),
    refresh_token: Type.String({ description: 'Gives a new pair at POST /api/v1/auth/refresh, for 7 days.' }),
    token_type: Type.Literal('bearer'),
    expires_in: Type.Integer({ description: 'Seconds the access token lives: 1800.' }),
  },
  { $id: 'TokenPair', additionalProperties: false },
);
export type TokenPair = Static<typeof TokenPairSchema>;

/** POST /api/v1/auth-token/rotate's answer: the caller's new X-Auth-Token (the old one is 401 from then on). */
export const TokenRotatedSchema = Type.Object(
  { message: Type.String(), auth_id: Type.String(), auth_token: Type.String() },
  { $id: 'TokenRotated', additionalProperties: false },
);
export type TokenRotated = Static<typeof TokenRotatedSchema>;

export const SubAccountCreatedSchema = Type.Object(
  {
    message: Type.String(),
    sub_account: Type.Ref(SubAccountSchema),
    auth_credentials: Type.Object({ auth_id: Type.String(), auth_token: Type.String() }, { additionalProperties: false }),
    tokens: Type.Ref(TokenPairSchema),
  },
  { $id: 'SubAccountCreated', additionalProperties: false },
);
export type SubAccountCreated = Static<typeof SubAccountCreatedSchema>;

export const MessageSchema = Type.Object({ message: Type.String() }, { $id: 'Message', additionalProperties: false });
export type Message = Static<typeof MessageSchema>;

const Name = Type.String({ minLength: 1, maxLength: 255, [Expected]: 'a name of 1 to 255 characters' });
const Email = Type.String({ format: 'email', maxLength: 254, [Expected]: 'an email address' });
const Text = (max: number) => Type.String({ maxLength: max, [Expected]: `a string of at most ${max} characters` });
const RateLimit = Type.Integer({ minimum: 1, maximum: 1_000_000, [Expected]: 'a whole number of requests from 1 to 1000000' });

/** The create call's body: only `name` is required (and `email` for customer_use, checked beside the schema). */
export const CreateSubAccountRequestSchema = Type.Object(
  {
    name: Name,
    email: Type.Optional(Email),
    phone: Type.Optional(Text(32)),
    description: Type.Optional(Text(1000)),
    rate_limit: Type.Optional(RateLimit),
    permissions: Type.Optional(PermissionsSchema),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128, [Expected]: 'a password of 1 to 128 characters', description: 'A console login password: checked, never stored or shown.' })),
    enabled: Type.Optional(Type.Boolean()),
    kyc_mode: Type.Optional(KycModeSchema),
    business_type: Type.Optional(BusinessTypeSchema),
  },
  { $id: 'CreateSubAccountRequest', additionalProperties: false },
);
export type CreateSubAccountRequest = Static<typeof CreateSubAccountRequestSchema>;

/** The update call's body: any of these, the others unchanged. */
export const UpdateSubAccountRequestSchema = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    phone: Type.Optional(Text(32)),
    description: Type.Optional(Text(1000)),
    rate_limit: Type.Optional(RateLimit),
    permissions: Type.Optional(PermissionsSchema),
    enabled: Type.Optional(Type.Boolean()),
    kyc_mode: Type.Optional(KycModeSchema),
  },
  { $id: 'UpdateSubAccountRequest', additionalProperties: false },
);
export type UpdateSubAccountRequest = Static<typeof UpdateSubAccountRequestSchema>;

/** GET /api/v1/sub-accounts/{sub_auth_id}/kyc/status. */
export const KycStatusResponseSchema = Type.Object(
  {
    sub_account_id: Type.String(),
    kyc_mode: KycModeSchema,
    business_type: Nullable(BusinessTypeSchema as never),
    overall_status: KycStatusSchema,
    kyc_calls_blocked: Type.Boolean(),
    verifications: Type.Object(Object.fromEntries(KYC_CHECKS.map((check) => [check, StringEnum(['not_started', 'pending', 'verified', 'failed', 'not_required'] as const)])), {
      additionalProperties: false,
      description: 'Each verification: not_required when the business type does not need it (individual, proprietorship, huf: PAN and Aadhaar; the others: PAN and GST or CIN).',
    }),
  },
  { $id: 'KycStatus', additionalProperties: false },
);

/** A test-mode KYC call's answer. */
export const KycVerificationSchema = Type.Object(
  {
    verification_type: StringEnum(KYC_CHECKS),
    status: KycStatusSchema,
    kyc_calls_blocked: Type.Boolean({ description: "The sub-account's calls are blocked after this outcome." }),
    mock: Type.Boolean({ description: 'true in test mode; false on the KYC calls (which this emulator answers without a provider too).' }),
  },
  { $id: 'KycVerification', additionalProperties: false },
);
export type KycVerification = Static<typeof KycVerificationSchema>;

/** A sub-account in a fixture file (and a snapshot), under its parent. */
export const SubAccountFixtureSchema = Type.Object(
  {
    auth_id: SubAccountAuthId,
    auth_token: AuthTokenString({ description: "The sub-account's X-Auth-Token." }),
    id: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', [Expected]: 'a string of 1 to 15 digits' })),
    api_id: Type.Optional(Type.String({ format: 'uuid', [Expected]: 'a UUID' })),
    name: Name,
    email: Type.Optional(Nullable(Email)),
    phone: Type.Optional(Nullable(Text(32))),
    description: Type.Optional(Nullable(Text(1000))),
    permissions: Type.Optional(PermissionsSchema),
    rate_limit: Type.Optional(RateLimit),
    enabled: Type.Optional(Type.Boolean()),
    kyc_mode: Type.Optional(KycModeSchema),
    business_type: Type.Optional(Nullable(BusinessTypeSchema as never)),
    kyc: Type.Optional(Type.Object(Object.fromEntries(KYC_CHECKS.map((check) => [check, Type.Optional(KycStatusSchema)])), { additionalProperties: false })),
    kyc_pending_as: Type.Optional(
      Type.Object(Object.fromEntries(KYC_CHECKS.map((check) => [check, Type.Optional(StringEnum(['verified', 'failed'] as const))])), {
        additionalProperties: false,
        description: 'What finalize-pending makes of a pending verification (test mode).',
      }),
    ),
    created_at: Type.Optional(Type.String({ format: 'date-time', [Expected]: 'an RFC 3339 date-time' })),
    updated_at: Type.Optional(Type.String({ format: 'date-time', [Expected]: 'an RFC 3339 date-time' })),
    last_used: Type.Optional(Nullable(Type.String({ format: 'date-time', [Expected]: 'an RFC 3339 date-time' }))),
  },
  { additionalProperties: false },
);
export type SubAccountFixture = Static<typeof SubAccountFixtureSchema>;

/** Test mode's CIN search: deterministic matches, whatever the name. */
export const CinMatchesSchema = Type.Object(
  { matches: Type.Array(Type.Object({ cin: Type.String(), company_name: Type.String(), status: Type.String() }, { additionalProperties: false })) },
  { $id: 'CinMatches', additionalProperties: false },
);
export type CinMatches = Static<typeof CinMatchesSchema>;

/** DigiLocker initiate: where to send the customer, and the id to verify the consent with. */
export const DigilockerInitiatedSchema = Type.Object(
  { auth_url: Type.String({ format: 'uri' }), access_request_id: Type.String() },
  { $id: 'DigilockerInitiated', additionalProperties: false },
);
export type DigilockerInitiated = Static<typeof DigilockerInitiatedSchema>;
