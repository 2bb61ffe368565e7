import type { ErrorCode, ErrorEnvelope } from './schemas/error.js';

interface CatalogueEntry {
  readonly status: number;
  readonly message: string;
  /** Other statuses an endpoint's own page documents for the same code. */
  readonly alsoAs?: readonly number[];
}

/**
 * The error catalogue: every error the emulator sends, by stable code. Handlers never build error bodies
 * themselves; they name a code here (and may add a message or details).
 */
export const errorCatalogue = {
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid or missing credentials: send X-Auth-ID and X-Auth-Token' },
  TOKEN_EXPIRED: { status: 401, message: 'Auth token has expired' },
  ACCOUNT_INACTIVE: { status: 403, message: 'Account is inactive. Contact support.' },
  IP_NOT_WHITELISTED: { status: 403, message: 'Client IP address is not allowed by the account IP whitelist' },
  ACCESS_DENIED: { status: 403, message: 'Access denied: account ID mismatch' },
  // The errors page says 402; the channel-subscriptions page says a purchase whose debit fails is a 400.
  INSUFFICIENT_BALANCE: { status: 402, message: 'Insufficient balance', alsoAs: [400] },
  BAD_REQUEST: { status: 400, message: 'Bad request' },
  NOT_FOUND: { status: 404, message: 'Resource not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, message: 'Not acceptable' },
  // Below the routes: answered for Node's parser (see src/server.ts).
  REQUEST_TIMEOUT: { status: 408, message: 'The request did not arrive in time' },
  CONFLICT: { status: 409, message: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported media type' },
  EXPECTATION_FAILED: { status: 417, message: 'Expectation failed' },
  REQUEST_HEADER_FIELDS_TOO_LARGE: { status: 431, message: 'Request headers are larger than 16 KB' },
  // The errors page says 422; the capacity pages document 400 for a bad resource_type or quantity.
  VALIDATION_ERROR: { status: 422, message: 'Validation failed', alsoAs: [400] },
  // The errors page: too many requests or calls (CPS, concurrency); details {limitType, limit, current, retryAfter}.
  RATE_LIMIT_EXCEEDED: { status: 429, message: 'Rate limit exceeded' },
  INTERNAL_ERROR: { status: 500, message: 'Internal server error' },
  // Statuses the errors page lists without codes; sent only by fault rules.
  BAD_GATEWAY: { status: 502, message: 'Bad gateway' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Service unavailable' },
  GATEWAY_TIMEOUT: { status: 504, message: 'Gateway timeout' },
} as const satisfies Record<ErrorCode, CatalogueEntry>;

/** The Content-Type of every body the emulator sends. */
export const jsonContentType = 'application/json; charset=utf-8';

/** GET /api/v1/auth/me documents its own 401 body, not the standard envelope. */
export const invalidCredentials = { status: 401, body: { error: 'unauthorized', message: 'invalid credentials' } } as const;

/** Each status's code: the first in the catalogue whose own status it is. */
const codeByStatus = new Map<number, ErrorCode>();
for (const [code, entry] of Object.entries(errorCatalogue) as [ErrorCode, CatalogueEntry][]) if (!codeByStatus.has(entry.status)) codeByStatus.set(entry.status, code);

/** The catalogue code for a bare status (a Fastify error's, a fault rule's): BAD_REQUEST or INTERNAL_ERROR when none has it. */
export function codeForStatus(status: number): ErrorCode {
  return codeByStatus.get(status) ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

/** The status a code is sent with: its own, or one of the alternatives its entry lists. */
export function statusOf(code: ErrorCode, status?: number): number {
  const entry: CatalogueEntry = errorCatalogue[code];
  return status !== undefined && entry.alsoAs?.includes(status) ? status : entry.status;
}

/** The standard envelope for a catalogue code, with its HTTP status. */
export function errorBody(
  code: ErrorCode,
  requestId: string,
  now: number,
  message?: string,
  details?: Record<string, unknown>,
  status?: number,
): { status: number; body: string } {
  const entry = errorCatalogue[code];
  const envelope: ErrorEnvelope = {
    status: 'error',
    error: { code, message: message ?? entry.message, ...(details ? { details } : {}) },
    timestamp: new Date(now).toISOString(),
    requestId,
  };
  // Built in the schema's field order, so JSON.stringify is the serializer. Details hold short values only
  // (see shownValue); should one ever not serialize, the envelope goes without them rather than not at all.
  let body: string;
  try {
    body = JSON.stringify(envelope);
  } catch {
    body = JSON.stringify({ ...envelope, error: { code, message: envelope.error.message } });
  }
  return { status: statusOf(code, status), body };
}

/** Thrown by handlers; the error handler turns it into the standard envelope. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;
  /** Response headers that go with it (Retry-After). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, headers?: Readonly<Record<string, string>>) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = errorCatalogue[code].status;
    this.details = details;
    this.headers = headers;
  }
}
