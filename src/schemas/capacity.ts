import { type Static, Type } from '@sinclair/typebox';
import { Expected } from './expectation.js';
import { Nullable, StringEnum } from './helpers.js';

export const resourceTypes = ['concurrent_calls', 'cps'] as const;
export type ResourceType = (typeof resourceTypes)[number];

export const subscriptionStatuses = ['active', 'past_due', 'cancelled'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export const ResourceTypeSchema = StringEnum(resourceTypes, { description: 'concurrent_calls (channels) or cps (calls per second).', examples: ['concurrent_calls'] });
const Quantity = Type.Integer({ minimum: 1, maximum: 10000, examples: [30] });
const MonthlyCost = Type.String({ pattern: '^-?[0-9]{1,13}\\.[0-9]{2}$', [Expected]: 'a decimal string with two places such as 10470.00', description: 'A decimal string with two places.', examples: ['10470.00'] });

export const PricingBracketSchema = Type.Object(
  {
    from: Type.Integer({ minimum: 1, description: 'First unit of the bracket.', examples: [1] }),
    to: Type.Integer({ minimum: 1, description: 'Last unit of this purchase in the bracket.', examples: [30] }),
    quantity: Type.Integer({ minimum: 1, examples: [30] }),
    unit_price: Type.String({ pattern: '^[0-9]+\\.[0-9]{2}$', examples: ['349.00'] }),
    amount: Type.String({ pattern: '^[0-9]+\\.[0-9]{2}$', examples: ['10470.00'] }),
  },
  { $id: 'PricingBracket', additionalProperties: false, description: 'One price bracket used by a quote (graduated pricing).' },
);

export const ChannelPricingPreviewSchema = Type.Object(
  {
    resource_type: ResourceTypeSchema,
    quantity: Quantity,
    monthly_cost: MonthlyCost,
    currency: Type.String({ description: "The currency of the account's pricing tier.", examples: ['INR'] }),
    breakdown: Type.Array(Type.Ref(PricingBracketSchema)),
  },
  {
    $id: 'ChannelPricingPreview',
    additionalProperties: false,
    examples: [{ resource_type: 'concurrent_calls', quantity: 30, monthly_cost: '10470.00', currency: 'INR', breakdown: [{ from: 1, to: 30, quantity: 30, unit_price: '349.00', amount: '10470.00' }] }],
  },
);

export type ChannelPricingPreview = Static<typeof ChannelPricingPreviewSchema>;

export const ChannelSubscriptionRequestSchema = Type.Object(
  { resource_type: ResourceTypeSchema, quantity: Quantity },
  { $id: 'ChannelSubscriptionRequest', additionalProperties: false, examples: [{ resource_type: 'concurrent_calls', quantity: 30 }] },
);

export type ChannelSubscriptionRequest = Static<typeof ChannelSubscriptionRequestSchema>;

const When = (example: string) => Type.String({ format: 'date-time', examples: [example] });

export const ChannelSubscriptionSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', examples: ['5ed57f90-b1f1-4c32-9475-b85aa6739aec'] }),
    account_id: Type.Integer({ description: "The account's numeric id (the Account object's `id`), as an integer.", examples: [500002] }),
    resource_type: ResourceTypeSchema,
    quantity: Quantity,
    monthly_cost: MonthlyCost,
    currency: Type.String({ examples: ['INR'] }),
    status: StringEnum(subscriptionStatuses, { examples: ['active'] }),
    last_billing_date: When('2026-07-16T10:00:00Z'),
    next_billing_date: When('2026-08-15T10:00:00Z'),
    purchased_at: When('2026-07-16T10:00:00Z'),
    cancelled_at: Nullable(Type.String({ format: 'date-time' }), { examples: [null] }),
    cancellation_reason: Nullable(Type.String(), { examples: [null] }),
    is_active: Type.Boolean({ examples: [true] }),
    created_at: When('2026-07-16T10:00:00Z'),
    updated_at: When('2026-07-16T10:00:00Z'),
  },
  { $id: 'ChannelSubscription', additionalProperties: false, description: 'A capacity add-on, billed every 30 days from purchase.' },
);

export type ChannelSubscription = Static<typeof ChannelSubscriptionSchema>;
