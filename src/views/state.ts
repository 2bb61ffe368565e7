import type { Account } from '../domain/account.js';
import { accountObject } from '../domain/derive.js';
import { decimalString, fromMicros } from '../domain/money.js';
import { zMicros } from '../domain/time.js';
import { kycCallsBlocked, kycOverall } from '../domain/sub-accounts.js';
import { FixtureFileSchema } from '../schemas/fixture.js';
import { balance } from './account.js';
import { subscription } from './capacity.js';

/**
 * What the control plane shows of an account beyond the emulated API: its whole state (GET
 * /__mock/v1/accounts/{auth_id}), and the same facts as a fixture file (what a snapshot holds).
 */

/** The account, its balances, its subscriptions and its live calls (MockAccountState). */
export function accountState(account: Account) {
  return {
    auth_id: account.authId,
    account: accountObject(account),
    balances: account.currencies.map((currency) => balance(account, currency)!),
    subscriptions: account.subscriptions().map((s) => subscription(s, account.numericId)),
    live_calls: account.namedCalls().map(([id, at]) => ({ id, started_at: new Date(at).toISOString() })),
  };
}

/** An account's sub-accounts as the control plane lists them: credentials and KYC state (MockSubAccountSummaryList). */
export function subAccountSummaries(account: Account) {
  return account.subAccounts().map((sub) => {
    const lastUsed = account.subAccountLastUsed(sub);
    return {
      auth_id: sub.authId,
      auth_token: sub.token,
      name: sub.name,
      enabled: sub.enabled,
      kyc_mode: sub.kycMode,
      business_type: sub.businessType,
      kyc: { ...sub.kyc },
      kyc_status: kycOverall(sub),
      kyc_calls_blocked: kycCallsBlocked(sub),
      created_at: zMicros(sub.createdAt),
      last_used: lastUsed === null ? null : zMicros(lastUsed),
    };
  });
}

/** The fields of a fixture's account, in its schema's order (the Account object's, its derived fields last). */
const fixtureFields = Object.keys(FixtureFileSchema.properties.account.properties);

function inFixtureOrder(object: object): Record<string, unknown> {
  const fields = object as Record<string, unknown>;
  return Object.fromEntries(fixtureFields.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]]));
}

/**
 * The account as a fixture file: the profile, each balance with its amount, every ledger entry (so no opening
 * entry is needed when it is loaded again), the subscriptions to the microsecond and the live calls. Loading it
 * gives the same bodies. `token`: the account's own token, when the snapshot must carry it.
 */
export function fixtureOf(account: Account, token: string | undefined): Record<string, unknown> {
  const ledger = account.ledger;
  return {
    ...(token === undefined ? {} : { auth_token: token }),
    account: inFixtureOrder(accountObject(account)),
    balances: [...account.balances.values()].map((b) => ({
      currency: b.currency,
      id: b.id,
      balance: fromMicros(ledger.balance(b.currency)),
      reserved_funds: b.reservedFunds,
      promotional_balance: b.promotionalBalance,
      promotional_reserved_balance: b.promotionalReservedBalance,
      credit_limit_type: b.creditLimitType,
      low_balance_threshold: b.lowBalanceThreshold,
      status: b.status,
      created_at: b.createdAt,
      updated_at: b.updatedAt,
    })),
    transactions: ledger.all().map((e) => ({
      id: e.id,
      type: e.type,
      amount: fromMicros(e.amount),
      currency: e.currency,
      description: e.description,
      reference: e.reference,
      reference_type: e.referenceType,
      status: e.status,
      created_at: e.createdAt,
      processed_at: e.processedAt,
      updated_at: e.updatedAt,
    })),
    subscriptions: account.subscriptions().map((s) => ({
      id: s.id,
      resource_type: s.resourceType,
      quantity: s.quantity,
      monthly_cost: decimalString(s.monthlyCost),
      currency: s.currency,
      status: s.status,
      purchased_at: zMicros(s.purchasedAt),
      last_billing_date: zMicros(s.lastBillingDate),
      next_billing_date: zMicros(s.nextBillingDate),
      cancelled_at: s.cancelledAt === null ? null : zMicros(s.cancelledAt),
      cancellation_reason: s.cancellationReason,
    })),
    live_calls: account.liveCalls,
    ...(account.subAccountCount > 0
      ? {
          sub_accounts: account.subAccounts().map((sub) => {
            const lastUsed = account.subAccountLastUsed(sub);
            return {
              auth_id: sub.authId,
              auth_token: sub.token,
              id: sub.id,
              api_id: sub.apiId,
              name: sub.name,
              email: sub.email,
              phone: sub.phone,
              description: sub.description,
              permissions: sub.permissions,
              rate_limit: sub.rateLimit,
              enabled: sub.enabled,
              kyc_mode: sub.kycMode,
              business_type: sub.businessType,
              kyc: { ...sub.kyc },
              ...(Object.keys(sub.kycPendingAs).length > 0 ? { kyc_pending_as: { ...sub.kycPendingAs } } : {}),
              created_at: zMicros(sub.createdAt),
              updated_at: zMicros(sub.updatedAt),
              last_used: lastUsed === null ? null : zMicros(lastUsed),
            };
          }),
        }
      : {}),
  };
}
