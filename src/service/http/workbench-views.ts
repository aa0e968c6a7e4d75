import type { AccountFinding, ClusterFinding, Evidence } from '../../model/findings.js';
import type { AccountFacts, ExchangeFilter, TimelineRow, TraitKind, TraitUse } from '../../store/workbench-queries.js';
import { CAPABILITIES, CONTENT_FLAG, VERDICT_FLAGS } from '../../features/index.js';
import { DETECTOR_REGISTRY, parseDetectionConfig } from '../../scoring/index.js';

const DETECTION = parseDetectionConfig();
const DETECTORS = new Map(DETECTOR_REGISTRY.map((detector) => [detector.signal, detector]));

/**
 * How the engine turns evidence into a score, in its own terms: the words come from the
 * detection config in force, so they change when it does.
 */
export const SCORE_EXPLANATION =
  `Each evidence weight is in log-odds. The score is the logistic of a prior (${DETECTION.scoring.priorLogOdds}) plus the evidence, ` +
  `combined family by family: inside a family the strongest item counts fully and each next one is discounted ` +
  `(factor ${DETECTION.scoring.familyDecay}), so the weights do not simply add up. Negative weights are mitigations. ` +
  `An account is flagged at ${DETECTION.thresholds.account}, a cluster at ${DETECTION.thresholds.cluster}.`;

export interface EvidenceView {
  signal: string;
  weight: number;
  detail: string;
  value: number | null;
  examples: string[];
  family: string | null;
  description: string | null;
  /** Whether the exchanges behind it can be picked out; otherwise the link shows all of them. */
  exchange_filter: string;
}

export function evidenceView(item: Evidence): EvidenceView {
  const detector = DETECTORS.get(item.signal);
  return {
    signal: item.signal,
    weight: item.weight,
    detail: item.detail,
    value: item.value ?? null,
    examples: item.examples ?? [],
    family: detector?.family ?? null,
    description: detector?.description ?? null,
    exchange_filter: describeExchangeFilter(item.signal),
  };
}

/** The content flag each elicitation detector counts (`follow_up_probes` counts any ask). */
const CONTENT_SIGNALS: Record<string, number> = {
  cot_elicitation: CONTENT_FLAG.cotElicitation | CONTENT_FLAG.systemCot,
  rubric_grading: CONTENT_FLAG.rubricGrading | CONTENT_FLAG.systemRubric,
  explain_answer: CONTENT_FLAG.explainAnswer,
  safe_rewrite: CONTENT_FLAG.safeRewrite,
  follow_up_probes: VERDICT_FLAGS,
};

/** Which of an account's exchanges back an evidence item, from what the store keeps per exchange. */
export function exchangeFilterFor(signal: string | undefined, cluster: ClusterFinding | undefined): ExchangeFilter {
  if (signal === undefined) return {};
  const flags = CONTENT_SIGNALS[signal];
  if (flags !== undefined) return { contentFlags: flags };
  if (signal === 'evaluation_repeats') return { repeatedPrompts: true };
  if ((signal === 'shared_network' || signal === 'exit_pool') && cluster !== undefined) return { clientSubnets: cluster.indicators.subnets };
  if (signal === 'shared_client' && cluster !== undefined) return { userAgents: cluster.indicators.user_agents };
  if (signal === 'new_model_wave' && cluster !== undefined) {
    const newest = Object.keys(cluster.models).sort().slice(-1);
    return newest.length === 0 ? {} : { models: newest };
  }
  return {};
}

function describeExchangeFilter(signal: string): string {
  if (CONTENT_SIGNALS[signal] !== undefined) return `exchanges whose prompt carries the elicitation ask it counts (${signal.replaceAll('_', ' ')})`;
  if (signal === 'evaluation_repeats') return 'exchanges whose exact prompt the account sent more than once';
  if (signal === 'shared_network' || signal === 'exit_pool') return "exchanges from the cluster's shared subnets";
  if (signal === 'shared_client') return "exchanges with the cluster's shared user agents";
  if (signal === 'new_model_wave') return "exchanges to the cluster's newest model";
  return 'all of the account’s exchanges (this evidence is about the account as a whole)';
}

/** Why a cluster is or is not flagged, in one sentence. */
export function flagReason(score: number, flagged: boolean, evidence: readonly Evidence[], threshold = DETECTION.thresholds.cluster): string {
  const strongest = evidence.filter((item) => item.weight > 0).slice(0, 2).map((item) => item.signal.replaceAll('_', ' '));
  if (flagged) return `flagged: score ${score.toFixed(2)} ≥ ${threshold}${strongest.length > 0 ? `, mostly from ${strongest.join(' and ')}` : ''}`;
  const mitigations = evidence.filter((item) => item.weight < 0).slice(0, 2).map((item) => item.signal.replaceAll('_', ' '));
  return `not flagged: score ${score.toFixed(2)} < ${threshold}${strongest.length > 0 ? `; ${strongest.join(' and ')} were not enough` : '; no evidence against it'}${mitigations.length > 0 ? `, and ${mitigations.join(' and ')} count for it` : ''}`;
}

export const CLUSTER_THRESHOLD = DETECTION.thresholds.cluster;

export interface GraphNode {
  id: string;
  kind: 'account' | TraitKind | 'payment' | 'signup_ip';
  label: string;
  score?: number;
  flagged?: boolean;
}

export interface GraphEdge {
  source: string;
  target: string;
  kind: string;
  /** Why the edge is there, with the count behind it. */
  explanation: string;
  exchanges: number | null;
}

const TRAIT_WORDS: Record<TraitKind, string> = { ip: 'IP', subnet: 'subnet', user_agent: 'user agent', tls_fingerprint: 'TLS fingerprint' };

/**
 * The cluster as a graph: member accounts and the traits at least two of them share (network,
 * client, card, sign-up IP), one edge per account and trait saying how it was seen.
 */
export function clusterGraph(
  members: readonly { account_id: string; score: number; flagged: boolean }[],
  traitUse: readonly TraitUse[],
  facts: ReadonlyMap<string, AccountFacts>,
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = members.map((member) => ({ id: `account:${member.account_id}`, kind: 'account', label: member.account_id, score: member.score, flagged: member.flagged }));
  const candidateEdges: GraphEdge[] = traitUse.map((use) => ({
    source: `account:${use.accountId}`,
    target: `${use.kind}:${use.value}`,
    kind: use.kind,
    explanation: `${use.accountId} sent ${use.exchanges} exchange${use.exchanges === 1 ? '' : 's'} from ${TRAIT_WORDS[use.kind]} ${use.value}`,
    exchanges: use.exchanges,
  }));
  for (const member of members) {
    const fact = facts.get(member.account_id);
    if (fact?.paymentFingerprint) {
      candidateEdges.push({ source: `account:${member.account_id}`, target: `payment:${fact.paymentFingerprint}`, kind: 'payment', explanation: `${member.account_id} pays with card fingerprint ${fact.paymentFingerprint}`, exchanges: null });
    }
    if (fact?.signupIp) {
      candidateEdges.push({ source: `account:${member.account_id}`, target: `signup_ip:${fact.signupIp}`, kind: 'signup_ip', explanation: `${member.account_id} signed up from ${fact.signupIp}`, exchanges: null });
    }
  }
  const degree = new Map<string, number>();
  for (const edge of candidateEdges) degree.set(edge.target, (degree.get(edge.target) ?? 0) + 1);
  const edges = candidateEdges.filter((edge) => (degree.get(edge.target) ?? 0) >= 2);
  const traitNodes = new Map<string, GraphNode>();
  for (const edge of edges) {
    if (traitNodes.has(edge.target)) continue;
    const value = edge.target.slice(edge.target.indexOf(':') + 1);
    traitNodes.set(edge.target, { id: edge.target, kind: edge.kind as GraphNode['kind'], label: `${edge.kind.replaceAll('_', ' ')} ${value} (${degree.get(edge.target)} accounts)` });
  }
  return { nodes: [...nodes, ...traitNodes.values()], edges };
}

/** Timeline rows with capability codes named. */
export function namedCapabilityRows(rows: readonly TimelineRow[]): { day: string; key: string; exchanges: number }[] {
  return rows.map((row) => ({ day: new Date(row.day).toISOString().slice(0, 10), key: CAPABILITIES[Number(row.key)] ?? row.key, exchanges: row.exchanges }));
}

export function namedRows(rows: readonly TimelineRow[]): { day: string; key: string; exchanges: number }[] {
  return rows.map((row) => ({ day: new Date(row.day).toISOString().slice(0, 10), key: row.key, exchanges: row.exchanges }));
}

export function capabilityName(code: number | null): string | null {
  return code === null ? null : (CAPABILITIES[code] ?? String(code));
}

export function accountSummary(account: AccountFinding): Omit<AccountFinding, 'evidence'> {
  const { evidence: _evidence, ...rest } = account;
  return rest;
}
