import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { ApiError } from '../errors.js';
import { fieldErrors } from '../schemas/check.js';
import { sendError } from '../plugins/errors.js';
import { redactHeaders, redactUrl } from '../plugins/request-log.js';
import { accountExample, type AccountData, derivedAccountFields, derivedAccountValues, renderAccount } from '../schemas/account.js';
import type { FixtureFile } from '../schemas/fixture.js';
import { checkFixture, MAX_FIXTURE_BYTES } from '../store/fixtures.js';
import { fromMicros, toMicros } from '../store/money.js';
import { seedFromFixture } from '../store/seed-data.js';
import { parseJson } from '../store/json-syntax.js';
import type { StoredAccount } from '../store/account-store.js';
import { documentedParameters, routeTable } from '../operations/index.js';
import { basicUser } from '../auth.js';
import { worldOf } from '../world/request.js';
import type { World } from '../world/world.js';
import type { Recorded } from '../world/journal.js';
import { chargeFor, parseDuration } from './rules.js';
import { buildControlDocument } from './document.js';
import {
  ClockChangeSchema,
  CreateAccountSchema,
  FaultInputSchema,
  RequestMatchSchema,
  SetBalanceSchema,
  SnapshotSchema,
  StartCallSchema,
  VerifySchema,
} from './schemas.js';
import type { FaultInput } from '../world/faults.js';
import { Glob, globDistance, MAX_GLOB_LENGTH } from '../world/glob.js';
import { shortText } from '../schemas/expectation.js';
import { moneyProblem } from '../schemas/numbers.js';
import { LATEST, LATEST_MS, readInstant } from '../store/time.js';

/** A JSON object body, or a 400 in the envelope. */
function jsonBody(request: FastifyRequest, optional = false): Record<string, unknown> {
  const text = typeof request.body === 'string' ? request.body : '';
  if (text.trim() === '') {
    if (optional) return {};
    throw new ApiError('BAD_REQUEST', 'Request body required: a JSON object');
  }
  const parsed = parseJson(text);
  if ('problem' in parsed) throw new ApiError('BAD_REQUEST', `Request body must be ${parsed.problem}`);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError('BAD_REQUEST', 'Request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** The value if it fits the schema, or a 422 naming each field. */
function checked<T>(schema: TSchema, value: unknown): T {
  const errors = fieldErrors(schema, value);
  if (errors.length > 0) throw new ApiError('VALIDATION_ERROR', `${errors[0]!.field}: ${errors[0]!.message}`, { errors });
  return value as T;
}

function accountIn(world: World, authId: string): StoredAccount {
  const account = world.store.get(authId);
  if (!account) throw new ApiError('NOT_FOUND', `No account ${shortText(authId)} in namespace ${world.name}`);
  return account;
}

/** A 422 for one field: what was expected there, in words. */
function invalidField(field: string, message: string, code: 'INVALID_VALUE' | 'OUT_OF_RANGE' | 'INVALID_FORMAT' | 'REQUIRED' = 'INVALID_VALUE'): ApiError {
  return new ApiError('VALIDATION_ERROR', `${field}: ${message}`, { errors: [{ field, message, code }] });
}

/** `page` (1-based) and `per_page` (1 to 1000) of a listing's query, or a 422 naming the parameter. */
function pageQuery(query: Record<string, string | undefined>, fallback: number): { page: number; per_page: number } {
  const read = (name: 'page' | 'per_page', max: number, otherwise: number) => {
    const text = query[name];
    if (text === undefined) return otherwise;
    if (!/^\d{1,7}$/.test(text) || Number(text) < 1 || Number(text) > max) throw invalidField(name, `must be an integer from 1 to ${max}`, 'OUT_OF_RANGE');
    return Number(text);
  };
  return { page: read('page', 1_000_000, 1), per_page: read('per_page', 1000, fallback) };
}

/** How many of the newest journal entries verify ranks for its closest ones (each path's distance is a small table). */
const CLOSEST_AMONG = 1000;

/** The most renewals one advance applies: each is a ledger entry, made before the answer (about 1 s for 100,000 here). */
export const MAX_RENEWALS_PER_ADVANCE = 100_000;

/** A fixture's problems as a 422: the JSON path of each field, and what was expected there. */
function fixtureFailure(issues: readonly { path: string; expected: string }[], strip = /^\$\.?/): ApiError {
  const errors = issues.map((i) => ({ field: i.path.replace(strip, '') || '(body)', message: `expected ${i.expected}`, code: 'INVALID_VALUE' }));
  return new ApiError('VALIDATION_ERROR', `${errors[0]!.field}: ${errors[0]!.message}`, { errors });
}

const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));

/**
 * The control plane, under /__mock/v1: what a test suite needs beside the emulated API. Every call works on the
 * namespace its X-Vobiz-Mock-Namespace header selects (default: `default`); every error is in the envelope.
 */
const controlPlane: FastifyPluginAsync = async (app) => {
  const adminToken = app.config.adminToken;
  if (adminToken !== undefined) {
    const expected = Buffer.from(`Bearer ${adminToken}`);
    app.addHook('onRequest', async (request, reply) => {
      const given = Buffer.from(typeof request.headers.authorization === 'string' ? request.headers.authorization : '');
      const ok = given.length === expected.length && timingSafeEqual(given, expected);
      if (!ok) return sendError(reply, 'INVALID_CREDENTIALS', 'The control plane wants Authorization: Bearer <the --admin-token>');
    });
  }
  const world = (request: FastifyRequest) => worldOf(request.raw);
  const now = (request: FastifyRequest) => world(request).now();
  // No schema (it is not in the Vobiz document, which is built from the operations alone) and no HEAD twins:
  // registering two dozen routes stays cheap at start-up.
  const tag = { exposeHeadRoute: false };

  // Its own document, with servers[0] the address the client used (kept for a few addresses).
  const documents = new Map<string, Buffer>();
  app.get('/openapi.json', tag, async (request, reply) => {
    const server = `${request.protocol}://${request.host}`;
    const document = documents.get(server) ?? Buffer.from(`${JSON.stringify(buildControlDocument(server), null, 2)}\n`);
    if (documents.size < 16) documents.set(server, document);
    return reply.header('content-type', 'application/json; charset=utf-8').send(document);
  });

  // --- Namespaces ---------------------------------------------------------------------------------------
  app.post('/reset', tag, async (request, reply) => {
    world(request).reset();
    return reply.code(204).send();
  });
  app.get<{ Querystring: Record<string, string> }>('/namespaces', tag, async (request, reply) => {
    const page = pageQuery(request.query, 100);
    const all = app.worlds.list();
    const namespaces = all.slice((page.page - 1) * page.per_page, page.page * page.per_page).map((w) => w.summary);
    return json(reply, 200, { namespaces, total: all.length, page: page.page, per_page: page.per_page, limits: { max_namespaces: app.config.maxNamespaces, idle_seconds: app.config.namespaceTtl } });
  });
  app.delete<{ Params: { ns: string } }>('/namespaces/:ns', tag, async (request, reply) => {
    if (!app.worlds.drop(request.params.ns)) throw new ApiError('NOT_FOUND', `No namespace ${shortText(request.params.ns)}`);
    return reply.code(204).send();
  });

  // --- Accounts -------------------------------------------------------------------------------------------
  app.post('/accounts', tag, async (request, reply) => {
    const w = world(request);
    const input = checked<{ from?: string; account?: Record<string, unknown>; auth_token?: string; balances?: { currency: string; balance: number }[] }>(CreateAccountSchema, jsonBody(request, true));
    input.balances?.forEach((b, i) => {
      const wrong = moneyProblem(b.balance, CreateAccountSchema.properties.balances.items.properties.balance);
      if (wrong !== undefined) throw invalidField(`balances.${i}.balance`, `must be ${wrong}`);
    });
    const base: Record<string, unknown> = input.from !== undefined ? { ...renderAccount(accountIn(w, input.from).state.data) } : { ...accountExample };
    const id = w.store.newId();
    const suffix = id.replace(/-/g, '').slice(0, 8).toUpperCase();
    const stamp = new Date(now(request)).toISOString().replace('Z', '000+00:00');
    const account: Record<string, unknown> = {
      ...base,
      id: String(600_000 + w.store.size),
      api_id: id,
      auth_id: `MA_${suffix}`,
      name: input.from !== undefined ? base['name'] : `Account ${suffix}`,
      created_at: stamp,
      updated_at: stamp,
      last_login: stamp,
      ...input.account,
    };
    for (const derived of derivedAccountFields) if (!(input.account && derived in input.account)) delete account[derived];
    const token = input.auth_token ?? `tok_${randomBytes(18).toString('base64url')}`;
    const tier = (account['pricing_tier'] as { currency?: string } | undefined)?.currency ?? 'INR';
    const fixture = {
      auth_token: token,
      account,
      balances: (input.balances ?? [{ currency: tier, balance: 0 }]).map((b) => ({ currency: b.currency, balance: b.balance, created_at: stamp.replace('+00:00', 'Z') })),
    };
    const result = checkFixture(JSON.stringify(fixture));
    if (!result.fixture) throw fixtureFailure(result.issues);
    const authId = result.fixture.account.auth_id;
    if (w.store.get(authId)) throw new ApiError('CONFLICT', `An account ${authId} exists in namespace ${w.name}`);
    if (w.store.addedCount >= app.config.maxAccounts) {
      throw invalidField('(namespace)', `may add at most ${app.config.maxAccounts} accounts beyond its seeds (--max-accounts): delete some, or reset it`, 'OUT_OF_RANGE');
    }
    const data = seedFromFixture(result.fixture as FixtureFile);
    const made = w.store.add({ authId, token, origin: 'control plane', data: () => data });
    return reply.code(201).header('content-type', 'application/json; charset=utf-8').send(`{"auth_id":${JSON.stringify(authId)},"auth_token":${JSON.stringify(token)},"account":${made.state.body}}`);
  });

  app.get<{ Params: { auth_id: string } }>('/accounts/:auth_id', tag, async (request, reply) => {
    const w = world(request);
    const account = accountIn(w, request.params.auth_id);
    const state = account.state;
    const balances = state.currencies.map((c) => state.balanceBody(c)!.body).join(',');
    const calls = [...w.calls.values()].filter((c) => c.authId === account.authId).map((c) => ({ id: c.id, started_at: new Date(c.startedAt).toISOString() }));
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .send(`{"auth_id":${JSON.stringify(account.authId)},"account":${state.body},"balances":[${balances}],"subscriptions":[${state.subscriptionBodies().join(',')}],"live_calls":${JSON.stringify(calls)}}`);
  });

  app.patch<{ Params: { auth_id: string } }>('/accounts/:auth_id', tag, async (request, reply) => {
    const w = world(request);
    const target = accountIn(w, request.params.auth_id);
    const patch = jsonBody(request);
    if ('auth_id' in patch && patch['auth_id'] !== target.authId) throw invalidField('auth_id', 'cannot be changed: create an account instead');
    const { auth_token: token, ...fields } = patch;
    const current = renderAccount(target.state.data) as unknown as Record<string, unknown>;
    for (const derived of derivedAccountFields) if (!(derived in fields)) delete current[derived];
    const merged = { ...current, ...fields };
    // Checked as a whole fixture; without a new token the current one stands in (it is not changed).
    const result = checkFixture(JSON.stringify({ auth_token: typeof token === 'string' ? token : target.currentToken, account: merged }));
    // Named as the patch names them: `base_cps_limit`, not the fixture's `account.base_cps_limit`.
    if (!result.fixture) throw fixtureFailure(result.issues, /^\$\.(account\.)?/);
    const next = seedFromFixture(result.fixture as FixtureFile).account as AccountData;
    const held = target.state.heldCapacity;
    if (next.purchased_cps < held.cps) throw invalidField('purchased_cps', `must be at least what active subscriptions hold (${held.cps} CPS)`, 'OUT_OF_RANGE');
    if (next.purchased_concurrent_calls < held.concurrent_calls) {
      throw invalidField('purchased_concurrent_calls', `must be at least what active subscriptions hold (${held.concurrent_calls} concurrent calls)`, 'OUT_OF_RANGE');
    }
    const live = target.state.liveCalls;
    if (next.base_concurrent_calls_limit + next.purchased_concurrent_calls < live) {
      const field = 'purchased_concurrent_calls' in fields && !('base_concurrent_calls_limit' in fields) ? 'purchased_concurrent_calls' : 'base_concurrent_calls_limit';
      throw invalidField(field, `must leave concurrent_calls_limit (base_concurrent_calls_limit + purchased_concurrent_calls) at least the ${live} live calls: end calls first (DELETE /__mock/v1/calls/{id})`, 'OUT_OF_RANGE');
    }
    target.state.replaceProfile(next);
    if (typeof token === 'string') target.replaceToken(token);
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(target.state.body);
  });

  app.delete<{ Params: { auth_id: string } }>('/accounts/:auth_id', tag, async (request, reply) => {
    const w = world(request);
    if (!w.store.remove(request.params.auth_id)) throw new ApiError('NOT_FOUND', `No account ${shortText(request.params.auth_id)} in namespace ${w.name}`);
    for (const [id, call] of w.calls) if (call.authId === request.params.auth_id) w.calls.delete(id);
    return reply.code(204).send();
  });

  app.put<{ Params: { auth_id: string; currency: string } }>('/accounts/:auth_id/balances/:currency', tag, async (request, reply) => {
    const w = world(request);
    const account = accountIn(w, request.params.auth_id);
    const { balance } = checked<{ balance: number }>(SetBalanceSchema, jsonBody(request));
    const wrong = moneyProblem(balance, SetBalanceSchema.properties.balance);
    if (wrong !== undefined) throw invalidField('balance', `must be ${wrong}`);
    const target = toMicros(balance);
    const currency = request.params.currency.toUpperCase();
    if (!account.state.setBalance(currency, target, now(request) * 1000, () => w.store.newId())) {
      throw new ApiError('NOT_FOUND', `${account.authId} holds no balance in ${shortText(currency)}; it holds ${account.state.currencies.join(', ')}`);
    }
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(account.state.balanceBody(currency)!.body);
  });

  // --- Calls ----------------------------------------------------------------------------------------------
  app.post<{ Params: { auth_id: string } }>('/accounts/:auth_id/calls', tag, async (request, reply) => {
    const w = world(request);
    const account = accountIn(w, request.params.auth_id);
    const { duration_seconds: duration } = checked<{ duration_seconds?: number }>(StartCallSchema, jsonBody(request, true));
    const at = now(request);
    const state = account.state;
    const limits = derivedAccountValues(state.data);
    // CPS: calls started in the last second; concurrency: live calls.
    const starts = (w.callStarts.get(account.authId) ?? []).filter((t) => at - t < 1000);
    w.callStarts.set(account.authId, starts);
    if (starts.length >= limits.cps_limit) {
      return sendError(reply.header('retry-after', '1'), 'RATE_LIMIT_EXCEEDED', `CPS limit reached: ${limits.cps_limit} calls a second`, { limitType: 'cps', limit: limits.cps_limit, current: starts.length, retryAfter: 1 }, 429);
    }
    if (duration === undefined && w.calls.size >= app.config.maxLiveCalls) {
      throw invalidField('(namespace)', `holds at most ${app.config.maxLiveCalls} live calls (--max-live-calls): end some (DELETE /__mock/v1/calls/{id}) first`, 'OUT_OF_RANGE');
    }
    if (duration === undefined && state.liveCalls >= limits.concurrent_calls_limit) {
      return sendError(reply.header('retry-after', '1'), 'RATE_LIMIT_EXCEEDED', `Concurrency limit reached: ${limits.concurrent_calls_limit} calls at once`, { limitType: 'concurrent_calls', limit: limits.concurrent_calls_limit, current: state.liveCalls, retryAfter: 1 }, 429);
    }
    const tier = state.data.pricing_tier;
    const id = `call_${w.store.newId().replace(/-/g, '').slice(0, 20)}`;
    // The least a call can cost (its minimum duration): refused when that cannot be paid.
    const least = chargeFor(duration ?? 0, tier);
    const refusal = state.refusalFor(Math.max(least.amount, 1), tier.currency);
    if (refusal) return sendError(reply, 'INSUFFICIENT_BALANCE', `Insufficient balance for a call: ${refusal.available} ${refusal.currency} available`, { ...refusal });
    starts.push(at);
    const started = new Date(at).toISOString();
    if (duration !== undefined) {
      const charge = chargeFor(duration, tier);
      const transaction = state.chargeCall(charge.amount, tier.currency, duration, id, at * 1000, () => w.store.newId());
      return json(reply, 201, { id, auth_id: account.authId, status: 'completed', started_at: started, ended_at: new Date(at + duration * 1000).toISOString(), duration_seconds: duration, billable_seconds: charge.billable, charge: fromMicros(charge.amount).toFixed(2), currency: tier.currency, transaction_id: transaction });
    }
    w.calls.set(id, { id, authId: account.authId, startedAt: at });
    state.countCall(1);
    return json(reply, 201, { id, auth_id: account.authId, status: 'live', started_at: started, ended_at: null, duration_seconds: null, billable_seconds: null, charge: null, currency: tier.currency, transaction_id: null });
  });

  app.delete<{ Params: { id: string }; Querystring: { duration_seconds?: string } }>('/calls/:id', tag, async (request, reply) => {
    const w = world(request);
    const call = w.calls.get(request.params.id);
    if (!call) throw new ApiError('NOT_FOUND', `No live call ${shortText(request.params.id)} in namespace ${w.name}`);
    const given = request.query.duration_seconds;
    if (given !== undefined && !/^\d{1,5}$/.test(given)) throw invalidField('duration_seconds', 'must be an integer from 0 to 86400');
    const at = now(request);
    const duration = given !== undefined ? Number(given) : Math.max(0, Math.round((at - call.startedAt) / 1000));
    if (duration > 86_400) throw invalidField('duration_seconds', 'must be an integer from 0 to 86400', 'OUT_OF_RANGE');
    w.calls.delete(call.id);
    const account = w.store.get(call.authId);
    if (!account) throw new ApiError('NOT_FOUND', `No account ${call.authId} in namespace ${w.name}`);
    const tier = account.state.data.pricing_tier;
    const charge = chargeFor(duration, tier);
    account.state.countCall(-1);
    const transaction = account.state.chargeCall(charge.amount, tier.currency, duration, call.id, at * 1000, () => w.store.newId());
    return json(reply, 200, { id: call.id, auth_id: call.authId, status: 'completed', started_at: new Date(call.startedAt).toISOString(), ended_at: new Date(call.startedAt + duration * 1000).toISOString(), duration_seconds: duration, billable_seconds: charge.billable, charge: fromMicros(charge.amount).toFixed(2), currency: tier.currency, transaction_id: transaction });
  });

  // --- Clock ----------------------------------------------------------------------------------------------
  app.get('/clock', tag, async (request, reply) => json(reply, 200, world(request).clock.state));
  app.post('/clock', tag, async (request, reply) => {
    const w = world(request);
    const change = checked<{ freeze?: string; advance?: string | number; real?: true }>(ClockChangeSchema, jsonBody(request));
    const given = ['freeze', 'advance', 'real'].filter((k) => k in change);
    if (given.length !== 1) throw invalidField('(body)', 'must give exactly one of freeze, advance, real', 'REQUIRED');
    const from = w.now();
    let to = from;
    if (change.freeze !== undefined) {
      // Any instant the emulator holds, past or future: a suite frozen at a fixed date passes whatever day it runs.
      const read = readInstant(change.freeze);
      if (!('micros' in read)) throw invalidField('freeze', `must be ${read.expected}`, 'INVALID_FORMAT');
      to = Math.floor(read.micros / 1000);
    } else if (change.advance !== undefined) {
      const ms = typeof change.advance === 'number' ? change.advance * 1000 : parseDuration(change.advance);
      if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
        throw invalidField('advance', 'must be a number of seconds (0 or more) or an ISO 8601 duration in weeks, days, hours, minutes and seconds such as P30D or PT1H30M', 'INVALID_FORMAT');
      }
      to = from + Math.round(ms);
      if (to > LATEST_MS) {
        throw invalidField('advance', `must not move the clock past ${LATEST}: it shows ${new Date(from).toISOString()}, so at most ${Math.floor((LATEST_MS - from) / 1000)} seconds more`, 'OUT_OF_RANGE');
      }
    }
    // Everything that falls due on a forward move, before the answer (token expiry needs nothing: it is read at
    // each request). A backward freeze applies nothing: renewals follow the clock forward only.
    let renewed = 0;
    let failed = 0;
    if (to > from) {
      const accounts = [...w.store.withSubscriptions()];
      const due = accounts.reduce((sum, account) => sum + account.state.renewalsDue(from * 1000, to * 1000), 0);
      if (due > MAX_RENEWALS_PER_ADVANCE) {
        throw invalidField(given[0]!, `would apply ${due} subscription renewals, more than the ${MAX_RENEWALS_PER_ADVANCE} one move applies: move the clock in smaller steps`, 'OUT_OF_RANGE');
      }
      for (const account of accounts) {
        const outcome = account.state.renew(from * 1000, to * 1000, () => w.store.newId());
        renewed += outcome.renewed;
        failed += outcome.failed;
      }
    }
    if (change.freeze !== undefined) w.clock.freeze(to);
    else if (change.advance !== undefined) w.clock.advance(to - from);
    else w.clock.run();
    return json(reply, 200, { ...w.clock.state, renewals: { renewed, failed } });
  });

  // --- Faults ---------------------------------------------------------------------------------------------
  app.post('/faults', tag, async (request, reply) => {
    const w = world(request);
    const input = checked<FaultInput>(FaultInputSchema, jsonBody(request));
    const e = input.effect;
    if (e.status === undefined && e.code === undefined && e.delay_ms === undefined && e.drop === undefined) {
      throw invalidField('effect', 'must give at least one of status, code, delay_ms, drop', 'REQUIRED');
    }
    // Expired rules go first; then a namespace holds at most --max-fault-rules.
    if (w.faults.list(Date.now()).length >= w.faults.max) {
      throw invalidField('(namespace)', `holds at most ${w.faults.max} fault rules (--max-fault-rules): delete some (DELETE /__mock/v1/faults/{id}, or all with DELETE /__mock/v1/faults) first`, 'OUT_OF_RANGE');
    }
    const rule = w.faults.add(input, Date.now());
    return json(reply, 201, rule.view);
  });
  app.get('/faults', tag, async (request, reply) => json(reply, 200, { faults: world(request).faults.list(Date.now()).map((r) => r.view) }));
  app.delete('/faults', tag, async (request, reply) => {
    world(request).faults.clear();
    return reply.code(204).send();
  });
  app.delete<{ Params: { id: string } }>('/faults/:id', tag, async (request, reply) => {
    if (!world(request).faults.remove(request.params.id)) throw new ApiError('NOT_FOUND', `No fault rule ${shortText(request.params.id)}`);
    return reply.code(204).send();
  });

  // --- Snapshot -----------------------------------------------------------------------------------------
  app.get('/snapshot', tag, async (request, reply) => {
    const w = world(request);
    // A seeded account's own token is left out (loading the snapshot takes it from the seed): a snapshot
    // repeats only the tokens the control plane itself made or was given.
    // Only accounts that can differ from their seeds: one that was only read is its seed still.
    const changed = [...w.store.touched()].filter((a) => a.changed);
    const accounts = changed.map((a) => a.state.toFixture(a.tokenReplaced || w.store.seedToken(a.authId) !== a.currentToken ? a.currentToken : undefined));
    const present = new Set([...w.store.touched()].map((a) => a.authId));
    const removed = [...w.store.removedSeeds()].filter((id) => !present.has(id));
    const calls = [...w.calls.values()].map((c) => ({ id: c.id, auth_id: c.authId, started_at: new Date(c.startedAt).toISOString() }));
    return json(reply, 200, { version: 1, namespace: w.name, clock: w.clock.state, accounts, removed, live_calls: calls });
  });
  // A snapshot holds whole ledgers (MA_LEDGER01's 10,000 entries are about 4 MB): as large as a fixture file may be.
  app.put('/snapshot', { ...tag, bodyLimit: MAX_FIXTURE_BYTES }, async (request, reply) => {
    const w = world(request);
    type Snapshot = { clock: { mode: 'real' | 'frozen'; now: string }; accounts: unknown[]; removed?: string[]; live_calls?: { id: string; auth_id: string; started_at: string }[] };
    const input = checked<Snapshot>(SnapshotSchema, jsonBody(request));
    // Every problem at once, before anything changes: each account checked as a fixture is, then what ties
    // the snapshot together (one account per auth_id, live calls of accounts it has, within their counts).
    const issues: { field: string; message: string; code: string }[] = [];
    const problem = (field: string, message: string) => issues.push({ field, message, code: 'INVALID_VALUE' });
    const clock = readInstant(input.clock.now);
    if (!('micros' in clock)) problem('clock.now', `must be ${clock.expected}`);
    const fixtures: FixtureFile[] = [];
    const listedAt = new Map<string, number>();
    input.accounts.forEach((given, i) => {
      const account = given as Record<string, unknown>;
      const authId = (account['account'] as { auth_id?: unknown } | undefined)?.auth_id;
      const seedToken = typeof authId === 'string' && !('auth_token' in account) ? w.store.seedToken(authId) : undefined;
      const result = checkFixture(JSON.stringify(seedToken === undefined ? account : { auth_token: seedToken, ...account }));
      if (!result.fixture) {
        for (const issue of result.issues) problem(`accounts[${i}]${issue.path.replace(/^\$/, '')}`, `expected ${issue.expected}`);
        return;
      }
      const first = listedAt.get(result.fixture.account.auth_id);
      if (first !== undefined) problem(`accounts[${i}].account.auth_id`, `expected an auth_id no other account of the snapshot has, got the one of accounts[${first}]`);
      else listedAt.set(result.fixture.account.auth_id, i);
      fixtures.push(result.fixture);
    });
    const store = w.freshStore();
    for (const authId of input.removed ?? []) store.remove(authId);
    for (const fixture of fixtures) {
      const data = seedFromFixture(fixture);
      const authId = fixture.account.auth_id;
      store.remove(authId);
      store.add({ authId, token: fixture.auth_token, origin: 'snapshot', data: () => data });
    }
    if (store.addedCount > app.config.maxAccounts) problem('accounts', `expected at most ${app.config.maxAccounts} accounts beyond the seeds (--max-accounts), got ${store.addedCount}`);
    const listed = input.live_calls ?? [];
    if (listed.length > app.config.maxLiveCalls) problem('live_calls', `expected at most ${app.config.maxLiveCalls} live calls (--max-live-calls), got ${listed.length}`);
    const ids = new Set<string>();
    const perAccount = new Map<string, number>();
    const calls: { id: string; authId: string; startedAt: number }[] = [];
    listed.forEach((c, i) => {
      const started = readInstant(c.started_at);
      if (!('micros' in started)) problem(`live_calls[${i}].started_at`, `must be ${started.expected}`);
      if (ids.has(c.id)) problem(`live_calls[${i}].id`, 'expected an id no other live call has');
      ids.add(c.id);
      const account = store.get(c.auth_id);
      if (!account) return void problem(`live_calls[${i}].auth_id`, `expected an account of the snapshot or the seeds, got ${shortText(c.auth_id)}`);
      const count = (perAccount.get(c.auth_id) ?? 0) + 1;
      perAccount.set(c.auth_id, count);
      // The account's live_calls counts every call in progress: those listed here, and any a seed starts with.
      if (count === account.state.liveCalls + 1) {
        const where = listedAt.has(c.auth_id) ? `accounts[${listedAt.get(c.auth_id)}].live_calls` : 'its seed\'s live_calls';
        problem(`live_calls[${i}].auth_id`, `expected at most ${account.state.liveCalls} live calls of ${c.auth_id} (${where}, which counts every call in progress), got more`);
      }
      if ('micros' in started) calls.push({ id: c.id, authId: c.auth_id, startedAt: Math.floor(started.micros / 1000) });
    });
    if (issues.length > 0) throw new ApiError('VALIDATION_ERROR', `${issues[0]!.field}: ${issues[0]!.message}`, { errors: issues });
    w.restore(store, { mode: input.clock.mode, now: Math.floor((clock as { micros: number }).micros / 1000) }, calls);
    return reply.code(204).send();
  });

  // --- Journal --------------------------------------------------------------------------------------------
  const isAccount = (w: World) => (authId: string) => w.store.get(authId) !== undefined;
  /** An entry as shown: derived on read (operation, auth_id), headers redacted as log lines are. */
  const view = (w: World, e: Recorded) => {
    const q = e.url.indexOf('?');
    const path = q < 0 ? e.url : e.url.slice(0, q);
    const found = routeTable.match(e.method, path);
    const header = e.headers['x-auth-id'];
    // The path's auth_id is in the path already; one from a header is shown only when it names an account (a
    // token pasted into X-Auth-ID, or as a Basic user name, stays out), as the entry's headers show it.
    const given = typeof header === 'string' ? header : basicUser(e.headers.authorization);
    const authId = found?.params['auth_id'] ?? (given === undefined ? undefined : isAccount(w)(given) ? given : '[not an account]');
    return {
      id: e.id,
      time: new Date(e.time).toISOString(),
      method: e.method,
      path,
      query: q < 0 ? '' : redactUrl(e.url, documentedParameters).slice(q + 1),
      operation: found?.operationId ?? null,
      status: e.status,
      duration_ms: Math.round(e.durationMs * 1000) / 1000,
      auth_id: authId ?? null,
      fault: e.fault ?? null,
      headers: redactHeaders(e.headers, isAccount(w)),
      body: e.body ?? null,
    };
  };
  type Match = { method?: string; path?: string; status?: number; auth_id?: string };
  /** How many of a match's fields other than the path an entry misses (method, status, auth_id). */
  const misses = (match: Match) => {
    const method = match.method?.toUpperCase();
    return (v: ReturnType<typeof view>) =>
      (method !== undefined && method !== v.method ? 1 : 0) +
      (match.status !== undefined && match.status !== v.status ? 1 : 0) +
      (match.auth_id !== undefined && match.auth_id !== v.auth_id ? 1 : 0);
  };
  const matcher = (match: Match) => {
    const path = match.path === undefined ? undefined : new Glob(match.path);
    const others = misses(match);
    return (v: ReturnType<typeof view>) => others(v) === 0 && (path === undefined || path.test(v.path));
  };

  app.get<{ Querystring: Record<string, string> }>('/requests', tag, async (request, reply) => {
    const w = world(request);
    const q = request.query;
    const errors: unknown[] = [];
    const int = (name: string, min: number, max: number) => {
      const raw = q[name];
      if (raw === undefined) return undefined;
      if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) errors.push({ field: name, message: `must be an integer from ${min} to ${max}`, code: 'INVALID_VALUE', value: shortText(raw) });
      return Number(raw);
    };
    const limit = int('limit', 1, 100_000) ?? 100;
    const status = int('status', 100, 599);
    const since = q['since'];
    const sinceRead = since === undefined || /^\d+$/.test(since) ? undefined : readInstant(since);
    const sinceMs = sinceRead === undefined ? undefined : 'micros' in sinceRead ? sinceRead.micros / 1000 : Number.NaN;
    if (sinceMs !== undefined && Number.isNaN(sinceMs)) errors.push({ field: 'since', message: 'must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z, or an entry id', code: 'INVALID_FORMAT', value: shortText(since!) });
    const glob = q['path'];
    if (glob !== undefined && (glob.length > MAX_GLOB_LENGTH || !/^[/*]/.test(glob))) {
      errors.push({ field: 'path', message: `must be a path glob of at most ${MAX_GLOB_LENGTH} characters starting with / (or *), such as /api/v1/Account/*/balance/*`, code: 'INVALID_FORMAT' });
    }
    if (errors.length > 0) throw new ApiError('VALIDATION_ERROR', `${(errors[0] as { field: string }).field}: ${(errors[0] as { message: string }).message}`, { errors });
    const sinceId = since !== undefined && /^\d+$/.test(since) ? Number(since) : undefined;
    const keep = matcher({ ...(q['path'] !== undefined ? { path: q['path'] } : {}), ...(status !== undefined ? { status } : {}), ...(q['auth_id'] !== undefined ? { auth_id: q['auth_id'] } : {}), ...(q['method'] !== undefined ? { method: q['method'] } : {}) });
    const all = w.journal
      .entries()
      .filter((e) => (sinceId === undefined || e.id > sinceId) && (sinceMs === undefined || e.time >= sinceMs))
      .map((e) => view(w, e))
      .filter(keep);
    const requests = all.slice(-limit);
    return json(reply, 200, { requests, meta: { total: w.journal.total, dropped: w.journal.dropped, held: w.journal.held, returned: requests.length } });
  });
  app.post('/requests/count', tag, async (request, reply) => {
    const w = world(request);
    const match = checked<Match>(RequestMatchSchema, jsonBody(request, true));
    const keep = matcher(match);
    return json(reply, 200, { count: w.journal.entries().map((e) => view(w, e)).filter(keep).length });
  });
  app.post('/requests/verify', tag, async (request, reply) => {
    const w = world(request);
    const input = checked<{ match?: Match; times: { exactly?: number; at_least?: number; at_most?: number } }>(VerifySchema, jsonBody(request));
    const { exactly, at_least: atLeast, at_most: atMost } = input.times;
    if (exactly === undefined && atLeast === undefined && atMost === undefined) {
      throw invalidField('times', 'must give exactly, at_least or at_most', 'REQUIRED');
    }
    const entries = w.journal.entries().map((e) => view(w, e));
    const keep = matcher(input.match ?? {});
    const count = entries.filter(keep).length;
    const ok = (exactly === undefined || count === exactly) && (atLeast === undefined || count >= atLeast) && (atMost === undefined || count <= atMost);
    if (ok) return json(reply, 200, { count, verified: true });
    // The closest of the newest entries: nearest path first (edit distance, stars matching any run), then
    // fewest other fields missed, then newest. Distances are counted once per path.
    const match = input.match ?? {};
    const others = misses(match);
    const distances = new Map<string, number>();
    const pathDistance = (path: string) => {
      if (match.path === undefined) return 0;
      let d = distances.get(path);
      if (d === undefined) distances.set(path, (d = globDistance(match.path, path)));
      return d;
    };
    const closest = entries
      .slice(-CLOSEST_AMONG)
      .map((v) => ({ v, path: pathDistance(v.path), others: others(v) }))
      .sort((a, b) => a.path - b.path || a.others - b.others || b.v.id - a.v.id)
      .slice(0, 5)
      .map(({ v }) => ({ id: v.id, method: v.method, path: v.path, status: v.status, auth_id: v.auth_id }));
    return sendError(reply, 'VALIDATION_ERROR', `Expected ${exactly !== undefined ? `exactly ${exactly}` : [atLeast !== undefined ? `at least ${atLeast}` : '', atMost !== undefined ? `at most ${atMost}` : ''].filter(Boolean).join(' and ')} matching requests, found ${count}`, { count, expected: input.times, closest });
  });
  app.delete('/requests', tag, async (request, reply) => {
    world(request).journal.clear();
    return reply.code(204).send();
  });

};

export default controlPlane;
