import { bearerToken } from '../domain/bearer.js';
import { fromMicros } from '../domain/money.js';
import { zMicros } from '../domain/time.js';
import { parseTransactionsQuery } from '../api/transactions.js';
import { TransactionListSchema } from '../schemas/transaction.js';
import { transactionsPage } from '../views/transactions.js';
import { subAccountSummaries } from '../views/state.js';
import { accountIn, type ControlRoute, errors, invalidField, noBalance } from './route.js';
import { BalanceHistorySchema, CredentialsSchema, SubAccountSummaryListSchema } from './schemas.js';

/** How long the Bearer token the credentials call makes is valid, on the namespace clock. */
const BEARER_MINUTES = 60;

export const getCredentials: ControlRoute = {
  method: 'GET',
  path: '/accounts/:auth_id/credentials',
  operationId: 'getCredentials',
  tag: 'Accounts',
  summary: "An account's credentials, ready to paste: the X-Auth pair, a Basic header and a Bearer token (an hour on the namespace clock)",
  responses: { 200: ['The credentials', CredentialsSchema], ...errors(404) },
  handle({ ns, params }) {
    const stored = accountIn(ns, params['auth_id']!);
    const token = stored.currentToken;
    const expiresAt = ns.now() + BEARER_MINUTES * 60_000;
    return {
      status: 200,
      body: {
        auth_id: stored.authId,
        auth_token: token,
        basic: `Basic ${Buffer.from(`${stored.authId}:${token}`).toString('base64')}`,
        bearer: bearerToken(stored.authId, { expiresAt }),
        bearer_expires_at: new Date(expiresAt).toISOString(),
      },
    };
  },
};

export const listSubAccountSummaries: ControlRoute = {
  method: 'GET',
  path: '/accounts/:auth_id/sub-accounts',
  operationId: 'listSubAccountSummaries',
  tag: 'Accounts',
  summary: "An account's sub-accounts, oldest first, with their credentials and KYC state (each check, and overall)",
  responses: { 200: ['The sub-accounts', SubAccountSummaryListSchema], ...errors(404) },
  handle({ ns, params }) {
    const account = accountIn(ns, params['auth_id']!).account;
    return { status: 200, body: { sub_accounts: subAccountSummaries(account) } };
  },
};

export const getBalanceHistory: ControlRoute = {
  method: 'GET',
  path: '/accounts/:auth_id/balance-history',
  operationId: 'getBalanceHistory',
  tag: 'Accounts',
  summary: 'The balance after each completed ledger entry, oldest first (evenly thinned to `points`): a chart of the balance over time',
  query: [
    { name: 'currency', description: "Default: the pricing tier's currency.", schema: { type: 'string' } },
    { name: 'points', description: '2 to 5000 (default 500).', schema: { type: 'integer', minimum: 2, maximum: 5000 } },
  ],
  responses: { 200: ['The history', BalanceHistorySchema], ...errors(404, 422) },
  handle({ ns, params, query }) {
    const account = accountIn(ns, params['auth_id']!).account;
    const currency = (query['currency'] ?? account.profile.pricing_tier.currency).toUpperCase();
    const raw = query['points'];
    if (raw !== undefined && !(/^\d{1,4}$/.test(raw) && Number(raw) >= 2 && Number(raw) <= 5000)) throw invalidField('points', 'must be an integer from 2 to 5000', 'OUT_OF_RANGE');
    if (!account.balances.has(currency)) throw noBalance(account, currency);
    const points = account.ledger.balanceHistory(currency, raw === undefined ? 500 : Number(raw));
    return { status: 200, body: { auth_id: account.authId, currency, points: points.map(([at, balance]) => ({ at: zMicros(at), balance: fromMicros(balance) })) } };
  },
};

export const listLedger: ControlRoute = {
  method: 'GET',
  path: '/accounts/:auth_id/transactions',
  operationId: 'listLedger',
  tag: 'Accounts',
  summary: "A page of the account's ledger, exactly as the emulated transactions call answers it (same query), without its credentials and without a journal entry",
  query: ['page', 'per_page', 'from_date', 'to_date', 'type', 'status', 'currency', 'reference_type', 'description', 'reference', 'transaction_id'].map((name) => ({
    name,
    description: 'As GET /api/v1/Account/{auth_id}/transactions takes it.',
    schema: { type: name === 'page' || name === 'per_page' ? 'integer' : 'string' },
  })),
  responses: { 200: ['The page', TransactionListSchema], ...errors(404, 422) },
  handle({ ns, params, rawQuery }) {
    const account = accountIn(ns, params['auth_id']!).account;
    const parsed = parseTransactionsQuery(rawQuery);
    if (!('filter' in parsed)) throw invalidField('(query)', parsed.message ?? 'is not as documented');
    return { status: 200, text: transactionsPage(account, parsed.key, parsed.filter, parsed.page, parsed.perPage).toString() };
  },
};
