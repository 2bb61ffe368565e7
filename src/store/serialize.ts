import build from 'fast-json-stringify';
import { type Account, AccountSchema } from '../schemas/account.js';
import { type ErrorEnvelope, ErrorEnvelopeSchema } from '../schemas/error.js';
import { PricingTierSchema } from '../schemas/pricing-tier.js';

// Compiled once from the same schemas the routes declare: what is not in the schema is not sent.
const references = { PricingTier: PricingTierSchema };

type Schema = Parameters<typeof build>[0];

export const serializeAccount: (account: Account) => string = build(AccountSchema as Schema, { schema: references as Record<string, Schema> });
export const serializeErrorEnvelope: (envelope: ErrorEnvelope) => string = build(ErrorEnvelopeSchema as Schema);
