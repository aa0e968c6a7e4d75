import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averagePrecision, binaryMetrics, confusionCounts } from './ranking-metrics.js';

const outcome = (score: number, positive: boolean) => ({ score, positive });

describe('binaryMetrics', () => {
  it('computes precision, recall, F1 and false-positive rate from the confusion counts', () => {
    const flags = [
      ...Array.from({ length: 3 }, () => ({ flagged: true, positive: true })),
      { flagged: true, positive: false },
      ...Array.from({ length: 2 }, () => ({ flagged: false, positive: true })),
      ...Array.from({ length: 4 }, () => ({ flagged: false, positive: false })),
    ];
    const metrics = binaryMetrics(confusionCounts(flags));
    expect(metrics).toMatchObject({ truePositives: 3, falsePositives: 1, falseNegatives: 2, trueNegatives: 4 });
    expect(metrics.precision).toBeCloseTo(0.75, 12);
    expect(metrics.recall).toBeCloseTo(0.6, 12);
    expect(metrics.f1).toBeCloseTo(2 / 3, 12);
    expect(metrics.falsePositiveRate).toBeCloseTo(0.2, 12);
  });

  it('leaves precision undefined (null) when nothing is flagged, rather than calling it 0 or 1', () => {
    const metrics = binaryMetrics(confusionCounts([{ flagged: false, positive: true }, { flagged: false, positive: false }]));
    expect(metrics.precision).toBeNull();
    expect(metrics.recall).toBe(0);
    expect(metrics.f1).toBeNull();
  });

  it('gives F1 0 when flags exist but none is right', () => {
    const metrics = binaryMetrics(confusionCounts([{ flagged: true, positive: false }, { flagged: false, positive: true }]));
    expect(metrics.f1).toBe(0);
  });
});

describe('averagePrecision', () => {
  it('is 1 for a perfect ranking', () => {
    expect(averagePrecision([outcome(0.9, true), outcome(0.8, true), outcome(0.3, false)])).toBe(1);
  });

  it('matches the scikit-learn documentation example (0.8333)', () => {
    // y_true = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]
    expect(averagePrecision([outcome(0.1, false), outcome(0.4, false), outcome(0.35, true), outcome(0.8, true)])).toBeCloseTo(5 / 6, 12);
  });

  it('lets tied scores enter together, whatever their order in the input', () => {
    // Thresholds 0.9: P=1, R=½; 0.8 (one attack, one benign tied): P=⅔, R=1 → ½·1 + ½·⅔.
    const tiedBenignFirst = [outcome(0.9, true), outcome(0.8, false), outcome(0.8, true), outcome(0.1, false)];
    const tiedAttackFirst = [outcome(0.9, true), outcome(0.8, true), outcome(0.8, false), outcome(0.1, false)];
    expect(averagePrecision(tiedBenignFirst)).toBeCloseTo(5 / 6, 12);
    expect(averagePrecision(tiedAttackFirst)).toBeCloseTo(5 / 6, 12);
  });

  it('gives the share of positives when every score is the same', () => {
    expect(averagePrecision([outcome(0.5, true), outcome(0.5, false), outcome(0.5, true), outcome(0.5, false)])).toBeCloseTo(0.5, 12);
  });

  it('is low for a reversed ranking and null without positives', () => {
    expect(averagePrecision([outcome(0.9, false), outcome(0.1, true)])).toBeCloseTo(0.5, 12);
    expect(averagePrecision([outcome(0.9, false), outcome(0.1, false)])).toBeNull();
  });

  it('does not depend on input order and stays within (0, 1]', () => {
    const outcomes = fc.array(fc.record({ score: fc.integer({ min: 0, max: 10 }).map((n) => n / 10), positive: fc.boolean() }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(outcomes, fc.infiniteStream(fc.nat()), (list, stream) => {
        const keys = [...stream.take(list.length)];
        const shuffled = list.map((item, index) => ({ item, key: keys[index]! })).sort((a, b) => a.key - b.key).map(({ item }) => item);
        const ap = averagePrecision(list);
        if (!list.some((item) => item.positive)) return ap === null;
        return ap !== null && ap > 0 && ap <= 1 + 1e-12 && Math.abs(ap - averagePrecision(shuffled)!) < 1e-12;
      }),
    );
  });
});
