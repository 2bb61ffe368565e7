import type { LiveCall } from '../domain/namespace.js';
import { ApiError } from '../errors.js';
import { checkFixture, MAX_FIXTURE_BYTES } from '../fixtures/fixtures.js';
import { seedFromFixture } from '../fixtures/seed-data.js';
import { shortText } from '../schemas/expectation.js';
import type { FixtureFile } from '../schemas/fixture.js';
import { readInstant } from '../schemas/instant.js';
import { fixtureOf } from '../views/state.js';
import type { ControlContext, ControlRoute } from './route.js';
import { errors } from './route.js';
import { type Snapshot, SnapshotSchema } from './schemas.js';

export const getSnapshot: ControlRoute = {
  method: 'GET',
  path: '/snapshot',
  operationId: 'getSnapshot',
  tag: 'Snapshot',
  summary: "The namespace's whole state as JSON: accounts as fixture files, removed seeds, clock, live calls",
  responses: { 200: ['The snapshot', SnapshotSchema], ...errors() },
  handle({ ns }) {
    // Only accounts that can differ from their seeds (one that was only read is its seed still); a seeded
    // account's own token is left out (loading the snapshot takes it from the seed): a snapshot repeats only the
    // tokens the control plane itself made or was given.
    const touched = [...ns.store.touched()];
    const accounts = touched.filter((a) => a.changed).map((a) => fixtureOf(a.account, a.tokenReplaced || ns.store.seedToken(a.authId) !== a.currentToken ? a.currentToken : undefined));
    const present = new Set(touched.map((a) => a.authId));
    const removed = [...ns.store.removedSeeds()].filter((id) => !present.has(id));
    const liveCalls = ns.liveCalls().map((c) => ({ id: c.id, auth_id: c.authId, started_at: new Date(c.startedAt).toISOString() }));
    return { status: 200, body: { version: 1, namespace: ns.name, clock: ns.clock.state, accounts, removed, live_calls: liveCalls } };
  },
};

type Problem = (field: string, message: string) => void;

/** The snapshot's accounts checked as fixture files are, and one per auth_id; the fixtures that passed, and where each auth_id was listed. */
function readAccounts({ ns }: ControlContext, accounts: readonly unknown[], problem: Problem): { fixtures: FixtureFile[]; listedAt: Map<string, number> } {
  const fixtures: FixtureFile[] = [];
  const listedAt = new Map<string, number>();
  accounts.forEach((given, i) => {
    const account = given as Record<string, unknown>;
    const authId = (account['account'] as { auth_id?: unknown } | undefined)?.auth_id;
    const seedToken = typeof authId === 'string' && !('auth_token' in account) ? ns.store.seedToken(authId) : undefined;
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
  return { fixtures, listedAt };
}

export const putSnapshot: ControlRoute = {
  method: 'PUT',
  path: '/snapshot',
  operationId: 'putSnapshot',
  tag: 'Snapshot',
  summary: 'Load a snapshot into the namespace (every account checked as a fixture; nothing changes on an error)',
  body: SnapshotSchema,
  // A snapshot holds whole ledgers (MA_LEDGER01's 10,000 entries are about 4 MB): as large as a fixture file may be.
  bodyLimit: MAX_FIXTURE_BYTES,
  responses: { 204: ['Loaded'], ...errors(400, 413, 422) },
  handle(context) {
    const { ns, config } = context;
    const input = context.body as Snapshot;
    // Every problem at once, before anything changes: each account checked as a fixture is, then what ties
    // the snapshot together (one account per auth_id, live calls of accounts it has, within their counts).
    const issues: { field: string; message: string; code: string }[] = [];
    const problem: Problem = (field, message) => issues.push({ field, message, code: 'INVALID_VALUE' });
    const clock = readInstant(input.clock.now);
    if (!('micros' in clock)) problem('clock.now', `must be ${clock.expected}`);
    const { fixtures, listedAt } = readAccounts(context, input.accounts, problem);
    const store = ns.freshStore();
    for (const authId of input.removed ?? []) store.remove(authId);
    for (const fixture of fixtures) {
      const data = seedFromFixture(fixture);
      const authId = fixture.account.auth_id;
      store.remove(authId);
      const subAccounts = (data.subAccounts ?? []).map((sub) => sub.authId);
      const clash = subAccounts.findIndex((sub) => store.taken(sub));
      if (clash >= 0) {
        problem(`accounts[${listedAt.get(authId)}].sub_accounts[${clash}].auth_id`, 'expected an auth_id no other account or sub-account of the namespace has');
        continue;
      }
      store.add({ authId, token: fixture.auth_token, origin: 'snapshot', subAccounts, data: () => data });
    }
    if (store.addedCount > config.maxAccounts) problem('accounts', `expected at most ${config.maxAccounts} accounts beyond the seeds (--max-accounts), got ${store.addedCount}`);
    const listed = input.live_calls ?? [];
    if (listed.length > config.maxLiveCalls) problem('live_calls', `expected at most ${config.maxLiveCalls} live calls (--max-live-calls), got ${listed.length}`);
    const ids = new Set<string>();
    const perAccount = new Map<string, number>();
    const calls: LiveCall[] = [];
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
      const counted = account.account.liveCalls;
      if (count === counted + 1) {
        const where = listedAt.has(c.auth_id) ? `accounts[${listedAt.get(c.auth_id)}].live_calls` : "its seed's live_calls";
        problem(`live_calls[${i}].auth_id`, `expected at most ${counted} live calls of ${c.auth_id} (${where}, which counts every call in progress), got more`);
      }
      if ('micros' in started) calls.push({ id: c.id, authId: c.auth_id, startedAt: Math.floor(started.micros / 1000) });
    });
    if (issues.length > 0) throw new ApiError('VALIDATION_ERROR', `${issues[0]!.field}: ${issues[0]!.message}`, { errors: issues });
    ns.restore(store, { mode: input.clock.mode, now: Math.floor((clock as { micros: number }).micros / 1000) }, calls);
    return { status: 204 };
  },
};
