import type { Key64 } from './hash64.js';

const MAX_LOAD = 0.75;

/**
 * An open-addressing hash set of 64-bit keys held in one Uint32Array (two words per slot), for
 * exchange-id deduplication over tens of millions of ids: 11 to 21 bytes a key (the table is
 * kept between 3/8 and 3/4 full), where a JS Set of strings would cost ten times that. Keys
 * are hashes, so linear probing stays short at that load. The all-zero key is reserved
 * as the empty marker and is stored as a separate flag.
 */
export class Key64Set {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private hasZero = false;

  constructor(expected = 1024) {
    const capacity = nextPowerOfTwo(Math.max(16, Math.ceil(expected / MAX_LOAD)));
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count + (this.hasZero ? 1 : 0);
  }

  has(key: Key64): boolean {
    return this.hasParts(key.hi, key.lo);
  }

  hasParts(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) return this.hasZero;
    const slots = this.slots;
    let index = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const sHi = slots[index * 2]!;
      const sLo = slots[index * 2 + 1]!;
      if (sHi === 0 && sLo === 0) return false;
      if (sHi === hi && sLo === lo) return true;
      index = (index + 1) & this.mask;
    }
  }

  /** Adds the key; returns false when it was already present. */
  add(key: Key64): boolean {
    return this.addParts(key.hi, key.lo);
  }

  addParts(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      return true;
    }
    if (this.count + 1 > (this.mask + 1) * MAX_LOAD) this.grow();
    const slots = this.slots;
    let index = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const sHi = slots[index * 2]!;
      const sLo = slots[index * 2 + 1]!;
      if (sHi === 0 && sLo === 0) {
        slots[index * 2] = hi;
        slots[index * 2 + 1] = lo;
        this.count++;
        return true;
      }
      if (sHi === hi && sLo === lo) return false;
      index = (index + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = old.length - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) {
      const hi = old[i]!;
      const lo = old[i + 1]!;
      if (hi !== 0 || lo !== 0) this.addParts(hi, lo);
    }
  }
}

function nextPowerOfTwo(value: number): number {
  let result = 1;
  while (result < value) result *= 2;
  return result;
}
