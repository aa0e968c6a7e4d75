import { fmix32 } from './hash64.js';

/** The eight odd multipliers of the split-block Bloom filter (the ones Parquet's spec uses). */
const SALTS = Uint32Array.of(0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31);

const BLOCK_BYTES = 32;

/**
 * A split-block Bloom filter of 64-bit keys in a fixed number of bytes: "no" is certain, "maybe"
 * is not. Each key sets one bit in each of the eight 32-bit words of one 32-byte block, so a
 * lookup touches one cache line whatever the filter's size. Its memory never grows with the keys
 * added; what grows is the false-positive rate (about 1% at 10 bits a key, 0.03% at 21, 0.001% at 42).
 */
export class Key64Filter {
  private readonly words: Uint32Array;
  private readonly blockMask: number;
  private added = 0;

  /** Rounds `bytes` down to a power of two of whole blocks (at least one). */
  constructor(bytes: number) {
    let blocks = 1;
    while (blocks * 2 * BLOCK_BYTES <= bytes) blocks *= 2;
    this.words = new Uint32Array(blocks * (BLOCK_BYTES / 4));
    this.blockMask = blocks - 1;
  }

  get byteLength(): number {
    return this.words.byteLength;
  }

  /** Keys added, repeats included: with `byteLength`, what the false-positive rate depends on. */
  get keysAdded(): number {
    return this.added;
  }

  /** The expected false-positive rate of a lookup, given the keys added so far. */
  expectedFalsePositiveRate(): number {
    // Keys per block are Poisson distributed; a block holding k keys answers "maybe" to a new
    // key with probability (1 - (31/32)^k)^8, each of its words being a one-hash filter of 32 bits.
    const mean = this.added / (this.blockMask + 1);
    // Past a few hundred keys a block, e^-mean underflows and every block is nearly full anyway.
    if (mean > 200) return (1 - (31 / 32) ** mean) ** 8;
    const last = Math.ceil(mean + 12 * Math.sqrt(mean) + 24);
    let probability = Math.exp(-mean);
    let rate = 0;
    for (let k = 0; k <= last; k++) {
      if (k > 0) probability *= mean / k;
      rate += probability * (1 - (31 / 32) ** k) ** 8;
    }
    return rate;
  }

  /** Adds the key; returns whether the filter may already have held it (the answer `mayContain` would have given). */
  add(hi: number, lo: number): boolean {
    const words = this.words;
    const base = this.blockOf(hi, lo) * 8;
    const mixed = bitSource(hi, lo);
    let present = true;
    for (let i = 0; i < 8; i++) {
      const bit = 1 << (Math.imul(mixed, SALTS[i]!) >>> 27);
      if ((words[base + i]! & bit) === 0) {
        present = false;
        words[base + i]! |= bit;
      }
    }
    this.added++;
    return present;
  }

  mayContain(hi: number, lo: number): boolean {
    const words = this.words;
    const base = this.blockOf(hi, lo) * 8;
    const mixed = bitSource(hi, lo);
    for (let i = 0; i < 8; i++) {
      const bit = 1 << (Math.imul(mixed, SALTS[i]!) >>> 27);
      if ((words[base + i]! & bit) === 0) return false;
    }
    return true;
  }

  private blockOf(hi: number, lo: number): number {
    // Keys are usually hashes already; mixing again keeps structured keys (small integers in
    // tests, sequential ids hashed weakly elsewhere) from crowding a few blocks.
    return fmix32((hi ^ Math.imul(lo, 0x27d4eb2d)) >>> 0) & this.blockMask;
  }
}

function bitSource(hi: number, lo: number): number {
  return fmix32((lo ^ Math.imul(hi, 0x165667b1)) >>> 0);
}
