import { getAccount, getBalance, getConcurrency } from './account.js';
import { createChannelSubscription, previewChannelPricing } from './capacity.js';
import type { Operation } from './operation.js';
import { kycOperations } from './kyc.js';
import { subAccountOperations, wrongCasingOperations } from './sub-accounts.js';
import { refreshTokens, rotateAuthToken } from './tokens.js';
import { listTransactionReferenceTypes, listTransactions } from './transactions.js';

/** Every operation of the emulated API, in the order of the OpenAPI document. */
export const operations: readonly Operation[] = [
  getAccount,
  getBalance,
  listTransactions,
  listTransactionReferenceTypes,
  getConcurrency,
  previewChannelPricing,
  createChannelSubscription,
  ...subAccountOperations,
  ...kycOperations,
  refreshTokens,
  rotateAuthToken,
  ...wrongCasingOperations,
];

/** The query parameters the operations document: the only ones whose values a log line or the journal shows. */
export const documentedParameters: ReadonlySet<string> = new Set(
  operations.flatMap((op) => Object.keys((op.doc.querystring as { properties?: object } | undefined)?.properties ?? {})),
);

/** Every operationId of the Vobiz document (a path alias has its own: getBalanceLowercase). */
export const operationIds: readonly string[] = operations.flatMap((op) => (op.hidden ? [] : op.routes.map((r) => r.operationId)));
