/**
 * A bounded memo: the value made for a key the first time it is asked for, kept. It starts again empty when
 * it holds `limit` values, since its keys come from requests and a client asking for ever new ones must not
 * grow it without end. `make` must not give undefined (a miss can be kept as null).
 */
export class Memo<K, V> {
  readonly #values = new Map<K, V>();

  constructor(
    readonly limit: number,
    readonly make: (key: K) => V,
  ) {}

  get(key: K): V {
    let value = this.#values.get(key);
    if (value === undefined) {
      if (this.#values.size >= this.limit) this.#values.clear();
      value = this.make(key);
      this.#values.set(key, value);
    }
    return value;
  }
}
