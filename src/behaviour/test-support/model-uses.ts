import type { AccountState } from '../account-state.js';

/** An account's model uses as plain values, by model index: for comparing states in tests. */
export function modelUses(state: AccountState) {
  return [...state.models]
    .sort((a, b) => a.model - b.model)
    .map((use) => ({
      model: use.model,
      count: use.count,
      firstTs: use.firstTs,
      early: use.early,
      maxTokens: [use.maxTokensLog, use.maxTokensLogSquares, use.maxTokensCount],
      output: [use.outputLog, use.outputLogSquares, use.outputCount],
    }));
}
