import { describe, expect, it } from 'vitest';
import { base62Of32, BASE32, createRng, createWeightedTable, deriveSeed, permute64 } from './seeded-rng.js';

describe('seeded rng', () => {
  it('gives the same stream for the same seed and different streams for different ones', () => {
    const draws = (seed: number, stream = 0, sub = 0) => {
      const rng = createRng(seed, stream, sub);
      return Array.from({ length: 8 }, () => rng.u32());
    };
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
    expect(draws(42, 1, 0)).not.toEqual(draws(42, 0, 1));
    expect(draws(42, 7, 9)).toEqual(draws(42, 7, 9));
  });

  it('is pinned: the first draws for seed 1 never change (same bytes on every machine)', () => {
    const rng = createRng(1);
    expect([rng.u32(), rng.u32(), rng.u32()]).toMatchInlineSnapshot(`
      [
        126695625,
        1636784826,
        3484488217,
      ]
    `);
  });

  it('derives different child seeds for reordered ids', () => {
    expect(deriveSeed(5, 1, 2)).not.toBe(deriveSeed(5, 2, 1));
    expect(deriveSeed(5, 1, 2)).toBe(deriveSeed(5, 1, 2));
  });

  it('draws uniform floats, ranges and picks inside their bounds', () => {
    const rng = createRng(9);
    for (let i = 0; i < 2000; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const r = rng.range(3, 5);
      expect(r).toBeGreaterThanOrEqual(3);
      expect(r).toBeLessThanOrEqual(5);
    }
  });

  it('samples Poisson counts with the right mean', () => {
    const rng = createRng(3);
    for (const mean of [0.2, 3, 60]) {
      let sum = 0;
      for (let i = 0; i < 4000; i++) sum += rng.poisson(mean);
      expect(sum / 4000).toBeGreaterThan(mean * 0.9);
      expect(sum / 4000).toBeLessThan(mean * 1.1 + 0.05);
    }
  });

  it('builds flat ids with a prefix from the given alphabet', () => {
    const id = createRng(1).chars(20, BASE32, 'acct_');
    expect(id).toMatch(/^acct_[a-z2-7]{20}$/);
  });

  it('permutes 64-bit values without collisions', () => {
    const seen = new Set<string>();
    for (let hi = 0; hi < 30; hi++) {
      for (let lo = 0; lo < 2000; lo++) seen.add(permute64(hi, lo, 77).join(':'));
    }
    expect(seen.size).toBe(60000);
    expect(base62Of32(0xffffffff)).toHaveLength(6);
    expect(base62Of32(0)).toBe('000000');
  });

  it('picks weighted items in proportion to their weights and skips zero weights', () => {
    const table = createWeightedTable([
      ['a', 1],
      ['b', 0],
      ['c', 3],
    ] as const);
    const rng = createRng(11);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 8000; i++) counts[table.pick(rng)]++;
    expect(counts.b).toBe(0);
    expect(counts.c / counts.a).toBeGreaterThan(2.6);
    expect(counts.c / counts.a).toBeLessThan(3.4);
  });
});
