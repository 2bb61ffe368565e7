import { Type } from '@sinclair/typebox';

/**
 * The official Python SDK's account model as the facts sheet (§2.1, §2.3) reads it: pydantic with
 * extra="forbid" at every level, non-null strings where it types `str`, whole numbers where it types
 * `int`, nullable only where it types Optional. Not the emulator's schema: an independent, stricter
 * client, so a body that passes here parses in the strictest official SDK.
 */
const str = Type.String();
const int = Type.Integer();
const bool = Type.Boolean();
const optionalAny = Type.Unknown();

const closed = { additionalProperties: false } as const;

export const PythonSdkPricingTier = Type.Object(
  {
    id: str,
    name: str,
    description: str,
    currency: str,
    rate_per_minute: Type.Number(),
    billing_increment_seconds: int,
    minimum_duration_seconds: int,
    is_active: bool,
    is_default: bool,
  },
  closed,
);

export const PythonSdkAccount = Type.Object(
  {
    type: str,
    id: str,
    api_id: str,
    name: str,
    email: str,
    phone: str,
    description: str,
    auth_id: str,
    auth_secret: str,
    auth_token_expire_time: optionalAny,
    country: str,
    timezone: str,
    city: str,
    state: str,
    address: str,
    zip_code: str,
    company: str,
    account_type: str,
    postpaid: bool,
    auto_recharge: bool,
    auto_recharge_config: optionalAny,
    enabled: bool,
    carrier_type: optionalAny,
    customer_type: optionalAny,
    credit_limit: int,
    cps_limit: int,
    concurrent_calls_limit: int,
    base_cps_limit: int,
    base_concurrent_calls_limit: int,
    purchased_cps: int,
    purchased_concurrent_calls: int,
    risk_rating: int,
    risk_status: optionalAny,
    features: Type.Object({ call_queue: bool }, closed),
    ip_auth_enabled: bool,
    ip_whitelist_rules: Type.Record(Type.String(), Type.Unknown()),
    allow_aws_ips: bool,
    role: str,
    is_active: bool,
    is_verified: bool,
    is_trial_account: bool,
    created_at: str,
    updated_at: str,
    last_login: str,
    pricing_tier_id: str,
    pricing_tier: PythonSdkPricingTier,
  },
  closed,
);
