import { Type } from '@sinclair/typebox';
import { AccountSchema } from '../schemas/account.js';
import { errorCodes } from '../schemas/error.js';
import { Expected } from '../schemas/expectation.js';
import { AuthTokenString, CurrencyCode, Nullable, StringEnum } from '../schemas/helpers.js';
import { Int, Money } from '../schemas/numbers.js';
import { operationIds } from '../operations/index.js';
import { MAX_GLOB_LENGTH } from '../world/glob.js';
import { instantExpected } from '../store/time.js';

/** The control plane's own schemas: request bodies (checked) and responses (documented). */

const When = (example: string) => Type.String({ format: 'date-time', examples: [example] });

export const NamespaceSchema = Type.Object(
  {
    name: Type.String({ examples: ['worker-1'] }),
    accounts: Type.Integer({ description: 'Accounts the namespace has (seeds, less removed, plus added).' }),
    accounts_in_memory: Type.Integer({ description: 'Accounts it has made so far (copy-on-write: the others are still its seeds).' }),
    journal: Type.Object({ held: Type.Integer(), total: Type.Integer(), dropped: Type.Integer() }),
    faults: Type.Integer(),
    live_calls: Type.Integer(),
    clock: Type.Object({ mode: StringEnum(['real', 'frozen'] as const), now: Type.String({ format: 'date-time' }) }),
  },
  { $id: 'MockNamespace' },
);

export const NamespaceListSchema = Type.Object({ namespaces: Type.Array(Type.Ref(NamespaceSchema)) }, { $id: 'MockNamespaceList' });

export const CreateAccountSchema = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'The auth_id of an account to copy the profile of (not its ledger).', examples: ['MA_POSTPAID'] })),
    account: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Account fields to set (auth_id included); checked as a fixture is.' })),
    auth_token: Type.Optional(AuthTokenString({ description: 'Default: a new random token.' })),
    balances: Type.Optional(
      Type.Array(Type.Object({ currency: CurrencyCode(), balance: Money() }, { additionalProperties: false }), {
        description: 'Opening balances (default: 0 in the pricing tier currency).',
      }),
    ),
  },
  { $id: 'MockCreateAccount', additionalProperties: false },
);

export const CreatedAccountSchema = Type.Object(
  { auth_id: Type.String(), auth_token: Type.String(), account: Type.Ref('Account') },
  { $id: 'MockCreatedAccount' },
);

export const AccountPatchSchema = Type.Object(
  { ...Type.Partial(AccountSchema).properties, auth_token: Type.Optional(AuthTokenString({ description: 'A new X-Auth-Token.' })) },
  { $id: 'MockAccountPatch', additionalProperties: false, description: 'Any Account fields (derived ones must agree, auth_id cannot change), and auth_token.' },
);

export const AccountStateSchema = Type.Object(
  {
    auth_id: Type.String(),
    account: Type.Ref('Account'),
    balances: Type.Array(Type.Ref('Balance')),
    subscriptions: Type.Array(Type.Ref('ChannelSubscription')),
    live_calls: Type.Array(Type.Object({ id: Type.String(), started_at: Type.String({ format: 'date-time' }) })),
  },
  { $id: 'MockAccountState', description: 'What the emulated API shows of an account, and what it does not: its subscriptions and live calls.' },
);

export const SetBalanceSchema = Type.Object({ balance: Money({ examples: [500] }) }, { $id: 'MockSetBalance', additionalProperties: false });

export const StartCallSchema = Type.Object(
  {
    duration_seconds: Type.Optional(Int({ maximum: 86_400, description: 'A finished call of this length, charged now. Without it: a live call.' })),
  },
  { $id: 'MockStartCall', additionalProperties: false },
);

export const CallSchema = Type.Object(
  {
    id: Type.String(),
    auth_id: Type.String(),
    status: StringEnum(['live', 'completed'] as const),
    started_at: When('2026-07-16T10:00:00.000Z'),
    ended_at: Nullable(Type.String({ format: 'date-time' })),
    duration_seconds: Type.Union([Type.Integer(), Type.Null()]),
    billable_seconds: Type.Union([Type.Integer(), Type.Null()]),
    charge: Nullable(Type.String({ description: 'Decimal string, as monthly_cost.', examples: ['0.90'] })),
    currency: Type.String(),
    transaction_id: Nullable(Type.String()),
  },
  { $id: 'MockCall' },
);

export const ClockChangeSchema = Type.Object(
  {
    freeze: Type.Optional(
      Type.String({ format: 'date-time', [Expected]: `${instantExpected}, from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z`, description: 'Stop the clock at this instant, past or future (0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z).' }),
    ),
    advance: Type.Optional(
      Type.Union([Type.String({ description: 'An ISO 8601 duration: P30D, PT1H30M, P1DT12H.' }), Type.Number({ minimum: 0, description: 'Seconds.' })], {
        [Expected]: 'a number of seconds (0 or more) or an ISO 8601 duration in weeks, days, hours, minutes and seconds such as P30D or PT1H30M',
      }),
    ),
    real: Type.Optional(Type.Literal(true, { description: 'Run again from the instant shown.' })),
  },
  { $id: 'MockClockChange', additionalProperties: false },
);

export const ClockSchema = Type.Object(
  {
    mode: StringEnum(['real', 'frozen'] as const),
    now: Type.String({ format: 'date-time' }),
    renewals: Type.Optional(Type.Object({ renewed: Type.Integer(), failed: Type.Integer() }, { description: 'What an advance applied on the way.' })),
  },
  { $id: 'MockClock' },
);

const Method = Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z]+$', [Expected]: 'an HTTP method such as GET or POST' });
const PathGlob = (description: string, examples: string[] = []) =>
  Type.String({
    minLength: 1,
    maxLength: MAX_GLOB_LENGTH,
    pattern: '^[/*]',
    [Expected]: `a path glob of at most ${MAX_GLOB_LENGTH} characters starting with / (or *), such as /api/v1/Account/*/balance/*`,
    description,
    ...(examples.length > 0 ? { examples } : {}),
  });
const AuthIdMatch = Type.String({ minLength: 1, maxLength: 256 });

const Match = Type.Object(
  {
    method: Type.Optional(Method),
    path: Type.Optional(PathGlob('A glob: * any run but /, ** any run.', ['/api/v1/Account/*/balance/*'])),
    operation: Type.Optional(StringEnum(operationIds, { description: "An operationId of the Vobiz document; a path alias's operation (getBalanceLowercase) is matched by its own id or its operation's (getBalance).", examples: ['getBalance'] })),
    auth_id: Type.Optional(AuthIdMatch),
  },
  { additionalProperties: false },
);

export const FaultInputSchema = Type.Object(
  {
    match: Type.Optional(Match),
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

export const FaultSchema = Type.Object(
  { id: Type.String(), hits: Type.Integer(), matched: Type.Integer(), created_at: Type.String({ format: 'date-time' }) },
  { $id: 'MockFault', additionalProperties: true, description: 'The rule as given, with its id and counts.' },
);

export const RequestMatchSchema = Type.Object(
  {
    method: Type.Optional(Method),
    path: Type.Optional(PathGlob('A glob over the path, as fault rules.')),
    status: Type.Optional(Type.Integer({ minimum: 0, maximum: 599 })),
    auth_id: Type.Optional(AuthIdMatch),
  },
  { $id: 'MockRequestMatch', additionalProperties: false },
);

export const VerifySchema = Type.Object(
  {
    match: Type.Optional(RequestMatchSchema),
    times: Type.Object(
      { exactly: Type.Optional(Int()), at_least: Type.Optional(Int()), at_most: Type.Optional(Int()) },
      { additionalProperties: false },
    ),
  },
  { $id: 'MockVerify', additionalProperties: false },
);

export const RecordedSchema = Type.Object(
  {
    id: Type.Integer(),
    time: Type.String({ format: 'date-time' }),
    method: Type.String(),
    path: Type.String(),
    query: Type.String(),
    operation: Nullable(Type.String()),
    status: Type.Integer(),
    duration_ms: Type.Number(),
    auth_id: Nullable(Type.String()),
    fault: Nullable(Type.String()),
    headers: Type.Record(Type.String(), Type.Unknown(), { description: 'Redacted as log lines are.' }),
    body: Nullable(Type.String()),
  },
  { $id: 'MockRecordedRequest' },
);

export const RequestListSchema = Type.Object(
  {
    requests: Type.Array(Type.Ref(RecordedSchema)),
    meta: Type.Object({ total: Type.Integer(), dropped: Type.Integer(), held: Type.Integer(), returned: Type.Integer() }),
  },
  { $id: 'MockRequestList' },
);

export const SnapshotSchema = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    namespace: Type.Optional(Type.String({ description: 'Where it was taken (ignored when loaded: it is loaded into the namespace of the request).' })),
    clock: Type.Object({ mode: StringEnum(['real', 'frozen'] as const), now: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
    accounts: Type.Array(Type.Object({}, { additionalProperties: true }), {
      description: "Every account the namespace has made, as fixture files (FixtureFile): the others are its seeds. A seeded account's auth_token is left out (taken from its seed when loaded).",
    }),
    removed: Type.Optional(Type.Array(Type.String(), { description: 'Seeded accounts the namespace removed.' })),
    live_calls: Type.Optional(
      Type.Array(Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }), auth_id: Type.String({ minLength: 1, maxLength: 256 }), started_at: Type.String({ format: 'date-time' }) }, { additionalProperties: false }), {
        description: 'Calls in progress started by the control plane; each counts in its account\'s live_calls (accounts[].live_calls, or its seed\'s).',
      }),
    ),
  },
  { $id: 'MockSnapshot', additionalProperties: false, description: "A namespace's state: accounts (as fixture files), removed seeds, clock and live calls. Faults and the journal are not state." },
);

export const controlSchemas = [
  NamespaceSchema,
  NamespaceListSchema,
  CreateAccountSchema,
  CreatedAccountSchema,
  AccountPatchSchema,
  AccountStateSchema,
  SetBalanceSchema,
  StartCallSchema,
  CallSchema,
  ClockChangeSchema,
  ClockSchema,
  FaultInputSchema,
  FaultSchema,
  RequestMatchSchema,
  VerifySchema,
  RecordedSchema,
  RequestListSchema,
  SnapshotSchema,
];
