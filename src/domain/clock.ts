import { EARLIEST_MS, LATEST_MS } from '../schemas/instant.js';

/**
 * A namespace's clock, in epoch milliseconds: the emulator's own clock (real time, or the library's `now`)
 * moved by an offset, or frozen at an instant. It may be frozen at any instant from 0001-01-01T00:00:00Z to
 * 9999-12-31T23:59:59Z, past or future (the control plane refuses others); it is moved forward only; a running
 * clock stops at either end rather than leave them. Going back to real time keeps the offset reached.
 */
export class Clock {
  readonly #base: () => number;
  #frozen: number | undefined;
  #offset = 0;

  constructor(base: () => number) {
    this.#base = base;
  }

  /** Now, in epoch milliseconds. An arrow, so that it can be handed around as a function. */
  readonly now = (): number => {
    if (this.#frozen !== undefined) return this.#frozen;
    const at = this.#base() + this.#offset;
    return at > LATEST_MS ? LATEST_MS : at < EARLIEST_MS ? EARLIEST_MS : at;
  };

  get mode(): 'real' | 'frozen' {
    return this.#frozen === undefined ? 'real' : 'frozen';
  }

  /** Stops the clock at `at`, any instant in range. */
  freeze(at: number): void {
    this.#frozen = at;
  }

  /** Moves the clock forward by `ms`, frozen or running. */
  advance(ms: number): void {
    if (this.#frozen !== undefined) this.#frozen += ms;
    else this.#offset += ms;
  }

  /** Runs again from the instant it shows (no jump back to the emulator's clock). */
  run(): void {
    if (this.#frozen === undefined) return;
    this.#offset = this.#frozen - this.#base();
    this.#frozen = undefined;
  }

  get state(): { mode: 'real' | 'frozen'; now: string } {
    return { mode: this.mode, now: new Date(this.now()).toISOString() };
  }
}
