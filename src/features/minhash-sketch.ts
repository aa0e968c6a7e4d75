import { fmix32 } from '../util/hash64.js';

/**
 * A content sketch of a prompt for near-duplicate matching: one-permutation MinHash (OPH) over
 * word 3-shingles, 8 bins of 16 bits, 128 bits in all. One hash per shingle (not one per bin
 * per shingle as classic MinHash needs), which is what makes it cheap enough for ingest; empty
 * bins are filled by rotation densification (Shrivastava 2017) so short prompts still compare.
 *
 * The two prompts' sketches agree in a bin with probability equal to the Jaccard similarity of
 * their shingle sets; banding pairs of bins gives an LSH index (see `lsh-index.ts`) that finds
 * pairs with Jaccard ≥ 0.8 with probability ≥ 0.98.
 */

export const SKETCH_BINS = 8;
/** Sketch words (32 bits, two bins each); also the number of LSH bands. */
export const SKETCH_WORDS = SKETCH_BINS / 2;

const BIN_SHIFT = 29; // top 3 bits choose the bin
const VALUE_MASK = 0x1fffffff;
const EMPTY = 0xffffffff;

/**
 * Fills `out` (4 words) with the sketch of `tokens[0..count)`; returns false, with `out` zeroed,
 * when there is nothing to sketch. Uses `scratch` (8 words) for the bin minima.
 */
export function computeMinHashSketch(tokens: Int32Array, count: number, out: Uint32Array, scratch: Uint32Array = new Uint32Array(SKETCH_BINS)): boolean {
  if (count === 0) {
    out.fill(0, 0, SKETCH_WORDS);
    return false;
  }
  scratch.fill(EMPTY, 0, SKETCH_BINS);
  if (count < 3) {
    let h = 0x2545f491;
    for (let i = 0; i < count; i++) h = Math.imul(h ^ tokens[i]!, 0x9e3779b1);
    addShingle(fmix32(h >>> 0), scratch);
  } else {
    let a = tokens[0]!;
    let b = tokens[1]!;
    for (let i = 2; i < count; i++) {
      const c = tokens[i]!;
      addShingle(fmix32((Math.imul(a, 0xcc9e2d51) ^ Math.imul((b << 13) | (b >>> 19), 0x1b873593) ^ c) >>> 0), scratch);
      a = b;
      b = c;
    }
  }
  densify(scratch);
  for (let w = 0; w < SKETCH_WORDS; w++) {
    out[w] = (binValue(scratch, 2 * w) | (binValue(scratch, 2 * w + 1) << 16)) >>> 0;
  }
  return true;
}

function addShingle(h: number, mins: Uint32Array): void {
  const bin = h >>> BIN_SHIFT;
  const value = h & VALUE_MASK;
  if (value < mins[bin]!) mins[bin] = value;
}

function densify(mins: Uint32Array): void {
  for (let j = 0; j < SKETCH_BINS; j++) {
    if (mins[j] !== EMPTY) continue;
    for (let step = 1; step < SKETCH_BINS; step++) {
      const source = mins[(j + step) % SKETCH_BINS]!;
      if (source !== EMPTY && source <= VALUE_MASK) {
        // Offset by the distance so a borrowed value differs from its source bin's.
        mins[j] = (fmix32((source + Math.imul(step, 0x9e3779b9)) >>> 0) & VALUE_MASK) | 0x20000000;
        break;
      }
    }
  }
}

function binValue(mins: Uint32Array, bin: number): number {
  return fmix32((mins[bin]! ^ Math.imul(bin + 1, 0x27d4eb2d)) >>> 0) & 0xffff;
}

/** The share of bins two sketches agree on: an estimate of the Jaccard similarity. */
export function estimateJaccard(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let w = 0; w < SKETCH_WORDS; w++) {
    const x = a[w]!;
    const y = b[w]!;
    if ((x & 0xffff) === (y & 0xffff)) same++;
    if (x >>> 16 === y >>> 16) same++;
  }
  return same / SKETCH_BINS;
}
