import type { AccountLabel } from './labels-parser.js';

/** An analyst's verdict as the service stores it (see `service_labels`). */
export interface RecordedVerdict {
  labelId: number;
  target: 'account' | 'cluster';
  targetId: string;
  verdict: 'confirmed' | 'dismissed';
}

/** Persona of every label made from a verdict: eval reports them as one group. */
export const VERDICT_PERSONA = 'analyst_verdict';

/**
 * Analysts' verdicts as account labels for `eval`: the latest verdict per target is the one in
 * force; a cluster verdict labels the members the cluster had when it was given, and an
 * account's own verdict wins over its cluster's, as decisions do. Confirmed accounts are
 * attacks in a campaign named after their cluster (or the account), dismissed ones benign.
 *
 * @example labelsFromVerdicts(verdicts, new Map([[7, ['acct_1', 'acct_2']]])) // members by label id
 */
export function labelsFromVerdicts(
  verdicts: readonly RecordedVerdict[],
  membersByLabelId: ReadonlyMap<number, readonly string[]>,
): { labels: AccountLabel[]; clustersWithoutMembers: string[] } {
  const latest = new Map<string, RecordedVerdict>();
  for (const verdict of [...verdicts].sort((a, b) => a.labelId - b.labelId)) latest.set(`${verdict.target}:${verdict.targetId}`, verdict);
  const byAccount = new Map<string, AccountLabel>();
  const clustersWithoutMembers: string[] = [];
  const label = (accountId: string, verdict: RecordedVerdict, campaign: string): AccountLabel =>
    verdict.verdict === 'confirmed'
      ? { account_id: accountId, label: 'attack', campaign, persona: VERDICT_PERSONA }
      : { account_id: accountId, label: 'benign', campaign: null, persona: VERDICT_PERSONA };
  for (const verdict of latest.values()) {
    if (verdict.target !== 'cluster') continue;
    const members = membersByLabelId.get(verdict.labelId);
    if (members === undefined) {
      clustersWithoutMembers.push(verdict.targetId);
      continue;
    }
    for (const accountId of members) byAccount.set(accountId, label(accountId, verdict, verdict.targetId));
  }
  for (const verdict of latest.values()) {
    if (verdict.target === 'account') byAccount.set(verdict.targetId, label(verdict.targetId, verdict, byAccount.get(verdict.targetId)?.campaign ?? verdict.targetId));
  }
  return { labels: [...byAccount.values()].sort((a, b) => a.account_id.localeCompare(b.account_id)), clustersWithoutMembers };
}
