import { basicUser } from '../api/auth.js';
import { documentedParameters } from '../api/index.js';
import { globDistance, Glob } from '../domain/glob.js';
import { MAX_GLOB_LENGTH } from '../schemas/faults.js';
import type { Recorded } from '../domain/journal.js';
import type { Namespace } from '../domain/namespace.js';
import { redactHeaders, redactUrl } from '../domain/redact.js';
import { ApiError } from '../errors.js';
import { shortText } from '../schemas/expectation.js';
import { readInstant } from '../schemas/instant.js';
import { type ControlContext, type ControlRoute, errors, invalidField } from './route.js';
import { type RecordedRequest, RequestCountSchema, RequestListSchema, type RequestMatch, RequestMatchSchema, type Verify, VerifiedSchema, VerifySchema } from './schemas.js';

/** How many of the newest journal entries verify ranks for its closest ones (each path's distance is a small table). */
const CLOSEST_AMONG = 1000;

/** An entry as shown: derived on read (operation, auth_id), headers and query redacted as log lines are. */
function view(context: ControlContext, e: Recorded): RecordedRequest {
  const { ns } = context;
  const isAccount = (authId: string) => ns.store.taken(authId);
  const q = e.url.indexOf('?');
  const path = q < 0 ? e.url : e.url.slice(0, q);
  const found = context.operationOf(e.method, path);
  const header = e.headers['x-auth-id'];
  // The path's auth_id is in the path already; one from a header is shown only when it names an account (a
  // token pasted into X-Auth-ID, or as a Basic user name, stays out), as the entry's headers show it.
  const given = typeof header === 'string' ? header : basicUser(e.headers.authorization);
  const authId = found?.params['auth_id'] ?? (given === undefined ? undefined : isAccount(given) ? given : '[not an account]');
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
    headers: redactHeaders(e.headers, isAccount),
    body: e.body ?? null,
  };
}

/** How many of a match's fields other than the path an entry misses (method, status, auth_id). */
const misses = (match: RequestMatch) => {
  const method = match.method?.toUpperCase();
  return (v: RecordedRequest) =>
    (method !== undefined && method !== v.method ? 1 : 0) + (match.status !== undefined && match.status !== v.status ? 1 : 0) + (match.auth_id !== undefined && match.auth_id !== v.auth_id ? 1 : 0);
};

function matcher(match: RequestMatch): (v: RecordedRequest) => boolean {
  const path = match.path === undefined ? undefined : new Glob(match.path);
  const others = misses(match);
  return (v) => others(v) === 0 && (path === undefined || path.test(v.path));
}

const entries = (context: ControlContext, ns: Namespace = context.ns) => ns.journal.entries().map((e) => view(context, e));

/** GET /requests's query: each parameter read, or a 422 naming each that is not as documented. */
function requestsQuery(q: Readonly<Record<string, string | undefined>>) {
  const problems: { field: string; message: string; code: string; value?: string }[] = [];
  const int = (name: string, min: number, max: number) => {
    const raw = q[name];
    if (raw === undefined) return undefined;
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) problems.push({ field: name, message: `must be an integer from ${min} to ${max}`, code: 'INVALID_VALUE', value: shortText(raw) });
    return Number(raw);
  };
  const limit = int('limit', 1, 100_000) ?? 100;
  const status = int('status', 100, 599);
  const since = q['since'];
  const sinceRead = since === undefined || /^\d+$/.test(since) ? undefined : readInstant(since);
  const sinceMs = sinceRead === undefined ? undefined : 'micros' in sinceRead ? sinceRead.micros / 1000 : Number.NaN;
  if (sinceMs !== undefined && Number.isNaN(sinceMs)) problems.push({ field: 'since', message: 'must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z, or an entry id', code: 'INVALID_FORMAT', value: shortText(since!) });
  const glob = q['path'];
  if (glob !== undefined && (glob.length > MAX_GLOB_LENGTH || !/^[/*]/.test(glob))) {
    problems.push({ field: 'path', message: `must be a path glob of at most ${MAX_GLOB_LENGTH} characters starting with / (or *), such as /api/v1/Account/*/balance/*`, code: 'INVALID_FORMAT' });
  }
  if (problems.length > 0) throw new ApiError('VALIDATION_ERROR', `${problems[0]!.field}: ${problems[0]!.message}`, { errors: problems });
  const match: RequestMatch = { ...(glob !== undefined ? { path: glob } : {}), ...(status !== undefined ? { status } : {}), ...(q['auth_id'] !== undefined ? { auth_id: q['auth_id'] } : {}), ...(q['method'] !== undefined ? { method: q['method'] } : {}) };
  return { limit, match, sinceId: since !== undefined && /^\d+$/.test(since) ? Number(since) : undefined, sinceMs };
}

export const listRequests: ControlRoute = {
  method: 'GET',
  path: '/requests',
  operationId: 'listRequests',
  tag: 'Journal',
  summary: 'The journal: the newest requests of the emulated API that match, in the order they came, credentials redacted',
  query: [
    { name: 'limit', description: 'The newest N that match (default 100).', schema: { type: 'integer', minimum: 1, maximum: 100000 } },
    { name: 'since', description: 'After this entry id, or from this RFC 3339 time.', schema: { type: 'string' } },
    { name: 'path', description: 'A glob over the path.', schema: { type: 'string', maxLength: MAX_GLOB_LENGTH } },
    { name: 'method', description: 'Only this method.', schema: { type: 'string' } },
    { name: 'status', description: 'Only this status.', schema: { type: 'integer', minimum: 100, maximum: 599 } },
    { name: 'auth_id', description: 'Only this account.', schema: { type: 'string' } },
  ],
  responses: { 200: ['The requests', RequestListSchema], ...errors(422) },
  handle(context) {
    const { ns } = context;
    const { limit, match, sinceId, sinceMs } = requestsQuery(context.query);
    const keep = matcher(match);
    const all = ns.journal
      .entries()
      .filter((e) => (sinceId === undefined || e.id > sinceId) && (sinceMs === undefined || e.time >= sinceMs))
      .map((e) => view(context, e))
      .filter(keep);
    const requests = all.slice(-limit);
    return { status: 200, body: { requests, meta: { total: ns.journal.total, dropped: ns.journal.dropped, held: ns.journal.held, returned: requests.length } } };
  },
};

export const countRequests: ControlRoute = {
  method: 'POST',
  path: '/requests/count',
  operationId: 'countRequests',
  tag: 'Journal',
  summary: 'How many journaled requests match',
  body: RequestMatchSchema,
  bodyOptional: true,
  responses: { 200: ['How many match', RequestCountSchema], ...errors(400, 422) },
  handle: (context) => ({ status: 200, body: { count: entries(context).filter(matcher(context.body as RequestMatch)).length } }),
};

/** What verify expected, in words: "exactly 1", "at least 2 and at most 5". */
const expectedWords = ({ exactly, at_least: atLeast, at_most: atMost }: Verify['times']) =>
  exactly !== undefined ? `exactly ${exactly}` : [atLeast !== undefined ? `at least ${atLeast}` : '', atMost !== undefined ? `at most ${atMost}` : ''].filter(Boolean).join(' and ');

export const verifyRequests: ControlRoute = {
  method: 'POST',
  path: '/requests/verify',
  operationId: 'verifyRequests',
  tag: 'Journal',
  summary: 'Assert how many requests matched; 422 with the closest entries (nearest path first) when not',
  body: VerifySchema,
  responses: { 200: ['Verified', VerifiedSchema], ...errors(400, 422) },
  handle(context) {
    const input = context.body as Verify;
    const { exactly, at_least: atLeast, at_most: atMost } = input.times;
    if (exactly === undefined && atLeast === undefined && atMost === undefined) throw invalidField('times', 'must give exactly, at_least or at_most', 'REQUIRED');
    const all = entries(context);
    const match = input.match ?? {};
    const count = all.filter(matcher(match)).length;
    const ok = (exactly === undefined || count === exactly) && (atLeast === undefined || count >= atLeast) && (atMost === undefined || count <= atMost);
    if (ok) return { status: 200, body: { count, verified: true } };
    // The closest of the newest entries: nearest path first (edit distance, stars matching any run), then
    // fewest other fields missed, then newest. Distances are counted once per path.
    const others = misses(match);
    const distances = new Map<string, number>();
    const pathDistance = (path: string) => {
      if (match.path === undefined) return 0;
      let d = distances.get(path);
      if (d === undefined) distances.set(path, (d = globDistance(match.path, path)));
      return d;
    };
    const closest = all
      .slice(-CLOSEST_AMONG)
      .map((v) => ({ v, path: pathDistance(v.path), others: others(v) }))
      .sort((a, b) => a.path - b.path || a.others - b.others || b.v.id - a.v.id)
      .slice(0, 5)
      .map(({ v }) => ({ id: v.id, method: v.method, path: v.path, status: v.status, auth_id: v.auth_id }));
    throw new ApiError('VALIDATION_ERROR', `Expected ${expectedWords(input.times)} matching requests, found ${count}`, { count, expected: input.times, closest });
  },
};

export const clearRequests: ControlRoute = {
  method: 'DELETE',
  path: '/requests',
  operationId: 'clearRequests',
  tag: 'Journal',
  summary: 'Empty the journal',
  responses: { 204: ['Emptied'], ...errors() },
  handle({ ns }) {
    ns.journal.clear();
    return { status: 204 };
  },
};
