import { cpsLimit, concurrentCallsLimit } from '../domain/derive.js';
import { callRefusal } from '../domain/sub-accounts.js';
import type { Namespace } from '../domain/namespace.js';
import { fromMicros } from '../domain/money.js';
import type { StoredAccount } from '../domain/store.js';
import { ApiError } from '../errors.js';
import { shortText } from '../schemas/expectation.js';
import { accountIn, type ControlRoute, errors, invalidField } from './route.js';
import { chargeFor } from './rules.js';
import { type Call, CallSchema, type StartCall, StartCallSchema } from './schemas.js';

/** A call that ended (or was made finished), charged now: its debit entry, and the call as the control plane shows it. */
function finished(ns: Namespace, account: StoredAccount, id: string, startedAt: number, duration: number, at: number): Call {
  const tier = account.account.profile.pricing_tier;
  const charge = chargeFor(duration, tier);
  const transaction = account.account.chargeCall(charge.amount, tier.currency, duration, id, at * 1000, () => ns.store.newId());
  return {
    id,
    auth_id: account.authId,
    status: 'completed',
    started_at: new Date(startedAt).toISOString(),
    ended_at: new Date(startedAt + duration * 1000).toISOString(),
    duration_seconds: duration,
    billable_seconds: charge.billable,
    charge: fromMicros(charge.amount).toFixed(2),
    currency: tier.currency,
    transaction_id: transaction,
  };
}

/**
 * Who places a call: an account, or a sub-account (SA_...), whose calls its parent pays for and counts; refused
 * (403, as the sub-account pages document) when it is disabled, lacks permissions.calls, or awaits KYC.
 */
function callerIn(ns: Namespace, authId: string): { account: StoredAccount; sub?: string } {
  if (!authId.startsWith('SA_')) return { account: accountIn(ns, authId) };
  const found = ns.store.subAccount(authId);
  if (!found) throw new ApiError('NOT_FOUND', `No sub-account ${shortText(authId)} in namespace ${ns.name}`);
  const refusal = callRefusal(found.sub);
  if (refusal) throw new ApiError('ACCESS_DENIED', `Calls refused: ${refusal}`);
  return { account: found.parent, sub: authId };
}

/** A 429 as the errors page documents it, with Retry-After. */
const overLimit = (limitType: 'cps' | 'concurrent_calls', message: string, limit: number, current: number) =>
  new ApiError('RATE_LIMIT_EXCEEDED', message, { limitType, limit, current, retryAfter: 1 }, { 'retry-after': '1' });

export const startCall: ControlRoute = {
  method: 'POST',
  path: '/accounts/:auth_id/calls',
  operationId: 'startCall',
  tag: 'Calls',
  summary: 'A call: finished and charged (duration_seconds), or live until ended. A sub-account (SA_...) places it on its parent',
  body: StartCallSchema,
  bodyOptional: true,
  responses: { 201: ['The call', CallSchema], ...errors(400, 402, 403, 404, 422, 429) },
  handle({ ns, params, body, config }) {
    const placer = callerIn(ns, params['auth_id']!);
    const stored = placer.account;
    const { duration_seconds: duration } = body as StartCall;
    const at = ns.now();
    const account = stored.account;
    // CPS: calls started in the last second; concurrency: live calls.
    const starts = (ns.callStarts.get(stored.authId) ?? []).filter((t) => at - t < 1000);
    ns.callStarts.set(stored.authId, starts);
    const cps = cpsLimit(account);
    if (starts.length >= cps) throw overLimit('cps', `CPS limit reached: ${cps} calls a second`, cps, starts.length);
    if (duration === undefined && ns.liveCallCount >= config.maxLiveCalls) {
      throw invalidField('(namespace)', `holds at most ${config.maxLiveCalls} live calls (--max-live-calls): end some (DELETE /__mock/v1/calls/{id}) first`, 'OUT_OF_RANGE');
    }
    const limit = concurrentCallsLimit(account);
    if (duration === undefined && account.liveCalls >= limit) throw overLimit('concurrent_calls', `Concurrency limit reached: ${limit} calls at once`, limit, account.liveCalls);
    const tier = account.profile.pricing_tier;
    const id = `call_${ns.store.newId().replace(/-/g, '').slice(0, 20)}`;
    // The least a call can cost (its minimum duration): refused when that cannot be paid.
    const least = chargeFor(duration ?? 0, tier);
    const refusal = account.refusalFor(Math.max(least.amount, 1), tier.currency);
    if (refusal) throw new ApiError('INSUFFICIENT_BALANCE', `Insufficient balance for a call: ${refusal.available} ${refusal.currency} available`, { ...refusal });
    starts.push(at);
    const by = placer.sub ? { sub_auth_id: placer.sub } : {};
    if (duration !== undefined) return { status: 201, body: { ...finished(ns, stored, id, at, duration, at), ...by } };
    ns.startCall(stored, id, at);
    const call: Call = { id, auth_id: stored.authId, status: 'live', started_at: new Date(at).toISOString(), ended_at: null, duration_seconds: null, billable_seconds: null, charge: null, currency: tier.currency, transaction_id: null, ...by };
    return { status: 201, body: call };
  },
};

export const endCall: ControlRoute = {
  method: 'DELETE',
  path: '/calls/:id',
  operationId: 'endCall',
  tag: 'Calls',
  summary: 'End a live call: charged for the clock time elapsed, or ?duration_seconds',
  query: [{ name: 'duration_seconds', description: 'The call length to charge instead of the time elapsed.', schema: { type: 'integer', minimum: 0, maximum: 86400 } }],
  responses: { 200: ['The completed call', CallSchema], ...errors(404, 422) },
  handle({ ns, params, query }) {
    const id = params['id']!;
    const call = ns.liveCall(id);
    if (!call) throw new ApiError('NOT_FOUND', `No live call ${shortText(id)} in namespace ${ns.name}`);
    const given = query['duration_seconds'];
    if (given !== undefined && !/^\d{1,5}$/.test(given)) throw invalidField('duration_seconds', 'must be an integer from 0 to 86400');
    const at = ns.now();
    const duration = given !== undefined ? Number(given) : Math.max(0, Math.round((at - call.startedAt) / 1000));
    if (duration > 86_400) throw invalidField('duration_seconds', 'must be an integer from 0 to 86400', 'OUT_OF_RANGE');
    const ended = ns.endCall(id)!;
    return { status: 200, body: finished(ns, ended.account, id, ended.startedAt, duration, at) };
  },
};
