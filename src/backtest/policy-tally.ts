import type { Decision } from '../service/decisions/decision-book.js';
import { actionSeverity, DECISION_ACTIONS, type DecisionAction } from '../service/decisions/decision-policy.js';

/** What one policy did to one account over the replayed window. */
export interface AccountOutcome {
  accountId: string;
  /** The organisation its exchanges gave, if any. */
  orgId: string | null;
  /** Exchanges decided, and how many of them got each action (`DECISION_ACTIONS` order). */
  exchanges: number;
  byAction: number[];
  /** The most severe action any of its exchanges got. */
  maxAction: DecisionAction;
  /**
   * For each action, when the account first got it or something more severe (epoch ms), or
   * null: index 2 is when it was first stopped (stepped up or blocked), index 3 first blocked.
   */
  firstAtLeast: (number | null)[];
  /** Exchanges decided before it was first stopped (all of them when it never was). */
  beforeStop: number;
  /** Why it was first stopped: the first reason the decision gave. */
  stopReason: string | null;
  /** Times of its decided exchanges, oldest first, kept only for the accounts asked for. */
  times: number[] | null;
}

export interface PolicyTally {
  record(accountId: string, orgId: string | null, ts: number, decision: Decision): void;
  readonly accounts: ReadonlyMap<string, AccountOutcome>;
}

export const STOP_SEVERITY = actionSeverity('step_up');

/** Per-account counts of one policy's decisions, in the order the replay makes them. */
export function createPolicyTally(keepTimesOf: ReadonlySet<string> | 'all' = new Set()): PolicyTally {
  const accounts = new Map<string, AccountOutcome>();
  return {
    accounts,
    record(accountId, orgId, ts, decision) {
      let outcome = accounts.get(accountId);
      if (outcome === undefined) {
        outcome = {
          accountId,
          orgId,
          exchanges: 0,
          byAction: DECISION_ACTIONS.map(() => 0),
          maxAction: 'allow',
          firstAtLeast: DECISION_ACTIONS.map(() => null),
          beforeStop: 0,
          stopReason: null,
          times: keepTimesOf === 'all' || keepTimesOf.has(accountId) ? [] : null,
        };
        accounts.set(accountId, outcome);
      }
      outcome.orgId ??= orgId;
      const severity = actionSeverity(decision.action);
      outcome.exchanges++;
      outcome.byAction[severity]!++;
      outcome.times?.push(ts);
      if (outcome.firstAtLeast[STOP_SEVERITY] === null) {
        if (severity >= STOP_SEVERITY) outcome.stopReason = decision.reasons[0]?.detail ?? null;
        else outcome.beforeStop++;
      }
      for (let s = severity; s >= 0 && outcome.firstAtLeast[s] === null; s--) outcome.firstAtLeast[s] = ts;
      if (severity > actionSeverity(outcome.maxAction)) outcome.maxAction = decision.action;
    },
  };
}
