import { type Static, Type } from '@sinclair/typebox';
import { errorCodes } from './error.js';
import { Expected } from './expectation.js';
import { StringEnum } from './helpers.js';
import { Int } from './numbers.js';

/** The longest path glob a fault rule or a journal query takes. */
export const MAX_GLOB_LENGTH = 256;

/** An HTTP method, as a match names it. */
export const MethodName = Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z]+$', [Expected]: 'an HTTP method such as GET or POST' });
/** A path glob, as fault rules and journal queries take it. */
export const PathGlob = (description: string, examples: string[] = []) =>
  Type.String({
    minLength: 1,
    maxLength: MAX_GLOB_LENGTH,
    pattern: '^[/*]',
    [Expected]: `a path glob of at most ${MAX_GLOB_LENGTH} characters starting with / (or *), such as /api/v1/Account/*/balance/*`,
    description,
    ...(examples.length > 0 ? { examples } : {}),
  });
export const AuthIdMatch = Type.String({ minLength: 1, maxLength: 256 });

const match = (operations: readonly string[]) => Type.Object(
  {
    method: Type.Optional(MethodName),
    path: Type.Optional(PathGlob('A glob: * any run but /, ** any run.', ['/api/v1/Account/*/balance/*'])),
    operation: Type.Optional(StringEnum(operations, { description: "An operationId of the Vobiz document; a path alias's operation (getBalanceLowercase) is matched by its own id or its operation's (getBalance).", examples: ['getBalance'] })),
    auth_id: Type.Optional(AuthIdMatch),
  },
  { additionalProperties: false },
);

/** A fault rule as a client gives it; `operations`: the operationIds its match may name. */
export const faultInputSchema = (operations: readonly string[]) =>
  Type.Object(
  {
    match: Type.Optional(match(operations)),
    effect: Type.Object(
      {
        status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })),
        code: Type.Optional(StringEnum(errorCodes)),
        message: Type.Optional(Type.String({ maxLength: 500 })),
        retry_after: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
        delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
        drop: Type.Optional(StringEnum(['reset', 'empty', 'truncated'] as const)),
      },
      { additionalProperties: false },
    ),
    after: Type.Optional(Int()),
    times: Type.Optional(Int({ minimum: 1 })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295 })),
    ttl_ms: Type.Optional(Int({ minimum: 1, description: 'Milliseconds, real time (at most about 24.8 days).' })),
  },
  { $id: 'MockFaultInput', additionalProperties: false },
);

/** A fault rule as a client gives it (its match's operation: any operationId). */
export type FaultInput = Static<ReturnType<typeof faultInputSchema>>;
export type FaultEffect = FaultInput['effect'];
export type FaultMatch = NonNullable<FaultInput['match']>;
