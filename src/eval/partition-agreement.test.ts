import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, contingencyTable, purity, randIndex } from './partition-agreement.js';

function tableOf(truth: readonly (string | number)[], predicted: readonly (string | number)[]) {
  return contingencyTable(truth.map((t, i) => ({ truth: String(t), predicted: String(predicted[i]) })));
}

// Manning, Raghavan and Schütze, Introduction to Information Retrieval, §16.3 (Figure 16.4):
// 17 items, three clusters: {x×5, o}, {x, o×4, ◇}, {x×2, ◇×3}.
const TEXTBOOK_TRUTH = ['x', 'x', 'x', 'x', 'x', 'o', 'x', 'o', 'o', 'o', 'o', 'd', 'x', 'x', 'd', 'd', 'd'];
const TEXTBOOK_CLUSTERS = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3];

describe('purity', () => {
  it('matches the textbook example: (5 + 4 + 3) / 17', () => {
    expect(purity(tableOf(TEXTBOOK_TRUTH, TEXTBOOK_CLUSTERS))).toBeCloseTo(12 / 17, 12);
  });

  it('is 1 when clusters never mix classes, even if a class is split', () => {
    expect(purity(tableOf(['a', 'a', 'a', 'b'], [1, 2, 2, 3]))).toBe(1);
  });

  it('is null for no items', () => {
    expect(purity(tableOf([], []))).toBeNull();
  });
});

describe('adjustedRandIndex', () => {
  it('matches the textbook example (RI = 92/136, ARI from TP 20, pairs 44 and 40)', () => {
    const table = tableOf(TEXTBOOK_TRUTH, TEXTBOOK_CLUSTERS);
    expect(randIndex(table)).toBeCloseTo(92 / 136, 12);
    const expected = (44 * 40) / 136;
    expect(adjustedRandIndex(table)).toBeCloseTo((20 - expected) / ((44 + 40) / 2 - expected), 12);
    expect(adjustedRandIndex(table)).toBeCloseTo(0.2429, 4);
  });

  it('matches the scikit-learn documentation examples', () => {
    expect(adjustedRandIndex(tableOf([0, 0, 1, 1], [0, 0, 1, 1]))).toBe(1);
    expect(adjustedRandIndex(tableOf([0, 0, 1, 1], [1, 1, 0, 0]))).toBe(1);
    expect(adjustedRandIndex(tableOf([0, 0, 1, 2], [0, 0, 1, 1]))).toBeCloseTo(4 / 7, 12);
    expect(adjustedRandIndex(tableOf([0, 0, 1, 1], [0, 0, 1, 2]))).toBeCloseTo(4 / 7, 12);
    expect(adjustedRandIndex(tableOf([0, 0, 1, 1], [0, 1, 0, 1]))).toBeCloseTo(-0.5, 12);
  });

  it('is 1 for the degenerate identical cases: all singletons, one block, fewer than two items', () => {
    expect(adjustedRandIndex(tableOf([1, 2, 3], [4, 5, 6]))).toBe(1);
    expect(adjustedRandIndex(tableOf([1, 1, 1], [2, 2, 2]))).toBe(1);
    expect(adjustedRandIndex(tableOf([1], [2]))).toBe(1);
  });

  it('is close to 0, just below, when every cluster holds one item of each class', () => {
    // No pair shares both class and cluster, slightly fewer than chance would give.
    const truth = Array.from({ length: 400 }, (_, i) => i % 4);
    const clusters = Array.from({ length: 400 }, (_, i) => Math.floor(i / 4));
    const ari = adjustedRandIndex(tableOf(truth, clusters));
    expect(ari).toBeLessThan(0);
    expect(ari).toBeGreaterThan(-0.02);
  });

  const partition = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 80 });
  const pairOfPartitions = partition.chain((a) => fc.tuple(fc.constant(a), fc.array(fc.integer({ min: 0, max: 5 }), { minLength: a.length, maxLength: a.length })));

  it('is 1 for a partition compared with itself', () => {
    fc.assert(fc.property(partition, (labels) => adjustedRandIndex(tableOf(labels, labels)) === 1 || Math.abs(adjustedRandIndex(tableOf(labels, labels)) - 1) < 1e-12));
  });

  it('does not change when either side is relabelled, and is symmetric', () => {
    fc.assert(
      fc.property(pairOfPartitions, fc.constantFrom(...permutations([0, 1, 2, 3, 4, 5])), ([truth, predicted], relabel) => {
        const ari = adjustedRandIndex(tableOf(truth, predicted));
        const relabelled = adjustedRandIndex(tableOf(truth.map((l) => `t${relabel[l]}`), predicted.map((l) => relabel[l]!)));
        const swapped = adjustedRandIndex(tableOf(predicted, truth));
        return Math.abs(ari - relabelled) < 1e-12 && Math.abs(ari - swapped) < 1e-12 && ari <= 1 + 1e-12;
      }),
    );
  });

  it('keeps purity unchanged when clusters or classes are renamed', () => {
    fc.assert(
      fc.property(pairOfPartitions, ([truth, predicted]) => purity(tableOf(truth, predicted)) === purity(tableOf(truth.map((l) => `c${5 - l}`), predicted.map((l) => l * 7)))),
    );
  });
});

function permutations(items: number[]): number[][] {
  // A handful of fixed relabellings is enough; all 720 would only slow the property down.
  return [items, [...items].reverse(), [...items.slice(3), ...items.slice(0, 3)], [1, 0, 3, 2, 5, 4]];
}
