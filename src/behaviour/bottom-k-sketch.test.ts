import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BottomKSketch } from './bottom-k-sketch.js';
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
});
