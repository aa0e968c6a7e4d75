/**
 * Exchanges from which an account counts in the rarity population: about a session's worth,
 * enough to show the clients, networks and prompts it habitually uses.
 */
const HABIT_EXCHANGES = 10;

/**
 * The population against which the linker measures a shared value's rarity (1 − ln m / ln N)
 * and the scoring how close two sign-ups are: the number of accounts, but at most twice the
 * number with a session of traffic (10 exchanges or more). Light accounts are part of any real
 * store and count in full while they stay within that bound (in the simulated stores measured,
 * there are 1.4 accounts per account with a session); a flood of one-request accounts past it
 * would make every shared value look rarer and merge unrelated campaigns, or make neighbouring
 * sign-ups look rarer than they are, so the surplus is not counted. An account below a session
 * adds nothing to the bound, so moving N costs a session of traffic per account added; since N
 * enters the linker through its logarithm, a store with more light accounts than the bound loses
 * little there (three light accounts per active one lowers ln N by ln 2).
 */
export function rarityPopulation(accounts: readonly { exchanges: number }[]): number {
  let habitual = 0;
  for (const account of accounts) if (account.exchanges >= HABIT_EXCHANGES) habitual++;
  return Math.min(accounts.length, 2 * habitual);
}
