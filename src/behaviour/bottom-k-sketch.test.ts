import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BottomKSketch, EMPTY_SKETCH, SingleValueSketch, sketchMerged, sketchWith, type SketchReader } from './bottom-k-sketch.js';
import { fmix32 } from '../util/hash64.js';

const hashOf = (id: number) => fmix32(id * 2654435761);

function sketchOf(values: readonly number[], k = 8): BottomKSketch {
  const sketch = new BottomKSketch(k);
  for (const v of values) sketch.add(hashOf(v), v);
  return sketch;
}

describe('bottom-k sketch', () => {
  it('keeps the same values with exact counts whatever the order of observations (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 300 }), fc.integer(), (values, seed) => {
        const shuffled = [...values].sort((a, b) => fmix32((a ^ seed) >>> 0) - fmix32((b ^ seed) >>> 0));
        expect(sketchOf(shuffled).entries()).toEqual(sketchOf(values).entries());
        const counts = new Map<number, number>();
        for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
        for (const entry of sketchOf(values).entries()) expect(entry.count).toBe(counts.get(entry.id));
      }),
    );
  });

  it('gives the same state from pre-aggregated counts as from single observations', () => {
    const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 97);
    const aggregated = new BottomKSketch(8);
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const [v, count] of counts) aggregated.add(hashOf(v), v, count);
    expect(aggregated.entries()).toEqual(sketchOf(values).entries());
    expect(aggregated.total).toBe(values.length);
  });

  it('keeps counts read back as doubles whole and fractional counts as they are', () => {
    const sketch = new BottomKSketch(8);
    const counts = new Float64Array([3, 0.5]);
    sketch.add(hashOf(1), 1, counts[0]);
    sketch.add(hashOf(1), 1, counts[1]);
    sketch.add(hashOf(2), 2, 2 ** 40);
    expect(sketch.entries().find((entry) => entry.id === 1)!.count).toBe(3.5);
    expect(sketch.entries().find((entry) => entry.id === 2)!.count).toBe(2 ** 40);
    expect(sketch.total).toBe(3.5 + 2 ** 40);
  });

  it('merges exactly', () => {
    const left = Array.from({ length: 200 }, (_, i) => i % 53);
    const right = Array.from({ length: 200 }, (_, i) => 20 + (i % 71));
    const merged = sketchOf(left);
    merged.merge(sketchOf(right));
    expect(merged.entries()).toEqual(sketchOf([...left, ...right]).entries());
  });

  it('counts distinct values exactly below k and estimates them above', () => {
    expect(sketchOf([1, 2, 2, 3]).distinct()).toBe(3);
    const many = sketchOf(Array.from({ length: 5000 }, (_, i) => i), 64);
    expect(many.distinct()).toBeGreaterThan(3500);
    expect(many.distinct()).toBeLessThan(6500);
  });

  it('reads the same in every form (empty, one value, full) as a full sketch of the same observations, through adds and merges (property)', () => {
    const observation = fc.record({ value: fc.integer({ min: 1, max: 12 }), count: fc.integer({ min: 1, max: 5 }) });
    const state = (sketch: SketchReader) => ({ entries: sketch.entries(), length: sketch.length, total: sketch.total, distinct: sketch.distinct() });
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 20 }), fc.array(observation, { maxLength: 20 }), fc.integer({ min: 1, max: 6 }), (left, right, k) => {
        const full = (observations: typeof left) => {
          const sketch = new BottomKSketch(k);
          for (const o of observations) sketch.add(hashOf(o.value), o.value, o.count);
          return sketch;
        };
        const held = (observations: typeof left) => observations.reduce((sketch, o) => sketchWith(sketch, k, hashOf(o.value), o.value, o.count), EMPTY_SKETCH);
        expect(state(held(left))).toEqual(state(full(left)));
        // Merged either way round, from and into every form.
        const expected = full(left);
        expected.merge(full(right));
        expect(state(sketchMerged(held(left), k, held(right)))).toEqual(state(expected));
        expect(state(sketchMerged(held(left), k, full(right)))).toEqual(state(expected));
        // The source of a merge is left as it was.
        const source = held(right);
        const before = state(source);
        sketchMerged(held(left), k, source);
        expect(state(source)).toEqual(before);
      }),
    );
  });

  it('holds one value without a full sketch and shares the empty one, which cannot be written', () => {
    const one = sketchWith(EMPTY_SKETCH, 8, 0xfedcba98, 7, 2);
    expect(one).toBeInstanceOf(SingleValueSketch);
    expect(sketchWith(one, 8, 0xfedcba98, 7, 3)).toBe(one);
    expect(one.entries()).toEqual([{ id: 7, count: 5, hash: 0xfedcba98 }]);
    expect(sketchWith(one, 8, 0x12, 8)).toBeInstanceOf(BottomKSketch);
    expect(sketchMerged(EMPTY_SKETCH, 8, EMPTY_SKETCH)).toBe(EMPTY_SKETCH);
    expect(() => ((EMPTY_SKETCH as unknown as { total: number }).total = 1)).toThrow(TypeError);
  });
});
