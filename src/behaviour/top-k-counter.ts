/**
 * Counts of the most frequent keys in bounded space (Space-Saving, Metwally et al. 2005): up to
 * `k` keys with counts; a new key past that replaces the smallest, inheriting its count as an
 * over-estimate. Exact while an account uses at most `k` templates, which is the common case.
 */
export class TopKCounter {
  /** Null until the first key: most accounts fill no template, and every account holds two counters. */
  private counts: Map<number, number> | null = null;

  constructor(readonly k: number) {}

  add(key: number, count = 1): void {
    this.counts ??= new Map();
    const current = this.counts.get(key);
    if (current !== undefined) {
      this.counts.set(key, current + count);
      return;
    }
    if (this.counts.size < this.k) {
      this.counts.set(key, count);
      return;
    }
    let minKey = 0;
    let min = Infinity;
    for (const [candidate, value] of this.counts) {
      if (value < min || (value === min && candidate < minKey)) {
        min = value;
        minKey = candidate;
      }
    }
    this.counts.delete(minKey);
    this.counts.set(key, min + count);
  }

  merge(other: TopKCounter): void {
    if (other.counts !== null) for (const [key, count] of other.counts) this.add(key, count);
  }

  get size(): number {
    return this.counts?.size ?? 0;
  }

  /** Calls `visit` for each key kept, in no particular order (cheaper than `entries` when order does not matter). */
  forEach(visit: (key: number, count: number) => void): void {
    this.counts?.forEach((count, key) => visit(key, count));
  }

  /** Keys by count, largest first (ties by key). */
  entries(): [number, number][] {
    if (this.counts === null) return [];
    return [...this.counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }
}
