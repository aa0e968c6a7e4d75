import { describe, expect, it } from 'vitest';
import type { Decision } from '../service/decisions/decision-book.js';
import type { DecisionAction } from '../service/decisions/decision-policy.js';
import type { LabelRecord } from '../store/service-tables.js';
import { buildPolicyReport, campaignOutcomes, comparePolicies, type AccountFacts, type AccountTruth } from './backtest-report.js';
import { buildTruth } from './backtest-truth.js';
import { createPolicyTally, type PolicyTally } from './policy-tally.js';

function decision(action: DecisionAction, reason = `because ${action}`): Decision {
  return { account_id: 'x', action, score: 0, flagged: false, cluster_id: null, reasons: [{ code: 'rule', detail: reason }], policy_version: 'v' };
}

/** A tally fed `[ts, action]` decisions per account, in time order across accounts. */
function tallyOf(decisions: Record<string, [number, DecisionAction][]>, keepTimesOf?: ReadonlySet<string> | 'all'): PolicyTally {
  const tally = createPolicyTally(keepTimesOf);
  const all = Object.entries(decisions).flatMap(([accountId, list]) => list.map(([ts, action]) => ({ accountId, ts, action })));
  all.sort((a, b) => a.ts - b.ts);
  for (const { accountId, ts, action } of all) tally.record(accountId, null, ts, decision(action));
  return tally;
}

const allow = (...times: number[]): [number, DecisionAction][] => times.map((ts) => [ts, 'allow']);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('policy tally', () => {
  it('records each account\'s first time at each severity, its exchanges before the first stop and why it was stopped', () => {
    const tally = tallyOf({
      a: [[1, 'allow'], [2, 'allow'], [3, 'throttle'], [4, 'step_up'], [5, 'allow'], [6, 'block']],
    });
    const a = tally.accounts.get('a')!;
    expect(a.firstAtLeast).toEqual([1, 3, 4, 6]);
    expect(a.beforeStop).toBe(3);
    expect(a.byAction).toEqual([3, 1, 1, 1]);
    expect(a.maxAction).toBe('block');
    expect(a.stopReason).toBe('because step_up');
  });

  it('dates a first block that comes straight from allow at every milder severity too', () => {
    const a = tallyOf({ a: [[10, 'allow'], [20, 'block']] }).accounts.get('a')!;
    expect(a.firstAtLeast).toEqual([10, 20, 20, 20]);
    expect(a.beforeStop).toBe(1);
  });
});

describe('policy report', () => {
  const truth = new Map<string, AccountTruth>([
    ['pos_blocked', { positive: true, campaign: 'c1', source: 'labels' }],
    ['pos_missed', { positive: true, campaign: 'c1', source: 'labels' }],
    ['neg_stepped', { positive: false, campaign: null, source: 'labels' }],
    ['neg_allowed', { positive: false, campaign: null, source: 'labels' }],
  ]);
  const facts = new Map<string, AccountFacts>([
    ['pos_blocked', { orgId: 'org_small', tier: 'free' }],
    ['neg_stepped', { orgId: 'org_big', tier: 'enterprise' }],
    ['unknown_throttled', { orgId: 'org_big', tier: 'research' }],
    ['neg_allowed', { orgId: 'org_big', tier: 'standard' }],
  ]);
  const tally = tallyOf({
    pos_blocked: [[1, 'allow'], [2, 'block']],
    pos_missed: allow(1, 2, 3),
    neg_stepped: [[5, 'step_up']],
    unknown_throttled: [[1, 'throttle'], [2, 'allow']],
    neg_allowed: allow(4),
  });
  const report = buildPolicyReport({ name: 'candidate', source: 'p.yaml', version: 'v', outcomes: tally.accounts }, truth, facts);

  it('counts accounts by their most severe action and exchanges by the action each got', () => {
    expect(report.actions).toEqual({
      allow: { accounts: 2, exchanges: 1 + 3 + 1 + 1 },
      throttle: { accounts: 1, exchanges: 1 },
      step_up: { accounts: 1, exchanges: 1 },
      block: { accounts: 1, exchanges: 1 },
    });
  });

  it('scores each action, with everything more severe, against the truth; unlabelled accounts count in neither', () => {
    expect(report.quality.throttle).toEqual({ accounts: 3, true_positives: 1, false_positives: 1, unlabelled: 1, precision: 0.5, recall: 0.5 });
    expect(report.quality.step_up).toEqual({ accounts: 2, true_positives: 1, false_positives: 1, unlabelled: 0, precision: 0.5, recall: 0.5 });
    expect(report.quality.block).toEqual({ accounts: 1, true_positives: 1, false_positives: 0, unlabelled: 0, precision: 1, recall: 0.5 });
  });

  it('names the watched tiers and the largest organisations it acted on', () => {
    expect(report.at_risk.accounts.map((account) => [account.account_id, account.tier, account.max_action, account.truth])).toEqual([
      ['neg_stepped', 'enterprise', 'step_up', 'negative'],
      ['unknown_throttled', 'research', 'throttle', null],
    ]);
    expect(report.at_risk.orgs.map((org) => [org.org_id, org.accounts, org.hit, org.acted_exchanges])).toEqual([
      ['org_big', 3, { throttle: 1, step_up: 1, block: 0 }, 2],
      ['org_small', 1, { throttle: 0, step_up: 0, block: 1 }, 1],
    ]);
  });

  it('lists first stops in time order with the exchanges sent before them', () => {
    expect(report.first_stops.map((stop) => [stop.account_id, stop.stopped_at, stop.blocked_at, stop.exchanges_before])).toEqual([
      ['pos_blocked', new Date(2).toISOString(), new Date(2).toISOString(), 1],
      ['neg_stepped', new Date(5).toISOString(), null, 0],
    ]);
  });
});

describe('campaign outcomes', () => {
  it('measures the volume sent before the campaign\'s first stop and the volume that passed', () => {
    // a: exchanges at 1..10, allowed until 6, then blocked; b: exchanges at 2..8, never stopped.
    const tally = tallyOf(
      {
        a: [...allow(...range(1, 5)), ...range(6, 10).map((ts): [number, DecisionAction] => [ts, 'block'])],
        b: allow(...range(2, 8)),
      },
      new Set(['a', 'b']),
    );
    const truth = new Map<string, AccountTruth>([
      ['a', { positive: true, campaign: 'farm', source: 'labels' }],
      ['b', { positive: true, campaign: 'farm', source: 'labels' }],
      ['idle', { positive: true, campaign: 'farm', source: 'labels' }],
    ]);
    const [farm] = campaignOutcomes(tally.accounts, truth);
    expect(farm).toMatchObject({ campaign: 'farm', accounts: 3, active_accounts: 2, stopped_accounts: 1, exchanges: 17, first_stopped_at: new Date(6).toISOString() });
    // Before 6: a's 1..5 and b's 2..5.
    expect(farm!.before_first_stop).toBe(9);
    expect(farm!.before_first_stop_share).toBeCloseTo(9 / 17);
    // Allowed: a's five and b's seven.
    expect(farm!.passed).toBe(12);
    expect(farm!.passed_share).toBeCloseTo(12 / 17);
  });

  it('counts a never-stopped campaign\'s whole volume as sent before a stop', () => {
    const tally = tallyOf({ a: allow(1, 2, 3) }, new Set(['a']));
    const [only] = campaignOutcomes(tally.accounts, new Map([['a', { positive: true, campaign: 'c', source: 'labels' }]]));
    expect(only).toMatchObject({ first_stopped_at: null, before_first_stop: 3, before_first_stop_share: 1, passed_share: 1 });
  });
});

describe('policy comparison', () => {
  it('classifies every account the two policies treat differently', () => {
    const current = tallyOf({ same: [[1, 'block']], newly: allow(1), dropped: [[1, 'throttle']], harsher: [[1, 'throttle']], earlier: [[1, 'allow'], [2, 'step_up']] });
    const candidate = tallyOf({ same: [[1, 'block']], newly: [[1, 'throttle']], dropped: allow(1), harsher: [[1, 'block']], earlier: [[1, 'step_up'], [2, 'step_up']] });
    const comparison = comparePolicies(current.accounts, candidate.accounts, new Map(), new Map());
    expect(comparison.summary).toEqual({ newly_acted: 1, no_longer_acted: 1, more_severe: 1, milder: 0, stopped_earlier: 1, stopped_later: 0 });
    expect(comparison.accounts.map((change) => change.account_id).sort()).toEqual(['dropped', 'earlier', 'harsher', 'newly']);
    expect(comparison.accounts[0]!.account_id).toBe('harsher');
  });
});

describe('truth from verdicts and labels', () => {
  const verdict = (labelId: number, target: 'account' | 'cluster', targetId: string, value: 'confirmed' | 'dismissed'): LabelRecord => ({
    labelId,
    target,
    targetId,
    verdict: value,
    note: null,
    analyst: 'cli',
    createdAt: labelId,
  });

  it('takes the latest verdict per target, an account\'s over its cluster\'s, and a labels file over both', () => {
    const { truth, summary } = buildTruth({
      verdicts: [verdict(1, 'cluster', 'C1', 'dismissed'), verdict(2, 'cluster', 'C1', 'confirmed'), verdict(3, 'account', 'b', 'dismissed'), verdict(4, 'cluster', 'C9', 'confirmed')],
      clusterMembers: new Map([['C1', ['a', 'b', 'c']]]),
      labels: [{ account_id: 'c', label: 'benign', campaign: null, persona: 'chat_user' }],
    });
    expect(truth.get('a')).toEqual({ positive: true, campaign: 'C1', source: 'verdict' });
    expect(truth.get('b')).toEqual({ positive: false, campaign: null, source: 'verdict' });
    expect(truth.get('c')).toEqual({ positive: false, campaign: null, source: 'labels' });
    expect(summary).toEqual({ sources: ['verdicts', 'labels'], positives: 1, negatives: 2, campaigns: 1, unresolved_cluster_verdicts: 1 });
  });
});
