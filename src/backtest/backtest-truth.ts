import type { AccountLabel } from '../eval/labels-parser.js';
import type { LabelRecord } from '../store/service-tables.js';
import type { AccountTruth } from './backtest-report.js';

export interface TruthSources {
  /** The store's analyst verdicts, oldest first (`listLabels`). */
  verdicts: readonly LabelRecord[];
  /** Members of each cluster id the replay's relinks made, for verdicts on clusters. */
  clusterMembers: ReadonlyMap<string, readonly string[]>;
  /** A labels file (`simulate` writes one), if given. */
  labels?: readonly AccountLabel[];
}

export interface TruthSummary {
  sources: string[];
  positives: number;
  negatives: number;
  campaigns: number;
  /** Verdicts on clusters no relink of the replay made, which therefore name no accounts. */
  unresolved_cluster_verdicts: number;
}

/**
 * What is known about each account afterwards, for judging decisions (never for making them).
 * The latest verdict per target is in force, as in the decision book; a verdict on an account
 * overrides one on its cluster, and a labels file, given for this run, overrides both.
 */
export function buildTruth({ verdicts, clusterMembers, labels = [] }: TruthSources): { truth: Map<string, AccountTruth>; summary: TruthSummary } {
  const latest = new Map<string, LabelRecord>();
  for (const verdict of verdicts) {
    const key = `${verdict.target}\u0000${verdict.targetId}`;
    const existing = latest.get(key);
    if (existing === undefined || existing.labelId <= verdict.labelId) latest.set(key, verdict);
  }
  const truth = new Map<string, AccountTruth>();
  let unresolved = 0;
  for (const verdict of latest.values()) {
    if (verdict.target !== 'cluster') continue;
    const members = clusterMembers.get(verdict.targetId);
    if (members === undefined) {
      unresolved++;
      continue;
    }
    for (const accountId of members) truth.set(accountId, { positive: verdict.verdict === 'confirmed', campaign: verdict.targetId, source: 'verdict' });
  }
  for (const verdict of latest.values()) {
    if (verdict.target !== 'account') continue;
    const campaign = truth.get(verdict.targetId)?.campaign ?? null;
    truth.set(verdict.targetId, { positive: verdict.verdict === 'confirmed', campaign: verdict.verdict === 'confirmed' ? campaign : null, source: 'verdict' });
  }
  for (const label of labels) truth.set(label.account_id, { positive: label.label === 'attack', campaign: label.label === 'attack' ? label.campaign : null, source: 'labels' });

  const sources = [...(latest.size > 0 ? ['verdicts'] : []), ...(labels.length > 0 ? ['labels'] : [])];
  let positives = 0;
  const campaigns = new Set<string>();
  for (const known of truth.values()) {
    if (!known.positive) continue;
    positives++;
    if (known.campaign !== null) campaigns.add(known.campaign);
  }
  return { truth, summary: { sources, positives, negatives: truth.size - positives, campaigns: campaigns.size, unresolved_cluster_verdicts: unresolved } };
}
