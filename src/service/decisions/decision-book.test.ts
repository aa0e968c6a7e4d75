import { describe, expect, it } from 'vitest';
import type { LabelRecord } from '../../store/service-tables.js';
import { DecisionBook } from './decision-book.js';
import { parsePolicy } from './decision-policy.js';

const policy = parsePolicy(`version: 1
bands: [{ min_score: 0.9, action: block }, { min_score: 0.5, action: throttle }]
rules:
  - { name: flagged cluster, in_flagged_cluster: true, action: step_up }
allow: { accounts: [acct_allowed], ips: [10.0.0.0/8] }
deny: { accounts: [acct_denied] }
verdicts: { confirmed: block, dismissed: allow }
`);

function label(labelId: number, target: 'account' | 'cluster', targetId: string, verdict: 'confirmed' | 'dismissed'): LabelRecord {
  return { labelId, target, targetId, verdict, note: null, analyst: 'k1', createdAt: 0 };
}

describe('DecisionBook', () => {
  it('ranks an account verdict over a cluster verdict over the lists over the model', () => {
    const book = new DecisionBook();
    book.setAccount('acct_allowed', { score: 0.95, flagged: true, clusterId: 'c1', evidence: [] });
    expect(book.decide({ accountId: 'acct_allowed' }, policy).action).toBe('allow');
    book.applyLabel(label(1, 'cluster', 'c1', 'confirmed'));
    expect(book.decide({ accountId: 'acct_allowed' }, policy)).toMatchObject({ action: 'block', reasons: [{ code: 'verdict' }] });
    book.applyLabel(label(2, 'account', 'acct_allowed', 'dismissed'));
    expect(book.decide({ accountId: 'acct_allowed' }, policy).action).toBe('allow');
    book.setAccount('acct_denied', { score: 0, flagged: false, clusterId: null, evidence: [] });
    expect(book.decide({ accountId: 'acct_denied', clientIp: '10.1.1.1' }, policy).action).toBe('block');
  });

  it("applies the org lists to an account's organisation as its exchanges give it", () => {
    const orgPolicy = parsePolicy('version: 1\ndeny: { orgs: [org_bad] }\n');
    const book = new DecisionBook();
    book.setOrg('fresh', 'org_bad');
    expect(book.decide({ accountId: 'fresh' }, orgPolicy).action).toBe('block');
    book.setAccount('fresh', { score: 0, flagged: false, clusterId: null, evidence: [] });
    expect(book.decide({ accountId: 'fresh' }, orgPolicy).action).toBe('block');
  });

  it('keeps the latest verdict per target, whatever order they are applied in', () => {
    const book = new DecisionBook();
    book.applyLabel(label(5, 'account', 'a', 'dismissed'));
    book.applyLabel(label(3, 'account', 'a', 'confirmed'));
    expect(book.verdictFor('account', 'a')?.labelId).toBe(5);
  });

  it('takes the most severe of the band and the matching rules', () => {
    const book = new DecisionBook();
    book.setAccount('m', { score: 0.6, flagged: false, clusterId: 'c2', evidence: [] });
    expect(book.decide({ accountId: 'm' }, policy).action).toBe('throttle');
    book.setFlaggedClusters(['c2']);
    const decision = book.decide({ accountId: 'm' }, policy);
    expect(decision.action).toBe('step_up');
    expect(decision.reasons.map((reason) => reason.code)).toEqual(['score_band', 'rule']);
  });
});
