import { describe, expect, it } from 'vitest';
import { formatEvaluation } from './evaluation-formatter.js';
import { evaluateFindings } from './findings-evaluator.js';
import type { FindingsForEvaluation } from './findings-reader.js';
import type { AccountLabel } from './labels-parser.js';

const attack = (account_id: string, campaign: string, persona: string): AccountLabel => ({ account_id, label: 'attack', campaign, persona });
const benign = (account_id: string, persona: string): AccountLabel => ({ account_id, label: 'benign', campaign: null, persona });

// Two campaigns (A: 3 accounts, one missed and unclustered; B: 2 accounts whose cluster also
// holds a benign chat user), two batch pipelines clustered together but not flagged, and a
// classroom account that the findings left out. Every figure below is worked out by hand.
const labels: AccountLabel[] = [
  attack('a1', 'camp-a', 'cot_extraction'),
  attack('a2', 'camp-a', 'cot_extraction'),
  attack('a3', 'camp-a', 'cot_extraction'),
  attack('a4', 'camp-b', 'proxy_network'),
  attack('a5', 'camp-b', 'proxy_network'),
  benign('b1', 'chat_user'),
  benign('b2', 'batch_pipeline'),
  benign('b3', 'batch_pipeline'),
  benign('b4', 'chat_user'),
  benign('b5', 'classroom'),
];

const findings: FindingsForEvaluation = {
  generated_at: '2026-02-20T08:00:00.000Z',
  thresholds: { account: 0.6, cluster: 0.7 },
  accounts: [
    { account_id: 'a1', score: 0.95, flagged: true, cluster_id: 'K1' },
    { account_id: 'a2', score: 0.9, flagged: true, cluster_id: 'K1' },
    { account_id: 'a4', score: 0.85, flagged: true, cluster_id: 'K2' },
    { account_id: 'a5', score: 0.8, flagged: true, cluster_id: 'K2' },
    { account_id: 'b1', score: 0.7, flagged: true, cluster_id: 'K2' },
    { account_id: 'b2', score: 0.5, flagged: false, cluster_id: 'K3' },
    { account_id: 'a3', score: 0.4, flagged: false, cluster_id: null },
    { account_id: 'b3', score: 0.2, flagged: false, cluster_id: 'K3' },
    { account_id: 'b4', score: 0.1, flagged: false, cluster_id: null },
    { account_id: 'x9', score: 0.05, flagged: false, cluster_id: null },
  ],
  clusters: [
    { cluster_id: 'K1', flagged: true, accounts: ['a1', 'a2'] },
    { cluster_id: 'K2', flagged: true, accounts: ['a4', 'a5', 'b1'] },
    { cluster_id: 'K3', flagged: false, accounts: ['b2', 'b3'] },
  ],
};

describe('evaluateFindings', () => {
  const evaluation = evaluateFindings(findings, labels);

  it('counts accounts on both sides and warns about missing and unlabelled ones', () => {
    expect(evaluation.counts).toEqual({
      findings_accounts: 10,
      labelled_accounts: 10,
      attack_accounts: 5,
      benign_accounts: 5,
      silent_accounts: 0,
      missing_from_findings: 1,
      unlabelled_in_findings: 1,
      flagged_accounts: 5,
    });
    expect(evaluation.warnings.join('\n')).toMatch(/1 labelled account is missing from the findings .*"b5"/);
    expect(evaluation.warnings.join('\n')).toMatch(/1 account in the findings has no label/);
  });

  it('measures precision, recall, F1 and false-positive rates at the flags', () => {
    expect(evaluation.accounts).toMatchObject({ true_positives: 4, false_positives: 1, false_negatives: 1, true_negatives: 4 });
    expect(evaluation.accounts.precision).toBeCloseTo(0.8, 12);
    expect(evaluation.accounts.recall).toBeCloseTo(0.8, 12);
    expect(evaluation.accounts.f1).toBeCloseTo(0.8, 12);
    expect(evaluation.accounts.false_positive_rate).toBeCloseTo(0.2, 12);
    // Hard negatives here: b2, b3 (batch_pipeline) and b5 (classroom); none flagged.
    expect(evaluation.accounts.hard_negative_false_positive_rate).toBe(0);
  });

  it('takes PR-AUC from the scores, counting a missing account as score 0', () => {
    // Four attack accounts at precision 1, then a3 at rank 7: 4·0.2·1 + 0.2·5/7.
    expect(evaluation.accounts.pr_auc).toBeCloseTo(0.8 + 0.2 * (5 / 7), 12);
    expect(evaluation.accounts.pr_auc_baseline).toBeCloseTo(0.5, 12);
  });

  it('shows every persona, benign first, with hard negatives marked', () => {
    expect(evaluation.personas.map((p) => [p.label, p.persona, p.hard_negative, p.accounts, p.flagged, p.flagged_share])).toEqual([
      ['benign', 'batch_pipeline', true, 2, 0, 0],
      ['benign', 'chat_user', false, 2, 1, 0.5],
      ['benign', 'classroom', true, 1, 0, 0],
      ['attack', 'cot_extraction', false, 3, 2, 2 / 3],
      ['attack', 'proxy_network', false, 2, 2, 1],
    ]);
  });

  it('gives recall per campaign and how each campaign spreads over clusters', () => {
    expect(evaluation.campaigns).toEqual([
      { campaign: 'camp-a', personas: ['cot_extraction'], accounts: 3, flagged: 2, recall: 2 / 3, silent: 0, recall_with_traffic: 2 / 3, exchange_recall: null, clusters: 1, largest_cluster_share: 2 / 3, unclustered: 1, missed: { unlinked: 1, in_unflagged_cluster: 0, in_flagged_cluster: 0 } },
      { campaign: 'camp-b', personas: ['proxy_network'], accounts: 2, flagged: 2, recall: 1, silent: 0, recall_with_traffic: 1, exchange_recall: null, clusters: 1, largest_cluster_share: 1, unclustered: 0, missed: { unlinked: 0, in_unflagged_cluster: 0, in_flagged_cluster: 0 } },
    ]);
  });

  it('says where each missed account with traffic sits: no cluster, an unflagged cluster, or a flagged one it is too weakly tied to', () => {
    // a1 stays in its flagged cluster K1 unflagged; a3 is linked to K4, which is not flagged;
    // a2 is linked to nothing; a5 is missed but sent nothing, so it is no miss of the traffic.
    const missedFindings: FindingsForEvaluation = {
      ...findings,
      accounts: findings.accounts.map((account) => {
        const volume = { exchanges: account.account_id === 'a5' ? 0 : 20 };
        if (account.account_id === 'a1') return { ...account, flagged: false, volume };
        if (account.account_id === 'a2') return { ...account, flagged: false, cluster_id: null, volume };
        if (account.account_id === 'a3') return { ...account, linked_cluster_id: 'K4', volume };
        if (account.account_id === 'a5') return { ...account, flagged: false, cluster_id: null, volume };
        return { ...account, volume };
      }),
      clusters: [...findings.clusters.map((cluster) => (cluster.cluster_id === 'K1' ? { ...cluster, accounts: ['a1'] } : cluster)), { cluster_id: 'K4', flagged: false, accounts: ['a3'] }],
    };
    const result = evaluateFindings(missedFindings, labels);
    const campA = result.campaigns.find((campaign) => campaign.campaign === 'camp-a')!;
    expect(campA.missed).toEqual({ unlinked: 1, in_unflagged_cluster: 1, in_flagged_cluster: 1 });
    // The spread over clusters counts flagged clusters: a3's cluster K4 is not one, so a3 sits in none.
    expect([campA.clusters, campA.unclustered]).toEqual([1, 2]);
    expect(result.campaigns.find((campaign) => campaign.campaign === 'camp-b')!.missed).toEqual({ unlinked: 0, in_unflagged_cluster: 0, in_flagged_cluster: 0 });
    expect(formatEvaluation(result)).toMatch(/camp-a .* 1\/1\/1\n/);
  });

  it('keeps accounts that sent nothing apart, and weighs recall by the exchanges flagged accounts sent', () => {
    // Findings that carry volumes: a1 sent 90 exchanges, a2 10, a3 none (a spare account), a4 and
    // a5 30 each; b4 sent nothing and b1 (flagged) sent 5.
    const volumes: Record<string, number> = { a1: 90, a2: 10, a3: 0, a4: 30, a5: 30, b1: 5, b2: 40, b3: 40, b4: 0, x9: 1 };
    const withVolumes: FindingsForEvaluation = { ...findings, accounts: findings.accounts.map((account) => ({ ...account, volume: { exchanges: volumes[account.account_id]! } })) };
    const result = evaluateFindings(withVolumes, labels);
    expect(result.counts.silent_accounts).toBe(2);
    // a3 is missed but silent: the attack accounts with traffic (a1, a2, a4, a5) are all flagged.
    expect(result.accounts.recall).toBeCloseTo(0.8, 12);
    expect(result.accounts.recall_with_traffic).toBe(1);
    const campA = result.campaigns.find((campaign) => campaign.campaign === 'camp-a')!;
    expect(campA).toMatchObject({ silent: 1, recall: 2 / 3, recall_with_traffic: 1, exchange_recall: 1 });
    const chat = result.personas.find((persona) => persona.persona === 'chat_user')!;
    // b1 (flagged, with traffic) and b4 (silent): half of all chat users, all of those with traffic.
    expect(chat).toMatchObject({ accounts: 2, silent: 1, flagged_share: 0.5, flagged_share_with_traffic: 1 });

    // An unflagged account with traffic lowers the exchange share by its volume.
    const missedHeavy = evaluateFindings({ ...withVolumes, accounts: withVolumes.accounts.map((account) => (account.account_id === 'a1' ? { ...account, flagged: false } : account)) }, labels);
    expect(missedHeavy.campaigns.find((campaign) => campaign.campaign === 'camp-a')).toMatchObject({ recall_with_traffic: 0.5, exchange_recall: 0.1 });
  });

  it('measures purity with one benign class and ARI with benign accounts as singletons', () => {
    const clusters = evaluation.clusters;
    expect(clusters).toMatchObject({ detected: 3, flagged: 2, clustered_accounts: 7, benign_in_flagged_clusters: 1 });
    // K1 {A, A} → 2, K2 {B, B, benign} → 2, K3 {benign, benign} → 2: 6 of 7; flagged K1 + K2: 4 of 5.
    expect(clusters.purity).toBeCloseTo(6 / 7, 12);
    expect(clusters.flagged_purity).toBeCloseTo(0.8, 12);
    // All 10: index 2, class pairs 4, cluster pairs 5, C(10,2) = 45 → (2 − 4/9) / (9/2 − 4/9) = 28/73.
    expect(clusters.ari).toBeCloseTo(28 / 73, 12);
    // Attack only: index 2, class pairs 4, cluster pairs 2, C(5,2) = 10 → (2 − 0.8) / (3 − 0.8) = 6/11.
    expect(clusters.ari_attack_only).toBeCloseTo(6 / 11, 12);
  });

  it('is perfect for findings that flag and cluster exactly the campaigns', () => {
    const perfect: FindingsForEvaluation = {
      accounts: labels.map((label) => ({
        account_id: label.account_id,
        score: label.label === 'attack' ? 0.9 : 0.1,
        flagged: label.label === 'attack',
        cluster_id: label.campaign,
      })),
      clusters: [
        { cluster_id: 'camp-a', flagged: true, accounts: ['a1', 'a2', 'a3'] },
        { cluster_id: 'camp-b', flagged: true, accounts: ['a4', 'a5'] },
      ],
    };
    const result = evaluateFindings(perfect, labels);
    expect(result.accounts).toMatchObject({ precision: 1, recall: 1, f1: 1, pr_auc: 1, false_positive_rate: 0 });
    expect(result.clusters).toMatchObject({ purity: 1, flagged_purity: 1, ari: 1, ari_attack_only: 1 });
    expect(result.warnings).toEqual([]);
  });

  it('warns when cluster member lists disagree with the accounts', () => {
    const result = evaluateFindings({ ...findings, clusters: [...findings.clusters, { cluster_id: 'K9', flagged: false, accounts: ['a1'] }] }, labels);
    expect(result.warnings.join('\n')).toMatch(/1 cluster member listed under a cluster whose account entry names another cluster/);
  });
});

describe('formatEvaluation', () => {
  it('prints every measure, persona and campaign in readable tables', () => {
    const text = formatEvaluation(evaluateFindings(findings, labels));
    expect(text).toContain('Evaluation of findings generated 2026-02-20T08:00:00.000Z (account threshold 0.6, cluster threshold 0.7)');
    expect(text).toMatch(/precision\s+0\.800\s+4 of 5 flagged accounts are attack accounts/);
    expect(text).toMatch(/PR-AUC\s+0\.943/);
    expect(text).toMatch(/false-positive rate\s+20\.00%/);
    expect(text).toMatch(/batch_pipeline \*\s+2\s+0\s+0\.00%/);
    expect(text).toMatch(/camp-a\s+cot_extraction\s+3\s+0\s+2\s+0\.667\s+0\.667\s+—\s+1\s+66\.7%\s+1/);
    expect(text).toMatch(/adjusted Rand index\s+0\.384/);
    expect(text).toContain('Warnings');
  });

  it('shows a dash for a measure that is undefined', () => {
    const text = formatEvaluation(evaluateFindings({ accounts: [{ account_id: 'b', score: 0.1, flagged: false, cluster_id: null }], clusters: [] }, [benign('b', 'chat_user')]));
    expect(text).toMatch(/precision\s+—/);
    expect(text).toMatch(/PR-AUC\s+—/);
  });
});
