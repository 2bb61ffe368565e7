export { AccountSchema, type Account, type AccountData, derivedAccountFields, renderAccount } from './account.js';
export { PricingTierSchema, type PricingTier } from './pricing-tier.js';
export {
  ErrorEnvelopeSchema,
  type ErrorEnvelope,
  type ErrorCode,
  errorCodes,
  InvalidCredentialsSchema,
  type InvalidCredentials,
  NumericErrorSchema,
  PlainErrorSchema,
} from './error.js';
export { BalanceSchema, type Balance } from './balance.js';
export {
  TransactionSchema,
  type Transaction,
  TransactionSummarySchema,
  ReferenceTypeTotalsSchema,
  TransactionListSchema,
  type TransactionList,
  ReferenceTypesSchema,
  type ReferenceTypes,
} from './transaction.js';
export { ConcurrencySchema, type Concurrency } from './concurrency.js';
export {
  ChannelPricingPreviewSchema,
  type ChannelPricingPreview,
  ChannelSubscriptionRequestSchema,
  type ChannelSubscriptionRequest,
  ChannelSubscriptionSchema,
  type ChannelSubscription,
  PricingBracketSchema,
} from './capacity.js';
export { HealthSchema, type Health } from './health.js';
export { FixtureFileSchema, type FixtureFile, CapacityPricingFileSchema, type CapacityPricingFile } from './fixture.js';
export { StringEnum, Nullable } from './helpers.js';

import { AccountSchema } from './account.js';
import { BalanceSchema } from './balance.js';
import { ChannelPricingPreviewSchema, ChannelSubscriptionRequestSchema, ChannelSubscriptionSchema, PricingBracketSchema } from './capacity.js';
import { ConcurrencySchema } from './concurrency.js';
import {
  CinMatchesSchema,
  CreateSubAccountRequestSchema,
  DigilockerInitiatedSchema,
  KycStatusResponseSchema,
  KycVerificationSchema,
  MessageSchema,
  SubAccountCreatedSchema,
  SubAccountListSchema,
  SubAccountSchema,
  TokenPairSchema,
  TokenRotatedSchema,
  UpdateSubAccountRequestSchema,
} from './sub-account.js';
import { ErrorEnvelopeSchema, InvalidCredentialsSchema, NumericErrorSchema, PlainErrorSchema } from './error.js';
import { PricingTierSchema } from './pricing-tier.js';
import { ReferenceTypesSchema, ReferenceTypeTotalsSchema, TransactionListSchema, TransactionSchema, TransactionSummarySchema } from './transaction.js';

/** The schemas shared by `$id`: registered once with Fastify, components of the OpenAPI document. */
export const sharedSchemas = [
  PricingTierSchema,
  AccountSchema,
  BalanceSchema,
  TransactionSchema,
  ReferenceTypeTotalsSchema,
  TransactionSummarySchema,
  TransactionListSchema,
  ReferenceTypesSchema,
  ConcurrencySchema,
  PricingBracketSchema,
  ChannelPricingPreviewSchema,
  ChannelSubscriptionRequestSchema,
  ChannelSubscriptionSchema,
  SubAccountSchema,
  SubAccountListSchema,
  CreateSubAccountRequestSchema,
  TokenPairSchema,
  SubAccountCreatedSchema,
  UpdateSubAccountRequestSchema,
  MessageSchema,
  KycStatusResponseSchema,
  KycVerificationSchema,
  CinMatchesSchema,
  DigilockerInitiatedSchema,
  TokenRotatedSchema,
  InvalidCredentialsSchema,
  ErrorEnvelopeSchema,
  NumericErrorSchema,
  PlainErrorSchema,
] as const;
