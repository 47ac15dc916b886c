/**
 * A least-recently-used cache of a fixed size, for caches keyed by input (a currency or locale
 * string written in a template): the oldest entry goes when a new one would pass the size, so a
 * template that names a million currencies holds `size` formats, not a million.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly size: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as K);
  }

  get length(): number {
    return this.entries.size;
  }
}
