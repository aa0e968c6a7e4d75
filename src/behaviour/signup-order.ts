import { firstAbove, firstAtOrAbove } from '../util/sorted-search.js';
import { rarityPopulation } from './rarity-population.js';
import type { BehaviourTracker } from './behaviour-tracker.js';

/**
 * The store's accounts in the order they signed up: how many accounts were created between two
 * moments. Counting accounts rather than minutes makes "signed up together" relative to the
 * store's own pace (a term's first day, a launch, the hours people sign up in), whatever the
 * time precision of the accounts file: accounts created at the same recorded moment all count.
 */
export interface SignupOrder {
  /**
   * Accounts with a known creation time, at most the rarity population (`rarityPopulation`): a
   * flood of light accounts signed up at other times would make neighbours in the order look
   * rarer than they are.
   */
  readonly accounts: number;
  /** Accounts created from `from` to `to` (ms since the epoch), both ends included. */
  between(from: number, to: number): number;
}

/**
 * The order is sorted when first asked for, not when made: the population is summarised for the
 * linker's input too, which never reads it; only cluster assessments do.
 */
export function signupOrder(tracker: Pick<BehaviourTracker, 'accounts'>): SignupOrder {
  let times: Float64Array | null = null;
  let bound = -1;
  const sorted = (): Float64Array => {
    if (times !== null) return times;
    const known: number[] = [];
    for (const state of tracker.accounts) {
      const at = state.info?.createdAt;
      if (at != null) known.push(at);
    }
    return (times = Float64Array.from(known).sort());
  };
  return {
    get accounts() {
      if (bound < 0) bound = rarityPopulation(tracker.accounts);
      return Math.min(sorted().length, bound);
    },
    between: (from, to) => (from > to ? 0 : firstAbove(sorted(), to) - firstAtOrAbove(sorted(), from)),
  };
}
