import type { IncomingHttpHeaders } from 'node:http';
import type { TSchema } from '@sinclair/typebox';
import { errorBody, errorCatalogue, invalidCredentials, statusOf } from '../errors.js';
import type { ErrorCode } from '../schemas/error.js';
import type { Account } from '../domain/account.js';
import type { SubAccountFacts } from '../domain/sub-accounts.js';
import type { ResponseDoc } from './docs.js';

/** A request as every operation sees it, whichever way it came in (Fastify, or the node:http fast path). */
export interface OpRequest {
  /** Decoded path parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** The raw query string, without "?"; "" when there is none. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly ip: string | undefined;
  /** The raw body text of a JSON request; undefined when there is none. */
  readonly body: string | undefined;
  readonly requestId: string;
}

/**
 * What an operation answers: the adapters add X-Request-Id, Content-Type and Content-Length. A body is text,
 * or bytes a view keeps (a body asked for again and again is encoded once, not on every request).
 */
export interface OpResponse {
  readonly status: number;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A catalogue error an operation answers with; its endpoint's error style decides the body's shape. */
export class Failure {
  constructor(
    readonly code: ErrorCode,
    readonly message?: string,
    readonly details?: Record<string, unknown>,
    /** One of the code's documented alternative statuses (see the catalogue's alsoAs). */
    readonly status?: number,
  ) {}
}

import type { Env } from '../domain/store.js';

export type { Env };

/** Credentials an endpoint accepts: the X-Auth pair always; HTTP Basic and Bearer where its page says so. */
export type Scheme = 'pair' | 'basic' | 'bearer';

/**
 * How an endpoint's errors look on the wire. `envelope`: the standard envelope. `auth-me`: /auth/me's own 401
 * body for bad credentials, the envelope otherwise. `transactions`: the transactions pages' bodies, a numeric
 * code for 401/403 and a bare message for 400, the envelope otherwise.
 */
export type ErrorStyle = 'envelope' | 'auth-me' | 'transactions';

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify-style paths (`:param`), each with its own operationId in the OpenAPI document. */
  readonly routes: readonly { readonly url: string; readonly operationId: string; readonly note?: string }[];
  readonly auth: readonly Scheme[];
  readonly errorStyle: ErrorStyle;
  /** The OpenAPI description: every status the operation can send. */
  readonly doc: {
    readonly tags: readonly string[];
    readonly summary: string;
    readonly description: string;
    readonly params?: TSchema;
    readonly querystring?: TSchema;
    readonly body?: TSchema;
    readonly responses: Readonly<Record<number, ResponseDoc>>;
  };
  /** Whether a sub-account's own credentials may call it (handle is then given the sub-account); otherwise they are 403. */
  readonly subAccounts?: boolean;
  /** Served, but left out of the OpenAPI document and the operations fault rules name (the wrong-casing paths). */
  readonly hidden?: boolean;
  /** The credential it takes instead of the usual ones: a refresh token as `Authorization: Bearer` (POST /api/v1/auth/refresh). */
  readonly credential?: 'refresh-token';
  /** A path auth_id that is not the caller's: 403 ACCESS_DENIED (the account calls), or 404 NOT_FOUND (the sub-account calls). */
  readonly otherAccount?: 'forbidden' | 'not-found';
  handle(account: Account, request: OpRequest, env: Env, sub?: SubAccountFacts): OpResponse | Failure;
}

const badPairBody = JSON.stringify(invalidCredentials.body);
const numeric = (status: number, message: string) => JSON.stringify({ error: { code: status, message } });

/** A failure in an endpoint's error style. */
export function renderFailure(style: ErrorStyle, failure: Failure, requestId: string, now: number): OpResponse {
  const { code, message, details } = failure;
  if (style === 'auth-me' && code === 'INVALID_CREDENTIALS') return { status: invalidCredentials.status, body: badPairBody };
  if (style === 'transactions') {
    const status = statusOf(code, failure.status);
    // The transactions page documents "Invalid token" for any bad credential.
    if (status === 401 || status === 403) return { status, body: numeric(status, code === 'INVALID_CREDENTIALS' ? 'Invalid token' : (message ?? errorCatalogue[code].message)) };
    if (status === 400) return { status, body: JSON.stringify({ error: message ?? errorCatalogue[code].message }) };
  }
  return errorBody(code, requestId, now, message, details, failure.status);
}
