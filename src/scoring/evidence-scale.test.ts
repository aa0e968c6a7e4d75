import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineFamily, levelStanding, logOddsOf, logistic, outlierStrength, shareStanding } from './evidence-scale.js';

const reference = (center: number, spread: number) => ({ center, spread, accounts: 100 });

describe('evidence scale', () => {
  it('adds log-odds through the logistic: 0 is even odds, the prior of -4 about 2%', () => {
    expect(logistic(0)).toBe(0.5);
    expect(logistic(-4)).toBeCloseTo(0.018, 3);
    expect(logOddsOf(logistic(2.5))).toBeCloseTo(2.5, 9);
  });

  it('counts the strongest item of a family fully and each next one half as much', () => {
    expect(combineFamily([1, 2], 0.5)).toBe(2.5);
    expect(combineFamily([2, 2, 2], 0.5)).toBe(3.5);
    expect(combineFamily([], 0.5)).toBe(0);
    // Mitigations combine among themselves the same way.
    expect(combineFamily([-2, -1, 3], 0.5)).toBe(3 - 2 - 0.5);
  });

  it('combines a family as its definition does: positives largest first, then negatives most negative first', () => {
    // The definition, with new arrays; combineFamily sorts in scratch arrays it reuses.
    const byDefinition = (weights: number[], decay: number) => {
      let total = 0;
      let factor = 1;
      for (const w of weights.filter((x) => x > 0).sort((a, b) => b - a)) {
        total += w * factor;
        factor *= decay;
      }
      factor = 1;
      for (const w of weights.filter((x) => x < 0).sort((a, b) => a - b)) {
        total += w * factor;
        factor *= decay;
      }
      return total;
    };
    const weight = fc.oneof(fc.constantFrom(0, 1, -1, 0.5, -0.5), fc.double({ min: -5, max: 5, noNaN: true }));
    fc.assert(
      fc.property(fc.array(weight, { maxLength: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (weights, decay) => {
        expect(combineFamily(weights, decay)).toBe(byDefinition(weights, decay));
      }),
    );
  });

  it('needs more requests before a share stands out: one request proves little, hundreds prove a habit', () => {
    const population = reference(0.02, 0);
    const one = shareStanding({ count: 1, total: 1 }, population, 0.1);
    const many = shareStanding({ count: 300, total: 300 }, population, 0.1);
    expect(one.z).toBeLessThan(2);
    expect(many.z).toBeGreaterThan(6);
    expect(one.value).toBeLessThan(0.4);
  });

  it('weighs a share less in a store where many accounts show it', () => {
    const rare = shareStanding({ count: 80, total: 100 }, reference(0.02, 0.02), 0.1);
    const common = shareStanding({ count: 80, total: 100 }, reference(0.5, 0.3), 0.1);
    expect(rare.z).toBeGreaterThan(6);
    expect(common.z).toBeLessThan(2);
  });

  it('adds the measure\'s own noise to the population spread for levels', () => {
    const precise = levelStanding({ value: 4, noise: 0.1, total: 500 }, reference(1, 0.5), 0.5);
    const noisy = levelStanding({ value: 4, noise: 2, total: 3 }, reference(1, 0.5), 0.5);
    expect(precise.z).toBeCloseTo(3 / Math.sqrt(0.25 + 0.01), 6);
    expect(noisy.z).toBeLessThan(precise.z / 2);
  });

  it('turns standard deviations into strength between z_low and z_high', () => {
    expect(outlierStrength(1.9, 2, 6)).toBe(0);
    expect(outlierStrength(4, 2, 6)).toBe(0.5);
    expect(outlierStrength(9, 2, 6)).toBe(1);
    expect(outlierStrength(Number.NaN, 2, 6)).toBe(0);
  });
});
