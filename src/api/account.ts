import { Type } from '@sinclair/typebox';
import { AccountSchema, accountExample } from '../schemas/account.js';
import { balanceExample, BalanceSchema } from '../schemas/balance.js';
import { ConcurrencySchema } from '../schemas/concurrency.js';
import { invalidCredentials } from '../errors.js';
import { ErrorEnvelopeSchema, InvalidCredentialsSchema } from '../schemas/error.js';
import { AuthIdParam, envelopeExample, envelopeResponse, forbiddenExamples, internalError, response } from './docs.js';
import { Failure, type Operation } from './operation.js';
import { accountBody, balanceBody, concurrencyBody } from '../views/account.js';
import { subAccountMeBody } from '../views/sub-accounts.js';

const unauthorized = envelopeResponse(
  'Missing or invalid credentials (INVALID_CREDENTIALS), or an expired token (TOKEN_EXPIRED)',
  ['INVALID_CREDENTIALS', 'Invalid or missing credentials: send X-Auth-ID and X-Auth-Token'],
  ['TOKEN_EXPIRED', 'Auth token expired at 2026-01-01T00:00:00.000000+00:00'],
);

export const getAccount: Operation = {
  method: 'GET',
  routes: [{ url: '/api/v1/auth/me', operationId: 'getAccount' }],
  auth: ['pair'],
  errorStyle: 'auth-me',
  doc: {
    tags: ['Account'],
    summary: 'Retrieve account',
    description:
      "The account whose X-Auth-ID / X-Auth-Token pair is sent. A sub-account's pair (SA_...) answers its parent's Account object with the sub-account's own identity (id, api_id, name, email, phone, description, auth_id, enabled, is_active, created_at, updated_at). Any Authorization header is ignored.",
    responses: {
      200: response('Account details', Type.Ref(AccountSchema), { MA_POSTPAID: accountExample }),
      401: response('Missing or invalid credentials (InvalidCredentials), or an expired token (TOKEN_EXPIRED)', Type.Union([Type.Ref(InvalidCredentialsSchema), Type.Ref(ErrorEnvelopeSchema)]), {
        INVALID_CREDENTIALS: invalidCredentials.body,
        TOKEN_EXPIRED: envelopeExample('TOKEN_EXPIRED', 'Auth token expired at 2026-01-01T00:00:00.000000+00:00'),
      }),
      403: envelopeResponse('Account inactive (ACCOUNT_INACTIVE) or client IP not whitelisted (IP_NOT_WHITELISTED)', ...forbiddenExamples.slice(1)),
      500: internalError,
    },
  },
  // A sub-account's own pair answers too: its parent's Account object with the sub-account's identity (README).
  subAccounts: true,
  // The account's body is serialized once, from AccountSchema, when the account is loaded or changed.
  handle: (account, _request, _env, sub) => ({ status: 200, body: sub ? subAccountMeBody(account, sub) : accountBody(account) }),
};

const currencyPattern = /^[A-Za-z]{3}$/;

export const getBalance: Operation = {
  method: 'GET',
  routes: [
    { url: '/api/v1/Account/:auth_id/balance/:currency', operationId: 'getBalance' },
    { url: '/api/v1/account/:auth_id/balance/:currency', operationId: 'getBalanceLowercase', note: 'getBalance under the lower-case path the API reference page and the Go and Ruby SDKs use.' },
  ],
  auth: ['pair'],
  errorStyle: 'envelope',
  doc: {
    tags: ['Balance'],
    summary: 'Get balance',
    description:
      "The account's balance in one currency it holds: the sum of its completed ledger entries, less reserved funds for available_balance. The currency is read case-insensitively.",
    params: Type.Object({ auth_id: AuthIdParam, currency: Type.String({ description: 'ISO 4217 code (INR, USD, ...).', examples: ['INR'] }) }),
    responses: {
      200: response('The balance', Type.Ref(BalanceSchema), { MA_POSTPAID: balanceExample }),
      401: unauthorized,
      403: envelopeResponse('Another account (ACCESS_DENIED), an inactive account or a refused client IP', ...forbiddenExamples),
      404: envelopeResponse('The account holds no balance in this currency (NOT_FOUND)', ['NOT_FOUND', 'MA_POSTPAID holds no balance in EUR; it holds INR']),
      422: envelopeResponse('Not a currency code (VALIDATION_ERROR)', [
        'VALIDATION_ERROR',
        undefined,
        { errors: [{ field: 'currency', message: 'must be a three-letter ISO 4217 code', code: 'INVALID_FORMAT', value: 'rupees' }] },
      ]),
      500: internalError,
    },
  },
  handle(account, request) {
    const given = request.params['currency'] ?? '';
    if (!currencyPattern.test(given)) {
      return new Failure('VALIDATION_ERROR', undefined, {
        errors: [{ field: 'currency', message: 'must be a three-letter ISO 4217 code', code: 'INVALID_FORMAT', value: given }],
      });
    }
    const currency = given.toUpperCase();
    const body = balanceBody(account, currency);
    if (body === undefined) return new Failure('NOT_FOUND', `${account.authId} holds no balance in ${currency}; it holds ${account.currencies.join(', ')}`);
    return { status: 200, body };
  },
};

export const getConcurrency: Operation = {
  method: 'GET',
  routes: [
    { url: '/api/v1/Account/:auth_id/concurrency', operationId: 'getConcurrency' },
    { url: '/api/v1/account/:auth_id/concurrency', operationId: 'getConcurrencyLowercase', note: 'getConcurrency under the lower-case path the Go and Ruby SDKs use.' },
  ],
  auth: ['pair'],
  errorStyle: 'envelope',
  doc: {
    tags: ['Concurrency'],
    summary: 'Get concurrency',
    description: 'Calls in progress against concurrent_calls_limit. request_id is the request id, also sent as X-Request-Id.',
    params: Type.Object({ auth_id: AuthIdParam }),
    responses: {
      200: response('Live concurrency', Type.Ref(ConcurrencySchema), {
        MA_POSTPAID: { account_id: 'MA_POSTPAID', concurrent_calls: 3, max_concurrent: 46, utilization_pct: 7, request_id: 'req_00000000002a' },
      }),
      401: unauthorized,
      403: envelopeResponse('Another account (ACCESS_DENIED), an inactive account or a refused client IP', ...forbiddenExamples),
      500: internalError,
    },
  },
  handle: (account, request) => ({ status: 200, body: concurrencyBody(account, request.requestId) }),
};
