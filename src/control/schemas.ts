import { type Static, Type } from '@sinclair/typebox';
import { AccountSchema } from '../schemas/account.js';
import { Expected } from '../schemas/expectation.js';
import { AuthTokenString, CurrencyCode, Nullable, StringEnum } from '../schemas/helpers.js';
import { Int, Money } from '../schemas/numbers.js';
import { operationIds } from '../api/index.js';
import { AuthIdMatch, faultInputSchema, MethodName, PathGlob } from '../schemas/faults.js';
import { instantExpected } from '../schemas/instant.js';

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
    last_used: Type.String({ format: 'date-time', description: 'When a request last began or ended in it (real time): an idle namespace expires.' }),
  },
  { $id: 'MockNamespace' },
);

export const NamespaceListSchema = Type.Object(
  {
    namespaces: Type.Array(Type.Ref(NamespaceSchema)),
    total: Type.Integer({ description: 'Namespaces in all.' }),
    page: Type.Integer(),
    per_page: Type.Integer(),
    limits: Type.Object(
      { max_namespaces: Type.Integer({ description: '--max-namespaces' }), idle_seconds: Type.Integer({ description: '--namespace-ttl (0: never dropped)' }) },
      { description: 'The bounds namespaces live within.' },
    ),
  },
  { $id: 'MockNamespaceList' },
);

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

export type CreateAccount = Static<typeof CreateAccountSchema>;

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

export const AccountRowSchema = Type.Object(
  {
    auth_id: Type.String(),
    name: Type.String(),
    billing: StringEnum(['prepaid', 'postpaid', 'trial'] as const, { description: 'trial when is_trial_account, else as postpaid says.' }),
    currency: Type.String({ description: "The pricing tier's currency." }),
    balance: Type.Union([Type.Number(), Type.Null()], { description: 'The balance in that currency (null: it holds none).' }),
    concurrent_calls_limit: Type.Integer(),
    cps_limit: Type.Integer(),
    live_calls: Type.Integer(),
    enabled: Type.Boolean(),
    sub_accounts: Type.Integer(),
    origin: Type.String({ description: 'Where it was defined: a fixture file, "generated #N (seed S)", "control plane" or "snapshot".' }),
  },
  { $id: 'MockAccountRow' },
);
export type AccountRow = Static<typeof AccountRowSchema>;

export const AccountListSchema = Type.Object(
  {
    accounts: Type.Array(Type.Ref(AccountRowSchema)),
    total: Type.Integer({ description: 'Accounts that match (all of them without q).' }),
    page: Type.Integer(),
    per_page: Type.Integer(),
    complete: Type.Boolean({ description: 'false when a search stopped before the end (it looks for 100 ms at most): total counts what it found.' }),
  },
  { $id: 'MockAccountList' },
);

export const CredentialsSchema = Type.Object(
  {
    auth_id: Type.String(),
    auth_token: Type.String({ description: 'The X-Auth-Token (the published seeds\' tokens, or the one it was given).' }),
    basic: Type.String({ description: 'An Authorization header value: Basic base64(auth_id:auth_token).' }),
    bearer: Type.String({ description: 'A Bearer token (the emulator\'s HS256 JWT, key "vobiz-mock") for the calls that take one.' }),
    bearer_expires_at: Type.String({ format: 'date-time', description: 'An hour after now on the namespace clock.' }),
  },
  { $id: 'MockCredentials' },
);

const KycState = StringEnum(['not_started', 'pending', 'verified', 'failed'] as const);

export const SubAccountSummaryListSchema = Type.Object(
  {
    sub_accounts: Type.Array(
      Type.Object({
        auth_id: Type.String(),
        auth_token: Type.String(),
        name: Type.String(),
        enabled: Type.Boolean(),
        kyc_mode: StringEnum(['personal_use', 'customer_use'] as const),
        business_type: Nullable(Type.String()),
        kyc: Type.Object({ pan: KycState, gst: KycState, aadhaar: KycState, cin: KycState }, { description: 'Each KYC check (customer_use sub-accounts go through them).' }),
        kyc_status: KycState,
        kyc_calls_blocked: Type.Boolean({ description: 'Whether its calls are refused until KYC is verified.' }),
        created_at: Type.String({ format: 'date-time' }),
        last_used: Nullable(Type.String({ format: 'date-time' })),
      }),
    ),
  },
  { $id: 'MockSubAccountSummaryList' },
);

export const BalanceHistorySchema = Type.Object(
  {
    auth_id: Type.String(),
    currency: Type.String(),
    points: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), balance: Type.Number() })),
  },
  { $id: 'MockBalanceHistory' },
);

export const SetBalanceSchema = Type.Object({ balance: Money({ examples: [500] }) }, { $id: 'MockSetBalance', additionalProperties: false });
export type SetBalance = Static<typeof SetBalanceSchema>;

export const StartCallSchema = Type.Object(
  {
    duration_seconds: Type.Optional(Int({ maximum: 86_400, description: 'A finished call of this length, charged now. Without it: a live call.' })),
  },
  { $id: 'MockStartCall', additionalProperties: false },
);
export type StartCall = Static<typeof StartCallSchema>;

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
    sub_auth_id: Type.Optional(Type.String({ description: 'The sub-account that placed it (charged to, and counted against, auth_id: its parent).' })),
  },
  { $id: 'MockCall' },
);
export type Call = Static<typeof CallSchema>;

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
export type ClockChange = Static<typeof ClockChangeSchema>;

export const ClockSchema = Type.Object(
  {
    mode: StringEnum(['real', 'frozen'] as const),
    now: Type.String({ format: 'date-time' }),
    renewals: Type.Optional(Type.Object({ renewed: Type.Integer(), failed: Type.Integer() }, { description: 'What an advance applied on the way.' })),
  },
  { $id: 'MockClock' },
);
export type Clock = Static<typeof ClockSchema>;

/** A fault rule as it is given: its match offers the operationIds of the Vobiz document. */
export const FaultInputSchema = faultInputSchema(operationIds);

export type FaultRuleInput = Static<typeof FaultInputSchema>;

export const FaultSchema = Type.Object(
  {
    id: Type.String({ examples: ['fault_1'] }),
    ...FaultInputSchema.properties,
    hits: Type.Integer({ description: 'Calls it was applied to.' }),
    matched: Type.Integer({ description: 'Calls that matched it (after, times and probability decide which it applies to).' }),
    created_at: Type.String({ format: 'date-time', description: 'Real time (ttl_ms runs in real time).' }),
  },
  { $id: 'MockFault', additionalProperties: false, description: 'The rule as given, with its id and counts.' },
);
export type Fault = Static<typeof FaultSchema>;

export const FaultListSchema = Type.Object({ faults: Type.Array(Type.Ref(FaultSchema)) }, { $id: 'MockFaultList' });

export const RequestMatchSchema = Type.Object(
  {
    method: Type.Optional(MethodName),
    path: Type.Optional(PathGlob('A glob over the path, as fault rules.')),
    status: Type.Optional(Type.Integer({ minimum: 0, maximum: 599 })),
    auth_id: Type.Optional(AuthIdMatch),
  },
  { $id: 'MockRequestMatch', additionalProperties: false },
);
export type RequestMatch = Static<typeof RequestMatchSchema>;

export const RequestCountSchema = Type.Object({ count: Type.Integer() }, { $id: 'MockRequestCount' });

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
export type Verify = Static<typeof VerifySchema>;

export const VerifiedSchema = Type.Object({ count: Type.Integer(), verified: Type.Literal(true) }, { $id: 'MockVerified' });

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
export type RecordedRequest = Static<typeof RecordedSchema>;

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
export type Snapshot = Static<typeof SnapshotSchema>;

export const controlSchemas = [
  NamespaceSchema,
  NamespaceListSchema,
  CreateAccountSchema,
  CreatedAccountSchema,
  AccountPatchSchema,
  AccountStateSchema,
  AccountRowSchema,
  AccountListSchema,
  CredentialsSchema,
  SubAccountSummaryListSchema,
  BalanceHistorySchema,
  SetBalanceSchema,
  StartCallSchema,
  CallSchema,
  ClockChangeSchema,
  ClockSchema,
  FaultInputSchema,
  FaultSchema,
  FaultListSchema,
  RequestMatchSchema,
  RequestCountSchema,
  VerifiedSchema,
  VerifySchema,
  RecordedSchema,
  RequestListSchema,
  SnapshotSchema,
];
