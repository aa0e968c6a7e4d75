import type { AccountTier } from '../model/account.js';
import { actionSeverity, DECISION_ACTIONS, type DecisionAction } from '../service/decisions/decision-policy.js';
import { STOP_SEVERITY, type AccountOutcome } from './policy-tally.js';
import { firstAtOrAbove } from '../util/sorted-search.js';

/** What is known afterwards about an account: an analyst's verdict, or a labels file. */
export interface AccountTruth {
  /** Confirmed (or labelled attack): the account should have been acted on. */
  positive: boolean;
  /** The campaign (labels file) or the confirmed cluster (verdict) it belongs to. */
  campaign: string | null;
  /** Where the truth came from: `verdict` or `labels`. */
  source: 'verdict' | 'labels';
}

export interface AccountFacts {
  orgId: string | null;
  tier: AccountTier | null;
}

/** Tiers whose accounts a team wants named before it acts on them. */
export const WATCHED_TIERS: readonly AccountTier[] = ['enterprise', 'education', 'research'];

const ACTED = ['throttle', 'step_up', 'block'] as const;
type ActedAction = (typeof ACTED)[number];

export interface ActionCount {
  /** Accounts whose most severe action over the window was this one. */
  accounts: number;
  /** Exchanges that got this action. */
  exchanges: number;
}

/** One action judged against the truth: accounts that got it or something more severe. */
export interface ActionQuality {
  accounts: number;
  /** Of them: confirmed or labelled attack. */
  true_positives: number;
  /** Of them: dismissed or labelled benign. */
  false_positives: number;
  /** Of them: nothing known. */
  unlabelled: number;
  /** tp / (tp + fp), null when no labelled account got the action. */
  precision: number | null;
  /** tp / labelled-positive accounts with traffic in the window, null when there are none. */
  recall: number | null;
}

export interface CampaignOutcome {
  campaign: string;
  accounts: number;
  /** Accounts with exchanges in the window. */
  active_accounts: number;
  /** Accounts stepped up or blocked at least once. */
  stopped_accounts: number;
  exchanges: number;
  first_exchange_at: string | null;
  /** When the first of its accounts was stepped up or blocked. */
  first_stopped_at: string | null;
  /** Its exchanges sent before that moment, and their share of its volume. */
  before_first_stop: number;
  before_first_stop_share: number | null;
  /** Its exchanges that were allowed or throttled (never stopped), and their share. */
  passed: number;
  passed_share: number | null;
}

export interface AccountAtRisk {
  account_id: string;
  org_id: string | null;
  tier: AccountTier | null;
  max_action: DecisionAction;
  exchanges: number;
  /** Exchanges throttled, stepped up or blocked. */
  acted_exchanges: number;
  stopped_at: string | null;
  truth: 'positive' | 'negative' | null;
}

export interface OrgAtRisk {
  org_id: string;
  /** Accounts in the organisation (account records and traffic). */
  accounts: number;
  /** Its accounts by the most severe action they got. */
  hit: Record<ActedAction, number>;
  /** Its exchanges throttled, stepped up or blocked. */
  acted_exchanges: number;
}

export interface FirstStop {
  account_id: string;
  org_id: string | null;
  tier: AccountTier | null;
  stopped_at: string;
  blocked_at: string | null;
  /** Exchanges it sent in the window before it was stopped. */
  exchanges_before: number;
  reason: string | null;
  truth: 'positive' | 'negative' | null;
}

export interface PolicyReport {
  name: string;
  /** The policy file, or `default` for the built-in policy. */
  source: string;
  version: string;
  actions: Record<DecisionAction, ActionCount>;
  quality: Record<ActedAction, ActionQuality>;
  campaigns: CampaignOutcome[];
  at_risk: { orgs: OrgAtRisk[]; accounts: AccountAtRisk[] };
  first_stops: FirstStop[];
}

export interface PolicyReportInput {
  name: string;
  source: string;
  version: string;
  outcomes: ReadonlyMap<string, AccountOutcome>;
}

export interface ReportOptions {
  /** Organisations listed at most (the largest first). */
  topOrgs?: number;
}

/**
 * Judges one policy's replayed decisions: counts per action, precision and recall of each
 * action against what is known (`truth`), each campaign's volume before it was stopped, and the
 * customers it would have hit. Pure: the replay and the truth are read elsewhere.
 */
export function buildPolicyReport(
  input: PolicyReportInput,
  truth: ReadonlyMap<string, AccountTruth>,
  facts: ReadonlyMap<string, AccountFacts>,
  { topOrgs = 10 }: ReportOptions = {},
): PolicyReport {
  const outcomes = [...input.outcomes.values()];
  const actions = Object.fromEntries(DECISION_ACTIONS.map((action) => [action, { accounts: 0, exchanges: 0 }])) as Record<DecisionAction, ActionCount>;
  for (const outcome of outcomes) {
    actions[outcome.maxAction].accounts++;
    DECISION_ACTIONS.forEach((action, index) => (actions[action].exchanges += outcome.byAction[index]!));
  }
  const truthOf = (accountId: string): AccountTruth['positive'] | undefined => truth.get(accountId)?.positive;
  const label = (accountId: string): 'positive' | 'negative' | null => {
    const known = truthOf(accountId);
    return known === undefined ? null : known ? 'positive' : 'negative';
  };
  const factsOf = (outcome: AccountOutcome): AccountFacts => {
    const known = facts.get(outcome.accountId);
    return { orgId: known?.orgId ?? outcome.orgId, tier: known?.tier ?? null };
  };

  const positivesActive = outcomes.filter((outcome) => truthOf(outcome.accountId) === true).length;
  const quality = Object.fromEntries(ACTED.map((action) => [action, actionQuality(outcomes, actionSeverity(action), truthOf, positivesActive)])) as Record<ActedAction, ActionQuality>;

  const campaigns = campaignOutcomes(input.outcomes, truth);

  const acted = (outcome: AccountOutcome): number => outcome.exchanges - outcome.byAction[0]!;
  const hitAccounts = outcomes.filter((outcome) => outcome.maxAction !== 'allow');
  const watched = hitAccounts
    .filter((outcome) => {
      const tier = factsOf(outcome).tier;
      return tier !== null && WATCHED_TIERS.includes(tier);
    })
    .map((outcome): AccountAtRisk => {
      const { orgId, tier } = factsOf(outcome);
      return {
        account_id: outcome.accountId,
        org_id: orgId,
        tier,
        max_action: outcome.maxAction,
        exchanges: outcome.exchanges,
        acted_exchanges: acted(outcome),
        stopped_at: iso(outcome.firstAtLeast[STOP_SEVERITY] ?? null),
        truth: label(outcome.accountId),
      };
    })
    .sort((a, b) => actionSeverity(b.max_action) - actionSeverity(a.max_action) || b.acted_exchanges - a.acted_exchanges || a.account_id.localeCompare(b.account_id));

  const orgSize = new Map<string, Set<string>>();
  const addToOrg = (orgId: string | null, accountId: string): void => {
    if (orgId === null) return;
    let members = orgSize.get(orgId);
    if (members === undefined) orgSize.set(orgId, (members = new Set()));
    members.add(accountId);
  };
  for (const [accountId, known] of facts) addToOrg(known.orgId, accountId);
  for (const outcome of outcomes) addToOrg(factsOf(outcome).orgId, outcome.accountId);
  const orgHits = new Map<string, OrgAtRisk>();
  for (const outcome of hitAccounts) {
    const orgId = factsOf(outcome).orgId;
    if (orgId === null) continue;
    let org = orgHits.get(orgId);
    if (org === undefined) orgHits.set(orgId, (org = { org_id: orgId, accounts: orgSize.get(orgId)?.size ?? 1, hit: { throttle: 0, step_up: 0, block: 0 }, acted_exchanges: 0 }));
    org.hit[outcome.maxAction as ActedAction]++;
    org.acted_exchanges += acted(outcome);
  }
  const orgs = [...orgHits.values()].sort((a, b) => b.accounts - a.accounts || b.acted_exchanges - a.acted_exchanges || a.org_id.localeCompare(b.org_id)).slice(0, topOrgs);

  const firstStops = outcomes
    .filter((outcome) => outcome.firstAtLeast[STOP_SEVERITY] !== null)
    .map((outcome): FirstStop => {
      const { orgId, tier } = factsOf(outcome);
      return {
        account_id: outcome.accountId,
        org_id: orgId,
        tier,
        stopped_at: iso(outcome.firstAtLeast[STOP_SEVERITY]!)!,
        blocked_at: iso(outcome.firstAtLeast[actionSeverity('block')] ?? null),
        exchanges_before: outcome.beforeStop,
        reason: outcome.stopReason,
        truth: label(outcome.accountId),
      };
    })
    .sort((a, b) => a.stopped_at.localeCompare(b.stopped_at) || a.account_id.localeCompare(b.account_id));

  return { name: input.name, source: input.source, version: input.version, actions, quality, campaigns, at_risk: { orgs, accounts: watched }, first_stops: firstStops };
}

/** Precision and recall of "this action or a more severe one", per account. */
export function actionQuality(
  outcomes: readonly AccountOutcome[],
  severity: number,
  truthOf: (accountId: string) => boolean | undefined,
  positivesActive: number,
): ActionQuality {
  let accounts = 0;
  let tp = 0;
  let fp = 0;
  for (const outcome of outcomes) {
    if (actionSeverity(outcome.maxAction) < severity) continue;
    accounts++;
    const known = truthOf(outcome.accountId);
    if (known === true) tp++;
    else if (known === false) fp++;
  }
  return {
    accounts,
    true_positives: tp,
    false_positives: fp,
    unlabelled: accounts - tp - fp,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: positivesActive === 0 ? null : tp / positivesActive,
  };
}

/** Each campaign of the positive accounts: how much of its traffic went through before and while it was stopped. */
export function campaignOutcomes(outcomes: ReadonlyMap<string, AccountOutcome>, truth: ReadonlyMap<string, AccountTruth>): CampaignOutcome[] {
  const members = new Map<string, string[]>();
  for (const [accountId, known] of truth) {
    if (!known.positive || known.campaign === null) continue;
    let list = members.get(known.campaign);
    if (list === undefined) members.set(known.campaign, (list = []));
    list.push(accountId);
  }
  const result: CampaignOutcome[] = [];
  for (const [campaign, accountIds] of members) {
    const active = accountIds.map((id) => outcomes.get(id)).filter((outcome): outcome is AccountOutcome => outcome !== undefined && outcome.exchanges > 0);
    const exchanges = active.reduce((sum, outcome) => sum + outcome.exchanges, 0);
    const passed = active.reduce((sum, outcome) => sum + outcome.byAction[0]! + outcome.byAction[1]!, 0);
    const stopTimes = active.map((outcome) => outcome.firstAtLeast[STOP_SEVERITY]).filter((ts): ts is number => ts !== null);
    const firstStop = stopTimes.length === 0 ? null : Math.min(...stopTimes);
    const firstExchange = active.length === 0 ? null : Math.min(...active.map((outcome) => outcome.firstAtLeast[0]!));
    let beforeFirstStop = exchanges;
    if (firstStop !== null) {
      beforeFirstStop = 0;
      // The exchanges sent before the first stop: the times strictly before it.
      for (const outcome of active) beforeFirstStop += outcome.times === null ? Math.min(outcome.beforeStop, outcome.exchanges) : firstAtOrAbove(outcome.times, firstStop);
    }
    result.push({
      campaign,
      accounts: accountIds.length,
      active_accounts: active.length,
      stopped_accounts: stopTimes.length,
      exchanges,
      first_exchange_at: iso(firstExchange),
      first_stopped_at: iso(firstStop),
      before_first_stop: beforeFirstStop,
      before_first_stop_share: exchanges === 0 ? null : beforeFirstStop / exchanges,
      passed,
      passed_share: exchanges === 0 ? null : passed / exchanges,
    });
  }
  return result.sort((a, b) => b.exchanges - a.exchanges || a.campaign.localeCompare(b.campaign));
}

export interface AccountChange {
  account_id: string;
  org_id: string | null;
  tier: AccountTier | null;
  truth: 'positive' | 'negative' | null;
  /** The policy compared against (`--against`), then the candidate. */
  before: { max_action: DecisionAction; stopped_at: string | null; blocked_at: string | null };
  after: { max_action: DecisionAction; stopped_at: string | null; blocked_at: string | null };
}

export interface PolicyComparison {
  /** Accounts whose most severe action or first stop differs, most severe change first. */
  accounts: AccountChange[];
  /** Accounts acted on by the candidate only, by the current policy only, more severely, more mildly, stopped earlier, stopped later. */
  summary: { newly_acted: number; no_longer_acted: number; more_severe: number; milder: number; stopped_earlier: number; stopped_later: number };
}

/** Account by account, what the candidate does differently from the policy it would replace. */
export function comparePolicies(
  current: ReadonlyMap<string, AccountOutcome>,
  candidate: ReadonlyMap<string, AccountOutcome>,
  truth: ReadonlyMap<string, AccountTruth>,
  facts: ReadonlyMap<string, AccountFacts>,
): PolicyComparison {
  const summary = { newly_acted: 0, no_longer_acted: 0, more_severe: 0, milder: 0, stopped_earlier: 0, stopped_later: 0 };
  const accounts: AccountChange[] = [];
  const view = (outcome: AccountOutcome | undefined) => ({
    max_action: outcome?.maxAction ?? 'allow',
    stopped_at: iso(outcome?.firstAtLeast[STOP_SEVERITY] ?? null),
    blocked_at: iso(outcome?.firstAtLeast[actionSeverity('block')] ?? null),
  });
  for (const accountId of new Set([...current.keys(), ...candidate.keys()])) {
    const before = view(current.get(accountId));
    const after = view(candidate.get(accountId));
    if (before.max_action === after.max_action && before.stopped_at === after.stopped_at && before.blocked_at === after.blocked_at) continue;
    const from = actionSeverity(before.max_action);
    const to = actionSeverity(after.max_action);
    if (from === 0 && to > 0) summary.newly_acted++;
    else if (from > 0 && to === 0) summary.no_longer_acted++;
    else if (to > from) summary.more_severe++;
    else if (to < from) summary.milder++;
    if (before.stopped_at !== null && after.stopped_at !== null && before.stopped_at !== after.stopped_at) {
      if (after.stopped_at < before.stopped_at) summary.stopped_earlier++;
      else summary.stopped_later++;
    }
    const known = truth.get(accountId);
    const outcome = candidate.get(accountId) ?? current.get(accountId);
    accounts.push({
      account_id: accountId,
      org_id: facts.get(accountId)?.orgId ?? outcome?.orgId ?? null,
      tier: facts.get(accountId)?.tier ?? null,
      truth: known === undefined ? null : known.positive ? 'positive' : 'negative',
      before,
      after,
    });
  }
  accounts.sort(
    (a, b) =>
      Math.abs(actionSeverity(b.after.max_action) - actionSeverity(b.before.max_action)) - Math.abs(actionSeverity(a.after.max_action) - actionSeverity(a.before.max_action)) ||
      a.account_id.localeCompare(b.account_id),
  );
  return { accounts, summary };
}

function iso(ts: number | null): string | null {
  return ts === null ? null : new Date(ts).toISOString();
}
