import { getAccount, getBalance, getConcurrency } from './account.js';
import { createChannelSubscription, previewChannelPricing } from './capacity.js';
import type { Operation } from './operation.js';
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
];
