/**
 * A bottom-k sketch of a multiset of values: the k values with the smallest hashes, each with
 * its exact count. Because every account ranks values by the same hash, two accounts that share
 * many values keep many of the same ones, so shared IPs, fingerprints and prompts show up in
 * small fixed-size state; and since a value's place depends only on its hash, the sketch is the
 * same whatever order the observations come in (one at a time live, or pre-aggregated in SQL in
 * batch), and two sketches merge exactly.
 *
 * Counts are exact for the values kept: a value in the final sketch was kept from its first
 * observation on (the admission threshold only falls).
 */
export class BottomKSketch {
  private hashes: Uint32Array;
  private ids: Int32Array;
  private counts: Float64Array;
  private size = 0;
  /** Total weight observed, kept values or not. */
  total = 0;

  constructor(readonly k: number) {
    const initial = Math.min(k, 4);
    this.hashes = new Uint32Array(initial);
    this.ids = new Int32Array(initial);
    this.counts = new Float64Array(initial);
  }

  get length(): number {
    return this.size;
  }

  /** Adds `count` observations of the value `id` whose hash is `hash` (unsigned 32-bit). */
  add(hash: number, id: number, count = 1): void {
    this.total += count;
    const size = this.size;
    const hashes = this.hashes;
    for (let i = 0; i < size; i++) {
      if (hashes[i] === hash && this.ids[i] === id) {
        this.counts[i]! += count;
        return;
      }
    }
    if (size < this.k) {
      if (size === hashes.length) this.grow();
      this.hashes[size] = hash;
      this.ids[size] = id;
      this.counts[size] = count;
      this.size = size + 1;
      return;
    }
    // Full: replace the largest hash when this one is smaller.
    let maxAt = 0;
    for (let i = 1; i < size; i++) if (hashes[i]! > hashes[maxAt]!) maxAt = i;
    if (hash < hashes[maxAt]! || (hash === hashes[maxAt] && id < this.ids[maxAt]!)) {
      hashes[maxAt] = hash;
      this.ids[maxAt] = id;
      this.counts[maxAt] = count;
    }
  }

  /** Folds another sketch into this one; the result equals a sketch of both inputs. */
  merge(other: BottomKSketch): void {
    const total = this.total + other.total;
    for (let i = 0; i < other.size; i++) this.add(other.hashes[i]!, other.ids[i]!, other.counts[i]!);
    this.total = total;
  }

  /** Estimated number of distinct values: exact below k, (k-1)/threshold above. */
  distinct(): number {
    if (this.size < this.k) return this.size;
    let max = 0;
    for (let i = 0; i < this.size; i++) if (this.hashes[i]! > max) max = this.hashes[i]!;
    return max === 0 ? this.size : ((this.k - 1) * 2 ** 32) / max;
  }

  /** Calls `visit` for each kept value. */
  forEach(visit: (id: number, count: number, hash: number) => void): void {
    for (let i = 0; i < this.size; i++) visit(this.ids[i]!, this.counts[i]!, this.hashes[i]!);
  }

  /** The kept values, smallest hash first (a canonical order for snapshots and tests). */
  entries(): { id: number; count: number; hash: number }[] {
    const out: { id: number; count: number; hash: number }[] = [];
    this.forEach((id, count, hash) => out.push({ id, count, hash }));
    return out.sort((a, b) => a.hash - b.hash || a.id - b.id);
  }

  private grow(): void {
    const capacity = Math.min(this.k, this.hashes.length * 2);
    const hashes = new Uint32Array(capacity);
    const ids = new Int32Array(capacity);
    const counts = new Float64Array(capacity);
    hashes.set(this.hashes);
    ids.set(this.ids);
    counts.set(this.counts);
    this.hashes = hashes;
    this.ids = ids;
    this.counts = counts;
  }
}
