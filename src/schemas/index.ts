export { AccountSchema, type Account, type AccountData, derivedAccountFields, renderAccount } from './account.js';
export { PricingTierSchema, type PricingTier } from './pricing-tier.js';
export {
  ErrorEnvelopeSchema,
  type ErrorEnvelope,
  type ErrorCode,
  errorCodes,
  InvalidCredentialsSchema,
  type InvalidCredentials,
} from './error.js';
export { HealthSchema, type Health } from './health.js';
export { FixtureFileSchema, type FixtureFile } from './fixture.js';
export { StringEnum, Nullable } from './helpers.js';

import { AccountSchema } from './account.js';
import { ErrorEnvelopeSchema, InvalidCredentialsSchema } from './error.js';
import { PricingTierSchema } from './pricing-tier.js';

/** The schemas shared by `$id`: registered once with Fastify, components of the OpenAPI document. */
export const sharedSchemas = [
  PricingTierSchema,
  AccountSchema,
  InvalidCredentialsSchema,
  ErrorEnvelopeSchema,
] as const;
