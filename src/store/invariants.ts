import { BlockList, isIP } from 'node:net';
import { isCreditType } from './ledger.js';
import { BalanceFixtureSchema, type FixtureFile, TransactionFixtureSchema } from '../schemas/fixture.js';
import { INT_MAX, moneyProblem } from '../schemas/numbers.js';

/** A broken rule in an account, located by a JSON path inside its file. */
export interface Issue {
  readonly path: string;
  readonly expected: string;
}

/**
 * What a value from a file is, for an error message, without repeating it: numbers, booleans and null as
 * themselves; a string by its length (a token, or bytes of some other file, never reach a terminal or a CI
 * log), unless `revealWords` and it is a short word; arrays and objects by their size.
 */
export function describeValue(value: unknown, options: { revealWords?: boolean } = {}): string {
  // Where only a few words are right (an enum, a literal), a short wrong word is said: it is no secret.
  if (options.revealWords === true && typeof value === 'string' && /^[\w .:-]{1,24}$/.test(value)) return JSON.stringify(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) && String(value).length <= 24 ? String(value) : 'a number';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** Turns ip_whitelist_rules values (addresses or CIDR blocks) into a matcher; throws on the first bad rule. */
export function compileIpRules(rules: Readonly<Record<string, string>>): BlockList {
  const list = new BlockList();
  for (const [name, rule] of Object.entries(rules)) {
    const [address = '', prefix, extra] = rule.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || Number(prefix) > bits) {
      throw new RangeError(name);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** The rules a schema cannot say: derived fields agree with their sources, ids agree, IP rules parse. */
export function accountIssues(account: FixtureFile['account']): Issue[] {
  const issues: Issue[] = [];
  // Each rule only where its inputs have the right types: in a file with schema errors, the rest still count.
  const int = (...values: unknown[]) => values.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= INT_MAX);
  const cps = account.base_cps_limit + account.purchased_cps;
  const calls = account.base_concurrent_calls_limit + account.purchased_concurrent_calls;
  // The derived limits are integers the SDKs' int fields hold, as their sources are.
  if (int(account.base_cps_limit, account.purchased_cps) && cps > INT_MAX) {
    issues.push({ path: '$.account.purchased_cps', expected: `at most ${INT_MAX - account.base_cps_limit} (cps_limit = base_cps_limit + purchased_cps must be at most ${INT_MAX}), got ${account.purchased_cps}` });
  }
  if (int(account.base_concurrent_calls_limit, account.purchased_concurrent_calls) && calls > INT_MAX) {
    issues.push({
      path: '$.account.purchased_concurrent_calls',
      expected: `at most ${INT_MAX - account.base_concurrent_calls_limit} (concurrent_calls_limit = base_concurrent_calls_limit + purchased_concurrent_calls must be at most ${INT_MAX}), got ${account.purchased_concurrent_calls}`,
    });
  }
  if (account.cps_limit !== undefined && int(account.cps_limit, account.base_cps_limit, account.purchased_cps) && account.cps_limit !== cps) {
    issues.push({ path: '$.account.cps_limit', expected: `${cps} (base_cps_limit + purchased_cps), got ${account.cps_limit}` });
  }
  if (
    account.concurrent_calls_limit !== undefined &&
    int(account.concurrent_calls_limit, account.base_concurrent_calls_limit, account.purchased_concurrent_calls) &&
    account.concurrent_calls_limit !== calls
  ) {
    issues.push({
      path: '$.account.concurrent_calls_limit',
      expected: `${calls} (base_concurrent_calls_limit + purchased_concurrent_calls), got ${account.concurrent_calls_limit}`,
    });
  }
  if (typeof account.pricing_tier_id === 'string' && typeof account.pricing_tier?.id === 'string' && account.pricing_tier_id !== account.pricing_tier.id) {
    issues.push({
      path: '$.account.pricing_tier_id',
      expected: `the same id as pricing_tier.id, got a different one`,
    });
  }
  for (const [name, rule] of Object.entries(account.ip_whitelist_rules ?? {})) {
    if (typeof rule !== 'string') continue;
    try {
      compileIpRules({ [name]: rule });
    } catch {
      issues.push({
        path: `$.account.ip_whitelist_rules${pathKey(name)}`,
        expected: `an IPv4/IPv6 address or CIDR block (e.g. "203.0.113.0/24"), got ${describeValue(rule)}`,
      });
    }
  }
  return issues;
}

/** `.name` or `["odd name"]`, for JSON paths. */
export function pathKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

const sameNumber = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** The rules of balances, transactions, subscriptions and live calls that a schema cannot say. */
export function stateIssues(fixture: FixtureFile): Issue[] {
  const issues: Issue[] = [];
  const { account } = fixture;
  const tierCurrency = account.pricing_tier.currency;
  const held = (fixture.balances ?? [{ currency: tierCurrency }]).map((b) => b.currency);
  const heldText = held.join(', ');
  const push = (path: string, expected: string) => issues.push({ path, expected });
  (fixture.balances ?? []).forEach((b, i) => {
    const at = `$.balances[${i}]`;
    if (held.indexOf(b.currency) !== i) push(`${at}.currency`, `a currency no earlier balance has, got ${describeValue(b.currency)}`);
    if (b.account_id !== undefined && b.account_id !== account.auth_id) push(`${at}.account_id`, `${JSON.stringify(account.auth_id)} (the account's auth_id), got ${describeValue(b.account_id)}`);
    if (b.is_postpaid !== undefined && b.is_postpaid !== account.postpaid) push(`${at}.is_postpaid`, `${account.postpaid} (the account's postpaid), got ${b.is_postpaid}`);
    const limit = b.currency === tierCurrency ? account.credit_limit : 0;
    if (b.credit_limit !== undefined && b.credit_limit !== limit) {
      push(`${at}.credit_limit`, `${limit} (the account's credit_limit in its tier's currency ${tierCurrency}, else 0), got ${b.credit_limit}`);
    }
    const wrongMoney = b.balance === undefined ? undefined : moneyProblem(b.balance, BalanceFixtureSchema.properties.balance);
    if (wrongMoney !== undefined) push(`${at}.balance`, `${wrongMoney}, got ${b.balance}`);
    if (b.available_balance !== undefined) {
      const expected = b.balance === undefined ? undefined : b.balance - (b.reserved_funds ?? 0);
      if (expected === undefined) push(`${at}.available_balance`, 'no available_balance without a balance (it is derived: balance - reserved_funds)');
      else if (!sameNumber(expected, b.available_balance)) push(`${at}.available_balance`, `${expected} (balance - reserved_funds), got ${b.available_balance}`);
    }
  });
  const ids = new Set<string>();
  (fixture.transactions ?? []).forEach((t, i) => {
    const at = `$.transactions[${i}]`;
    const currency = t.currency ?? tierCurrency;
    if (!held.includes(currency)) push(`${at}.currency`, `a currency the account holds a balance in (${heldText}), got ${describeValue(currency)}`);
    const wrongAmount = moneyProblem(t.amount, TransactionFixtureSchema.properties.amount);
    if (wrongAmount !== undefined) push(`${at}.amount`, `${wrongAmount}, got ${t.amount}`);
    else if (isCreditType(t.type) && !Number.isInteger(t.amount)) {
      push(`${at}.amount`, `a whole number for a ${t.type} entry (the documented summary types total_credit as an integer), got ${t.amount}`);
    }
    if (t.id !== undefined) {
      if (ids.has(t.id)) push(`${at}.id`, `an id no other transaction has, got ${describeValue(t.id)}`);
      ids.add(t.id);
    }
    if (t.account_id !== undefined && t.account_id !== account.auth_id) push(`${at}.account_id`, `${JSON.stringify(account.auth_id)} (the account's auth_id), got ${describeValue(t.account_id)}`);
  });
  const sums = { cps: 0, concurrent_calls: 0 };
  (fixture.subscriptions ?? []).forEach((s, i) => {
    const at = `$.subscriptions[${i}]`;
    if ((s.status ?? 'active') === 'active') sums[s.resource_type] += s.quantity;
    if (s.account_id !== undefined && s.account_id !== Number(account.id)) push(`${at}.account_id`, `${Number(account.id)} (the account's id as an integer), got ${s.account_id}`);
    if (s.currency !== undefined && s.currency !== tierCurrency) push(`${at}.currency`, `${tierCurrency} (the pricing tier's currency), got ${describeValue(s.currency)}`);
  });
  if (sums.cps > account.purchased_cps) {
    push('$.subscriptions', `active cps subscriptions of at most purchased_cps (${account.purchased_cps}) in all, got ${sums.cps}`);
  }
  if (sums.concurrent_calls > account.purchased_concurrent_calls) {
    push('$.subscriptions', `active concurrent_calls subscriptions of at most purchased_concurrent_calls (${account.purchased_concurrent_calls}) in all, got ${sums.concurrent_calls}`);
  }
  const limit = account.base_concurrent_calls_limit + account.purchased_concurrent_calls;
  if (fixture.live_calls !== undefined && fixture.live_calls > limit) push('$.live_calls', `at most ${limit} (concurrent_calls_limit), got ${fixture.live_calls}`);
  return issues;
}
