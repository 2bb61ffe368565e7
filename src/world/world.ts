import type { Env } from '../operations/operation.js';
import type { AccountStore } from '../store/account-store.js';
import { Clock } from './clock.js';
import { Faults } from './faults.js';
import { Journal } from './journal.js';

/** The header that selects a namespace; responses echo it. */
export const namespaceHeader = 'x-vobiz-mock-namespace';
export const namespacePattern = /^[a-z0-9_-]{1,64}$/;
export const DEFAULT_NAMESPACE = 'default';

/** A live call: counted in concurrency until it ends. */
export interface LiveCall {
  readonly id: string;
  readonly authId: string;
  /** Epoch milliseconds (the namespace's clock). */
  readonly startedAt: number;
}

/**
 * One isolated world: accounts (an overlay on the seeds, made on first use), a clock, fault rules, a journal
 * of requests and the live calls it has started. What operations need of it (store, now) makes it their Env.
 */
export class World implements Env {
  readonly name: string;
  store: AccountStore;
  clock: Clock;
  readonly faults = new Faults();
  readonly journal: Journal;
  readonly calls = new Map<string, LiveCall>();
  /** Start times (namespace clock, ms) of recent calls per account, for the CPS limit. */
  readonly callStarts = new Map<string, number[]>();
  readonly createdAt: number;
  readonly #pristine: AccountStore;
  readonly #base: () => number;

  constructor(name: string, pristine: AccountStore, base: () => number, journalSize: number) {
    this.name = name;
    this.#pristine = pristine;
    this.#base = base;
    this.store = pristine.fork();
    this.clock = new Clock(base);
    this.journal = new Journal(journalSize);
    this.createdAt = Date.now();
  }

  readonly now = (): number => this.clock.now();

  /** Back to the seeds: accounts, clock, faults, journal and calls. */
  reset(): void {
    this.store = this.#pristine.fork();
    this.clock = new Clock(this.#base);
    this.faults.clear();
    this.journal.clear();
    this.calls.clear();
    this.callStarts.clear();
  }

  /** A fresh store on the seeds (what a snapshot is loaded into). */
  freshStore(): AccountStore {
    return this.#pristine.fork();
  }

  /** Replaces the state with a snapshot's: its accounts, clock and live calls (faults and journal stay). */
  restore(store: AccountStore, clock: { mode: 'real' | 'frozen'; now: number }, calls: readonly LiveCall[]): void {
    this.store = store;
    this.clock = new Clock(this.#base);
    this.clock.freeze(clock.now);
    if (clock.mode === 'real') this.clock.run();
    this.calls.clear();
    this.callStarts.clear();
    for (const call of calls) this.calls.set(call.id, call);
  }

  get summary() {
    return {
      name: this.name,
      accounts: this.store.size,
      accounts_in_memory: this.store.touchedCount,
      journal: { held: this.journal.held, total: this.journal.total, dropped: this.journal.dropped },
      faults: this.faults.size,
      live_calls: this.calls.size,
      clock: this.clock.state,
    };
  }
}

/** Every namespace, made from the seeds on first use. */
export class Worlds {
  readonly #pristine: AccountStore;
  readonly #base: () => number;
  readonly #journalSize: number;
  readonly #worlds = new Map<string, World>();
  readonly default: World;

  constructor(pristine: AccountStore, base: () => number, journalSize: number) {
    this.#pristine = pristine;
    this.#base = base;
    this.#journalSize = journalSize;
    this.default = this.get(DEFAULT_NAMESPACE);
  }

  /** The namespace a request's header selects: the default without one, undefined for an invalid name. */
  select(header: string | string[] | undefined): World | undefined {
    if (header === undefined) return this.default;
    if (typeof header !== 'string' || !namespacePattern.test(header)) return undefined;
    return this.get(header);
  }

  get(name: string): World {
    let world = this.#worlds.get(name);
    if (!world) {
      world = new World(name, this.#pristine, this.#base, this.#journalSize);
      this.#worlds.set(name, world);
    }
    return world;
  }

  list(): World[] {
    return [...this.#worlds.values()];
  }

  /** Drops a namespace (the default one is reset instead: it always exists). False when there is none. */
  drop(name: string): boolean {
    const world = this.#worlds.get(name);
    if (!world) return false;
    if (world === this.default) world.reset();
    else this.#worlds.delete(name);
    return true;
  }
}
