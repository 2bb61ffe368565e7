import type { Account } from '../domain/account.js';
import { accountObject, balanceFigures, concurrency, onVersion, onVersionOf } from '../domain/derive.js';
import { fromMicros } from '../domain/money.js';
import { AccountSchema } from '../schemas/account.js';
import { type Balance, BalanceSchema } from '../schemas/balance.js';
import { type Concurrency, ConcurrencySchema } from '../schemas/concurrency.js';
import { type ReferenceTypes, ReferenceTypesSchema } from '../schemas/transaction.js';
import { serializer, serializerAround } from './serializer.js';

/** GET /api/v1/auth/me: the Account object, made when first asked after a change. */
export function accountBody(account: Account): Buffer {
  return onVersion(account, 'body:account', () => Buffer.from(serializer(AccountSchema)(accountObject(account))));
}

/** The Balance object in a currency the account holds, or undefined. */
export function balance(account: Account, currency: string): Balance | undefined {
  const settings = account.balances.get(currency);
  const figures = balanceFigures(account, currency);
  if (!settings || !figures) return undefined;
  return {
    id: settings.id,
    account_id: account.authId,
    currency: settings.currency,
    balance: fromMicros(figures.balance),
    reserved_funds: settings.reservedFunds,
    promotional_balance: settings.promotionalBalance,
    promotional_reserved_balance: settings.promotionalReservedBalance,
    available_balance: fromMicros(figures.available),
    credit_limit: figures.creditLimit,
    is_postpaid: account.profile.postpaid,
    credit_limit_type: settings.creditLimitType,
    low_balance_threshold: settings.lowBalanceThreshold,
    status: settings.status,
    created_at: settings.createdAt,
    updated_at: figures.updatedAt,
  };
}

/** GET .../balance/{currency}: the balance body, or undefined when the account holds none in the currency. */
export function balanceBody(account: Account, currency: string): Buffer | undefined {
  if (!account.balances.has(currency)) return undefined;
  return onVersionOf(account, 'body:balance', currency, () => Buffer.from(serializer<Balance>(BalanceSchema)(balance(account, currency)!)));
}

/** GET .../concurrency: live calls against the limit; the request id makes each body its own (the rest is made once a version). */
export function concurrencyBody(account: Account, requestId: string): string {
  const withId = onVersion(account, 'body:concurrency', () => {
    const c = concurrency(account);
    return serializerAround<Concurrency, 'request_id'>(ConcurrencySchema, 'request_id')({ account_id: account.authId, concurrent_calls: c.concurrent, max_concurrent: c.max, utilization_pct: c.pct });
  });
  return withId(requestId);
}

/** GET .../transactions/reference-types: the reference types the ledger holds, in name order. */
export function referenceTypesBody(account: Account): Buffer {
  return onVersion(account, 'body:reference-types', () => Buffer.from(serializer<ReferenceTypes>(ReferenceTypesSchema)({ reference_types: [...account.ledger.referenceTypes()] })));
}
