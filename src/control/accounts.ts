import { randomBytes } from 'node:crypto';
import { accountObject } from '../domain/derive.js';
import { toMicros } from '../domain/money.js';
import { ApiError } from '../errors.js';
import { checkFixture } from '../fixtures/fixtures.js';
import { seedFromFixture } from '../fixtures/seed-data.js';
import { accountExample, AccountSchema, derivedAccountFields } from '../schemas/account.js';
import { BalanceSchema } from '../schemas/balance.js';
import { shortText } from '../schemas/expectation.js';
import type { FixtureFile } from '../schemas/fixture.js';
import { moneyProblem } from '../schemas/numbers.js';
import { balance } from '../views/account.js';
import { accountState } from '../views/state.js';
import { accountIn, type ControlRoute, errors, fixtureFailure, invalidField, noBalance } from './route.js';
import { AccountPatchSchema, AccountStateSchema, type CreateAccount, CreateAccountSchema, CreatedAccountSchema, type SetBalance, SetBalanceSchema } from './schemas.js';

export const createAccount: ControlRoute = {
  method: 'POST',
  path: '/accounts',
  operationId: 'createAccount',
  tag: 'Accounts',
  summary: 'A new account (optionally a copy of another), checked as a fixture is',
  body: CreateAccountSchema,
  bodyOptional: true,
  responses: { 201: ['The account and its credentials', CreatedAccountSchema], ...errors(400, 404, 409, 422) },
  handle({ ns, body, config }) {
    const input = body as CreateAccount;
    input.balances?.forEach((b, i) => {
      const wrong = moneyProblem(b.balance, CreateAccountSchema.properties.balances.items.properties.balance);
      if (wrong !== undefined) throw invalidField(`balances.${i}.balance`, `must be ${wrong}`);
    });
    const base: Record<string, unknown> = input.from !== undefined ? { ...accountObject(accountIn(ns, input.from).account) } : { ...accountExample };
    const id = ns.store.newId();
    const suffix = id.replace(/-/g, '').slice(0, 8).toUpperCase();
    const stamp = new Date(ns.now()).toISOString().replace('Z', '000+00:00');
    const account: Record<string, unknown> = {
      ...base,
      id: String(600_000 + ns.store.size),
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
    if (ns.store.taken(authId)) throw new ApiError('CONFLICT', `An account or sub-account ${authId} exists in namespace ${ns.name}`);
    if (ns.store.addedCount >= config.maxAccounts) {
      throw invalidField('(namespace)', `may add at most ${config.maxAccounts} accounts beyond its seeds (--max-accounts): delete some, or reset it`, 'OUT_OF_RANGE');
    }
    const data = seedFromFixture(result.fixture as FixtureFile);
    const made = ns.store.add({ authId, token, origin: 'control plane', data: () => data });
    return { status: 201, body: { auth_id: authId, auth_token: token, account: accountObject(made.account) } };
  },
};

export const getAccountState: ControlRoute = {
  method: 'GET',
  path: '/accounts/:auth_id',
  operationId: 'getAccountState',
  tag: 'Accounts',
  summary: "An account's whole state: profile, balances, subscriptions, live calls",
  responses: { 200: ['The state', AccountStateSchema], ...errors(404) },
  handle: ({ ns, params }) => ({ status: 200, body: accountState(accountIn(ns, params['auth_id']!).account) }),
};

export const updateAccount: ControlRoute = {
  method: 'PATCH',
  path: '/accounts/:auth_id',
  operationId: 'updateAccount',
  tag: 'Accounts',
  summary: 'Change an account: a partial Account (and auth_token), checked as a fixture is',
  body: AccountPatchSchema,
  checksItself: true,
  responses: { 200: ['The account as /auth/me now shows it', AccountSchema], ...errors(400, 404, 422) },
  handle({ ns, params, body: patch }) {
    const target = accountIn(ns, params['auth_id']!);
    if ('auth_id' in patch && patch['auth_id'] !== target.authId) throw invalidField('auth_id', 'cannot be changed: create an account instead');
    const { auth_token: token, ...fields } = patch;
    const account = target.account;
    const current = accountObject(account) as unknown as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...current, ...fields };
    for (const derived of derivedAccountFields) if (!(derived in fields)) delete merged[derived];
    // Checked as a whole fixture; without a new token the current one stands in (it is not changed).
    const result = checkFixture(JSON.stringify({ auth_token: typeof token === 'string' ? token : target.currentToken, account: merged }));
    // Named as the patch names them: `base_cps_limit`, not the fixture's `account.base_cps_limit`.
    if (!result.fixture) throw fixtureFailure(result.issues, /^\$\.(account\.)?/);
    const next = seedFromFixture(result.fixture as FixtureFile).account;
    const held = account.held;
    if (next.purchased_cps < held.cps) throw invalidField('purchased_cps', `must be at least what active subscriptions hold (${held.cps} CPS)`, 'OUT_OF_RANGE');
    if (next.purchased_concurrent_calls < held.concurrent_calls) {
      throw invalidField('purchased_concurrent_calls', `must be at least what active subscriptions hold (${held.concurrent_calls} concurrent calls)`, 'OUT_OF_RANGE');
    }
    const live = account.liveCalls;
    if (next.base_concurrent_calls_limit + next.purchased_concurrent_calls < live) {
      const field = 'purchased_concurrent_calls' in fields && !('base_concurrent_calls_limit' in fields) ? 'purchased_concurrent_calls' : 'base_concurrent_calls_limit';
      throw invalidField(field, `must leave concurrent_calls_limit (base_concurrent_calls_limit + purchased_concurrent_calls) at least the ${live} live calls: end calls first (DELETE /__mock/v1/calls/{id})`, 'OUT_OF_RANGE');
    }
    account.replaceProfile(next);
    if (typeof token === 'string') target.replaceToken(token);
    return { status: 200, body: accountObject(account) };
  },
};

export const deleteAccount: ControlRoute = {
  method: 'DELETE',
  path: '/accounts/:auth_id',
  operationId: 'deleteAccount',
  tag: 'Accounts',
  summary: 'Remove an account (and its live calls)',
  responses: { 204: ['Removed'], ...errors(404) },
  handle({ ns, params }) {
    if (!ns.removeAccount(params['auth_id']!)) throw new ApiError('NOT_FOUND', `No account ${shortText(params['auth_id']!)} in namespace ${ns.name}`);
    return { status: 204 };
  },
};

export const setBalance: ControlRoute = {
  method: 'PUT',
  path: '/accounts/:auth_id/balances/:currency',
  operationId: 'setBalance',
  tag: 'Accounts',
  summary: 'Set a balance exactly, through one adjustment ledger entry',
  body: SetBalanceSchema,
  responses: { 200: ['The balance', BalanceSchema], ...errors(400, 404, 422) },
  handle({ ns, params, body }) {
    const target = accountIn(ns, params['auth_id']!);
    const { balance: amount } = body as SetBalance;
    const wrong = moneyProblem(amount, SetBalanceSchema.properties.balance);
    if (wrong !== undefined) throw invalidField('balance', `must be ${wrong}`);
    const currency = params['currency']!.toUpperCase();
    const account = target.account;
    if (!account.setBalance(currency, toMicros(amount), ns.now() * 1000, () => ns.store.newId())) {
      throw noBalance(account, currency);
    }
    return { status: 200, body: balance(account, currency) };
  },
};
