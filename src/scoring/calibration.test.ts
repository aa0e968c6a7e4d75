import { describe, expect, it } from 'vitest';
import { alertRateThreshold, calibrate, outlierThreshold, parseThresholdChoice, quantile, resolveThreshold, scoreDistribution } from './calibration.js';
import { logistic } from './evidence-scale.js';

describe('calibration', () => {
  it('bins scores in twentieths and counts what the threshold flags', () => {
    const distribution = scoreDistribution([0, 0.01, 0.5, 0.99, 1], 0.5);
    expect(distribution.bins.length).toBe(20);
    expect(distribution.bins[0]).toBe(2);
    expect(distribution.bins[10]).toBe(1);
    expect(distribution.bins[19]).toBe(2);
    expect(distribution.flagged).toBe(3);
    expect(distribution.total).toBe(5);
  });

  it('finds quantiles by interpolation', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([], 0.9)).toBe(0);
  });

  it('never lets the outlier rule go below the configured threshold, and raises it for a noisy population', () => {
    // Most accounts at the prior: the fence sits at the bulk and the floor holds.
    const quiet = [...Array.from({ length: 95 }, () => logistic(-4)), ...Array.from({ length: 5 }, () => 0.95)];
    expect(outlierThreshold(quiet, 0.5)).toBe(0.5);
    // A store where benign evidence is everywhere (log-odds spread from -4 to +1): the fence moves up.
    const noisy = Array.from({ length: 100 }, (_, i) => logistic(-4 + (5 * i) / 99));
    expect(outlierThreshold(noisy, 0.5)).toBeGreaterThan(0.9);
  });

  it('picks the score that flags at most the target share of accounts, ties together', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const threshold = alertRateThreshold(scores, 0.01);
    expect(scores.filter((score) => score >= threshold).length).toBeLessThanOrEqual(10);
    expect(scores.filter((score) => score >= threshold).length).toBeGreaterThanOrEqual(9);
    const tied = [...Array.from({ length: 990 }, () => 0.1), ...Array.from({ length: 10 }, () => 0.9)];
    expect(tied.filter((score) => score >= alertRateThreshold(tied, 0.005)).length).toBe(0);
  });

  it('reads --threshold as a score, auto or rate:P', () => {
    expect(parseThresholdChoice('0.7')).toEqual({ kind: 'score', score: 0.7 });
    expect(parseThresholdChoice('auto')).toEqual({ kind: 'auto' });
    expect(parseThresholdChoice('rate:1%')).toEqual({ kind: 'rate', rate: 0.01 });
    expect(parseThresholdChoice('rate:0.02')).toEqual({ kind: 'rate', rate: 0.02 });
    for (const bad of ['', '1.5', 'rate:0', 'rate:150%', 'sometimes']) expect(parseThresholdChoice(bad), bad).toBeNull();
    expect(resolveThreshold({ kind: 'score', score: 0.3 }, [0.9], 0.5)).toBe(0.3);
  });

  it('reports how often each detector fires and how often strongly', () => {
    const calibration = calibrate({
      accounts: [
        { score: 0.9, evidence: [{ signal: 'cot_elicitation', weight: 2, detail: '' }] },
        { score: 0.2, evidence: [{ signal: 'cot_elicitation', weight: 0.4, detail: '' }] },
        { score: 0.01, evidence: [] },
        { score: 0.01, evidence: [{ signal: 'identity_verified', weight: -3, detail: '' }] },
      ],
      clusters: [],
      thresholds: { account: 0.5, cluster: 0.5 },
      accountDetectors: new Map([
        ['cot_elicitation', 2],
        ['identity_verified', 3],
      ]),
      clusterDetectors: new Map(),
      thresholdSource: 'config',
      configuredThreshold: 0.5,
    });
    expect(calibration.detectors).toEqual([
      { signal: 'cot_elicitation', level: 'account', firing: 2, strong: 1, share: 0.5 },
      { signal: 'identity_verified', level: 'account', firing: 1, strong: 1, share: 0.25 },
    ]);
    expect(calibration.accounts.flagged).toBe(1);
    expect(calibration.suggested.alert_rates.map((entry) => entry.rate)).toEqual([0.001, 0.005, 0.01, 0.02, 0.05]);
  });
});
