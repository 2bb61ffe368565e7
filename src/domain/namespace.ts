import type { ErrorCode } from '../schemas/error.js';
import type { AccountStore, Env, StoredAccount } from './store.js';
import { Clock } from './clock.js';
import { Faults } from './faults.js';
import { Journal, JournalBudget } from './journal.js';

/** The header that selects a namespace; responses echo it. */
export const namespaceHeader = 'x-vobiz-mock-namespace';
export const namespacePattern = /^[a-z0-9_-]{1,64}$/;
export const DEFAULT_NAMESPACE = 'default';

/** A live call: counted in its account's concurrency until it ends. */
export interface LiveCall {
  readonly id: string;
  readonly authId: string;
  /** Epoch milliseconds (the namespace's clock). */
  readonly startedAt: number;
}

/** How many sub-accounts an account holds by default (--max-sub-accounts). */
export const DEFAULT_MAX_SUB_ACCOUNTS = 1000;

/** How many fault rules a namespace holds by default (--max-fault-rules). */
export const DEFAULT_MAX_FAULT_RULES = 100;

/**
 * One isolated namespace: accounts (an overlay on the seeds, made on first use), a clock, fault rules, a journal
 * of requests and the live calls it has started. What operations need of it (store, now) makes it their Env.
 */
export class Namespace implements Env {
  readonly name: string;
  store: AccountStore;
  clock: Clock;
  readonly faults: Faults;
  readonly journal: Journal;
  /** Which account each live call the control plane started belongs to (the calls themselves are their accounts' facts). */
  readonly #callOwners = new Map<string, string>();
  /** Start times (namespace clock, ms) of recent calls per account, for the CPS limit. */
  readonly callStarts = new Map<string, number[]>();
  readonly createdAt: number;
  /** When a request last began or ended here (real time, ms): an idle namespace expires. */
  lastUsed: number;
  /** Requests begun and not yet answered: a namespace never expires while it has one. */
  inFlight = 0;
  readonly #pristine: AccountStore;
  readonly #base: () => number;

  /** Sub-accounts an account may hold (--max-sub-accounts). */
  readonly maxSubAccounts: number;

  constructor(name: string, pristine: AccountStore, base: () => number, journal: Journal, maxFaultRules = DEFAULT_MAX_FAULT_RULES, maxSubAccounts = DEFAULT_MAX_SUB_ACCOUNTS) {
    this.maxSubAccounts = maxSubAccounts;
    this.name = name;
    this.#pristine = pristine;
    this.#base = base;
    this.store = pristine.fork(name);
    this.clock = new Clock(base);
    this.journal = journal;
    this.faults = new Faults(maxFaultRules);
    this.createdAt = Date.now();
    this.lastUsed = this.createdAt;
  }

  readonly now = (): number => this.clock.now();

  /** Back to the seeds: accounts, clock, faults, journal and calls. */
  reset(): void {
    this.store = this.#pristine.fork(this.name);
    this.clock = new Clock(this.#base);
    this.faults.clear();
    this.journal.clear();
    this.#callOwners.clear();
    this.callStarts.clear();
  }

  /** How many live calls the control plane started here and has not ended. */
  get liveCallCount(): number {
    return this.#callOwners.size;
  }

  /** A live call of an account begins (epoch ms, namespace clock). */
  startCall(account: StoredAccount, id: string, at: number): void {
    account.account.startCall(id, at);
    this.#callOwners.set(id, account.authId);
  }

  /** A live call ends: its account and start, or undefined when there is no such call. */
  endCall(id: string): { readonly account: StoredAccount; readonly startedAt: number } | undefined {
    const authId = this.#callOwners.get(id);
    const account = authId === undefined ? undefined : this.store.get(authId);
    const startedAt = account?.account.endCall(id);
    if (!account || startedAt === undefined) return undefined;
    this.#callOwners.delete(id);
    return { account, startedAt };
  }

  /** A live call the control plane started, or undefined. */
  liveCall(id: string): LiveCall | undefined {
    const authId = this.#callOwners.get(id);
    const startedAt = authId === undefined ? undefined : this.store.get(authId)?.account.namedCalls().find(([callId]) => callId === id)?.[1];
    return authId === undefined || startedAt === undefined ? undefined : { id, authId, startedAt };
  }

  /** The live calls the control plane started, in the order they began. */
  liveCalls(): LiveCall[] {
    const starts = new Map<string, number>();
    for (const authId of new Set(this.#callOwners.values())) for (const [id, at] of this.store.get(authId)?.account.namedCalls() ?? []) starts.set(id, at);
    return [...this.#callOwners].map(([id, authId]) => ({ id, authId, startedAt: starts.get(id)! }));
  }

  /** Removes an account and its live calls; false when there is none. */
  removeAccount(authId: string): boolean {
    if (!this.store.remove(authId)) return false;
    for (const [id, owner] of this.#callOwners) if (owner === authId) this.#callOwners.delete(id);
    return true;
  }

  /** A fresh store on the seeds (what a snapshot is loaded into). */
  freshStore(): AccountStore {
    return this.#pristine.fork(this.name);
  }

  /**
   * Replaces the state with a snapshot's: its accounts (their live calls counted in their fixtures), clock and
   * the live calls the control plane started (faults and journal stay). The caller checked that they hold together.
   */
  restore(store: AccountStore, clock: { mode: 'real' | 'frozen'; now: number }, calls: readonly LiveCall[]): void {
    this.store = store;
    this.clock = new Clock(this.#base);
    this.clock.freeze(clock.now);
    if (clock.mode === 'real') this.clock.run();
    this.#callOwners.clear();
    this.callStarts.clear();
    const byAccount = new Map<string, (readonly [string, number])[]>();
    for (const c of calls) byAccount.set(c.authId, [...(byAccount.get(c.authId) ?? []), [c.id, c.startedAt]]);
    for (const [authId, own] of byAccount) {
      const account = store.get(authId)!.account;
      account.restoreCalls(own, account.liveCalls);
    }
    for (const call of calls) this.#callOwners.set(call.id, call.authId);
  }

  get summary() {
    return {
      name: this.name,
      accounts: this.store.size,
      accounts_in_memory: this.store.touchedCount,
      journal: { held: this.journal.held, total: this.journal.total, dropped: this.journal.dropped },
      faults: this.faults.size,
      live_calls: this.liveCallCount,
      clock: this.clock.state,
      last_used: new Date(this.lastUsed).toISOString(),
    };
  }
}

/** Why a request's namespace cannot serve it: an error to answer with. */
export class NamespaceRefusal {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
  ) {}
}

export interface NamespaceLimits {
  /** Requests each journal keeps (0: off). */
  readonly journalSize: number;
  /** Bytes all journals hold together. */
  readonly journalMemory: number;
  /** Namespaces that may exist at once besides the default one (which always does). */
  readonly maxNamespaces: number;
  /** Milliseconds a namespace may stay idle before it is dropped (0: never). */
  readonly idleMs: number;
  /** Fault rules a namespace holds. */
  readonly maxFaultRules: number;
  /** Sub-accounts an account may hold (default 1000). */
  readonly maxSubAccounts?: number;
}

const invalidName = new NamespaceRefusal('BAD_REQUEST', 'X-Vobiz-Mock-Namespace must be 1 to 64 of a-z, 0-9, _ and -');

/**
 * Every namespace, made from the seeds on first use, within bounds a client cannot push past: at most
 * `maxNamespaces` at once (a new one beyond is refused, naming the flag), idle ones dropped after `idleMs`
 * (never while a request of theirs is in flight; never the default one), and one memory budget for all
 * journals.
 */
export class Namespaces {
  readonly #pristine: AccountStore;
  readonly #base: () => number;
  readonly #limits: NamespaceLimits;
  readonly #budget: JournalBudget;
  readonly #namespaces = new Map<string, Namespace>();
  readonly #sweeper: NodeJS.Timeout | undefined;
  /** When the last sweep ran: a client asking for new namespaces at the bound sweeps at most once a second. */
  #swept = 0;
  readonly default: Namespace;

  constructor(pristine: AccountStore, base: () => number, limits: NamespaceLimits) {
    this.#pristine = pristine;
    this.#base = base;
    this.#limits = limits;
    this.#budget = new JournalBudget(limits.journalMemory);
    this.default = this.#make(DEFAULT_NAMESPACE);
    if (limits.idleMs > 0) {
      // Checked a few times per idle period (at most once a minute): a namespace goes within a quarter of it.
      this.#sweeper = setInterval(() => this.sweep(Date.now()), Math.min(60_000, Math.max(250, limits.idleMs / 4)));
      this.#sweeper.unref();
    }
  }

  get size(): number {
    return this.#namespaces.size;
  }

  /** What the journals hold now, in bytes (about), and their bound. */
  get journalMemory(): { readonly used: number; readonly limit: number } {
    return { used: this.#budget.used, limit: this.#budget.limit };
  }

  #make(name: string): Namespace {
    const ns = new Namespace(name, this.#pristine, this.#base, new Journal(this.#limits.journalSize, this.#budget), this.#limits.maxFaultRules, this.#limits.maxSubAccounts);
    this.#namespaces.set(name, ns);
    return ns;
  }

  /**
   * The namespace a request's header selects (the default without one), made on first use; or why it
   * cannot be: an invalid name, or no room for another namespace.
   */
  select(header: string | string[] | undefined): Namespace | NamespaceRefusal {
    const found = this.peek(header);
    if (found !== undefined) return found;
    // peek answers every header but a valid name not made yet.
    const name = header as string;
    if (this.#namespaces.size - 1 >= this.#limits.maxNamespaces) {
      const now = Date.now();
      if (now - this.#swept >= 1000) this.sweep(now);
      if (this.#namespaces.size - 1 >= this.#limits.maxNamespaces) {
        const idle = this.#limits.idleMs > 0 ? `idle ones are dropped after ${this.#limits.idleMs / 1000} s (--namespace-ttl)` : 'idle ones are never dropped (--namespace-ttl 0)';
        return new NamespaceRefusal(
          'SERVICE_UNAVAILABLE',
          `No room for namespace ${name}: ${this.#namespaces.size - 1} namespaces exist besides default, the most --max-namespaces allows. Drop one (DELETE /__mock/v1/namespaces/{ns}); ${idle}`,
        );
      }
    }
    return this.#make(name);
  }

  /** The namespace a header names if it exists (never made): for requests that use no state (/health, /docs). */
  peek(header: string | string[] | undefined): Namespace | NamespaceRefusal | undefined {
    if (header === undefined) return this.default;
    // A name made before was checked then: one lookup, and the pattern only for a name not made.
    const known = typeof header === 'string' ? this.#namespaces.get(header) : undefined;
    if (known) return known;
    return typeof header !== 'string' || !namespacePattern.test(header) ? invalidName : undefined;
  }


  get(name: string): Namespace | undefined {
    return this.#namespaces.get(name);
  }

  /** The namespaces in the order they were made. */
  list(): Namespace[] {
    return [...this.#namespaces.values()];
  }

  /** Drops a namespace (the default one is reset instead: it always exists). False when there is none. */
  drop(name: string): boolean {
    const ns = this.#namespaces.get(name);
    if (!ns) return false;
    if (ns === this.default) ns.reset();
    else this.#forget(ns);
    return true;
  }

  #forget(ns: Namespace): void {
    this.#namespaces.delete(ns.name);
    ns.journal.clear();
    ns.faults.clear();
  }

  /** Drops every namespace idle for the idle period with no request in flight (never the default one). */
  sweep(now: number): void {
    this.#swept = now;
    if (this.#limits.idleMs <= 0) return;
    for (const ns of this.#namespaces.values()) {
      if (ns !== this.default && ns.inFlight === 0 && now - ns.lastUsed >= this.#limits.idleMs) this.#forget(ns);
    }
  }

  /** Stops the idle sweep (the app closes). */
  close(): void {
    if (this.#sweeper) clearInterval(this.#sweeper);
  }
}
