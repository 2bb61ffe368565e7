import { Type } from '@sinclair/typebox';
import { StringEnum } from '../schemas/helpers.js';
import { ReferenceTypesSchema, transactionListExample, TransactionListSchema, type TransactionStatus, transactionStatuses } from '../schemas/transaction.js';
import type { TransactionFilter } from '../domain/ledger.js';
import { referenceTypesBody } from '../views/account.js';
import { transactionsPage } from '../views/transactions.js';
import { parseMicros } from '../schemas/instant.js';
import { AuthIdParam, internalError, numericResponse, plainResponse, response } from './docs.js';
import { Failure, type Operation, type OpResponse } from './operation.js';
import { parseQuery } from './query.js';

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 1000;

/** The response header that tells a caller what the emulator ignored or changed in its query. */
export const warningHeader = 'x-vobiz-mock-warning';

const bareDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTime = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

function validDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/**
 * A date filter in epoch microseconds, as the transactions page documents: a bare YYYY-MM-DD is a UTC day
 * (from its start for from_date, to its end for to_date); a date-time without an offset is UTC.
 */
export function parseDateFilter(text: string, end: boolean): number | undefined {
  const bare = bareDate.exec(text);
  if (bare) {
    if (!validDay(bare[1]!, bare[2]!, bare[3]!)) return undefined;
    const start = Date.UTC(Number(bare[1]), Number(bare[2]) - 1, Number(bare[3])) * 1000;
    return end ? start + 86_400_000_000 - 1 : start;
  }
  const full = dateTime.exec(text);
  if (!full || !validDay(full[1]!, full[2]!, full[3]!) || Number(full[4]) > 23 || Number(full[5]) > 59 || Number(full[6] ?? 0) > 59) return undefined;
  let zone = full[8] ?? 'Z';
  if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const normalized = `${full[1]}-${full[2]}-${full[3]}T${full[4]}:${full[5]}:${full[6] ?? '00'}${full[7] ?? ''}${zone.toUpperCase()}`;
  const micros = parseMicros(normalized);
  return Number.isNaN(micros) ? undefined : micros;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const known = new Set(['page', 'per_page', 'from_date', 'to_date', 'type', 'status', 'currency', 'reference_type', 'description', 'reference', 'transaction_id']);

type Parsed = { filter: TransactionFilter; key: string; page: number; perPage: number; warnings: string[] };

/** The documented query of the transactions endpoint; a bad value is a 400 naming the parameter. */
export function parseTransactionsQuery(raw: string): Parsed | Failure {
  const query = parseQuery(raw);
  const warnings: string[] = [];
  const one = (name: string): string | undefined | Failure => {
    const value = query[name];
    return Array.isArray(value) ? new Failure('BAD_REQUEST', `${name} given ${value.length} times: give it once`) : value;
  };
  const values: Record<string, string | undefined> = {};
  for (const name of known) {
    const value = one(name);
    if (value instanceof Failure) return value;
    values[name] = value;
  }
  const integer = (name: string, fallback: number): number | Failure => {
    const text = values[name];
    if (text === undefined) return fallback;
    return /^[0-9]{1,9}$/.test(text) && Number(text) >= 1 ? Number(text) : new Failure('BAD_REQUEST', `invalid ${name} ${JSON.stringify(text)}: expected an integer of at least 1`);
  };
  const page = integer('page', 1);
  if (page instanceof Failure) return page;
  let perPage = integer('per_page', DEFAULT_PER_PAGE);
  if (perPage instanceof Failure) return perPage;
  if (perPage > MAX_PER_PAGE) {
    warnings.push(`per_page ${perPage} is above ${MAX_PER_PAGE}; Vobiz answers ${DEFAULT_PER_PAGE} a page`);
    perPage = DEFAULT_PER_PAGE;
  }
  const ignored = Object.keys(query).filter((name) => !known.has(name));
  if (ignored.includes('limit') || ignored.includes('offset')) {
    warnings.push('limit and offset are ignored, as Vobiz ignores them: page with page (1-based) and per_page (default 50, at most 1000)');
  }
  const others = ignored.filter((name) => name !== 'limit' && name !== 'offset');
  if (others.length > 0) warnings.push(`ignored unknown query parameter${others.length > 1 ? 's' : ''} ${others.join(', ')}`);

  const filter: { -readonly [K in keyof TransactionFilter]: TransactionFilter[K] } = {};
  for (const [name, end] of [['from_date', false], ['to_date', true]] as const) {
    const text = values[name];
    if (text === undefined) continue;
    const micros = parseDateFilter(text, end);
    if (micros === undefined) return new Failure('BAD_REQUEST', `invalid ${name} ${JSON.stringify(text)}: expected YYYY-MM-DD or an RFC 3339 date-time`);
    if (end) filter.to = micros;
    else filter.from = micros;
  }
  const type = values['type'];
  if (type === 'credit' || type === 'debit') filter.credit = type === 'credit';
  else if (type !== undefined) filter.type = type;
  const status = values['status'];
  if (status !== undefined) {
    if (!(transactionStatuses as readonly string[]).includes(status)) {
      return new Failure('BAD_REQUEST', `invalid status ${JSON.stringify(status)}: expected one of ${transactionStatuses.join(', ')}`);
    }
    filter.status = status as TransactionStatus;
  }
  if (values['currency'] !== undefined) filter.currency = values['currency'].toUpperCase();
  if (values['reference_type'] !== undefined) filter.referenceType = values['reference_type'];
  if (values['description'] !== undefined) filter.description = values['description'].toLowerCase();
  if (values['reference'] !== undefined) filter.reference = values['reference'].toLowerCase();
  const id = values['transaction_id'];
  if (id !== undefined) {
    if (!uuid.test(id)) return new Failure('BAD_REQUEST', `invalid transaction_id ${JSON.stringify(id)}: expected a UUID`);
    filter.id = id.toLowerCase();
  }
  return { filter, key: JSON.stringify(filter), page, perPage, warnings };
}

const pathNote = (name: string) => `${name} under the other casing of its path (the documentation uses both).`;

const unauthorized = numericResponse('Missing or invalid credentials, or an expired token', ['INVALID_CREDENTIALS', 'Invalid token'], [
  'TOKEN_EXPIRED',
  'Auth token expired at 2026-01-01T00:00:00.000000+00:00',
]);
const forbidden = numericResponse('Another account, an inactive account or a refused client IP', ['ACCESS_DENIED'], ['ACCOUNT_INACTIVE'], [
  'IP_NOT_WHITELISTED',
  'Client IP address 198.51.100.7 is not allowed by the account IP whitelist',
]);

const Query = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1, description: '1-based page.' })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, default: DEFAULT_PER_PAGE, description: `Default ${DEFAULT_PER_PAGE}; above ${MAX_PER_PAGE} becomes ${DEFAULT_PER_PAGE}.` })),
  from_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD (UTC, from the start of the day) or an RFC 3339 date-time.', examples: ['2026-05-01'] })),
  to_date: Type.Optional(Type.String({ description: 'YYYY-MM-DD (UTC, to the end of the day) or an RFC 3339 date-time.', examples: ['2026-05-31'] })),
  type: Type.Optional(Type.String({ description: '"credit" or "debit" (each a class that includes legacy types such as did_rental), or an exact type.' })),
  status: Type.Optional(StringEnum(transactionStatuses)),
  currency: Type.Optional(Type.String({ description: 'Read case-insensitively.' })),
  reference_type: Type.Optional(Type.String({ examples: ['cdr'] })),
  description: Type.Optional(Type.String({ description: 'Case-insensitive substring.' })),
  reference: Type.Optional(Type.String({ description: 'Case-insensitive substring.' })),
  transaction_id: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Optional(Type.Integer({ deprecated: true, description: 'Ignored, as Vobiz ignores it (the SDKs send it); named in the X-Vobiz-Mock-Warning response header.' })),
  offset: Type.Optional(Type.Integer({ deprecated: true, description: 'Ignored, as Vobiz ignores it (the SDKs send it); named in the X-Vobiz-Mock-Warning response header.' })),
});

export const listTransactions: Operation = {
  method: 'GET',
  routes: [
    { url: '/api/v1/Account/:auth_id/transactions', operationId: 'listTransactions' },
    { url: '/api/v1/account/:auth_id/transactions', operationId: 'listTransactionsLowercase', note: pathNote('listTransactions') },
  ],
  auth: ['pair', 'basic'],
  errorStyle: 'transactions',
  doc: {
    tags: ['Transactions'],
    summary: 'List transactions',
    description:
      'A page of the ledger, newest first, with `total` and `summary` over every entry that matches the filters (AND-ed). limit/offset are ignored, as Vobiz ignores them; what the emulator ignored or changed is named in the X-Vobiz-Mock-Warning response header.',
    params: Type.Object({ auth_id: AuthIdParam }),
    querystring: Query,
    responses: {
      200: response('One page and the totals', Type.Ref(TransactionListSchema), { MA_POSTPAID: transactionListExample }, {
        'X-Vobiz-Mock-Warning': Type.String({
          description: 'Present when the query had something ignored or changed: limit/offset (ignored, as Vobiz ignores them), a per_page above 1000 (cut to 50), unknown parameters.',
        }),
      }),
      400: plainResponse('A bad filter or page', 'invalid from_date "2026-13-01": expected YYYY-MM-DD or an RFC 3339 date-time'),
      401: unauthorized,
      403: forbidden,
      500: internalError,
    },
  },
  handle(account, request) {
    const parsed = parseTransactionsQuery(request.query);
    if (parsed instanceof Failure) return parsed;
    const { page, perPage } = parsed;
    const response: OpResponse = { status: 200, body: transactionsPage(account, parsed.key, parsed.filter, page, perPage) };
    return parsed.warnings.length === 0 ? response : { ...response, headers: { [warningHeader]: parsed.warnings.join('; ') } };
  },
};

export const listTransactionReferenceTypes: Operation = {
  method: 'GET',
  routes: [
    { url: '/api/v1/account/:auth_id/transactions/reference-types', operationId: 'listTransactionReferenceTypes' },
    { url: '/api/v1/Account/:auth_id/transactions/reference-types', operationId: 'listTransactionReferenceTypesCapitalized', note: pathNote('listTransactionReferenceTypes') },
  ],
  auth: ['pair', 'basic'],
  errorStyle: 'transactions',
  doc: {
    tags: ['Transactions'],
    summary: 'List transaction reference types',
    description: "The reference_type values present in the account's ledger, in name order: the values the reference_type filter can match.",
    params: Type.Object({ auth_id: AuthIdParam }),
    responses: {
      200: response('The reference types', Type.Ref(ReferenceTypesSchema), { MA_POSTPAID: { reference_types: ['cdr', 'channel_subscription', 'did_rental', 'payment', 'refund'] } }),
      401: unauthorized,
      403: forbidden,
      500: internalError,
    },
  },
  handle: (account) => ({ status: 200, body: referenceTypesBody(account) }),
};
