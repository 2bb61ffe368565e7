import type { Static } from '@sinclair/typebox';
import type { TransactionList } from '../schemas/transaction.js';
import type * as Schemas from './schemas.js';

/**
 * A typed client for the control plane, for any emulator URL (a library instance, `npx vobiz-mock`, a
 * container). One client, one namespace: `headers` are what the application under test should send beside
 * its credentials so that its requests land in the same namespace.
 */

export interface ControlClientOptions {
  /** The namespace every call acts on (default: "default"). */
  readonly namespace?: string;
  /** When the emulator runs with --admin-token. */
  readonly adminToken?: string;
  readonly fetch?: typeof fetch;
}

/** The control plane's bodies, as its own schemas (src/control/schemas.ts) type them: one description, here and there. */
export type FaultRuleInput = Schemas.FaultRuleInput;
export type RequestMatch = Schemas.RequestMatch;
export type ClockState = Schemas.Clock;
export type Call = Schemas.Call;
export type CreateAccount = Schemas.CreateAccount;
export type Snapshot = Schemas.Snapshot;
export type Fault = Schemas.Fault;
export type RecordedRequest = Schemas.RecordedRequest;
export type Verify = Schemas.Verify;
export type AccountList = Static<typeof Schemas.AccountListSchema>;
export type AccountRow = Schemas.AccountRow;
export type Credentials = Static<typeof Schemas.CredentialsSchema>;
export type SubAccountSummaries = Static<typeof Schemas.SubAccountSummaryListSchema>;
export type BalanceHistory = Static<typeof Schemas.BalanceHistorySchema>;
export type NamespaceInfo = Static<typeof Schemas.NamespaceSchema>;
export type { TransactionList };

/**
 * The words of a failed call, for a test runner that shows only the message: the envelope's message, the
 * first field error when the message is the catalogue's bare "Validation failed", and the entries verify
 * found closest.
 */
function describeFailure(message: string, details: Record<string, unknown> | undefined): string {
  const first = (details?.['errors'] as { field?: string; message?: string }[] | undefined)?.[0];
  let text = message === 'Validation failed' && first?.field !== undefined ? `${first.field}: ${first.message ?? 'is invalid'}` : message;
  const closest = details?.['closest'] as { method?: string; path?: string; status?: number }[] | undefined;
  if (Array.isArray(closest) && closest.length > 0) text += `; closest: ${closest.map((c) => `${c.method} ${c.path} (${c.status})`).join(', ')}`;
  return text;
}

/** A control-plane call that did not succeed: the envelope's code, message and details. */
export class ControlPlaneError extends Error {
  override name = 'ControlPlaneError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(`${status} ${code}: ${describeFailure(message, details)}`);
  }
}

export class ControlClient {
  readonly url: string;
  readonly namespace: string;
  readonly #options: ControlClientOptions;

  constructor(url: string, options: ControlClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.namespace = options.namespace ?? 'default';
    this.#options = options;
  }

  /** The same emulator, another namespace. */
  withNamespace(namespace: string): ControlClient {
    return new ControlClient(this.url, { ...this.#options, namespace });
  }

  /** Headers that put a request of the emulated API in this client's namespace. */
  get headers(): Record<string, string> {
    return { 'X-Vobiz-Mock-Namespace': this.namespace };
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { ...this.headers };
    if (this.#options.adminToken !== undefined) headers['Authorization'] = `Bearer ${this.#options.adminToken}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await (this.#options.fetch ?? fetch)(`${this.url}/__mock/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (!res.ok) {
      let error: { code?: string; message?: string; details?: Record<string, unknown> } = {};
      try {
        error = (JSON.parse(text) as { error: typeof error }).error ?? {};
      } catch {
        // not the envelope: keep the status
      }
      throw new ControlPlaneError(res.status, error.code ?? 'UNKNOWN', error.message ?? text, error.details);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The namespace back to its seeds: accounts, clock, faults, journal. */
  reset(): Promise<void> {
    return this.#call('POST', '/reset');
  }

  /** A page of the namespaces (oldest first), with their sizes and the bounds they live within. */
  namespaces(query: { page?: number; per_page?: number } = {}): Promise<{ namespaces: Record<string, unknown>[]; total: number; page: number; per_page: number }> {
    return this.#call('GET', `/namespaces${queryString(query)}`);
  }

  dropNamespace(name = this.namespace): Promise<void> {
    return this.#call('DELETE', `/namespaces/${encodeURIComponent(name)}`);
  }

  /** A page of the accounts, searchable (q: in the auth_id or the name); reading them does not make them. */
  accounts(query: { q?: string | undefined; page?: number | undefined; per_page?: number | undefined } = {}): Promise<AccountList> {
    return this.#call('GET', `/accounts${queryString(query)}`);
  }

  /** An account's credentials ready to paste: the pair, a Basic header, a Bearer token. */
  credentials(authId: string): Promise<Credentials> {
    return this.#call('GET', `/accounts/${encodeURIComponent(authId)}/credentials`);
  }

  /** An account's sub-accounts with their credentials and KYC state. */
  subAccounts(authId: string): Promise<SubAccountSummaries> {
    return this.#call('GET', `/accounts/${encodeURIComponent(authId)}/sub-accounts`);
  }

  /** A page of the ledger as the transactions call answers it (same query), with no credentials and no journal entry. */
  ledger(authId: string, query: Record<string, string | number | undefined> = {}): Promise<TransactionList> {
    return this.#call('GET', `/accounts/${encodeURIComponent(authId)}/transactions${queryString(query)}`);
  }

  /** The balance after each completed ledger entry (at most `points`, default 500). */
  balanceHistory(authId: string, query: { currency?: string | undefined; points?: number | undefined } = {}): Promise<BalanceHistory> {
    return this.#call('GET', `/accounts/${encodeURIComponent(authId)}/balance-history${queryString(query)}`);
  }

  createAccount(input: CreateAccount = {}): Promise<{ auth_id: string; auth_token: string; account: Record<string, unknown> }> {
    return this.#call('POST', '/accounts', input);
  }

  /** An account's whole state: profile, balances, subscriptions, live calls. */
  account(authId: string): Promise<{ auth_id: string; account: Record<string, unknown>; balances: Record<string, unknown>[]; subscriptions: Record<string, unknown>[]; live_calls: { id: string; started_at: string }[] }> {
    return this.#call('GET', `/accounts/${encodeURIComponent(authId)}`);
  }

  updateAccount(authId: string, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.#call('PATCH', `/accounts/${encodeURIComponent(authId)}`, patch);
  }

  deleteAccount(authId: string): Promise<void> {
    return this.#call('DELETE', `/accounts/${encodeURIComponent(authId)}`);
  }

  setBalance(authId: string, currency: string, balance: number): Promise<Record<string, unknown>> {
    return this.#call('PUT', `/accounts/${encodeURIComponent(authId)}/balances/${encodeURIComponent(currency)}`, { balance });
  }

  /** A finished call (charged now) with durationSeconds, or a live one without. */
  startCall(authId: string, durationSeconds?: number): Promise<Call> {
    return this.#call('POST', `/accounts/${encodeURIComponent(authId)}/calls`, durationSeconds === undefined ? {} : { duration_seconds: durationSeconds });
  }

  endCall(id: string, durationSeconds?: number): Promise<Call> {
    return this.#call('DELETE', `/calls/${encodeURIComponent(id)}${durationSeconds === undefined ? '' : `?duration_seconds=${durationSeconds}`}`);
  }

  clock(): Promise<ClockState> {
    return this.#call('GET', '/clock');
  }

  freeze(at: Date | string): Promise<ClockState> {
    return this.#call('POST', '/clock', { freeze: typeof at === 'string' ? at : at.toISOString() });
  }

  /** Seconds, or an ISO 8601 duration ("P30D"); renewals that fall due on the way are applied, and counted in `renewals`. */
  advance(by: number | string): Promise<ClockState & { renewals: NonNullable<ClockState['renewals']> }> {
    return this.#call('POST', '/clock', { advance: by });
  }

  realTime(): Promise<ClockState> {
    return this.#call('POST', '/clock', { real: true });
  }

  addFault(rule: FaultRuleInput): Promise<Fault> {
    return this.#call('POST', '/faults', rule);
  }

  faults(): Promise<{ faults: Fault[] }> {
    return this.#call('GET', '/faults');
  }

  deleteFault(id: string): Promise<void> {
    return this.#call('DELETE', `/faults/${encodeURIComponent(id)}`);
  }

  clearFaults(): Promise<void> {
    return this.#call('DELETE', '/faults');
  }

  /** The namespace's whole state (accounts as fixture files, removed seeds, clock, live calls). */
  snapshot(): Promise<Record<string, unknown>> {
    return this.#call('GET', '/snapshot');
  }

  /** Loads a snapshot (taken here or elsewhere) into this namespace. */
  restore(snapshot: Snapshot | Record<string, unknown>): Promise<void> {
    return this.#call('PUT', '/snapshot', snapshot);
  }

  requests(query: { limit?: number | undefined; since?: string | number | undefined; path?: string | undefined; method?: string | undefined; status?: number | undefined; auth_id?: string | undefined } = {}): Promise<{ requests: RecordedRequest[]; meta: { total: number; dropped: number; held: number; returned: number } }> {
    return this.#call('GET', `/requests${queryString(query)}`);
  }

  async countRequests(match: RequestMatch = {}): Promise<number> {
    return (await this.#call<{ count: number }>('POST', '/requests/count', match)).count;
  }

  /** Resolves when as many requests matched as `times` says; rejects with a ControlPlaneError (details.closest) otherwise. */
  verifyRequests(match: RequestMatch, times: Verify['times']): Promise<{ count: number; verified: true }> {
    return this.#call('POST', '/requests/verify', { match, times });
  }

  clearRequests(): Promise<void> {
    return this.#call('DELETE', '/requests');
  }
}

/** `?a=1&b=2` of the defined values, or ''. */
function queryString(query: Record<string, string | number | undefined>): string {
  const text = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return text === '' ? '' : `?${text}`;
}

/** Environment variables test runners set to a worker's index. */
const workerVariables = ['VITEST_POOL_ID', 'VITEST_WORKER_ID', 'JEST_WORKER_ID', 'TEST_PARALLEL_INDEX', 'NODE_TEST_WORKER_ID', 'MOCHA_WORKER_ID', 'TAP_CHILD_ID', 'AVA_WORKER_ID'];

/**
 * A namespace name for the current test worker: `${prefix}-${index}` from the first variable a runner sets
 * (Vitest, Jest, Playwright, node:test, Mocha, tap), else `${prefix}-${pid}`. Workers in parallel on one
 * emulator then never see each other's state.
 */
export function workerNamespace(prefix = 'worker', env: Record<string, string | undefined> = process.env): string {
  const found = workerVariables.map((name) => env[name]).find((value) => value !== undefined && value !== '');
  const id = (found ?? String(process.pid)).toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  return `${prefix.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}-${id}`.slice(0, 64);
}
