import { Type } from '@sinclair/typebox';
import type { Account } from '../domain/account.js';
import { DEFAULT_MAX_SUB_ACCOUNTS } from '../domain/namespace.js';
import { noKyc, type SubAccountChanges, type SubAccountFacts, subAccountNumericId } from '../domain/sub-accounts.js';
import { fieldErrors } from '../schemas/check.js';
import { shortText } from '../schemas/expectation.js';
import { parseJson } from '../schemas/json.js';
import {
  type CreateSubAccountRequest,
  CreateSubAccountRequestSchema,
  MessageSchema,
  SubAccountCreatedSchema,
  SubAccountListSchema,
  SubAccountSchema,
  type UpdateSubAccountRequest,
  UpdateSubAccountRequestSchema,
} from '../schemas/sub-account.js';
import { createdBody, messageBody, subAccountBody, subAccountListBody } from '../views/sub-accounts.js';
import { envelopeResponse, internalError, response } from './docs.js';
import { type Env, Failure, type Operation, type OpRequest } from './operation.js';
import { parseQuery } from './query.js';
import { ACCESS_SECONDS, tokenPair } from './tokens.js';

/** The sub-account pages document 400 for bad input, not the errors page's 422. */
const BAD_INPUT = 400;
const MAX_PAGE_SIZE = 100;

export const invalid = (errors: unknown[]) => new Failure('VALIDATION_ERROR', undefined, { errors }, BAD_INPUT);

const collection = '/api/v1/accounts/:auth_id/sub-accounts';
const item = `${collection}/:sub_auth_id`;
/** Python, Node, PHP and C# send the collection path with a trailing slash, Java and Go without: both are served, item paths too. */
const bothForms = (url: string, operationId: string, withSlash: boolean) => [
  { url: withSlash ? `${url}/` : url, operationId },
  { url: withSlash ? url : `${url}/`, operationId: `${operationId}${withSlash ? 'NoSlash' : 'Slash'}`, note: `${operationId} ${withSlash ? 'without' : 'with'} the trailing slash.` },
];

const params = Type.Object({ auth_id: Type.String({ description: 'The auth_id of the main account whose credentials are sent (MA_...); any other is 404.', examples: ['MA_POSTPAID'] }) });
export const itemParams = Type.Object({ auth_id: params.properties.auth_id, sub_auth_id: Type.String({ description: 'The sub-account (SA_...).', examples: ['SA_SUPPORT1'] }) });

export const unauthorized = envelopeResponse('Missing or invalid credentials (INVALID_CREDENTIALS)', ['INVALID_CREDENTIALS']);
export const forbidden = envelopeResponse(
  "A sub-account's own credentials (ACCESS_DENIED), an inactive account or a refused client IP",
  ['ACCESS_DENIED', "A sub-account's credentials cannot call this endpoint: send its parent account's X-Auth-ID and X-Auth-Token"],
  ['ACCOUNT_INACTIVE'],
);
const notFound = envelopeResponse(
  'The path auth_id is not the main account whose credentials are sent, or it has no such sub-account (NOT_FOUND)',
  ['NOT_FOUND', 'No main account MA_OTHER01 among those these credentials own'],
);
const badInput = envelopeResponse('A field missing, unknown or of the wrong type (VALIDATION_ERROR, as 400)', [
  'VALIDATION_ERROR',
  undefined,
  { errors: [{ field: 'name', message: 'is required', code: 'REQUIRED' }] },
]);

export const subAccountExample = {
  name: 'Support Team',
  email: 'support@example.com',
  phone: '+1234567890',
  description: 'Support-facing voice workload',
  permissions: { calls: true, cdr: true },
  rate_limit: 500,
  id: '600001',
  parent_account_id: '500002',
  parent_auth_id: 'MA_POSTPAID',
  auth_id: 'SA_SUPPORT1',
  auth_token: '<redacted>',
  api_id: '3f0c7a52-1d9e-4b8a-9c61-2e5d7f4a8b10',
  email_verified: false,
  enabled: true,
  created: '2026-03-25',
  modified: '2026-03-25',
  is_active: true,
  created_at: '2026-03-25T10:00:00.000000Z',
  updated_at: '2026-03-25T10:00:00.000000Z',
  last_used: null,
  account: '/v1/Account/MA_POSTPAID/',
  resource_uri: '/v1/Account/MA_POSTPAID/Subaccount/SA_SUPPORT1/',
};

/** A JSON object body, or the failure to answer. */
export function objectBody(request: OpRequest, what: string): Record<string, unknown> | Failure {
  if (request.body === undefined || request.body.trim() === '') return new Failure('BAD_REQUEST', `Request body required: a JSON object ${what}`);
  const parsed = parseJson(request.body);
  if ('problem' in parsed) return new Failure('BAD_REQUEST', `Request body must be ${parsed.problem}`);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return new Failure('BAD_REQUEST', `Request body must be a JSON object ${what}`);
  return value as Record<string, unknown>;
}

/** What a sub-account may do when its creator says nothing: everything (the Java SDK cannot read a null here). */
const allPermissions = Object.freeze({ calls: true, cdr: true });

const emailRequired = () => invalid([{ field: 'email', message: 'is required when kyc_mode is customer_use (the KYC link is sent there)', code: 'REQUIRED' }]);

/** The sub-account of `parent` a path names, or 404. */
export function subOf(parent: Account, request: OpRequest): SubAccountFacts | Failure {
  const authId = request.params['sub_auth_id'] ?? '';
  return parent.subAccount(authId) ?? new Failure('NOT_FOUND', `${parent.authId} has no sub-account ${shortText(authId)}`);
}

/** 8 characters of A-Z 0-9 from a UUID's hex digits: the same sequence of changes, the same ids. */
function newSubAuthId(env: Env): string {
  for (;;) {
    const authId = `SA_${env.store.newId().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    if (!env.store.taken(authId)) return authId;
  }
}

export const listSubAccounts: Operation = {
  method: 'GET',
  routes: bothForms(collection, 'listSubAccounts', true),
  auth: ['pair'],
  errorStyle: 'envelope',
  otherAccount: 'not-found',
  doc: {
    tags: ['Sub-accounts'],
    summary: 'List sub-accounts',
    description: 'A page of the sub-accounts of the main account, newest first.',
    params,
    querystring: Type.Object({
      page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
      size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 })),
      active_only: Type.Optional(Type.Boolean({ default: false, description: 'Only enabled sub-accounts.' })),
    }),
    responses: {
      200: response('A page of sub-accounts', Type.Ref(SubAccountListSchema), { MA_POSTPAID: { sub_accounts: [subAccountExample], total: 1, page: 1, size: 25 } }),
      400: badInput,
      401: unauthorized,
      403: forbidden,
      404: notFound,
      500: internalError,
    },
  },
  handle(account, request) {
    const query = parseQuery(request.query);
    const errors: { field: string; message: string; code: string; value?: unknown }[] = [];
    const integer = (name: string, fallback: number, max: number) => {
      const text = query[name];
      if (text === undefined) return fallback;
      if (typeof text === 'string' && /^[0-9]{1,9}$/.test(text) && Number(text) >= 1 && Number(text) <= max) return Number(text);
      errors.push({ field: name, message: `must be a whole number from 1 to ${max}`, code: 'OUT_OF_RANGE', value: typeof text === 'string' ? shortText(text) : text.length });
      return fallback;
    };
    const page = integer('page', 1, 1_000_000_000);
    const size = integer('size', 25, MAX_PAGE_SIZE);
    const active = query['active_only'];
    if (active !== undefined && active !== 'true' && active !== 'false') errors.push({ field: 'active_only', message: 'must be true or false', code: 'INVALID_VALUE' });
    if (errors.length > 0) return invalid(errors);
    return { status: 200, body: subAccountListBody(account, page, size, active === 'true') };
  },
};

export const createSubAccount: Operation = {
  method: 'POST',
  routes: bothForms(collection, 'createSubAccount', true),
  auth: ['pair'],
  errorStyle: 'envelope',
  otherAccount: 'not-found',
  doc: {
    tags: ['Sub-accounts'],
    summary: 'Create a sub-account',
    description:
      'A sub-account with credentials of its own (SA_...), shown in clear in this answer only, and a Bearer pair for it. 201, as the page text says (its embedded OpenAPI says 200: docs/fidelity.md).',
    params,
    body: CreateSubAccountRequestSchema,
    responses: {
      201: response('Created', Type.Ref(SubAccountCreatedSchema), {
        MA_POSTPAID: {
          message: 'Sub-account created successfully',
          sub_account: { ...subAccountExample, auth_token: 'f3a9c1d27b8e4f60a5d2c9e1b7f40386' },
          auth_credentials: { auth_id: 'SA_SUPPORT1', auth_token: 'f3a9c1d27b8e4f60a5d2c9e1b7f40386' },
          tokens: { access_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...', refresh_token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...', token_type: 'bearer', expires_in: ACCESS_SECONDS },
        },
      }),
      400: badInput,
      401: unauthorized,
      403: forbidden,
      404: notFound,
      409: envelopeResponse('The account holds as many sub-accounts as it may (CONFLICT)', ['CONFLICT', 'MA_POSTPAID holds 1000 sub-accounts, the most one account may (--max-sub-accounts): delete some']),
      500: internalError,
    },
  },
  handle(account, request, env) {
    const body = objectBody(request, '{"name": "..."}');
    if (body instanceof Failure) return body;
    const errors = fieldErrors(CreateSubAccountRequestSchema, body);
    if (errors.length > 0) return invalid(errors);
    const input = body as CreateSubAccountRequest;
    if (input.kyc_mode === 'customer_use' && input.email === undefined) return emailRequired();
    const max = env.maxSubAccounts ?? DEFAULT_MAX_SUB_ACCOUNTS;
    if (account.subAccountCount >= max) return new Failure('CONFLICT', `${account.authId} holds ${max} sub-accounts, the most one account may (--max-sub-accounts): delete some`);
    const now = env.now() * 1000;
    const authId = newSubAuthId(env);
    const apiId = env.store.newId();
    const sub: SubAccountFacts = {
      authId,
      token: env.store.newId().replace(/-/g, ''),
      id: subAccountNumericId(apiId),
      apiId,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      description: input.description ?? null,
      permissions: input.permissions ?? allPermissions,
      rateLimit: input.rate_limit ?? 1000,
      enabled: input.enabled ?? true,
      kycMode: input.kyc_mode ?? 'personal_use',
      businessType: input.business_type ?? null,
      kyc: noKyc,
      kycPendingAs: {},
      createdAt: now,
      updatedAt: now,
      lastUsed: null,
    };
    account.addSubAccount(sub);
    env.store.noteSubAccount(authId, account.authId);
    return { status: 201, body: createdBody(account, sub, tokenPair(authId, env)) };
  },
};

export const getSubAccount: Operation = {
  method: 'GET',
  routes: bothForms(item, 'getSubAccount', false),
  auth: ['pair'],
  errorStyle: 'envelope',
  otherAccount: 'not-found',
  doc: {
    tags: ['Sub-accounts'],
    summary: 'Retrieve a sub-account',
    description: 'One sub-account of the main account; its token shown as "<redacted>".',
    params: itemParams,
    responses: { 200: response('The sub-account', Type.Ref(SubAccountSchema), { SA_SUPPORT1: subAccountExample }), 401: unauthorized, 403: forbidden, 404: notFound, 500: internalError },
  },
  handle(account, request) {
    const sub = subOf(account, request);
    return sub instanceof Failure ? sub : { status: 200, body: subAccountBody(account, sub) };
  },
};

export const updateSubAccount: Operation = {
  method: 'PUT',
  routes: bothForms(item, 'updateSubAccount', false),
  auth: ['pair'],
  errorStyle: 'envelope',
  otherAccount: 'not-found',
  doc: {
    tags: ['Sub-accounts'],
    summary: 'Update a sub-account',
    description: 'Changes the fields given (a partial update) and answers the whole object. {} changes nothing.',
    params: itemParams,
    body: UpdateSubAccountRequestSchema,
    responses: { 200: response('The sub-account after the change', Type.Ref(SubAccountSchema), { SA_SUPPORT1: subAccountExample }), 400: badInput, 401: unauthorized, 403: forbidden, 404: notFound, 500: internalError },
  },
  handle(account, request, env) {
    const sub = subOf(account, request);
    if (sub instanceof Failure) return sub;
    const body = objectBody(request, 'of the fields to change');
    if (body instanceof Failure) return body;
    const errors = fieldErrors(UpdateSubAccountRequestSchema, body);
    if (errors.length > 0) return invalid(errors);
    const input = body as UpdateSubAccountRequest;
    if ((input.kyc_mode ?? sub.kycMode) === 'customer_use' && (input.email ?? sub.email) === null) return emailRequired();
    const changes: SubAccountChanges = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.rate_limit !== undefined ? { rateLimit: input.rate_limit } : {}),
      ...(input.permissions !== undefined ? { permissions: input.permissions } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      ...(input.kyc_mode !== undefined ? { kycMode: input.kyc_mode } : {}),
    };
    const updated = Object.keys(changes).length === 0 ? sub : account.updateSubAccount(sub.authId, changes, env.now() * 1000)!;
    return { status: 200, body: subAccountBody(account, updated) };
  },
};

export const deleteSubAccount: Operation = {
  method: 'DELETE',
  routes: bothForms(item, 'deleteSubAccount', false),
  auth: ['pair'],
  errorStyle: 'envelope',
  otherAccount: 'not-found',
  doc: {
    tags: ['Sub-accounts'],
    summary: 'Delete a sub-account',
    description: 'Removes the sub-account: its credentials and Bearer tokens are 401 from then on.',
    params: itemParams,
    responses: { 200: response('Deleted', Type.Ref(MessageSchema), { SA_SUPPORT1: { message: 'Sub-account deleted successfully' } }), 401: unauthorized, 403: forbidden, 404: notFound, 500: internalError },
  },
  handle(account, request, env) {
    const sub = subOf(account, request);
    if (sub instanceof Failure) return sub;
    account.removeSubAccount(sub.authId);
    env.store.noteSubAccount(sub.authId, undefined);
    return { status: 200, body: messageBody('Sub-account deleted successfully') };
  },
};

export const subAccountOperations: readonly Operation[] = [listSubAccounts, createSubAccount, getSubAccount, updateSubAccount, deleteSubAccount];

/**
 * The sub-account paths in another casing (`/Accounts/`, `/sub_accounts/`): 401, as these pages document ("bad
 * credentials or wrong path casing"), whatever the credentials, naming the path to use instead.
 */
function wrongCasing(method: Operation['method'], item: boolean): Operation {
  const shapes = [
    ['Accounts', 'sub-accounts'],
    ['accounts', 'sub_accounts'],
    ['Accounts', 'sub_accounts'],
  ] as const;
  const urls = shapes.flatMap(([accounts, subs]) => {
    const url = `/api/v1/${accounts}/:auth_id/${subs}${item ? '/:sub_auth_id' : ''}`;
    return [url, `${url}/`];
  });
  return {
    method,
    routes: urls.map((url, i) => ({ url, operationId: `subAccountsWrongCasing${method}${item ? 'Item' : ''}${i}` })),
    auth: ['pair'],
    errorStyle: 'envelope',
    subAccounts: true,
    hidden: true,
    doc: { tags: [], summary: '', description: '', responses: {} },
    handle: () => new Failure('INVALID_CREDENTIALS', 'The sub-account paths are /api/v1/accounts/{auth_id}/sub-accounts/ and .../sub-accounts/{sub_auth_id}, in lower case: this casing is 401, as Vobiz answers it'),
  };
}

export const wrongCasingOperations: readonly Operation[] = [
  wrongCasing('GET', false),
  wrongCasing('POST', false),
  wrongCasing('GET', true),
  wrongCasing('PUT', true),
  wrongCasing('DELETE', true),
];
