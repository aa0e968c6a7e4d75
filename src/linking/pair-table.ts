import { fmix32 } from '../util/hash64.js';

const MAX_LOAD = 0.7;

/**
 * A map from unordered account pairs to small integers (an index into the caller's arrays), as
 * an open-addressing table over typed arrays. Scoring the account graph touches millions of
 * pairs; a JS Map keyed by `a × n + b` boxes every key above 2^31 as a heap number and spends
 * a quarter of analysis time in garbage collection on a flood of light accounts
 * (docs/performance.md), while this costs 12 bytes a slot and allocates only when it grows.
 */
export class PairTable {
  /** Lower account + 1 of each slot's pair (0: empty), and the higher one. */
  private lows: Int32Array;
  private highs: Int32Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity * MAX_LOAD < expected) capacity *= 2;
    this.lows = new Int32Array(capacity);
    this.highs = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value of the pair {a, b}, or -1 when absent. */
  get(a: number, b: number): number {
    const low = (a < b ? a : b) + 1;
    const high = a < b ? b : a;
    const lows = this.lows;
    for (let slot = slotOf(low, high) & this.mask; ; slot = (slot + 1) & this.mask) {
      const stored = lows[slot]!;
      if (stored === 0) return -1;
      if (stored === low && this.highs[slot] === high) return this.values[slot]!;
    }
  }

  /** The value of the pair {a, b}; when absent, stores `value` for it and returns -1. */
  getOrSet(a: number, b: number, value: number): number {
    if (this.count + 1 > (this.mask + 1) * MAX_LOAD) this.grow();
    const low = (a < b ? a : b) + 1;
    const high = a < b ? b : a;
    const lows = this.lows;
    for (let slot = slotOf(low, high) & this.mask; ; slot = (slot + 1) & this.mask) {
      const stored = lows[slot]!;
      if (stored === 0) {
        lows[slot] = low;
        this.highs[slot] = high;
        this.values[slot] = value;
        this.count++;
        return -1;
      }
      if (stored === low && this.highs[slot] === high) return this.values[slot]!;
    }
  }

  /** Empties the table, keeping its capacity. */
  clear(): void {
    if (this.count === 0) return;
    this.lows.fill(0);
    this.count = 0;
  }

  private grow(): void {
    const { lows, highs, values } = this;
    const capacity = lows.length * 2;
    this.lows = new Int32Array(capacity);
    this.highs = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let slot = 0; slot < lows.length; slot++) {
      const low = lows[slot]!;
      if (low === 0) continue;
      let at = slotOf(low, highs[slot]!) & this.mask;
      while (this.lows[at] !== 0) at = (at + 1) & this.mask;
      this.lows[at] = low;
      this.highs[at] = highs[slot]!;
      this.values[at] = values[slot]!;
    }
  }
}

function slotOf(low: number, high: number): number {
  return fmix32((Math.imul(low, 0x9e3779b1) ^ high) >>> 0);
}
