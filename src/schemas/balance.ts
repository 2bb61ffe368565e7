import { type Static, Type } from '@sinclair/typebox';
import { StringEnum } from './helpers.js';
import { Int } from './numbers.js';

export const creditLimitTypes = ['soft', 'hard'] as const;

export const balanceExample = {
  id: 'aabbccdd-1234-5678-90ab-cdef12345678',
  account_id: 'MA_POSTPAID',
  currency: 'INR',
  balance: 23906.83,
  reserved_funds: 0,
  promotional_balance: 0,
  promotional_reserved_balance: 0,
  available_balance: 23906.83,
  credit_limit: 1000,
  is_postpaid: true,
  credit_limit_type: 'soft',
  low_balance_threshold: 50,
  status: 'active',
  created_at: '2026-01-19T18:39:15.050543Z',
  updated_at: '2026-05-11T06:59:32.802705Z',
};

/** `GET /api/v1/Account/{auth_id}/balance/{currency}`, in the documented field order. */
export const BalanceSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', examples: [balanceExample.id] }),
    account_id: Type.String({ description: 'The Auth ID of the account (MA_...).', examples: [balanceExample.account_id] }),
    currency: Type.String({ minLength: 3, maxLength: 3, examples: ['INR'] }),
    balance: Type.Number({ description: 'Sum of the completed ledger entries in this currency.', examples: [balanceExample.balance] }),
    reserved_funds: Int({ description: 'Funds held for calls in progress.', examples: [0] }),
    promotional_balance: Int({ examples: [0] }),
    promotional_reserved_balance: Int({ examples: [0] }),
    available_balance: Type.Number({ description: 'balance - reserved_funds.', examples: [balanceExample.available_balance] }),
    credit_limit: Int({ description: "The account's credit_limit in its pricing tier's currency; 0 otherwise.", examples: [1000] }),
    is_postpaid: Type.Boolean({ description: "The account's postpaid flag.", examples: [true] }),
    credit_limit_type: StringEnum(creditLimitTypes, {
      description: '"hard" blocks purchases (and calls) once balance + credit_limit is used up; "soft" only warns.',
      examples: ['soft'],
    }),
    low_balance_threshold: Int({ examples: [50] }),
    status: Type.String({ examples: ['active'] }),
    created_at: Type.String({ format: 'date-time', examples: [balanceExample.created_at] }),
    updated_at: Type.String({ format: 'date-time', description: 'The latest change: the newest completed entry, or the stated date.', examples: [balanceExample.updated_at] }),
  },
  { $id: 'Balance', additionalProperties: false, description: 'The balance of an account in one currency.', examples: [balanceExample] },
);

export type Balance = Static<typeof BalanceSchema>;
