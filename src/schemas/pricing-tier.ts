import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './helpers.js';
import { Int } from './numbers.js';

export const PricingTierSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Unique identifier of the pricing tier.' }),
    name: Type.String({ description: 'Name of the pricing tier (e.g. "Standard", "baseTier").' }),
    description: Nullable(Type.String(), {
      description: 'A brief description of the pricing plan. The documentation examples return null; the typed SDKs expect a string.',
    }),
    currency: Type.String({ minLength: 3, maxLength: 3, description: 'Currency code (USD, INR, EUR, ...).' }),
    rate_per_minute: Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Cost per minute of call time in `currency`.' }),
    billing_increment_seconds: Int({
      minimum: 1,
      description: 'Granularity of billing (60 = billed by full minutes).',
    }),
    minimum_duration_seconds: Int({ description: 'Minimum billable duration for calls.' }),
    is_active: Type.Boolean(),
    is_default: Type.Boolean(),
  },
  { $id: 'PricingTier', additionalProperties: false, description: 'Billing rates of the tier assigned to an account.' },
);

export type PricingTier = Static<typeof PricingTierSchema>;
