import type { PromptCorpora } from '../corpus-loader.js';
import type { ExchangeSpec } from '../exchange-spec.js';
import { createRng } from '../seeded-rng.js';
import { generateSession } from '../session-generator.js';
import type { World } from '../world-model.js';

/**
 * `count` sessions of one account, generated the way the block generator does before the
 * release, for tests that look at what an account sends. `tag` is the window's tag (-1: outside
 * any window; a function: one tag per session).
 */
export function sessionsOf(world: World, corpora: PromptCorpora, accountIndex: number, count: number, seed = 1, tag: number | ((k: number) => number) = -1): ExchangeSpec[][] {
  const account = world.accounts.get(accountIndex);
  const api = world.forcedApi ?? account.api;
  const models = world.scenario.models[api];
  const out: ExchangeSpec[][] = [];
  for (let k = 0; k < count; k++) {
    const rng = createRng(seed, accountIndex, k);
    const [minTurns, maxTurns] = account.schedule.turns;
    out.push(generateSession({ world, corpora, account, rng, turns: rng.range(minTurns, maxTurns), tag: typeof tag === 'number' ? tag : tag(k), api, model: models[account.modelIndex % models.length]!, startMs: world.startMs }));
  }
  return out;
}

/** Indices of the accounts of a group (persona or campaign key). */
export function accountsOfGroup(world: World, key: string): number[] {
  const group = world.groups.findIndex((candidate) => candidate.key === key);
  const out: number[] = [];
  for (let index = 0; index < world.accounts.length; index++) if (world.accounts.groupOf(index) === group) out.push(index);
  return out;
}
