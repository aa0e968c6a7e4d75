import type { ApiKind } from '../model/exchange.js';
import { API_KINDS } from '../model/exchange.js';
import type { AccountTier } from '../model/account.js';
import type { PromptCorpora } from './corpus-loader.js';
import type { ClientStackName, Scenario } from './scenario-schema.js';
import type { Endpoint } from './network-catalog.js';
import { createWeightedTable, BASE32, BASE62, type Rng, type WeightedTable } from './seeded-rng.js';
import type { ClassAssignment, EndpointPool, GroupInfo, NewAccount } from './world-model.js';
import type { AccountTable } from './account-table.js';
import type { AccountFileLines } from './account-files.js';

/**
 * Shared helpers for building the population: ids, scaling, API and model choice, payment and
 * verification. Benign personas and campaigns use the same helpers, so identifiers and account
 * fields look alike for everyone.
 */
export interface PopulationContext {
  scenario: Scenario;
  scale: number;
  seed: number;
  forcedApi: ApiKind | null;
  startMs: number;
  endMs: number;
  releaseMs: number;
  corpora: PromptCorpora;
  accounts: AccountTable;
  /** Set when the account files are to be written from this world. */
  accountFiles: AccountFileLines | null;
  pools: EndpointPool[];
  groups: GroupInfo[];
  classes: ClassAssignment[];
  apiTable: WeightedTable<ApiKind>;
  /** Pools shared across groups: consumer VPN exits, campus NATs by university. */
  sharedPools: Map<string, number>;
}

export function scaledCount(context: PopulationContext, count: number): number {
  return Math.max(context.scenario.accounts.min_per_group, Math.round(count * context.scale));
}

/**
 * When `min_per_group` keeps more accounts than the scale asks for, each account carries a
 * proportionally smaller volume, so the group's volume still follows the scale (`--scale 0.1`
 * on a scenario with six pipelines gives three quieter pipelines, not three full ones). Never
 * below a tenth, so that every kept account still sends something.
 */
export function volumeFactor(context: PopulationContext, count: number): number {
  const kept = scaledCount(context, count);
  return Math.min(1, Math.max(0.1, (count * context.scale) / kept));
}

export function accountId(rng: Rng): string {
  return rng.chars(20, BASE32, 'acct_');
}

export function orgId(rng: Rng): string {
  return rng.chars(20, BASE32, 'org_');
}

export function apiKeyId(rng: Rng): string {
  return rng.chars(16, BASE32, 'key_');
}

export function cardFingerprint(rng: Rng): string {
  return rng.chars(16, BASE62);
}

export function addPool(context: PopulationContext, endpoints: Endpoint[]): number {
  context.pools.push({ endpoints });
  return context.pools.length - 1;
}

export function sharedPool(context: PopulationContext, key: string, make: () => Endpoint[]): number {
  let index = context.sharedPools.get(key);
  if (index === undefined) {
    index = addPool(context, make());
    context.sharedPools.set(key, index);
  }
  return index;
}

/** What the provider verified at sign-up, by tier; `lighter` drops the costly checks more often. */
export function verificationFor(tier: AccountTier, rng: Rng, lighter = false): string[] {
  const out = ['email'];
  switch (tier) {
    case 'free':
      if (rng.chance(0.35)) out.push('phone');
      break;
    case 'standard':
      out.push('card');
      if (rng.chance(0.5)) out.push('phone');
      break;
    case 'enterprise':
      out.push('card', 'phone');
      if (rng.chance(lighter ? 0.1 : 0.5)) out.push('id_document');
      break;
    case 'education':
      out.push('edu_email');
      break;
    case 'research':
      out.push('edu_email');
      if (rng.chance(lighter ? 0.15 : 0.6)) out.push('id_document');
      break;
    case 'startup':
      out.push('card', 'phone');
      if (rng.chance(lighter ? 0.05 : 0.25)) out.push('id_document');
      break;
  }
  return out;
}

export function tierPays(tier: AccountTier): boolean {
  return tier === 'standard' || tier === 'enterprise' || tier === 'startup';
}

export function pickApi(context: PopulationContext, rng: Rng): ApiKind {
  return context.forcedApi ?? context.apiTable.pick(rng);
}

/** The API an SDK stack talks: Anthropic SDKs the Messages API, OpenAI SDKs one of OpenAI's. */
export function apiForStack(context: PopulationContext, stack: ClientStackName, rng: Rng): ApiKind {
  if (context.forcedApi !== null) return context.forcedApi;
  if (stack === 'anthropic-python' || stack === 'anthropic-typescript') return 'anthropic.messages';
  if (stack === 'openai-python' || stack === 'openai-node') {
    const chat = context.apiTable.items.includes('openai.chat_completions');
    const responses = context.apiTable.items.includes('openai.responses');
    if (chat && (!responses || rng.chance(0.72))) return 'openai.chat_completions';
    if (responses) return 'openai.responses';
  }
  return context.apiTable.pick(rng);
}

/** Swaps an SDK stack for its counterpart when the account's API is not the SDK's own. */
export function alignStack(stack: ClientStackName, api: ApiKind): ClientStackName {
  if (api === 'anthropic.messages') {
    if (stack === 'openai-python') return 'anthropic-python';
    if (stack === 'openai-node') return 'anthropic-typescript';
  } else {
    if (stack === 'anthropic-python') return 'openai-python';
    if (stack === 'anthropic-typescript') return 'openai-node';
  }
  return stack;
}

export type ModelPreference = 'any' | 'cheap' | 'strong';

export function pickModelIndex(scenario: Scenario, api: ApiKind, rng: Rng, preference: ModelPreference): number {
  const models = scenario.models[api];
  const table = createWeightedTable(
    models.map((model, index) => {
      const cheap = /mini|haiku|nano|flash|small/.test(model.name);
      let weight = model.weight;
      if (preference === 'cheap') weight *= cheap ? 4 : 0.4;
      if (preference === 'strong') weight *= cheap ? 0.25 : model.reasoning ? 3 : 1.5;
      return [index, weight] as const;
    }),
  );
  return table.pick(rng);
}

export function apiTableOf(scenario: Scenario): WeightedTable<ApiKind> {
  return createWeightedTable(API_KINDS.map((api) => [api, scenario.apis[api] ?? 0] as const));
}

/** A sign-up time before `beforeMs`, spread like organic sign-ups over the preceding months. */
export function organicSignup(rng: Rng, beforeMs: number, maxDays = 900): number {
  const days = 1 + Math.floor(rng.float() ** 1.6 * maxDays);
  return beforeMs - days * 86_400_000 - rng.int(86_400_000);
}

export function groupIndex(context: PopulationContext, info: GroupInfo): number {
  context.groups.push(info);
  return context.groups.length - 1;
}

/**
 * Adds an account: its generation fields to the world's table, its sign-up details to the
 * account-file lines when the world keeps them. Returns what it was given, for builders that
 * read a field back (an organisation's card).
 */
export function pushAccount(context: PopulationContext, account: NewAccount): NewAccount {
  context.accounts.append(account);
  context.accountFiles?.record(account);
  return account;
}
