import { SKETCH_WORDS, estimateJaccard } from './minhash-sketch.js';

/**
 * Locality-sensitive hashing over MinHash sketches: each sketch word (two 16-bit bins) is one
 * band, and two sketches are candidates when any band is equal. With 4 bands of 2 bins a pair
 * with Jaccard J becomes a candidate with probability 1 - (1 - J²)⁴: 0.98 at J = 0.8, 0.68 at
 * 0.5, 0.04 at 0.1. Candidates are then checked on the full sketch.
 */
export interface LshIndex<Id> {
  add(id: Id, sketch: ArrayLike<number>): void;
  /** Ids whose sketch shares a band with `sketch` and whose estimated Jaccard reaches `minJaccard`. */
  query(sketch: ArrayLike<number>, minJaccard?: number): Id[];
  readonly size: number;
}

export function createLshIndex<Id>(): LshIndex<Id> {
  const bands: Map<number, Id[]>[] = Array.from({ length: SKETCH_WORDS }, () => new Map());
  const sketches = new Map<Id, Uint32Array>();
  return {
    add(id, sketch) {
      const copy = Uint32Array.from({ length: SKETCH_WORDS }, (_, w) => sketch[w]!);
      sketches.set(id, copy);
      for (let w = 0; w < SKETCH_WORDS; w++) {
        const list = bands[w]!.get(copy[w]!);
        if (list === undefined) bands[w]!.set(copy[w]!, [id]);
        else list.push(id);
      }
    },
    query(sketch, minJaccard = 0) {
      const seen = new Set<Id>();
      const out: Id[] = [];
      for (let w = 0; w < SKETCH_WORDS; w++) {
        for (const id of bands[w]!.get(sketch[w]! >>> 0) ?? []) {
          if (seen.has(id)) continue;
          seen.add(id);
          if (estimateJaccard(sketch, sketches.get(id)!) >= minJaccard) out.push(id);
        }
      }
      return out;
    },
    get size() {
      return sketches.size;
    },
  };
}
