import { type Static, Type } from '@sinclair/typebox';
import { StringEnum } from './helpers.js';

export const transactionStatuses = ['completed', 'pending', 'failed', 'cancelled'] as const;
export type TransactionStatus = (typeof transactionStatuses)[number];

const Timestamp = (example: string) => Type.String({ format: 'date-time', examples: [example] });

const itemExample = {
  id: '3f2b8c1e-4d5a-4b6c-9e7f-8a9b0c1d2e3f',
  account_id: 'MA_POSTPAID',
  balance_id: 'aabbccdd-1234-5678-90ab-cdef12345678',
  type: 'debit',
  amount: 0.9,
  currency: 'INR',
  description: 'Stream session (70s)',
  reference: 'cdr:6a1f0e2d-3c4b-4a59-8e7d-6c5b4a392817',
  reference_type: 'stream_cdr',
  status: 'completed',
  processed_at: '2026-05-11T06:59:32.802705Z',
  created_at: '2026-05-11T06:59:32.802705Z',
  updated_at: '2026-05-11T06:59:32.802705Z',
};

/** One ledger entry. */
export const TransactionSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', examples: [itemExample.id] }),
    account_id: Type.String({ description: 'The Auth ID of the account (MA_...).', examples: [itemExample.account_id] }),
    balance_id: Type.String({ format: 'uuid', description: 'The id of the balance this entry moved.', examples: [itemExample.balance_id] }),
    type: Type.String({
      description: '"credit" or "debit"; older entries may carry a legacy type (did_rental, payment, refund, ...), which the type filter sweeps into its class.',
      examples: ['debit'],
    }),
    amount: Type.Number({ minimum: 0, description: 'Always positive; `type` gives the direction.', examples: [0.9] }),
    currency: Type.String({ minLength: 3, maxLength: 3, examples: ['INR'] }),
    description: Type.String({ examples: [itemExample.description] }),
    reference: Type.String({ description: 'Always present (the Python SDK requires it).', examples: [itemExample.reference] }),
    reference_type: Type.String({ examples: [itemExample.reference_type] }),
    status: StringEnum(transactionStatuses, { examples: ['completed'] }),
    processed_at: Timestamp(itemExample.processed_at),
    created_at: Timestamp(itemExample.created_at),
    updated_at: Timestamp(itemExample.updated_at),
  },
  { $id: 'Transaction', additionalProperties: false, examples: [itemExample] },
);

export type Transaction = Static<typeof TransactionSchema>;

export const ReferenceTypeTotalsSchema = Type.Object(
  {
    reference_type: Type.String({ examples: ['cdr'] }),
    total_debit: Type.Number({ minimum: 0, examples: [1093.17] }),
    total_credit: Type.Integer({ minimum: 0, description: 'A whole number, as documented (the Python SDK types it int).', examples: [0] }),
    count: Type.Integer({ minimum: 0, examples: [412] }),
  },
  { $id: 'ReferenceTypeTotals', additionalProperties: false },
);

export const TransactionSummarySchema = Type.Object(
  {
    total_transactions: Type.Integer({ minimum: 0, examples: [1250] }),
    total_debit: Type.Number({ minimum: 0, examples: [11093.17] }),
    total_credit: Type.Integer({ minimum: 0, description: 'A whole number, as documented (the Python SDK types it int).', examples: [35000] }),
    net_amount: Type.Number({ description: 'total_credit - total_debit.', examples: [23906.83] }),
    by_reference_type: Type.Array(Type.Ref(ReferenceTypeTotalsSchema), { description: 'Per reference_type, in name order.' }),
  },
  { $id: 'TransactionSummary', additionalProperties: false, description: 'Totals over the whole filtered set, not the page. Amounts sum completed entries only (those that moved money), so the unfiltered net_amount is the balance; counts include every entry.' },
);

export type TransactionSummary = Static<typeof TransactionSummarySchema>;

export const TransactionListSchema = Type.Object(
  {
    transactions: Type.Array(Type.Ref(TransactionSchema), { description: 'One page, newest first.' }),
    summary: Type.Ref(TransactionSummarySchema),
    total: Type.Integer({ minimum: 0, description: 'Entries matching the filters, on every page.', examples: [1250] }),
    page: Type.Integer({ minimum: 1, examples: [1] }),
    per_page: Type.Integer({ minimum: 1, maximum: 1000, examples: [50] }),
    total_pages: Type.Integer({ minimum: 0, examples: [25] }),
  },
  { $id: 'TransactionList', additionalProperties: false, description: 'A page of the ledger with totals over every page.' },
);

export type TransactionList = Static<typeof TransactionListSchema>;

/** A page of one entry, as the documentation's examples show them. */
export const transactionListExample = {
  transactions: [itemExample],
  summary: {
    total_transactions: 1,
    total_debit: 0.9,
    total_credit: 0,
    net_amount: -0.9,
    by_reference_type: [{ reference_type: 'stream_cdr', total_debit: 0.9, total_credit: 0, count: 1 }],
  },
  total: 1,
  page: 1,
  per_page: 50,
  total_pages: 1,
};

export const ReferenceTypesSchema = Type.Object(
  {
    reference_types: Type.Array(Type.String(), {
      description: "The reference types present in the account's ledger, in name order.",
      examples: [['cdr', 'channel_subscription', 'did_rental', 'manual_adjustment', 'payment', 'refund']],
    }),
  },
  { $id: 'ReferenceTypes', additionalProperties: false },
);

export type ReferenceTypes = Static<typeof ReferenceTypesSchema>;
