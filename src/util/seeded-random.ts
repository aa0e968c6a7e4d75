/**
 * A small seeded generator of floats in [0, 1) (mulberry32): the same sequence for the same seed
 * on every run, for Louvain's tie-breaking and node order and for test fixtures. The simulator
 * has its own, richer generator (`src/sim/seeded-rng.ts`).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
