import { type Static, Type } from '@sinclair/typebox';
import { StringEnum } from './helpers.js';

/** Every code of the standard envelope; HTTP statuses and messages live in src/errors.ts. */
export const errorCodes = [
  'INVALID_CREDENTIALS',
  'TOKEN_EXPIRED',
  'ACCOUNT_INACTIVE',
  'IP_NOT_WHITELISTED',
  'ACCESS_DENIED',
  'INSUFFICIENT_BALANCE',
  'BAD_REQUEST',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'NOT_ACCEPTABLE',
  'REQUEST_TIMEOUT',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'EXPECTATION_FAILED',
  'REQUEST_HEADER_FIELDS_TOO_LARGE',
  'VALIDATION_ERROR',
  'RATE_LIMIT_EXCEEDED',
  'INTERNAL_ERROR',
  'BAD_GATEWAY',
  'SERVICE_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** The documented "standard" error envelope (errors page). */
export const ErrorEnvelopeSchema = Type.Object(
  {
    status: Type.Literal('error'),
    error: Type.Object(
      {
        code: StringEnum(errorCodes),
        message: Type.String(),
        details: Type.Optional(Type.Object({}, { additionalProperties: true })),
      },
      { additionalProperties: false },
    ),
    timestamp: Type.String({ format: 'date-time' }),
    requestId: Type.String({ description: 'Also sent as the X-Request-Id response header.' }),
  },
  { $id: 'ErrorEnvelope', additionalProperties: false, description: 'Standard Vobiz error envelope.' },
);

export type ErrorEnvelope = Static<typeof ErrorEnvelopeSchema>;

/** The body GET /api/v1/auth/me documents for a missing or invalid credential pair. */
export const InvalidCredentialsSchema = Type.Object(
  {
    error: Type.Literal('unauthorized'),
    message: Type.Literal('invalid credentials'),
  },
  { $id: 'InvalidCredentials', additionalProperties: false, description: '401 body of GET /api/v1/auth/me.' },
);

export type InvalidCredentials = Static<typeof InvalidCredentialsSchema>;

/** The transactions endpoint's documented 401 and 403 bodies: a numeric code and a message. */
export const NumericErrorSchema = Type.Object(
  {
    error: Type.Object(
      { code: Type.Integer({ examples: [403] }), message: Type.String({ examples: ['Access denied: account ID mismatch'] }) },
      { additionalProperties: false },
    ),
  },
  { $id: 'NumericError', additionalProperties: false, description: '401/403 body of the transactions endpoints.' },
);

/** The transactions endpoint's documented 400 body: a message alone. */
export const PlainErrorSchema = Type.Object(
  { error: Type.String({ examples: ['invalid from_date "yesterday": expected YYYY-MM-DD or an RFC 3339 date-time'] }) },
  { $id: 'PlainError', additionalProperties: false, description: '400 body of the transactions endpoints.' },
);
