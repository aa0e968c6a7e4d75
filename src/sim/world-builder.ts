import type { ApiKind } from '../model/exchange.js';
import type { PromptCorpora } from './corpus-loader.js';
import { LATER_CAMPAIGN_KINDS, type CampaignConfig, type Scenario } from './scenario-schema.js';
import { buildBenignPopulation } from './benign-population.js';
import { buildCampaigns, sendsImages } from './campaign-population.js';
import { buildHardNegatives } from './hard-negative-population.js';
import { buildImageCustomers } from './image-customer-population.js';
import { buildProductCustomers } from './product-customer-population.js';
import { apiTableOf, type PopulationContext } from './population-kit.js';
import { DAY_MS, expectedSessions } from './activity-sampler.js';
import { AccountTable } from './account-table.js';
import { AccountFileLines } from './account-files.js';
import { EndpointLists } from './endpoint-lists.js';
import type { CampaignRuntime, World } from './world-model.js';

export interface WorldOptions {
  scale: number;
  seed: number;
  /** `--api`: every account uses this API. */
  forcedApi?: ApiKind | null;
  /** Keep the accounts.jsonl lines (sign-up details) for `writeAccountFiles`; generating threads do not need them. */
  accountFiles?: boolean;
}

/**
 * Builds the simulated population. Pure and deterministic: the same scenario, scale, seed and
 * corpora give the same world in every process, which is what lets workers rebuild it instead
 * of receiving it.
 */
export function buildWorld(scenario: Scenario, corpora: PromptCorpora, { scale, seed, forcedApi = null, accountFiles = false }: WorldOptions): World {
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
    accounts: new AccountTable(),
    accountFiles: accountFiles ? new AccountFileLines(scenario, seed >>> 0) : null,
    pools: [],
    groups: [],
    classes: [],
    apiTable: apiTableOf(scenario),
    sharedPools: new Map(),
  };
  // Groups are built in the order they were added to the simulator, each from seeds of its own,
  // so that adding a group left every earlier account's index, and so its traffic, as it was:
  // the first campaigns, their hard negatives, the campaigns that send images and their look-alike
  // customers, then the product customers and the conversational and multilingual campaigns.
  const later = (config: CampaignConfig) => LATER_CAMPAIGN_KINDS.includes(config.kind);
  const campaigns: CampaignRuntime[] = new Array(scenario.campaigns.length);
  buildBenignPopulation(context);
  buildCampaigns(context, campaigns, (config) => !sendsImages(config) && !later(config));
  buildHardNegatives(context);
  buildCampaigns(context, campaigns, sendsImages);
  buildImageCustomers(context);
  buildProductCustomers(context);
  buildCampaigns(context, campaigns, later);
  const accounts = context.accounts.seal();
  let expected = 0;
  for (let index = 0; index < accounts.length; index++) {
    if (accounts.dormant(index)) continue;
    const schedule = accounts.scheduleOf(index);
    const [minTurns, maxTurns] = schedule.turns;
    expected += expectedSessions(schedule, startMs, endMs) * ((minTurns + maxTurns) / 2);
  }
  const pools = new EndpointLists();
  for (const pool of context.pools) pools.add(pool.endpoints);
  return {
    scenario,
    scale,
    seed: seed >>> 0,
    forcedApi,
    startMs,
    endMs,
    releaseMs,
    groups: context.groups,
    accounts,
    pools: pools.seal(),
    accountFiles: context.accountFiles,
    campaigns,
    classes: context.classes,
    expectedExchanges: Math.round(expected),
    scan: accounts.scan,
  };
}
