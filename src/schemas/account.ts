import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './helpers.js';
import { Int, INT_MAX } from './numbers.js';
import { PricingTierSchema } from './pricing-tier.js';

const Timestamp = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });

/**
 * The Account object returned by `GET /api/v1/auth/me`, in the order of the documentation's example.
 * Where the documentation versions disagree, this follows the newest (see docs/fidelity.md).
 */
export const AccountSchema = Type.Object(
  {
    type: Type.Literal('account', { description: 'Object type discriminator. Always "account".' }),
    id: Type.String({ description: 'Internal numeric account identifier (e.g. "500000"); not the credential.' }),
    api_id: Type.String({ format: 'uuid', description: 'Internal API reference identifier (UUID).' }),
    name: Type.String({ description: 'Name of the account or company.' }),
    email: Type.String({ format: 'email', description: 'Email address associated with the account.' }),
    phone: Type.String({ description: 'Primary phone number for the account.' }),
    description: Nullable(Type.String(), { description: 'Optional description or notes for the account.' }),
    auth_id: Type.String({ description: 'Authentication ID used for API requests (the X-Auth-ID header).' }),
    auth_secret: Type.Literal('<redacted>', { description: 'Never revealed by this endpoint: always "<redacted>".' }),
    auth_token_expire_time: Nullable(Timestamp(), { description: 'When the current auth token expires; null when it does not.' }),
    country: Type.String({ description: 'Country code of the account location.' }),
    timezone: Type.String({ description: 'Local timezone of the account (e.g. "Asia/Kolkata").' }),
    city: Type.String(),
    state: Type.String(),
    address: Type.String(),
    zip_code: Type.String(),
    company: Type.String({ description: 'Full legal name of the company.' }),
    account_type: Type.String({ description: 'Plan/category label for the account (e.g. "standard").' }),
    postpaid: Type.Boolean({ description: 'true for postpaid billing, false for prepaid: the authoritative billing flag.' }),
    auto_recharge: Type.Boolean({ description: 'Whether auto-recharge is enabled (prepaid accounts).' }),
    auto_recharge_config: Nullable(Type.Object({}, { additionalProperties: true }), {
      description: 'Auto-recharge configuration (trigger threshold, top-up amount); null when unset.',
    }),
    enabled: Type.Boolean({ description: 'Whether the account is enabled for service.' }),
    carrier_type: Nullable(Type.String(), { description: 'Type of carrier service.' }),
    customer_type: Nullable(Type.String(), { description: 'Type of customer.' }),
    credit_limit: Int({ description: 'Maximum credit for postpaid accounts; 0 for prepaid.' }),
    cps_limit: Int({ description: 'Effective calls per second: base_cps_limit + purchased_cps.' }),
    concurrent_calls_limit: Int({
      description: 'Effective concurrent calls: base_concurrent_calls_limit + purchased_concurrent_calls.',
    }),
    base_cps_limit: Int(),
    base_concurrent_calls_limit: Int(),
    purchased_cps: Int(),
    purchased_concurrent_calls: Int(),
    risk_rating: Int({ minimum: -INT_MAX - 1, description: 'Numeric risk assessment score.' }),
    risk_status: Nullable(Type.String(), { description: 'Current risk status.' }),
    features: Type.Object(
      { call_queue: Type.Boolean() },
      { additionalProperties: false, description: 'Enabled features.' },
    ),
    ip_auth_enabled: Type.Boolean({ description: 'Whether API access is restricted to ip_whitelist_rules.' }),
    ip_whitelist_rules: Type.Record(Type.String(), Type.String(), {
      description: 'Rule name to an IPv4/IPv6 address or CIDR block allowed for API access; {} when unset.',
    }),
    allow_aws_ips: Type.Boolean(),
    role: Type.String({ description: 'Role of the user associated with the account (e.g. "admin", "user").' }),
    is_active: Type.Boolean(),
    is_verified: Type.Boolean(),
    is_trial_account: Type.Boolean(),
    created_at: Timestamp('When the account was created.'),
    updated_at: Timestamp('When the account was last updated.'),
    last_login: Timestamp('The most recent login.'),
    pricing_tier_id: Type.String({ format: 'uuid' }),
    pricing_tier: Type.Ref(PricingTierSchema),
  },
  { $id: 'Account', additionalProperties: false, description: 'A Vobiz account, as returned by GET /api/v1/auth/me.' },
);

export type Account = Static<typeof AccountSchema>;

/** The documentation's postpaid example (the Account object page), as MA_POSTPAID answers it. */
export const accountExample: Account = {
  type: 'account',
  id: '500002',
  api_id: 'c2a1d3e4-5f6a-4b7c-9d8e-0f1a2b3c4d5e',
  name: 'John Doe',
  email: 'admin@example.com',
  phone: '+919876543210',
  description: '',
  auth_id: 'MA_POSTPAID',
  auth_secret: '<redacted>',
  auth_token_expire_time: null,
  country: 'IN',
  timezone: 'Asia/Kolkata',
  city: 'Bengaluru',
  state: 'KA',
  address: '123 Example Street, Bengaluru',
  zip_code: '560001',
  company: 'Acme Corp',
  account_type: 'standard',
  postpaid: true,
  auto_recharge: false,
  auto_recharge_config: null,
  enabled: true,
  carrier_type: null,
  customer_type: null,
  credit_limit: 1000,
  cps_limit: 61,
  concurrent_calls_limit: 46,
  base_cps_limit: 41,
  base_concurrent_calls_limit: 26,
  purchased_cps: 20,
  purchased_concurrent_calls: 20,
  risk_rating: 0,
  risk_status: null,
  features: {
    call_queue: true
  },
  ip_auth_enabled: false,
  ip_whitelist_rules: {},
  allow_aws_ips: false,
  role: 'user',
  is_active: true,
  is_verified: false,
  is_trial_account: false,
  created_at: '2026-01-19T18:39:14.529435+00:00',
  updated_at: '2026-05-11T13:31:06.283235+00:00',
  last_login: '2026-05-11T13:31:06.795577+00:00',
  pricing_tier_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  pricing_tier: {
    id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    name: 'Standard',
    description: 'Per-second billing in 15 s increments',
    currency: 'INR',
    rate_per_minute: 1.2,
    billing_increment_seconds: 15,
    minimum_duration_seconds: 15,
    is_active: true,
    is_default: false
  }
};


/** Fields the emulator derives rather than stores, so they can never disagree with their sources. */
export const derivedAccountFields = ['auth_secret', 'cps_limit', 'concurrent_calls_limit'] as const;

/** What the store keeps for an account: the wire object less its derived fields. */
export type AccountData = Omit<Account, (typeof derivedAccountFields)[number]>;

/** The derived fields' values, from the stored ones: the one place their rules are written. */
export function derivedAccountValues(data: AccountData): Pick<Account, (typeof derivedAccountFields)[number]> {
  return {
    auth_secret: '<redacted>',
    cps_limit: data.base_cps_limit + data.purchased_cps,
    concurrent_calls_limit: data.base_concurrent_calls_limit + data.purchased_concurrent_calls,
  };
}

export function renderAccount(data: AccountData): Account {
  return { ...data, ...derivedAccountValues(data) };
}
