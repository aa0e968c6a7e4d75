import type { ApiKind } from '../model/exchange.js';
import type { PromptCorpora } from './corpus-loader.js';
import type { Scenario } from './scenario-schema.js';
import { buildBenignPopulation } from './benign-population.js';
import { buildCampaigns } from './campaign-population.js';
import { apiTableOf, type PopulationContext } from './population-kit.js';
import { DAY_MS, createScheduleScan, expectedSessions } from './activity-sampler.js';
import type { World } from './world-model.js';

export interface WorldOptions {
  scale: number;
  seed: number;
  /** `--api`: every account uses this API. */
  forcedApi?: ApiKind | null;
}

/**
 * Builds the simulated population. Pure and deterministic: the same scenario, scale, seed and
 * corpora give the same world in every process, which is what lets workers rebuild it instead
 * of receiving it.
 */
export function buildWorld(scenario: Scenario, corpora: PromptCorpora, { scale, seed, forcedApi = null }: WorldOptions): World {
  if (!(scale > 0)) throw new RangeError(`scale must be positive, found ${scale}`);
  const startMs = Date.parse(scenario.window.start);
  const endMs = startMs + scenario.window.days * DAY_MS;
  const releaseMs = startMs + scenario.release.at_day * DAY_MS;
  const context: PopulationContext = {
    scenario,
    scale,
    seed: seed >>> 0,
    forcedApi,
    startMs,
    endMs,
    releaseMs,
    corpora,
    accounts: [],
    pools: [],
    groups: [],
    classes: [],
    apiTable: apiTableOf(scenario),
    sharedPools: new Map(),
  };
  buildBenignPopulation(context);
  const campaigns = buildCampaigns(context);
  let expected = 0;
  for (const account of context.accounts) {
    if (account.dormant) continue;
    const [minTurns, maxTurns] = account.schedule.turns;
    expected += expectedSessions(account.schedule, startMs, endMs) * ((minTurns + maxTurns) / 2);
  }
  return {
    scenario,
    scale,
    seed: seed >>> 0,
    forcedApi,
    startMs,
    endMs,
    releaseMs,
    groups: context.groups,
    accounts: context.accounts,
    pools: context.pools,
    campaigns,
    classes: context.classes,
    expectedExchanges: Math.round(expected),
    scan: createScheduleScan(
      context.accounts.map((account) => account.schedule),
      (index) => context.accounts[index]!.dormant,
    ),
  };
}
