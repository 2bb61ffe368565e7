import { type Static, Type } from '@sinclair/typebox';
import { AccountSchema } from './account.js';
import { BalanceSchema } from './balance.js';
import { ChannelSubscriptionSchema, ResourceTypeSchema } from './capacity.js';
import { AuthTokenString, CurrencyCode, StringEnum } from './helpers.js';
import { Expected } from './expectation.js';
import { Int, Money } from './numbers.js';
import { TransactionSchema } from './transaction.js';
import { SubAccountFixtureSchema } from './sub-account.js';

const { auth_secret, cps_limit, concurrent_calls_limit, ...stored } = AccountSchema.properties;
const balance = BalanceSchema.properties;
const txn = TransactionSchema.properties;
const sub = ChannelSubscriptionSchema.properties;
const Currency = CurrencyCode();

/** A balance in one currency. Only `currency` is required; what can be derived may be stated but must agree. */
export const BalanceFixtureSchema = Type.Object(
  {
    currency: Currency,
    id: Type.Optional(balance.id),
    balance: Type.Optional(Money({ description: 'Reached by an opening entry when the listed transactions do not sum to it.' })),
    reserved_funds: Type.Optional(balance.reserved_funds),
    promotional_balance: Type.Optional(balance.promotional_balance),
    promotional_reserved_balance: Type.Optional(balance.promotional_reserved_balance),
    credit_limit_type: Type.Optional(balance.credit_limit_type),
    low_balance_threshold: Type.Optional(balance.low_balance_threshold),
    status: Type.Optional(balance.status),
    created_at: Type.Optional(balance.created_at),
    updated_at: Type.Optional(balance.updated_at),
    account_id: Type.Optional(balance.account_id),
    available_balance: Type.Optional(balance.available_balance),
    credit_limit: Type.Optional(balance.credit_limit),
    is_postpaid: Type.Optional(balance.is_postpaid),
  },
  { additionalProperties: false },
);

/** A ledger entry as the transactions endpoint shows it; ids and references may be left out. */
export const TransactionFixtureSchema = Type.Object(
  {
    id: Type.Optional(txn.id),
    type: Type.String({ minLength: 1 }),
    amount: Money({ exclusiveMinimum: 0 }),
    currency: Type.Optional(Currency),
    description: txn.description,
    reference: Type.Optional(txn.reference),
    reference_type: Type.Optional(Type.String({ minLength: 1 })),
    status: Type.Optional(txn.status),
    created_at: txn.created_at,
    processed_at: Type.Optional(txn.processed_at),
    updated_at: Type.Optional(txn.updated_at),
    account_id: Type.Optional(txn.account_id),
    balance_id: Type.Optional(txn.balance_id),
  },
  { additionalProperties: false },
);

/** A capacity subscription already held. */
export const SubscriptionFixtureSchema = Type.Object(
  {
    id: Type.Optional(sub.id),
    resource_type: ResourceTypeSchema,
    quantity: sub.quantity,
    monthly_cost: sub.monthly_cost,
    currency: Type.Optional(Currency),
    status: Type.Optional(StringEnum(['active', 'past_due', 'cancelled'] as const)),
    purchased_at: sub.purchased_at,
    last_billing_date: Type.Optional(sub.last_billing_date),
    next_billing_date: Type.Optional(sub.next_billing_date),
    cancelled_at: Type.Optional(sub.cancelled_at),
    cancellation_reason: Type.Optional(sub.cancellation_reason),
    account_id: Type.Optional(sub.account_id),
  },
  { additionalProperties: false },
);

/**
 * One fixture file: an account's credentials and state. The derived fields may be present (so a real
 * response can be pasted in as it is), but must then agree with what the emulator derives.
 */
export const FixtureFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    auth_token: AuthTokenString({ description: 'The X-Auth-Token of this account: 1 to 256 visible ASCII characters.' }),
    account: Type.Object(
      {
        ...stored,
        id: Type.String({ pattern: '^[0-9]{1,15}$', [Expected]: 'a string of 1 to 15 digits', description: 'The internal numeric id, as a string of digits.' }),
        auth_id: Type.String({
          pattern: '^[A-Za-z0-9_.-]{1,64}$',
          [Expected]: '1 to 64 of A-Z a-z 0-9 _ . -',
          description: 'The X-Auth-ID of this account: 1 to 64 of A-Z a-z 0-9 _ . -',
        }),
        auth_secret: Type.Optional(auth_secret),
        cps_limit: Type.Optional(cps_limit),
        concurrent_calls_limit: Type.Optional(concurrent_calls_limit),
      },
      { additionalProperties: false },
    ),
    balances: Type.Optional(Type.Array(BalanceFixtureSchema, { description: "Default: one balance in the pricing tier's currency." })),
    transactions: Type.Optional(Type.Array(TransactionFixtureSchema, { description: 'Ledger entries; default none.' })),
    generate_transactions: Type.Optional(
      Type.Object(
        {
          count: Type.Integer({ minimum: 1, maximum: 100000 }),
          seed: Type.Integer({ minimum: 0, maximum: 4_294_967_295 }),
          until: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { additionalProperties: false, description: 'Add `count` generated entries (the same seed gives the same entries).' },
      ),
    ),
    subscriptions: Type.Optional(Type.Array(SubscriptionFixtureSchema)),
    live_calls: Type.Optional(Int({ description: 'Calls in progress at start; default 0.' })),
    sub_accounts: Type.Optional(Type.Array(SubAccountFixtureSchema, { description: 'Its sub-accounts, oldest first; default none.' })),
  },
  { $id: 'FixtureFile', additionalProperties: false },
);

export type FixtureFile = Static<typeof FixtureFileSchema>;
export type BalanceFixture = Static<typeof BalanceFixtureSchema>;
export type TransactionFixture = Static<typeof TransactionFixtureSchema>;
export type SubscriptionFixture = Static<typeof SubscriptionFixtureSchema>;

const Bracket = Type.Object(
  {
    up_to: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'Last unit priced at this rate; null for the last bracket.' }),
    unit_price: Type.Number({ minimum: 0, maximum: 1_000_000, description: 'A month, per unit, with at most two decimal places.' }),
  },
  { additionalProperties: false },
);

const ResourcePricing = Type.Object(
  {
    block: Type.Integer({ minimum: 1, description: 'Quantities are sold in multiples of this.' }),
    minimum: Type.Integer({ minimum: 1 }),
    maximum: Type.Integer({ minimum: 1, maximum: 10000 }),
    brackets: Type.Array(Bracket, { minItems: 1 }),
  },
  { additionalProperties: false },
);

/** fixtures/capacity-pricing.json: capacity price tables by pricing tier. */
export const CapacityPricingFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    tiers: Type.Array(
      Type.Object(
        {
          pricing_tier_id: Type.String({ format: 'uuid' }),
          currency: Currency,
          concurrent_calls: ResourcePricing,
          cps: ResourcePricing,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type CapacityPricingFile = Static<typeof CapacityPricingFileSchema>;
export type PriceTable = CapacityPricingFile['tiers'][number];
export type ResourcePricing = Static<typeof ResourcePricing>;
