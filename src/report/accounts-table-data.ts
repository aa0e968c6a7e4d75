import type { AccountFinding } from '../model/findings.js';
import { truncate } from './report-format.js';
import { InternTable } from '../util/growing-column.js';

/**
 * The accounts table's data, embedded in the report as one JSON blob and drawn a page at a time
 * by the page script: 150,000 accounts as DOM rows would make the file huge and the browser
 * crawl. Rows are arrays and repeated strings (signals, clusters, tiers, evidence details) are
 * stored once and referred to by index, which keeps the blob to roughly a third of plain objects.
 * The page script reads exactly this layout (`report-script.ts`); change both together.
 */
export interface AccountsTableData {
  signals: string[];
  /** Cluster ids; index i < `clusterCount` has a detail view with anchor `c-{i}` (rank order). */
  clusters: string[];
  clusterCount: number;
  tiers: string[];
  /** Evidence details, each stored once. */
  texts: string[];
  rows: AccountRow[];
}

/** [account id, score × 1000, flagged 0|1, cluster index or -1, exchanges, tier index or -1, evidence, evidence items in the findings]. */
export type AccountRow = [string, number, 0 | 1, number, number, number, EvidenceCell[], number];
/** [signal index, weight × 100, text index]. */
export type EvidenceCell = [number, number, number];

export interface AccountsTableOptions {
  /** Evidence items kept per account, highest weight first. */
  evidencePerAccount: number;
  /** Longest evidence detail kept, in characters. */
  evidenceChars: number;
}

export function buildAccountsTableData(accounts: readonly AccountFinding[], rankedClusterIds: readonly string[], options: AccountsTableOptions): AccountsTableData {
  const clusters = new InternTable<string>();
  for (const id of rankedClusterIds) clusters.idOf(id);
  const signals = new InternTable<string>();
  const tiers = new InternTable<string>();
  const texts = new InternTable<string>();
  const rows: AccountRow[] = accounts.map((account) => {
    const evidence = [...account.evidence]
      .sort((a, b) => b.weight - a.weight)
      .slice(0, options.evidencePerAccount)
      .map((item): EvidenceCell => [signals.idOf(item.signal), Math.round(item.weight * 100), texts.idOf(truncate(item.detail, options.evidenceChars))]);
    return [
      account.account_id,
      Math.round(account.score * 1000),
      account.flagged ? 1 : 0,
      account.cluster_id === null ? -1 : clusters.idOf(account.cluster_id),
      account.volume?.exchanges ?? 0,
      account.tier === null || account.tier === undefined ? -1 : tiers.idOf(account.tier),
      evidence,
      account.evidence.length,
    ];
  });
  return { signals: signals.values, clusters: clusters.values, clusterCount: rankedClusterIds.length, tiers: tiers.values, texts: texts.values, rows };
}
