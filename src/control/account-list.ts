import type { AccountStore, StoredAccount } from '../domain/store.js';
import { accountObject, balanceFigures } from '../domain/derive.js';
import { fromMicros } from '../domain/money.js';
import { type ControlRoute, errors, invalidField, pageQuery } from './route.js';
import { type AccountRow, AccountListSchema } from './schemas.js';

/**
 * How long a search looks, in milliseconds. A generated account's name is made when it is first read (about
 * 130 µs here), so a million cannot be searched by name on request: the search stops after this long and says so
 * (complete: false). An auth_id given whole is always found. Short, because it holds the event loop meanwhile.
 */
export const SEARCH_MS = 100;

/** A row of the accounts table: what the emulated API would show, read without keeping the account. */
function row(stored: StoredAccount): AccountRow {
  const account = stored.account;
  const profile = accountObject(account);
  const currency = profile.pricing_tier.currency;
  const figures = balanceFigures(account, currency);
  return {
    auth_id: stored.authId,
    name: profile.name,
    billing: profile.is_trial_account ? 'trial' : profile.postpaid ? 'postpaid' : 'prepaid',
    currency,
    balance: figures ? fromMicros(figures.balance) : null,
    concurrent_calls_limit: profile.concurrent_calls_limit,
    cps_limit: profile.cps_limit,
    live_calls: account.liveCalls,
    enabled: profile.enabled,
    sub_accounts: account.subAccountCount,
    origin: stored.origin,
  };
}

/** The auth_ids a search finds, in order (one given whole first); `complete` false when it stopped at SEARCH_MS. */
function search(store: AccountStore, q: string, now: () => number): { ids: string[]; complete: boolean } {
  const needle = q.toLowerCase();
  const exact = store.peek(q.toUpperCase()) ? q.toUpperCase() : undefined;
  const ids: string[] = exact ? [exact] : [];
  const until = now() + SEARCH_MS;
  let seen = 0;
  for (const authId of store.authIds()) {
    // The clock is read every 256 accounts: reading it costs more than a comparison.
    if ((++seen & 255) === 0 && now() > until) return { ids, complete: false };
    if (authId === exact) continue;
    if (authId.toLowerCase().includes(needle) || store.peek(authId)!.account.profile.name.toLowerCase().includes(needle)) ids.push(authId);
  }
  return { ids, complete: true };
}

export const listAccounts: ControlRoute = {
  method: 'GET',
  path: '/accounts',
  operationId: 'listAccounts',
  tag: 'Accounts',
  summary: "A page of the namespace's accounts (load order: fixtures, generated, added), searchable; reading does not make them",
  query: [
    { name: 'q', description: `Only accounts whose auth_id or name holds this text (any case). A search looks for ${SEARCH_MS} ms at most (complete: false when it stopped; an auth_id given whole is always found).`, schema: { type: 'string', maxLength: 100 } },
    { name: 'page', description: 'From 1 (default 1).', schema: { type: 'integer', minimum: 1 } },
    { name: 'per_page', description: '1 to 1000 (default 25).', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
  ],
  responses: { 200: ['The page', AccountListSchema], ...errors(422) },
  handle({ ns, query }) {
    const { page, per_page } = pageQuery(query, 25);
    const q = query['q']?.trim() ?? '';
    if (q.length > 100) throw invalidField('q', 'must be at most 100 characters');
    const store = ns.store;
    const start = (page - 1) * per_page;
    let ids: string[];
    let total: number;
    let complete = true;
    if (q === '') {
      // The page alone, from its place: the ids before it are neither read nor walked.
      ids = [];
      total = store.size;
      for (const authId of store.authIds(start)) {
        if (ids.length === per_page) break;
        ids.push(authId);
      }
    } else {
      const found = search(store, q, () => performance.now());
      total = found.ids.length;
      complete = found.complete;
      ids = found.ids.slice(start, start + per_page);
    }
    return { status: 200, body: { accounts: ids.map((id) => row(store.peek(id)!)), total, page, per_page, complete } };
  },
};
