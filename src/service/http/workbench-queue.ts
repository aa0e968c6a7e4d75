import { createHash } from 'node:crypto';
import type { ClusterFinding, Evidence } from '../../model/findings.js';
import type { AccountFacts, AccountTraffic } from '../../store/workbench-queries.js';
import { CAPABILITIES } from '../../features/index.js';
import type { AccountAssessment } from '../engine/engine-contract.js';

/** Where a case stands: no one has looked, someone is on it, or a verdict (watch decides nothing). */
export const CASE_STATUSES = ['new', 'in_review', 'confirmed', 'dismissed', 'watch'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface QueueEvidence {
  signal: string;
  weight: number;
  detail: string;
}

export interface QueueItem {
  kind: 'cluster' | 'account';
  id: string;
  score: number;
  flagged: boolean;
  status: CaseStatus;
  /** Main capability (clusters: the largest share). */
  capability: string | null;
  /** Account tier, or the tiers of a cluster's members. */
  tiers: string[];
  first_seen: string | null;
  last_seen: string | null;
  exchanges: number;
  /** Member count for a cluster; 1 for an account. */
  accounts: number;
  cluster_id: string | null;
  top_evidence: QueueEvidence[];
}

export interface QueueFilter {
  kind: 'cluster' | 'account';
  status?: CaseStatus;
  tier?: string;
  capability?: string;
  flagged?: boolean;
  minScore?: number;
  maxScore?: number;
  firstSeenFrom?: number;
  firstSeenTo?: number;
  /** Only these ids (the result of a search); undefined lists everything. */
  ids?: ReadonlySet<string>;
}

/**
 * An account's traffic in the form the queue lists it. The queue is rebuilt every few seconds
 * while someone watches it and the traffic only after a read of the store, so the formatting is
 * done once per read (docs/performance.md, "workbench").
 */
export interface QueueTraffic {
  exchanges: number;
  /** The capability most of the account's exchanges have, by name. */
  capability: string | null;
  /** First and last exchange, ISO 8601. */
  firstSeen: string;
  lastSeen: string;
}

export function queueTraffic(traffic: AccountTraffic): QueueTraffic {
  return {
    exchanges: traffic.exchanges,
    capability: traffic.capability === null ? null : (CAPABILITIES[traffic.capability] ?? null),
    firstSeen: new Date(traffic.firstSeen).toISOString(),
    lastSeen: new Date(traffic.lastSeen).toISOString(),
  };
}

export interface QueueSource {
  clusters: readonly ClusterFinding[];
  assessments: Iterable<[string, AccountAssessment]>;
  facts: ReadonlyMap<string, AccountFacts>;
  traffic: ReadonlyMap<string, QueueTraffic>;
  statusOf(target: 'cluster' | 'account', id: string): CaseStatus;
}

export interface QueueIndex {
  readonly clusters: readonly QueueItem[];
  readonly accounts: readonly QueueItem[];
  readonly clusterById: ReadonlyMap<string, ClusterFinding>;
  readonly clusterOfAccount: ReadonlyMap<string, string>;
  readonly accountById: ReadonlyMap<string, QueueItem>;
  readonly builtAt: number;
  /** Changes when what the top of either list shows changes: what live views poll for. */
  readonly version: string;
}

/** The queue as lists sorted once by score, so a page is a filter over an array and a slice. */
export function buildQueueIndex(source: QueueSource, builtAt: number): QueueIndex {
  const clusterById = new Map<string, ClusterFinding>();
  const clusterOfAccount = new Map<string, string>();
  const clusterTiers = new Map<string, string[]>();
  const clusters = source.clusters.map((cluster): QueueItem => {
    clusterById.set(cluster.cluster_id, cluster);
    for (const accountId of cluster.accounts) clusterOfAccount.set(accountId, cluster.cluster_id);
    const tiers = [...new Set(cluster.accounts.map((id) => source.facts.get(id)?.tier).filter((tier): tier is string => typeof tier === 'string'))].sort();
    clusterTiers.set(cluster.cluster_id, tiers);
    const capability = Object.entries(cluster.capabilities).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    return {
      kind: 'cluster',
      id: cluster.cluster_id,
      score: cluster.score,
      flagged: cluster.flagged,
      status: source.statusOf('cluster', cluster.cluster_id),
      capability,
      tiers,
      first_seen: cluster.first_seen,
      last_seen: cluster.last_seen,
      exchanges: cluster.volume.exchanges,
      accounts: cluster.accounts.length,
      cluster_id: cluster.cluster_id,
      top_evidence: topEvidence(cluster.evidence),
    };
  });
  const accounts: QueueItem[] = [];
  for (const [accountId, assessment] of source.assessments) {
    const traffic = source.traffic.get(accountId);
    const tier = source.facts.get(accountId)?.tier ?? null;
    accounts.push({
      kind: 'account',
      id: accountId,
      score: assessment.score,
      flagged: assessment.flagged,
      status: source.statusOf('account', accountId),
      capability: traffic?.capability ?? null,
      tiers: tier === null ? [] : [tier],
      first_seen: traffic?.firstSeen ?? null,
      last_seen: traffic?.lastSeen ?? null,
      exchanges: traffic?.exchanges ?? 0,
      accounts: 1,
      cluster_id: assessment.clusterId,
      top_evidence: topEvidence(assessment.evidence),
    });
  }
  // Ties broken by the ids' code points: as fixed an order as the locale's, and cheaper over the
  // thousands of accounts that share a low score.
  const byScore = (a: QueueItem, b: QueueItem) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  clusters.sort(byScore);
  accounts.sort(byScore);
  const head = (items: readonly QueueItem[]) => items.slice(0, 200).map((item) => `${item.id}:${item.score.toFixed(4)}:${item.status}`).join(',');
  const version = createHash('sha256').update(`${clusters.length}|${accounts.length}|${head(clusters)}|${head(accounts)}`).digest('hex').slice(0, 16);
  const accountById = new Map(accounts.map((item) => [item.id, item]));
  return { clusters, accounts, clusterById, clusterOfAccount, accountById, builtAt, version };
}

/** One page of the queue and the number of items the filter lets through. */
export function pageQueue(index: QueueIndex, filter: QueueFilter, { limit, offset }: { limit: number; offset: number }): { total: number; items: QueueItem[] } {
  const list = filter.kind === 'cluster' ? index.clusters : index.accounts;
  const items: QueueItem[] = [];
  let total = 0;
  for (const item of list) {
    if (!matches(item, filter, index)) continue;
    if (total >= offset && items.length < limit) items.push(item);
    total++;
  }
  return { total, items };
}

function matches(item: QueueItem, filter: QueueFilter, index: QueueIndex): boolean {
  if (filter.ids !== undefined && !filter.ids.has(item.id)) return false;
  if (filter.status !== undefined && item.status !== filter.status) return false;
  if (filter.flagged !== undefined && item.flagged !== filter.flagged) return false;
  if (filter.minScore !== undefined && item.score < filter.minScore) return false;
  if (filter.maxScore !== undefined && item.score > filter.maxScore) return false;
  if (filter.tier !== undefined && !item.tiers.includes(filter.tier)) return false;
  if (filter.capability !== undefined) {
    if (item.kind === 'cluster') {
      // A cluster often works on several capabilities; a quarter of its traffic counts.
      const share = index.clusterById.get(item.id)?.capabilities[filter.capability] ?? 0;
      if (share < 0.25) return false;
    } else if (item.capability !== filter.capability) {
      return false;
    }
  }
  if (filter.firstSeenFrom !== undefined || filter.firstSeenTo !== undefined) {
    if (item.first_seen === null) return false;
    const first = Date.parse(item.first_seen);
    if (filter.firstSeenFrom !== undefined && first < filter.firstSeenFrom) return false;
    if (filter.firstSeenTo !== undefined && first >= filter.firstSeenTo) return false;
  }
  return true;
}

function topEvidence(evidence: readonly Evidence[]): QueueEvidence[] {
  return evidence.slice(0, 3).map((item) => ({ signal: item.signal, weight: item.weight, detail: item.detail }));
}

export interface ReviewPrecision {
  /** Flagged items with a confirmed or dismissed verdict. */
  reviewed: number;
  confirmed: number;
  /** confirmed / reviewed, null when nothing flagged is reviewed. */
  precision: number | null;
}

/**
 * How often the detector was right about what analysts looked at: among flagged accounts
 * (clusters) that carry a verdict, the share confirmed. An account takes its cluster's verdict
 * when it has none of its own, as decisions do.
 */
export function reviewPrecision(index: QueueIndex, verdictOf: (target: 'account' | 'cluster', id: string) => string | null): { accounts: ReviewPrecision; clusters: ReviewPrecision } {
  const count = (items: readonly QueueItem[], target: 'account' | 'cluster'): ReviewPrecision => {
    let reviewed = 0;
    let confirmed = 0;
    for (const item of items) {
      if (!item.flagged) continue;
      const verdict = verdictOf(target, item.id) ?? (target === 'account' && item.cluster_id !== null ? verdictOf('cluster', item.cluster_id) : null);
      if (verdict !== 'confirmed' && verdict !== 'dismissed') continue;
      reviewed++;
      if (verdict === 'confirmed') confirmed++;
    }
    return { reviewed, confirmed, precision: reviewed === 0 ? null : confirmed / reviewed };
  };
  return { accounts: count(index.accounts, 'account'), clusters: count(index.clusters, 'cluster') };
}
