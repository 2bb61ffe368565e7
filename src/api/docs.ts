import { type TSchema, Type } from '@sinclair/typebox';
import { errorCatalogue, statusOf } from '../errors.js';
import { type ErrorCode, ErrorEnvelopeSchema, NumericErrorSchema, PlainErrorSchema } from '../schemas/error.js';

/** One documented response: its schema and named examples (Swagger UI shows each by name). */
export interface ResponseDoc {
  readonly description: string;
  readonly schema: TSchema;
  readonly examples: Readonly<Record<string, unknown>>;
  /** Response headers beyond X-Request-Id (which every response carries). */
  readonly headers?: Readonly<Record<string, TSchema>>;
}

export const response = (description: string, schema: TSchema, examples: Record<string, unknown>, headers?: Record<string, TSchema>): ResponseDoc => ({
  description,
  schema,
  examples,
  ...(headers ? { headers } : {}),
});

/** The header every response carries. */
export const requestIdHeader = Type.String({ description: "The request's id: the caller's own X-Request-Id when safe to echo, else req_ and 12 hex digits." });

const exampleTime = '2026-11-22T12:00:00.000Z';
const exampleId = 'req_00000000002a';

/** The envelope a code is sent in, as a documentation example. */
export function envelopeExample(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
  return {
    status: 'error',
    error: { code, message: message ?? errorCatalogue[code].message, ...(details ? { details } : {}) },
    timestamp: exampleTime,
    requestId: exampleId,
  };
}

export type Example = readonly [ErrorCode, (string | undefined)?, Record<string, unknown>?];

/** A response in the standard envelope, with one example for each code it can carry, named by the code. */
export function envelopeResponse(description: string, ...examples: Example[]): ResponseDoc {
  return response(description, Type.Ref(ErrorEnvelopeSchema), Object.fromEntries(examples.map(([code, message, details]) => [code, envelopeExample(code, message, details)])));
}

/** The transactions pages' 401/403 body, with an example for each code. */
export function numericResponse(description: string, ...codes: readonly [ErrorCode, string?][]): ResponseDoc {
  return response(
    description,
    Type.Ref(NumericErrorSchema),
    Object.fromEntries(codes.map(([code, message]) => [code, { error: { code: statusOf(code), message: message ?? errorCatalogue[code].message } }])),
  );
}

/** The transactions pages' 400 body. */
export function plainResponse(description: string, ...messages: string[]): ResponseDoc {
  return response(description, Type.Ref(PlainErrorSchema), Object.fromEntries(messages.map((error, i) => [`example${i + 1}`, { error }])));
}

/** The 403s every account-area endpoint can send besides its own. */
export const forbiddenExamples: Example[] = [
  ['ACCESS_DENIED'],
  ['ACCOUNT_INACTIVE'],
  ['IP_NOT_WHITELISTED', 'Client IP address 198.51.100.7 is not allowed by the account IP whitelist'],
];

export const internalError = envelopeResponse('Unexpected error (INTERNAL_ERROR)', ['INTERNAL_ERROR']);

export const AuthIdParam = Type.String({ description: 'The Auth ID of the authenticated account (MA_...); any other is 403.', examples: ['MA_POSTPAID'] });
