import type { TSchema } from '@sinclair/typebox';
import type { Config } from '../config.js';
import type { Namespace, Namespaces } from '../domain/namespace.js';
import type { StoredAccount } from '../domain/store.js';
import { ApiError } from '../errors.js';
import { ErrorEnvelopeSchema } from '../schemas/error.js';
import { shortText } from '../schemas/expectation.js';

/** Where the control plane lives: never a Vobiz path. */
export const CONTROL_PREFIX = '/__mock/v1';

/** What a control-plane call is given: its namespace (the one its header selects), its parameters and its checked body. */
export interface ControlContext {
  readonly ns: Namespace;
  readonly namespaces: Namespaces;
  readonly config: Config;
  readonly params: Readonly<Record<string, string>>;
  /** Each query parameter's first value. */
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The query string as sent (after the `?`), for a call that reads it as an operation of the emulated API does. */
  readonly rawQuery: string;
  /** The JSON object body, checked against the route's `body` schema (or {} when the route takes none). */
  readonly body: Record<string, unknown>;
  /** The address the client used (scheme and host), for documents that name it. */
  readonly server: string;
  /** The operation of the emulated API a method and path name, with the path's parameters (for the journal). */
  readonly operationOf: (method: string, path: string) => { readonly operationId: string; readonly params: Readonly<Record<string, string>> } | undefined;
}

/** A success: a status and a body, serialized by the route's response schema for that status (none for 204). */
export interface ControlAnswer {
  readonly status: number;
  readonly body?: unknown;
  /** A body already made (the control plane's own document). */
  readonly text?: string;
}

/** A documented query parameter. */
export interface QueryParameter {
  readonly name: string;
  readonly description: string;
  readonly schema: object;
}

/**
 * One control-plane call, described once: its method, path, operationId, body and responses are what the
 * Fastify adapter registers and checks, what the control plane's OpenAPI document shows, and what its client's
 * types are made from. Failures are thrown as catalogue errors (ApiError).
 */
export interface ControlRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under CONTROL_PREFIX, Fastify style (`/accounts/:auth_id`). */
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  /** The JSON object body it takes; checked before `handle` unless `checks` says the handler checks it itself. */
  readonly body?: TSchema;
  /** An empty body is `{}` (the body may be left out). */
  readonly bodyOptional?: boolean;
  /** Checked by the handler (as a fixture is), not by `body`, which then only documents it. */
  readonly checksItself?: boolean;
  readonly bodyLimit?: number;
  readonly query?: readonly QueryParameter[];
  /** Every status it can send: a description, and the body's schema (none for 204). */
  readonly responses: Readonly<Record<number, readonly [description: string, schema?: TSchema]>>;
  handle(context: ControlContext): ControlAnswer;
}

const errorWords: Readonly<Record<number, string>> = {
  400: 'Malformed JSON body (BAD_REQUEST)',
  401: 'No or wrong admin token, when --admin-token is set (INVALID_CREDENTIALS)',
  402: 'The account cannot pay (INSUFFICIENT_BALANCE)',
  403: 'A browser page of an origin --control-origins does not allow, or a sub-account that may not place calls (ACCESS_DENIED)',
  404: 'Unknown account, call, rule or namespace (NOT_FOUND)',
  409: 'The auth_id exists (CONFLICT)',
  413: 'A body over the size limit (PAYLOAD_TOO_LARGE)',
  422: 'A field that is not as documented (VALIDATION_ERROR, details.errors[] names each and says what was expected)',
  429: 'Over concurrent_calls_limit or cps_limit (RATE_LIMIT_EXCEEDED, with Retry-After)',
  503: 'No room for another namespace (SERVICE_UNAVAILABLE, naming --max-namespaces)',
};

/** The error responses of a route, each in the envelope (401, 403 and 503 are every route's). */
export function errors(...statuses: number[]): Record<number, readonly [string, TSchema]> {
  return Object.fromEntries([...new Set([...statuses, 401, 403, 503])].sort().map((s) => [s, [errorWords[s] ?? 'Error', ErrorEnvelopeSchema] as const]));
}

/** A 422 for one field: what was expected there, in words. */
export function invalidField(field: string, message: string, code: 'INVALID_VALUE' | 'OUT_OF_RANGE' | 'INVALID_FORMAT' | 'REQUIRED' = 'INVALID_VALUE'): ApiError {
  return new ApiError('VALIDATION_ERROR', `${field}: ${message}`, { errors: [{ field, message, code }] });
}

/** A fixture's problems as a 422: the JSON path of each field (less `strip`), and what was expected there. */
export function fixtureFailure(issues: readonly { path: string; expected: string }[], strip = /^\$\.?/): ApiError {
  const errors = issues.map((i) => ({ field: i.path.replace(strip, '') || '(body)', message: `expected ${i.expected}`, code: 'INVALID_VALUE' }));
  return new ApiError('VALIDATION_ERROR', `${errors[0]!.field}: ${errors[0]!.message}`, { errors });
}

/** The account an auth_id names in a namespace, or a 404. */
export function accountIn(ns: Namespace, authId: string): StoredAccount {
  const account = ns.store.get(authId);
  if (!account) throw new ApiError('NOT_FOUND', `No account ${shortText(authId)} in namespace ${ns.name}`);
  return account;
}

/** The 404 for a currency an account holds no balance in, naming those it holds. */
export function noBalance(account: { readonly authId: string; readonly currencies: readonly string[] }, currency: string): ApiError {
  return new ApiError('NOT_FOUND', `${account.authId} holds no balance in ${shortText(currency)}; it holds ${account.currencies.join(', ')}`);
}

/** `page` (1-based) and `per_page` (1 to 1000) of a listing's query, or a 422 naming the parameter. */
export function pageQuery(query: Readonly<Record<string, string | undefined>>, fallback: number): { page: number; per_page: number } {
  const read = (name: 'page' | 'per_page', max: number, otherwise: number) => {
    const text = query[name];
    if (text === undefined) return otherwise;
    if (!/^\d{1,7}$/.test(text) || Number(text) < 1 || Number(text) > max) throw invalidField(name, `must be an integer from 1 to ${max}`, 'OUT_OF_RANGE');
    return Number(text);
  };
  return { page: read('page', 1_000_000, 1), per_page: read('per_page', 1000, fallback) };
}
