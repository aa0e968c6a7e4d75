import type { Evidence } from '../../model/findings.js';
import type { LabelRecord } from '../../store/service-tables.js';
import { actionSeverity, ipListed, type DecisionAction, type DecisionPolicy } from './decision-policy.js';
import type { AccountAssessment } from '../engine/engine-contract.js';

export interface DecisionReason {
  /** Stable code: `verdict`, `deny_list`, `allow_list`, `score_band`, `rule`, `evidence`, `no_traffic`. */
  code: string;
  detail: string;
  /** The evidence signal, for `evidence` and `rule` reasons. */
  signal?: string;
}

export interface Decision {
  account_id: string;
  action: DecisionAction;
  score: number;
  flagged: boolean;
  cluster_id: string | null;
  reasons: DecisionReason[];
  policy_version: string;
}

export interface DecisionQuery {
  accountId: string;
  orgId?: string | null;
  clientIp?: string | null;
}

type AccountEntry = AccountAssessment;

const REASON_EVIDENCE_LIMIT = 3;

/**
 * Everything `/v1/decide` reads, held in memory: each account's latest assessment (refreshed
 * as its exchanges are committed and after every relink), the clusters' flags and the
 * analysts' verdicts. Deciding is a few map lookups; it never touches the store or the engine.
 */
export class DecisionBook {
  private readonly accounts = new Map<string, AccountEntry>();
  /** Each account's organisation as its exchanges give it, for the org allow- and deny-lists. */
  private readonly orgs = new Map<string, string>();
  private readonly flaggedClusters = new Set<string>();
  private readonly accountVerdicts = new Map<string, LabelRecord>();
  private readonly clusterVerdicts = new Map<string, LabelRecord>();
  private changes = 0;

  get accountCount(): number {
    return this.accounts.size;
  }

  /** Grows with every change to an assessment, the flagged clusters or a verdict: whether a listing made from the book is still current. */
  get revision(): number {
    return this.changes;
  }

  /** Every account's latest assessment, for listing them (the analysts' queue). */
  assessments(): IterableIterator<[string, AccountAssessment]> {
    return this.accounts.entries();
  }

  setAccount(accountId: string, assessment: AccountAssessment): void {
    this.changes++;
    this.accounts.set(accountId, { score: assessment.score, flagged: assessment.flagged, clusterId: assessment.clusterId, evidence: assessment.evidence });
  }

  setOrg(accountId: string, orgId: string): void {
    this.orgs.set(accountId, orgId);
  }

  setFlaggedClusters(clusterIds: Iterable<string>): void {
    this.changes++;
    this.flaggedClusters.clear();
    for (const id of clusterIds) this.flaggedClusters.add(id);
  }

  /** Applies a verdict; the latest one per target is in force. */
  applyLabel(label: LabelRecord): void {
    const map = label.target === 'account' ? this.accountVerdicts : this.clusterVerdicts;
    const existing = map.get(label.targetId);
    if (existing === undefined || existing.labelId <= label.labelId) {
      map.set(label.targetId, label);
      this.changes++;
    }
  }

  verdictFor(target: 'account' | 'cluster', id: string): LabelRecord | undefined {
    return (target === 'account' ? this.accountVerdicts : this.clusterVerdicts).get(id);
  }

  /**
   * Precedence, strongest first: an analyst's verdict on the account, a verdict on its cluster,
   * the policy's deny-lists, its allow-lists, then the model's score bands and evidence rules
   * (the most severe action among those that match).
   */
  decide(query: DecisionQuery, policy: DecisionPolicy): Decision {
    const entry = this.accounts.get(query.accountId);
    const score = entry?.score ?? 0;
    const clusterId = entry?.clusterId ?? null;
    const orgId = query.orgId ?? this.orgs.get(query.accountId) ?? null;
    const decision = (action: DecisionAction, reasons: DecisionReason[]): Decision => ({
      account_id: query.accountId,
      action,
      score,
      flagged: entry?.flagged ?? false,
      cluster_id: clusterId,
      reasons,
      policy_version: policy.version,
    });

    const accountVerdict = this.accountVerdicts.get(query.accountId);
    if (accountVerdict !== undefined) {
      return decision(policy.document.verdicts[accountVerdict.verdict], [verdictReason(accountVerdict, `account ${query.accountId}`)]);
    }
    const clusterVerdict = clusterId === null ? undefined : this.clusterVerdicts.get(clusterId);
    if (clusterVerdict !== undefined) {
      return decision(policy.document.verdicts[clusterVerdict.verdict], [verdictReason(clusterVerdict, `its cluster ${clusterId}`)]);
    }

    if (policy.denyAccounts.has(query.accountId)) return decision('block', [{ code: 'deny_list', detail: 'the account is on the policy deny-list' }]);
    if (orgId !== null && policy.denyOrgs.has(orgId)) return decision('block', [{ code: 'deny_list', detail: `its organisation ${orgId} is on the policy deny-list` }]);
    const clientIp = query.clientIp ?? null;
    if (ipListed(policy.denyIps, clientIp)) return decision('block', [{ code: 'deny_list', detail: `the client IP ${clientIp} is on the policy deny-list` }]);
    if (policy.allowAccounts.has(query.accountId)) return decision('allow', [{ code: 'allow_list', detail: 'the account is on the policy allow-list' }]);
    if (orgId !== null && policy.allowOrgs.has(orgId)) return decision('allow', [{ code: 'allow_list', detail: `its organisation ${orgId} is on the policy allow-list` }]);
    if (ipListed(policy.allowIps, clientIp)) return decision('allow', [{ code: 'allow_list', detail: `the client IP ${clientIp} is on the policy allow-list` }]);

    if (entry === undefined) return decision('allow', [{ code: 'no_traffic', detail: 'no stored traffic from this account yet' }]);

    let action: DecisionAction = 'allow';
    const reasons: DecisionReason[] = [];
    const band = policy.bands.find((candidate) => score >= candidate.min_score);
    if (band !== undefined && band.action !== 'allow') {
      action = band.action;
      reasons.push({ code: 'score_band', detail: `score ${score.toFixed(2)} is at least ${band.min_score} (${band.action})` });
    }
    for (const rule of policy.document.rules) {
      if (!ruleMatches(rule, entry, score, this.flaggedClusters)) continue;
      if (actionSeverity(rule.action) > actionSeverity(action)) action = rule.action;
      reasons.push({ code: 'rule', detail: `policy rule "${rule.name}" (${rule.action})`, ...(rule.signal ? { signal: rule.signal } : {}) });
    }
    for (const evidence of entry.evidence.slice(0, REASON_EVIDENCE_LIMIT)) reasons.push({ code: 'evidence', signal: evidence.signal, detail: evidence.detail });
    if (reasons.length === 0) reasons.push({ code: 'score_band', detail: `score ${score.toFixed(2)} is below every band` });
    return decision(action, reasons);
  }
}

function verdictReason(label: LabelRecord, what: string): DecisionReason {
  return {
    code: 'verdict',
    detail: `an analyst ${label.verdict} ${what} (label ${label.labelId}, ${new Date(label.createdAt).toISOString()})${label.note ? `: ${label.note}` : ''}`,
  };
}

function ruleMatches(
  rule: DecisionPolicy['document']['rules'][number],
  entry: AccountEntry,
  score: number,
  flaggedClusters: ReadonlySet<string>,
): boolean {
  if (rule.min_score !== undefined && score < rule.min_score) return false;
  if (rule.flagged !== undefined && entry.flagged !== rule.flagged) return false;
  if (rule.in_flagged_cluster !== undefined) {
    const inFlagged = entry.clusterId !== null && flaggedClusters.has(entry.clusterId);
    if (inFlagged !== rule.in_flagged_cluster) return false;
  }
  if (rule.signal !== undefined && !hasSignal(entry.evidence, rule.signal, rule.min_weight)) return false;
  return true;
}

function hasSignal(evidence: readonly Evidence[], signal: string, minWeight: number): boolean {
  return evidence.some((item) => item.signal === signal && item.weight >= minWeight);
}
