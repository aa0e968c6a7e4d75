import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferenceBuilder, ShareReferenceBuilder, robustReference, weightedMedian } from './population-reference.js';

describe('population reference', () => {
  it('takes the weighted median, so heavy weight pulls the centre and one outlier does not', () => {
    expect(weightedMedian([1, 2, 100], [1, 1, 1])).toBe(2);
    expect(weightedMedian([1, 2, 100], [1, 1, 5])).toBe(100);
    expect(weightedMedian([], [])).toBe(0);
  });

  it('gives the bit-for-bit result of walking indexes sorted by a comparator, ties and signed zeros included', () => {
    const byComparator = (values: number[], weights: number[]): number => {
      const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
      let total = 0;
      for (const weight of weights) total += weight;
      if (values.length === 0) return 0;
      if (total <= 0) return values[order[Math.floor((values.length - 1) / 2)]!]!;
      let seen = 0;
      for (const i of order) {
        seen += weights[i]!;
        if (seen * 2 >= total) return values[i]!;
      }
      return values[order[values.length - 1]!]!;
    };
    // Few distinct values (many ties), both zeros, infinities; weights as references give them (square roots) or none.
    const value = fc.oneof(fc.constantFrom(0, -0, 1, 0.5, -2, Infinity, -Infinity, NaN), fc.double({ min: -5, max: 5, noNaN: true }));
    const weight = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000 }).map(Math.sqrt));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, weight), { maxLength: 60 }), (pairs) => {
        const values = pairs.map(([v]) => v);
        const weights = pairs.map(([, w]) => w);
        expect(Object.is(weightedMedian(values, weights), byComparator(values, weights))).toBe(true);
      }),
      { numRuns: 3_000, seed: 42 },
    );
  });

  it('measures spread as the scaled median absolute deviation, zero where most accounts agree', () => {
    const normalish = robustReference([8, 9, 10, 11, 12], [1, 1, 1, 1, 1]);
    expect(normalish.center).toBe(10);
    expect(normalish.spread).toBeCloseTo(1.4826, 4);
    // Three accounts in four never ask: the spread is 0 and the centre stays at 0 whatever the fourth does.
    const sparse = robustReference([0, 0, 0, 1], [1, 1, 1, 1]);
    expect(sparse).toEqual({ center: 0, spread: 0, accounts: 4 });
  });

  it('stays put when a campaign is a large minority of the accounts', () => {
    const builder = new ReferenceBuilder();
    for (let i = 0; i < 600; i++) builder.add(0.02 + (i % 10) / 1000, 50);
    for (let i = 0; i < 400; i++) builder.add(1, 50);
    const reference = builder.build();
    expect(reference.center).toBeLessThan(0.03);
    expect(reference.spread).toBeLessThan(0.02);
  });

  it('weighs an account by the square root of its volume, so a flood of tiny accounts moves the centre less than its count', () => {
    const ordinary = () => {
      const builder = new ReferenceBuilder();
      for (let i = 0; i < 100; i++) builder.add(0.05, 400);
      return builder;
    };
    const flooded = ordinary();
    // 150 one-exchange accounts that all ask: by count a majority, by weight a fifth.
    for (let i = 0; i < 150; i++) flooded.add(1, 1);
    expect(flooded.build().center).toBe(0.05);
    expect(ordinary().build().center).toBe(0.05);
  });

  it('caps an account\'s weight at a thousand exchanges, so a few accounts of huge junk volume do not become the usual', () => {
    const builder = new ReferenceBuilder();
    // 300 ordinary customers of 120 exchanges each; 40 accounts of 20,000 junk requests each.
    for (let i = 0; i < 300; i++) builder.add(0.05 + (i % 10) * 0.01, 120);
    for (let i = 0; i < 40; i++) builder.add(0, 20_000);
    const reference = builder.build();
    // Uncapped, the 40 would hold 63% of the weight and the centre would be 0.
    expect(reference.center).toBeGreaterThanOrEqual(0.05);
    expect(reference.spread).toBeGreaterThan(0);
  });

  it('measures a share\'s spread between habits, not the sampling noise of accounts with few requests', () => {
    // 300 light accounts with one habit (a fifth of their requests), three requests each: their
    // raw shares are 0, 1/3, 2/3 or 1 by chance alone. 30 heavier ones at a fifth, measured well.
    const shares = new ShareReferenceBuilder();
    const raw = new ReferenceBuilder();
    for (let i = 0; i < 300; i++) {
      const count = [0, 0, 1, 0, 1][i % 5]!;
      shares.add(count, 3);
      raw.add(count / 3, 3);
    }
    for (let i = 0; i < 30; i++) {
      shares.add(40, 200);
      raw.add(40 / 200, 200);
    }
    const denoised = shares.build();
    const noisy = raw.build();
    // Centre 0.2 either way. Raw, the light accounts stand 0.2 and 0.13 from it; read as a
    // standing reads them, (count + 2 × 0.2) / (3 + 2), 0.12 and 0.08.
    expect(denoised.center).toBe(0.2);
    expect(noisy.center).toBe(0.2);
    expect(noisy.spread).toBeCloseTo(1.4826 * (1 / 3 - 0.2), 6);
    expect(denoised.spread).toBeCloseTo(1.4826 * 0.08, 6);
    // Accounts measured on many requests spread as their shares do.
    const heavy = new ShareReferenceBuilder();
    for (let i = 0; i < 50; i++) heavy.add(100 + (i % 5) * 20, 1000);
    const heavyRaw = new ReferenceBuilder();
    for (let i = 0; i < 50; i++) heavyRaw.add((100 + (i % 5) * 20) / 1000, 1000);
    expect(heavy.build().spread).toBeCloseTo(heavyRaw.build().spread, 3);
  });

  it('ignores values that are not numbers and accounts without traffic', () => {
    const builder = new ReferenceBuilder();
    builder.add(Number.NaN, 10);
    builder.add(3, 0);
    builder.add(5, 10);
    expect(builder.build()).toEqual({ center: 5, spread: 0, accounts: 1 });
  });
});
