/** A least-recently-used cache bounded by a total weight (e.g. decoded rows), not by entry count. */
export class WeightedLru<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(
    private readonly maxWeight: number,
    private readonly weigh: (value: V) => number,
  ) {}

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Re-insert: Map iteration order is insertion order, so the oldest entry comes first.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: K, value: V): void {
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.weight;
      this.entries.delete(key);
    }
    const weight = Math.max(1, this.weigh(value));
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxWeight || this.entries.size === 1) break;
      this.entries.delete(k);
      this.total -= e.weight;
    }
  }

  delete(key: K): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.weight;
  }

  /** Drops every entry whose key matches (e.g. the files of a dropped table). */
  deleteWhere(test: (key: K) => boolean): void {
    for (const [k, e] of this.entries) {
      if (!test(k)) continue;
      this.entries.delete(k);
      this.total -= e.weight;
    }
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }

  get weight(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }
}
