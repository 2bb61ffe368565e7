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

const num = Type.Number();
const dateTime = Type.String({ format: 'date-time' });

/** balance/types/get_balance_response.py (GetBalanceResponse). */
export const PythonSdkBalance = Type.Object(
  {
    id: str,
    account_id: str,
    currency: str,
    balance: num,
    reserved_funds: int,
    promotional_balance: int,
    promotional_reserved_balance: int,
    available_balance: num,
    credit_limit: int,
    is_postpaid: bool,
    credit_limit_type: str,
    low_balance_threshold: int,
    status: str,
    created_at: str,
    updated_at: str,
  },
  closed,
);

/** balance/types/list_transactions_response*.py (ListTransactionsResponse and its items). */
export const PythonSdkTransactionList = Type.Object(
  {
    transactions: Type.Array(
      Type.Object(
        {
          id: str,
          account_id: str,
          balance_id: str,
          type: str,
          amount: num,
          currency: str,
          description: str,
          reference: str,
          reference_type: Type.Optional(Type.Union([str, Type.Null()])),
          status: str,
          processed_at: str,
          created_at: str,
          updated_at: str,
        },
        closed,
      ),
    ),
    summary: Type.Object(
      {
        total_transactions: int,
        total_debit: num,
        total_credit: int,
        net_amount: num,
        by_reference_type: Type.Array(Type.Object({ reference_type: str, total_debit: num, total_credit: int, count: int }, closed)),
      },
      closed,
    ),
    total: int,
    page: int,
    per_page: int,
    total_pages: int,
  },
  closed,
);

/** account/types/get_concurrency_response.py (GetConcurrencyResponse). */
export const PythonSdkConcurrency = Type.Object(
  { account_id: str, concurrent_calls: int, max_concurrent: int, utilization_pct: int, request_id: str },
  closed,
);

const resourceType = Type.Union([Type.Literal('concurrent_calls'), Type.Literal('cps')]);

/** types/channel_pricing_preview.py (ChannelPricingPreview): breakdown is a list of free-form objects. */
export const PythonSdkChannelPricingPreview = Type.Object(
  { resource_type: resourceType, quantity: int, monthly_cost: str, currency: str, breakdown: Type.Array(Type.Record(Type.String(), Type.Unknown())) },
  closed,
);

/** types/channel_subscription.py (ChannelSubscription): account_id an int, the dates parsed as datetimes. */
export const PythonSdkChannelSubscription = Type.Object(
  {
    id: str,
    account_id: int,
    resource_type: resourceType,
    quantity: int,
    monthly_cost: str,
    currency: str,
    status: str,
    last_billing_date: dateTime,
    next_billing_date: dateTime,
    purchased_at: dateTime,
    cancelled_at: Type.Optional(Type.Union([dateTime, Type.Null()])),
    cancellation_reason: Type.Optional(Type.Union([str, Type.Null()])),
    is_active: bool,
    created_at: dateTime,
    updated_at: dateTime,
  },
  closed,
);

// The Python SDK's sub-account models (src/vobiz/sub_accounts/types/): extra keys forbidden at every level.
const anyValue = Type.Unknown();
const optionalString = Type.Union([str, Type.Null()]);
const subAccountFields = {
  name: str,
  rate_limit: int,
  id: str,
  parent_account_id: str,
  parent_auth_id: str,
  auth_id: str,
  auth_token: str,
  api_id: str,
  email_verified: bool,
  enabled: bool,
  created: str,
  modified: str,
  is_active: bool,
  created_at: str,
  updated_at: str,
  account: str,
  resource_uri: str,
};

/** ListSubaccountsResponseSubAccountsItem: email Optional[str], permissions Any or {cdr?, calls?}, last_used Optional[str]. */
export const PythonSdkSubAccountListItem = Type.Object(
  {
    ...subAccountFields,
    email: Type.Optional(optionalString),
    phone: Type.Optional(anyValue),
    description: Type.Optional(anyValue),
    permissions: Type.Union([Type.Null(), Type.Object({ cdr: Type.Optional(Type.Union([bool, Type.Null()])), calls: Type.Optional(Type.Union([bool, Type.Null()])) }, closed)]),
    last_used: Type.Optional(optionalString),
  },
  closed,
);

export const PythonSdkSubAccountList = Type.Object({ sub_accounts: Type.Array(PythonSdkSubAccountListItem), total: int, page: int, size: int }, closed);

/** RetrieveSubaccountResponse, UpdateSubaccountResponse and CreateSubaccountResponseSubAccount: the same fields, looser types. */
export const PythonSdkSubAccount = Type.Object(
  { ...subAccountFields, email: Type.Optional(anyValue), phone: Type.Optional(anyValue), description: Type.Optional(anyValue), permissions: Type.Optional(anyValue), last_used: Type.Optional(anyValue) },
  closed,
);

export const PythonSdkSubAccountCreated = Type.Object(
  {
    message: str,
    sub_account: PythonSdkSubAccount,
    auth_credentials: Type.Object({ auth_id: str, auth_token: str }, closed),
    tokens: Type.Object({ access_token: str, refresh_token: str, token_type: str, expires_in: int }, closed),
  },
  closed,
);

export const PythonSdkMessage = Type.Object({ message: str }, closed);
