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
 *
 * Every account has eight, so their footprint sets the memory cost of an account
 * (docs/performance.md): an account keeps a sketch's single value in a block of a shared slab
 * (`AccountState`) and makes a `BottomKSketch` only at the second, whose array of (hash, id,
 * count) triples grows by doubling. An account of one request, the unit of a flood of throwaway
 * accounts, makes none.
 */
const SLOT = 3;
const INITIAL_CAPACITY = 2;

/** What detection and linking read of a sketch, whichever form it has. */
export interface SketchReader {
  /** Values kept. */
  readonly length: number;
  /** Total weight observed, kept values or not. */
  readonly total: number;
  forEach(visit: (id: number, count: number, hash: number) => void): void;
  distinct(): number;
  entries(): { id: number; count: number; hash: number }[];
}

export class BottomKSketch implements SketchReader {
  /** (hash, id, count) per kept value; null until the first. */
  private slots: Float64Array | null = null;
  private size = 0;
  /** Total weight observed, kept values or not. */
  total = 0;

  constructor(readonly k: number) {}

  get length(): number {
    return this.size;
  }

  /** Adds `count` observations of the value `id` whose hash is `hash` (unsigned 32-bit). */
  add(hash: number, id: number, count = 1): void {
    count = asSmallInteger(count);
    this.total += count;
    const size = this.size;
    let slots = this.slots;
    if (slots !== null) {
      for (let at = 0; at < size * SLOT; at += SLOT) {
        if (slots[at] === hash && slots[at + 1] === id) {
          slots[at + 2]! += count;
          return;
        }
      }
    }
    if (size < this.k) {
      if (slots === null || size * SLOT === slots.length) slots = this.grow();
      const at = size * SLOT;
      slots[at] = hash;
      slots[at + 1] = id;
      slots[at + 2] = count;
      this.size = size + 1;
      return;
    }
    // Full: replace the largest hash when this one is smaller.
    slots = slots!;
    let maxAt = 0;
    for (let at = SLOT; at < size * SLOT; at += SLOT) if (slots[at]! > slots[maxAt]!) maxAt = at;
    if (hash < slots[maxAt]! || (hash === slots[maxAt] && id < slots[maxAt + 1]!)) {
      slots[maxAt] = hash;
      slots[maxAt + 1] = id;
      slots[maxAt + 2] = count;
    }
  }

  /** Folds another sketch into this one; the result equals a sketch of both inputs. */
  merge(other: SketchReader): void {
    const total = this.total + other.total;
    other.forEach((id, count, hash) => this.add(hash, id, count));
    this.total = total;
  }

  /** Estimated number of distinct values: exact below k, (k-1)/threshold above. */
  distinct(): number {
    if (this.size < this.k) return this.size;
    let max = 0;
    this.forEach((_id, _count, hash) => {
      if (hash > max) max = hash;
    });
    return max === 0 ? this.size : ((this.k - 1) * 2 ** 32) / max;
  }

  /** Calls `visit` for each kept value. */
  forEach(visit: (id: number, count: number, hash: number) => void): void {
    const slots = this.slots;
    if (slots === null) return;
    for (let at = 0; at < this.size * SLOT; at += SLOT) visit(slots[at + 1]!, slots[at + 2]!, slots[at]!);
  }

  /** The kept values, smallest hash first (a canonical order for snapshots and tests). */
  entries(): { id: number; count: number; hash: number }[] {
    const out: { id: number; count: number; hash: number }[] = [];
    this.forEach((id, count, hash) => out.push({ id, count, hash }));
    return out.sort((a, b) => a.hash - b.hash || a.id - b.id);
  }

  private grow(): Float64Array {
    const capacity = this.slots === null ? Math.min(this.k, INITIAL_CAPACITY) : Math.min(this.k, (this.slots.length / SLOT) * 2);
    const grown = new Float64Array(capacity * SLOT);
    if (this.slots !== null) grown.set(this.slots);
    this.slots = grown;
    return grown;
  }
}

/**
 * A whole count as an integer V8 stores unboxed. Counts read back from a `Float64Array` are
 * doubles; one such store turns the field into a boxed number in every sketch of the process, an
 * extra object per sketch (docs/performance.md, "Memory per account"). Fractions pass unchanged.
 */
function asSmallInteger(count: number): number {
  return (count | 0) === count ? count | 0 : count;
}

/** A sketch of exactly one value, read as a `BottomKSketch` holding that value alone. */
export class SingleValueSketch implements SketchReader {
  constructor(
    /** Unsigned 32-bit, as `forEach` gives it. */
    private readonly hash: number,
    private readonly id: number,
    private readonly count: number,
  ) {}

  get length(): number {
    return 1;
  }

  get total(): number {
    return this.count;
  }

  forEach(visit: (id: number, count: number, hash: number) => void): void {
    visit(this.id, this.count, this.hash);
  }

  distinct(): number {
    return 1;
  }

  entries(): { id: number; count: number; hash: number }[] {
    return [{ id: this.id, count: this.count, hash: this.hash }];
  }
}

class EmptySketch implements SketchReader {
  readonly length = 0;
  readonly total = 0;
  forEach(): void {}
  distinct(): number {
    return 0;
  }
  entries(): { id: number; count: number; hash: number }[] {
    return [];
  }
}

/** The sketch of every account that has no value of a kind yet, shared; frozen, so a write to it throws. */
export const EMPTY_SKETCH: SketchReader = Object.freeze(new EmptySketch());
