import type { TSchema } from '@sinclair/typebox';
import { AccountSchema } from '../schemas/account.js';
import { BalanceSchema } from '../schemas/balance.js';
import { ChannelSubscriptionSchema } from '../schemas/capacity.js';
import { ErrorEnvelopeSchema } from '../schemas/error.js';
import { PricingTierSchema } from '../schemas/pricing-tier.js';
import { version } from '../version.js';
import {
  AccountPatchSchema,
  AccountStateSchema,
  CallSchema,
  ClockChangeSchema,
  ClockSchema,
  controlSchemas,
  CreateAccountSchema,
  CreatedAccountSchema,
  FaultInputSchema,
  FaultSchema,
  NamespaceListSchema,
  RequestListSchema,
  RequestMatchSchema,
  SetBalanceSchema,
  SnapshotSchema,
  StartCallSchema,
  VerifySchema,
} from './schemas.js';

export const CONTROL_PREFIX = '/__mock/v1';

interface RouteDoc {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Under the prefix, OpenAPI style ({param}). */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly body?: TSchema;
  readonly query?: readonly { name: string; description: string; schema: object }[];
  /** Status to [description, schema or undefined for no body]. */
  readonly responses: Readonly<Record<number, readonly [string, TSchema | undefined]>>;
}

const ref = (schema: TSchema) => ({ $ref: `#/components/schemas/${schema.$id}` });
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, [{ 400: 'Malformed JSON body (BAD_REQUEST)', 401: 'No or wrong admin token, when --admin-token is set (INVALID_CREDENTIALS)', 404: 'Unknown account, call, rule or namespace (NOT_FOUND)', 409: 'The auth_id exists (CONFLICT)', 402: 'The account cannot pay (INSUFFICIENT_BALANCE)', 422: 'A field that is not as documented (VALIDATION_ERROR, details.errors[] names each)', 429: 'Over concurrent_calls_limit or cps_limit (RATE_LIMIT_EXCEEDED, with Retry-After)' }[s] ?? 'Error', ErrorEnvelopeSchema] as const]));

/** Every control-plane route, as the OpenAPI document shows it; a test checks it against the routes registered. */
export const controlRoutes: readonly RouteDoc[] = [
  { method: 'post', path: '/reset', operationId: 'reset', tag: 'Namespaces', summary: 'The namespace back to its seeds: state, clock, faults, journal', responses: { 204: ['Reset', undefined], ...errors(401) } },
  { method: 'get', path: '/namespaces', operationId: 'listNamespaces', tag: 'Namespaces', summary: 'Every namespace made so far, with its sizes', responses: { 200: ['The namespaces', NamespaceListSchema], ...errors(401) } },
  { method: 'delete', path: '/namespaces/{ns}', operationId: 'dropNamespace', tag: 'Namespaces', summary: 'Drop a namespace (default: reset)', responses: { 204: ['Dropped', undefined], ...errors(401, 404) } },
  { method: 'post', path: '/accounts', operationId: 'createAccount', tag: 'Accounts', summary: 'A new account (optionally a copy of another), checked as a fixture is', body: CreateAccountSchema, responses: { 201: ['The account and its credentials', CreatedAccountSchema], ...errors(400, 401, 404, 409, 422) } },
  { method: 'get', path: '/accounts/{auth_id}', operationId: 'getAccountState', tag: 'Accounts', summary: "An account's whole state: profile, balances, subscriptions, live calls", responses: { 200: ['The state', AccountStateSchema], ...errors(401, 404) } },
  { method: 'patch', path: '/accounts/{auth_id}', operationId: 'updateAccount', tag: 'Accounts', summary: 'Change an account: a partial Account (and auth_token), checked as a fixture is', body: AccountPatchSchema, responses: { 200: ['The account as /auth/me now shows it', AccountSchema], ...errors(400, 401, 404, 422) } },
  { method: 'delete', path: '/accounts/{auth_id}', operationId: 'deleteAccount', tag: 'Accounts', summary: 'Remove an account', responses: { 204: ['Removed', undefined], ...errors(401, 404) } },
  { method: 'put', path: '/accounts/{auth_id}/balances/{currency}', operationId: 'setBalance', tag: 'Accounts', summary: 'Set a balance exactly, through one adjustment ledger entry', body: SetBalanceSchema, responses: { 200: ['The balance', BalanceSchema], ...errors(400, 401, 404, 422) } },
  { method: 'post', path: '/accounts/{auth_id}/calls', operationId: 'startCall', tag: 'Calls', summary: 'A call: finished and charged (duration_seconds), or live until ended', body: StartCallSchema, responses: { 201: ['The call', CallSchema], ...errors(400, 401, 402, 404, 422, 429) } },
  {
    method: 'delete',
    path: '/calls/{id}',
    operationId: 'endCall',
    tag: 'Calls',
    summary: 'End a live call: charged for the clock time elapsed, or ?duration_seconds',
    query: [{ name: 'duration_seconds', description: 'The call length to charge instead of the time elapsed.', schema: { type: 'integer', minimum: 0, maximum: 86400 } }],
    responses: { 200: ['The completed call', CallSchema], ...errors(401, 404, 422) },
  },
  { method: 'get', path: '/clock', operationId: 'getClock', tag: 'Clock', summary: "The namespace's clock", responses: { 200: ['The clock', ClockSchema], ...errors(401) } },
  { method: 'post', path: '/clock', operationId: 'setClock', tag: 'Clock', summary: 'Freeze, advance (applying renewals on the way) or run the clock', body: ClockChangeSchema, responses: { 200: ['The clock', ClockSchema], ...errors(400, 401, 422) } },
  { method: 'post', path: '/faults', operationId: 'addFault', tag: 'Faults', summary: 'A fault rule: match, effect, after, times, probability and seed, ttl_ms', body: FaultInputSchema, responses: { 201: ['The rule', FaultSchema], ...errors(400, 401, 422) } },
  { method: 'get', path: '/faults', operationId: 'listFaults', tag: 'Faults', summary: 'The rules, with hit counts', responses: { 200: ['The rules', undefined], ...errors(401) } },
  { method: 'delete', path: '/faults', operationId: 'clearFaults', tag: 'Faults', summary: 'Remove every rule', responses: { 204: ['Removed', undefined], ...errors(401) } },
  { method: 'delete', path: '/faults/{id}', operationId: 'deleteFault', tag: 'Faults', summary: 'Remove a rule', responses: { 204: ['Removed', undefined], ...errors(401, 404) } },
  { method: 'get', path: '/snapshot', operationId: 'getSnapshot', tag: 'Snapshot', summary: "The namespace's whole state as JSON: accounts as fixture files, removed seeds, clock, live calls", responses: { 200: ['The snapshot', SnapshotSchema], ...errors(401) } },
  { method: 'put', path: '/snapshot', operationId: 'putSnapshot', tag: 'Snapshot', summary: 'Load a snapshot into the namespace (every account checked as a fixture; nothing changes on an error)', body: SnapshotSchema, responses: { 204: ['Loaded', undefined], ...errors(400, 401, 422) } },
  {
    method: 'get',
    path: '/requests',
    operationId: 'listRequests',
    tag: 'Journal',
    summary: 'The journal: the last requests of the emulated API, oldest first, credentials redacted',
    query: [
      { name: 'limit', description: 'The newest N (default 100).', schema: { type: 'integer', minimum: 1 } },
      { name: 'since', description: 'After this entry id, or from this ISO 8601 time.', schema: { type: 'string' } },
      { name: 'path', description: 'A glob over the path.', schema: { type: 'string' } },
      { name: 'status', description: 'Only this status.', schema: { type: 'integer' } },
      { name: 'auth_id', description: 'Only this account.', schema: { type: 'string' } },
    ],
    responses: { 200: ['The requests', RequestListSchema], ...errors(401, 422) },
  },
  { method: 'post', path: '/requests/count', operationId: 'countRequests', tag: 'Journal', summary: 'How many journaled requests match', body: RequestMatchSchema, responses: { 200: ['{"count": n}', undefined], ...errors(400, 401, 422) } },
  { method: 'post', path: '/requests/verify', operationId: 'verifyRequests', tag: 'Journal', summary: 'Assert how many requests matched; 422 with the closest entries when not', body: VerifySchema, responses: { 200: ['Verified', undefined], ...errors(400, 401, 422) } },
  { method: 'delete', path: '/requests', operationId: 'clearRequests', tag: 'Journal', summary: 'Empty the journal', responses: { 204: ['Emptied', undefined], ...errors(401) } },
];

/** The control plane's own OpenAPI document (not mixed into the Vobiz one), from the same schemas the routes check. */
export function buildControlDocument(server = 'http://127.0.0.1:4010'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of controlRoutes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const operation = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      parameters: [
        { name: 'X-Vobiz-Mock-Namespace', in: 'header', required: false, description: 'The namespace (1-64 of a-z 0-9 _ -); default "default". Echoed.', schema: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' } },
        ...params,
        ...(r.query ?? []).map((q) => ({ ...q, in: 'query', required: false })),
      ],
      ...(r.body ? { requestBody: { required: r.method !== 'post' || !['startCall', 'createAccount', 'countRequests'].includes(r.operationId), content: { 'application/json': { schema: ref(r.body) } } } } : {}),
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, [description, schema]]) => [status, { description, ...(schema ? { content: { 'application/json': { schema: ref(schema) } } } : {}) }]),
      ),
    };
    paths[`${CONTROL_PREFIX}${r.path}`] = { ...paths[`${CONTROL_PREFIX}${r.path}`], [r.method]: operation };
  }
  const components = [...controlSchemas, AccountSchema, PricingTierSchema, BalanceSchema, ChannelSubscriptionSchema, ErrorEnvelopeSchema];
  const text = JSON.stringify(Object.fromEntries(components.map((s) => [s.$id, s])));
  // TypeBox's `$ref: "Account"` become component references.
  const schemas = JSON.parse(text.replace(/"\$ref":"(\w+)"/g, '"$ref":"#/components/schemas/$1"')) as Record<string, unknown>;
  return {
    openapi: '3.1.0',
    info: {
      title: 'vobiz-mock control plane',
      version,
      description:
        'The emulator\'s own API for test suites: namespaces, reset, runtime accounts, simulated calls, a clock, faults and a journal. Not part of Vobiz. Every call acts on the namespace of its X-Vobiz-Mock-Namespace header; every error is the standard envelope. With --admin-token, every call wants Authorization: Bearer <token>.',
    },
    servers: [{ url: server }],
    paths,
    components: { schemas, securitySchemes: { AdminToken: { type: 'http', scheme: 'bearer', description: 'Only when the emulator runs with --admin-token.' } } },
    security: [{}, { AdminToken: [] }],
  };
}
