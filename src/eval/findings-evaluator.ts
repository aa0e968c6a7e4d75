import type { AccountLabel } from './labels-parser.js';
import type { FindingsForEvaluation } from './findings-reader.js';
import { adjustedRandIndex, contingencyTable, purity } from './partition-agreement.js';
import { averagePrecision, binaryMetrics, confusionCounts, ratio } from './ranking-metrics.js';

/**
 * Benign personas that look like attacks to a naive detector: one template at huge volume,
 * benchmark prompts in bursts, many IPs and end users, a campus network with a sign-up burst,
 * reasoning evaluations with elicitation and big thinking budgets, agent loops relayed for many
 * end users, a fleet of bot accounts of one org in lockstep, the same prompt sampled many times.
 * Keep in sync with the hard negatives of the simulator (`src/sim/benign-population.ts` and
 * `src/sim/hard-negative-population.ts`).
 */
export const HARD_NEGATIVE_PERSONAS: readonly string[] = [
  'batch_pipeline',
  'eval_harness',
  'reseller',
  'classroom',
  'research_lab',
  'agent_platform',
  'support_fleet',
  'sampling_benchmark',
  'accessibility_app',
  'document_pipeline',
  'browser_automation',
  'tutoring_app',
  'translation_agency',
  'synthetic_data_team',
];

export interface EvaluationOptions {
  /** Personas whose false-positive rate is also reported together. */
  hardNegativePersonas?: readonly string[];
}

export interface PersonaEvaluation {
  persona: string;
  label: 'attack' | 'benign';
  hard_negative: boolean;
  accounts: number;
  flagged: number;
  /** flagged / accounts: the false-positive rate for a benign persona, the recall for an attack one. */
  flagged_share: number | null;
  /** Accounts that sent nothing in the store's window (findings `volume.exchanges` 0). */
  silent: number;
  /** flagged / accounts over the accounts that sent traffic: what the traffic could speak to. */
  flagged_share_with_traffic: number | null;
}

export interface CampaignEvaluation {
  campaign: string;
  /** Personas (campaign kinds) its accounts carry. */
  personas: string[];
  accounts: number;
  flagged: number;
  recall: number | null;
  /** Its accounts that sent nothing in the store's window: only their sign-up details can link them. */
  silent: number;
  /** Recall over its accounts that sent traffic. */
  recall_with_traffic: number | null;
  /** Share of its exchanges sent by flagged accounts: how much of the harvest the flags cover. */
  exchange_recall: number | null;
  /** Flagged clusters that hold at least one of its accounts (an account's `cluster_id`). */
  clusters: number;
  /** Share of its accounts in the one flagged cluster that holds most of them. */
  largest_cluster_share: number | null;
  /** Its accounts in no flagged cluster (linked to an unflagged one, or to none: see `missed`). */
  unclustered: number;
  /**
   * Its accounts that sent traffic and were not flagged, by where the miss happened: linked to no
   * cluster at all (linking found nothing to tie them by), in a cluster that was not flagged (the
   * cluster's evidence fell short), or in a flagged cluster but tied to it too weakly, or shown
   * too little of their own, to take its evidence (membership fell short).
   */
  missed: MissedAccounts;
}

/** Where a campaign's unflagged accounts with traffic sit (`CampaignEvaluation.missed`). */
export interface MissedAccounts {
  unlinked: number;
  in_unflagged_cluster: number;
  in_flagged_cluster: number;
}

/** The measures of DESIGN.md ("Measures", detection) for one findings document against labels. */
export interface Evaluation {
  findings: { generated_at: string | null; account_threshold: number | null; cluster_threshold: number | null };
  counts: {
    findings_accounts: number;
    labelled_accounts: number;
    attack_accounts: number;
    benign_accounts: number;
    /** Labelled accounts that sent nothing in the store's window (known when the findings carry `volume`). */
    silent_accounts: number;
    /** Labelled accounts absent from the findings; they count as not flagged with score 0. */
    missing_from_findings: number;
    /** Accounts in the findings without a label; they are left out of every measure. */
    unlabelled_in_findings: number;
    flagged_accounts: number;
  };
  accounts: {
    true_positives: number;
    false_positives: number;
    false_negatives: number;
    true_negatives: number;
    precision: number | null;
    recall: number | null;
    /** Recall over the attack accounts that sent traffic (findings `volume.exchanges` above 0). */
    recall_with_traffic: number | null;
    f1: number | null;
    /** Average precision over account scores (ties enter together). */
    pr_auc: number | null;
    /** The PR-AUC of a detector that scores at random: the share of attack accounts. */
    pr_auc_baseline: number | null;
    false_positive_rate: number | null;
    hard_negative_false_positive_rate: number | null;
  };
  personas: PersonaEvaluation[];
  campaigns: CampaignEvaluation[];
  clusters: {
    detected: number;
    flagged: number;
    /** Labelled accounts that sit in some detected cluster (the accounts purity is taken over). */
    clustered_accounts: number;
    /** Purity of detected clusters; true classes are the campaigns plus one class `benign`. */
    purity: number | null;
    /** The same, over flagged clusters only: how clean what would be acted on is. */
    flagged_purity: number | null;
    benign_in_flagged_clusters: number;
    /** ARI over all labelled accounts: campaigns as classes, each benign account its own class. */
    ari: number | null;
    /** ARI over attack accounts only: are campaigns kept whole and apart from each other. */
    ari_attack_only: number | null;
    /** ARI over every linked cluster, flagged or not (`linked_cluster_id`). */
    ari_all_clusters: number | null;
  };
  warnings: string[];
}

interface Joined {
  label: AccountLabel;
  score: number;
  flagged: boolean;
  /** The account's flagged cluster. */
  clusterId: string | null;
  /** The account's cluster, flagged or not. */
  linkedClusterId: string | null;
  /** Exchanges it sent in the store's window; null when the findings do not say. */
  exchanges: number | null;
}

/**
 * Scores a findings document against labels. Every labelled account takes part; the operating
 * threshold is the findings' own `flagged`. Cluster measures, defined to answer two questions:
 *
 * - Purity (is what a cluster holds one thing?): over labelled accounts inside a detected cluster,
 *   true class = the account's campaign, or one shared class `benign` for all benign accounts,
 *   so a cluster of unrelated legitimate customers counts as pure and a cluster that mixes
 *   benign accounts into a campaign (or two campaigns) does not.
 * - Adjusted Rand index (does each campaign come out as one cluster?): over all labelled
 *   accounts, true class = campaign for attack accounts and a singleton per benign account
 *   (benign accounts are not a group and should not be clustered together); detected cluster =
 *   `cluster_id` (the account's flagged cluster: what would be acted on), or a singleton for an
 *   account in no flagged cluster. `ari_all_clusters` counts every linked cluster instead. `ari_attack_only` takes the
 *   attack accounts alone, isolating how campaigns are split or merged.
 *
 * @example const evaluation = evaluateFindings(findings, parseLabels(text, 'labels.jsonl'));
 */
export function evaluateFindings(findings: FindingsForEvaluation, labels: readonly AccountLabel[], options: EvaluationOptions = {}): Evaluation {
  const hardNegatives = new Set(options.hardNegativePersonas ?? HARD_NEGATIVE_PERSONAS);
  const warnings: string[] = [];
  const byAccount = new Map<string, FindingsForEvaluation['accounts'][number]>();
  for (const account of findings.accounts) if (!byAccount.has(account.account_id)) byAccount.set(account.account_id, account);

  const labelled = new Set<string>();
  const missing: string[] = [];
  const joined: Joined[] = labels.map((label) => {
    labelled.add(label.account_id);
    const account = byAccount.get(label.account_id);
    if (account === undefined) {
      missing.push(label.account_id);
      return { label, score: 0, flagged: false, clusterId: null, linkedClusterId: null, exchanges: null };
    }
    return {
      label,
      score: account.score,
      flagged: account.flagged,
      clusterId: account.cluster_id,
      linkedClusterId: account.cluster_id ?? account.linked_cluster_id ?? null,
      exchanges: account.volume?.exchanges ?? null,
    };
  });
  let unlabelled = 0;
  for (const id of byAccount.keys()) if (!labelled.has(id)) unlabelled += 1;
  if (missing.length > 0) {
    warnings.push(
      `${missing.length} labelled account${missing.length === 1 ? ' is' : 's are'} missing from the findings (every input account should appear): ` +
        `${sample(missing)}; counted as not flagged with score 0`,
    );
  }
  if (unlabelled > 0) warnings.push(`${unlabelled} account${unlabelled === 1 ? '' : 's'} in the findings ${unlabelled === 1 ? 'has' : 'have'} no label and ${unlabelled === 1 ? 'is' : 'are'} left out of the measures`);
  warnings.push(...checkClusterMembership(findings));

  const isAttack = (entry: Joined) => entry.label.label === 'attack';
  const counts = binaryMetrics(confusionCounts(joined.map((entry) => ({ flagged: entry.flagged, positive: isAttack(entry) }))));
  const attackAccounts = joined.filter(isAttack).length;
  const attackTally = emptyTally();
  for (const entry of joined) if (isAttack(entry)) countInto(attackTally, entry);
  const benign = joined.filter((entry) => !isAttack(entry));
  const hardBenign = benign.filter((entry) => hardNegatives.has(entry.label.persona));

  const flaggedClusters = new Set(findings.clusters.filter((cluster) => cluster.flagged).map((cluster) => cluster.cluster_id));
  const clustered = joined.filter((entry) => entry.clusterId !== null);
  const trueClass = (entry: Joined) => (isAttack(entry) ? `campaign:${entry.label.campaign}` : 'benign');
  const purityTable = (entries: Joined[]) => contingencyTable(entries.map((entry) => ({ truth: trueClass(entry), predicted: entry.clusterId! })));
  const inFlagged = clustered.filter((entry) => flaggedClusters.has(entry.clusterId!));
  const randPair = (entry: Joined) => ({
    truth: isAttack(entry) ? `campaign:${entry.label.campaign}` : `benign:${entry.label.account_id}`,
    predicted: entry.clusterId === null ? `single:${entry.label.account_id}` : `cluster:${entry.clusterId}`,
  });

  return {
    findings: {
      generated_at: findings.generated_at ?? null,
      account_threshold: findings.thresholds?.account ?? null,
      cluster_threshold: findings.thresholds?.cluster ?? null,
    },
    counts: {
      findings_accounts: byAccount.size,
      labelled_accounts: joined.length,
      attack_accounts: attackAccounts,
      benign_accounts: benign.length,
      silent_accounts: joined.filter(isSilent).length,
      missing_from_findings: missing.length,
      unlabelled_in_findings: unlabelled,
      flagged_accounts: counts.truePositives + counts.falsePositives,
    },
    accounts: {
      true_positives: counts.truePositives,
      false_positives: counts.falsePositives,
      false_negatives: counts.falseNegatives,
      true_negatives: counts.trueNegatives,
      precision: counts.precision,
      recall: counts.recall,
      recall_with_traffic: shareWithTraffic(attackTally),
      f1: counts.f1,
      pr_auc: averagePrecision(joined.map((entry) => ({ score: entry.score, positive: isAttack(entry) }))),
      pr_auc_baseline: attackAccounts === 0 ? null : ratio(attackAccounts, joined.length),
      false_positive_rate: counts.falsePositiveRate,
      hard_negative_false_positive_rate: ratio(hardBenign.filter((entry) => entry.flagged).length, hardBenign.length),
    },
    personas: evaluatePersonas(joined, hardNegatives),
    campaigns: evaluateCampaigns(joined.filter(isAttack), flaggedClusters),
    clusters: {
      detected: findings.clusters.length,
      flagged: flaggedClusters.size,
      clustered_accounts: clustered.length,
      purity: purity(purityTable(clustered)),
      flagged_purity: purity(purityTable(inFlagged)),
      benign_in_flagged_clusters: inFlagged.filter((entry) => !isAttack(entry)).length,
      ari: joined.length === 0 ? null : adjustedRandIndex(contingencyTable(joined.map(randPair))),
      ari_attack_only: attackAccounts === 0 ? null : adjustedRandIndex(contingencyTable(joined.filter(isAttack).map(randPair))),
      ari_all_clusters:
        joined.length === 0
          ? null
          : adjustedRandIndex(
              contingencyTable(joined.map((entry) => ({ ...randPair(entry), predicted: entry.linkedClusterId === null ? `single:${entry.label.account_id}` : `cluster:${entry.linkedClusterId}` }))),
            ),
    },
    warnings,
  };
}

/** Accounts of one group, flagged or not, and the same over those that sent traffic. */
interface FlagTally {
  accounts: number;
  flagged: number;
  silent: number;
  flaggedWithTraffic: number;
}

const emptyTally = (): FlagTally => ({ accounts: 0, flagged: 0, silent: 0, flaggedWithTraffic: 0 });

function countInto(tally: FlagTally, entry: Joined): void {
  tally.accounts += 1;
  if (entry.flagged) tally.flagged += 1;
  if (isSilent(entry)) tally.silent += 1;
  else if (entry.flagged) tally.flaggedWithTraffic += 1;
}

const shareWithTraffic = (tally: FlagTally) => ratio(tally.flaggedWithTraffic, tally.accounts - tally.silent);

function evaluatePersonas(joined: Joined[], hardNegatives: Set<string>): PersonaEvaluation[] {
  const groups = new Map<string, { label: AccountLabel; tally: FlagTally }>();
  for (const entry of joined) {
    const key = `${entry.label.label}\u0000${entry.label.persona}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { label: entry.label, tally: emptyTally() }));
    countInto(group.tally, entry);
  }
  const personas = [...groups.values()].map(({ label, tally }) => ({
    persona: label.persona,
    label: label.label,
    hard_negative: label.label === 'benign' && hardNegatives.has(label.persona),
    accounts: tally.accounts,
    flagged: tally.flagged,
    flagged_share: ratio(tally.flagged, tally.accounts),
    silent: tally.silent,
    flagged_share_with_traffic: shareWithTraffic(tally),
  }));
  // Benign first (false positives are what the analyst reads first), then attack; by name inside.
  return personas.sort((a, b) => (a.label === b.label ? compareText(a.persona, b.persona) : a.label === 'benign' ? -1 : 1));
}

function evaluateCampaigns(attack: Joined[], flaggedClusters: ReadonlySet<string>): CampaignEvaluation[] {
  interface Group {
    personas: Set<string>;
    tally: FlagTally;
    /** Exchanges of all its accounts and of the flagged ones; null once an account's volume is unknown. */
    exchanges: number | null;
    flaggedExchanges: number;
    unclustered: number;
    clusters: Map<string, number>;
    missed: MissedAccounts;
  }
  const groups = new Map<string, Group>();
  for (const entry of attack) {
    const name = entry.label.campaign!;
    let group = groups.get(name);
    if (group === undefined) groups.set(name, (group = { personas: new Set(), tally: emptyTally(), exchanges: 0, flaggedExchanges: 0, unclustered: 0, clusters: new Map(), missed: { unlinked: 0, in_unflagged_cluster: 0, in_flagged_cluster: 0 } }));
    group.personas.add(entry.label.persona);
    countInto(group.tally, entry);
    if (entry.exchanges === null) group.exchanges = null;
    else if (group.exchanges !== null) {
      group.exchanges += entry.exchanges;
      if (entry.flagged) group.flaggedExchanges += entry.exchanges;
    }
    if (entry.clusterId === null) group.unclustered += 1;
    else group.clusters.set(entry.clusterId, (group.clusters.get(entry.clusterId) ?? 0) + 1);
    if (!entry.flagged && !isSilent(entry)) {
      if (entry.linkedClusterId === null) group.missed.unlinked += 1;
      else if (flaggedClusters.has(entry.linkedClusterId)) group.missed.in_flagged_cluster += 1;
      else group.missed.in_unflagged_cluster += 1;
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([campaign, { personas, tally, exchanges, flaggedExchanges, clusters, unclustered, missed }]) => ({
      campaign,
      personas: [...personas].sort(compareText),
      accounts: tally.accounts,
      flagged: tally.flagged,
      recall: ratio(tally.flagged, tally.accounts),
      silent: tally.silent,
      recall_with_traffic: shareWithTraffic(tally),
      exchange_recall: exchanges === null ? null : ratio(flaggedExchanges, exchanges),
      clusters: clusters.size,
      largest_cluster_share: clusters.size === 0 ? 0 : ratio(Math.max(...clusters.values()), tally.accounts),
      unclustered,
      missed,
    }));
}

/**
 * Accounts' `cluster_id` (their flagged cluster) is what the measures use; a member list that
 * disagrees with the accounts' cluster (`cluster_id`, or `linked_cluster_id` for an unflagged
 * one) is worth a warning.
 */
function checkClusterMembership(findings: FindingsForEvaluation): string[] {
  const clusterOf = new Map<string, string | null>();
  for (const account of findings.accounts) clusterOf.set(account.account_id, account.cluster_id ?? account.linked_cluster_id ?? null);
  const known = new Set(findings.clusters.map((cluster) => cluster.cluster_id));
  let disagreeing = 0;
  for (const cluster of findings.clusters) {
    for (const member of cluster.accounts) if (clusterOf.get(member) !== cluster.cluster_id) disagreeing += 1;
  }
  let unknown = 0;
  for (const clusterId of clusterOf.values()) if (clusterId !== null && !known.has(clusterId)) unknown += 1;
  const warnings: string[] = [];
  if (disagreeing > 0) warnings.push(`${disagreeing} cluster member${disagreeing === 1 ? '' : 's'} listed under a cluster whose account entry names another cluster (or is missing); the accounts' cluster_id is used`);
  if (unknown > 0) warnings.push(`${unknown} account${unknown === 1 ? '' : 's'} name a cluster_id that is not in clusters; treated as an unflagged cluster`);
  return warnings;
}

/** Sent nothing in the store's window. Unknown volume (older findings) counts as traffic. */
function isSilent(entry: Joined): boolean {
  return entry.exchanges === 0;
}

function sample(ids: string[]): string {
  const shown = ids.slice(0, 3).map((id) => JSON.stringify(id)).join(', ');
  return ids.length > 3 ? `${shown}, …` : shown;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
