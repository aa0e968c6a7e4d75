import { describe, expect, it } from 'vitest';
import { LEVEL_MEASURES, SHARE_MEASURES, type Measures, type MeasureName, type PopulationContext } from '../behaviour/account-summary.js';
import type { Reference } from '../behaviour/population-reference.js';
import { signupOrder } from '../behaviour/signup-order.js';
import { parseDetectionConfig } from './detection-config.js';
import { runDetector, type DetectorDefinition } from './detector.js';
import { TRAFFIC_DETECTORS, type TrafficInput } from './traffic-detectors.js';

const config = parseDetectionConfig();

/** Measures of an account with `total` requests and nothing unusual, overridden by `overrides`. */
function measures(total: number, overrides: Partial<Measures> = {}): Measures {
  const out = {} as Record<string, unknown>;
  for (const name of SHARE_MEASURES) out[name] = { count: 0, total };
  for (const name of LEVEL_MEASURES) out[name] = { value: 0, noise: 0.05, total };
  out.identityVerified = { count: 0, total: 1 };
  return { ...(out as Measures), ...overrides };
}

/** A population whose typical account is at 0 on every measure (shares: 2%), with the given spreads. */
function context(references: Partial<Record<MeasureName, Reference>> = {}): PopulationContext {
  const base = Object.fromEntries([...SHARE_MEASURES, ...LEVEL_MEASURES].map((name) => [name, { center: SHARE_MEASURES.includes(name as never) ? 0.02 : 0, spread: 0, accounts: 500 }]));
  return {
    windowStart: 0,
    windowEnd: 1,
    exchanges: 1,
    accountsWithTraffic: 500,
    newModels: [],
    templateAccounts: new Map(),
    variedTemplates: new Set(),
    modelReferences: new Map(),
    references: { ...base, ...references } as PopulationContext['references'],
    signups: signupOrder({ accounts: [] }),
  };
}

function weightOf(signal: string, input: TrafficInput): number {
  const detector = TRAFFIC_DETECTORS.find((d) => d.signal === signal)! as unknown as DetectorDefinition<TrafficInput, { weight: number }>;
  const result = runDetector(detector, input, config.detectors.traffic[signal]!);
  expect(result.error).toBeUndefined();
  return result.evidence.reduce((sum, item) => sum + item.weight, 0);
}

const account = (m: Measures, ctx = context()): TrafficInput => ({ subject: 'account', measures: m, exchanges: m.cot.total, accounts: 1, context: ctx });

describe('traffic detectors', () => {
  // Each row: a detector, an account that shows its signal, one that does not.
  const shares: [string, keyof Measures][] = [
    ['cot_elicitation', 'cot'],
    ['rubric_grading', 'rubric'],
    ['explain_answer', 'explainAnswer'],
    ['safe_rewrite', 'safeRewrite'],
    ['follow_up_probes', 'followUpProbes'],
    ['thinking_budget', 'thinking'],
    ['multi_sample', 'multiSample'],
    ['dataset_like', 'freshSingleTurn'],
    ['capability_focus', 'targetedCapability'],
    ['new_model_rush', 'newModelEarly'],
  ];
  it.each(shares)('%s: full weight for a share far above the typical account, nothing for the typical share', (signal, measure) => {
    const full = weightOf(signal, account(measures(400, { [measure]: { count: 380, total: 400 } })));
    expect(full).toBeCloseTo(config.detectors.traffic[signal]!.weight, 6);
    expect(weightOf(signal, account(measures(400, { [measure]: { count: 8, total: 400 } })))).toBe(0);
  });

  it.each(shares)('%s: grows with the requests measured instead of switching on at a minimum', (signal, measure) => {
    const weights = [3, 10, 30, 100].map((total) => weightOf(signal, account(measures(total, { [measure]: { count: Math.round(total * 0.7), total } }))));
    for (let i = 1; i < weights.length; i++) expect(weights[i]!).toBeGreaterThanOrEqual(weights[i - 1]!);
    expect(weights[0]).toBe(0);
    expect(weights[3]!).toBeGreaterThan(0);
  });

  it.each(shares)('%s: weighs nothing in a store where the typical account does the same', (signal, measure) => {
    const ctx = context({ [measure as MeasureName]: { center: 0.6, spread: 0.2, accounts: 500 } });
    expect(weightOf(signal, account(measures(400, { [measure]: { count: 280, total: 400 } }), ctx))).toBe(0);
  });

  const levels: [string, keyof Measures, number][] = [
    ['high_max_tokens', 'maxTokens', 4],
    ['long_outputs', 'outputLength', 4],
    ['heavy_volume', 'volume', 2.5],
  ];
  it.each(levels)('%s: in standard deviations of the population, not in fixed units', (signal, measure, far) => {
    const m = measures(400, { [measure]: { value: far, noise: 0.05, total: 400 } });
    expect(weightOf(signal, account(m, context({ [measure as MeasureName]: { center: 0, spread: 0.3, accounts: 500 } })))).toBeCloseTo(config.detectors.traffic[signal]!.weight, 6);
    // The same value where accounts spread widely is no outlier.
    expect(weightOf(signal, account(m, context({ [measure as MeasureName]: { center: 0, spread: far, accounts: 500 } })))).toBe(0);
  });

  it('round_the_clock: weighs traffic spread over every hour against the population\'s spread', () => {
    const clock = measures(400, { hourSpread: { value: 0.99, noise: 0.02, total: 400 } });
    expect(weightOf('round_the_clock', account(clock, context({ hourSpread: { center: 0.3, spread: 0.05, accounts: 500 } })))).toBeCloseTo(0.8, 6);
    expect(weightOf('round_the_clock', account(clock, context({ hourSpread: { center: 0.9, spread: 0.05, accounts: 500 } })))).toBe(0);
  });

  it('young_accounts: weighs accounts that started far sooner after sign-up than the typical one, and never older ones', () => {
    const ctx = context({ accountAge: { center: Math.log2(1 + 200), spread: 1, accounts: 500 } });
    expect(weightOf('young_accounts', account(measures(100, { accountAge: { value: Math.log2(1 + 1), noise: 0, total: 100 } }), ctx))).toBeCloseTo(1, 6);
    expect(weightOf('young_accounts', account(measures(100, { accountAge: { value: Math.log2(1 + 2000), noise: 0, total: 100 } }), ctx))).toBe(0);
  });

  it('evaluation_repeats: a mitigation for deterministic re-runs, believed more the more prompts it is measured on', () => {
    const few = weightOf('evaluation_repeats', account(measures(20, { evaluationRepeats: { count: 6, total: 20 } })));
    const many = weightOf('evaluation_repeats', account(measures(2000, { evaluationRepeats: { count: 600, total: 2000 } })));
    expect(few).toBeLessThan(0);
    expect(many).toBeLessThan(few);
    expect(many).toBeCloseTo(-4 * (2000 / 2020), 4);
    expect(weightOf('evaluation_repeats', account(measures(2000, { evaluationRepeats: { count: 20, total: 2000 } })))).toBe(0);
  });

  it('identity_verified: a mitigation for a checked identity, for a cluster by the share of its members', () => {
    expect(weightOf('identity_verified', account(measures(50, { identityVerified: { count: 1, total: 1 } })))).toBe(-3);
    expect(weightOf('identity_verified', account(measures(50)))).toBe(0);
    const cluster: TrafficInput = { subject: 'cluster', measures: measures(500, { identityVerified: { count: 2, total: 40 } }), exchanges: 500, accounts: 40, context: context() };
    expect(weightOf('identity_verified', cluster)).toBe(0);
  });
});
