import { describe, expect, it } from 'vitest';
import { HARD_NEGATIVE_PERSONAS } from '../eval/index.js';
import { buildWorld } from './world-builder.js';
import { PERSONA_NAMES, BENCHMARKS } from './scenario-schema.js';
import { validateScenario } from './scenario-loader.js';
import { smokeScenario, testCorpora } from './test-support/sim-fixtures.js';
import { fullAccountsOf } from './test-support/world-accounts.js';
import { accountsOfGroup, sessionsOf } from './test-support/session-sampler.js';
import { evalTag, type World } from './world-model.js';
import type { ApiKind } from '../model/exchange.js';

function smokeWorld(forcedApi: ApiKind | null = null, personas: Record<string, unknown> = {}): World {
  const scenario = smokeScenario();
  const changed = validateScenario({ ...scenario, personas: { ...scenario.personas, ...personas } });
  return buildWorld(changed, testCorpora(), { scale: 1, seed: 4, forcedApi, accountFiles: true });
}

const world = smokeWorld();
const accounts = fullAccountsOf(world);
const ofPersona = (persona: string) => accounts.filter((account) => world.groups[account.group]!.persona === persona);
const firstUser = (request: { messages: { role: string; text: string }[] }) => request.messages.find((message) => message.role === 'user')!.text;

describe('hard-negative personas', () => {
  it('are all counted as hard negatives by the evaluator', () => {
    for (const persona of PERSONA_NAMES.filter((name) => name !== 'chat_user' && name !== 'developer')) expect(HARD_NEGATIVE_PERSONAS).toContain(persona);
  });

  it('research labs: one organisation and card, reasoning evaluations with big thinking budgets, maxed tokens, elicitation and judge prompts', () => {
    const researchers = ofPersona('research_lab');
    expect(researchers.length).toBeGreaterThanOrEqual(3);
    expect(new Set(researchers.map((account) => account.orgId)).size).toBe(1);
    const anthropic = smokeWorld('anthropic.messages');
    const requests = accountsOfGroup(anthropic, 'research_lab').flatMap((index) => sessionsOf(anthropic, testCorpora(), index, 40, 1, 1).flat().map((exchange) => exchange.request));
    const thinking = requests.filter((request) => request.reasoning !== null);
    expect(thinking.length / requests.length).toBeGreaterThan(0.5);
    expect(Math.min(...thinking.map((request) => request.thinkingBudget!))).toBeGreaterThanOrEqual(16_000);
    expect(requests.filter((request) => request.maxedTokens).length / requests.length).toBeGreaterThan(0.4);
    const texts = requests.map(firstUser);
    expect(texts.filter((text) => /step by step/i.test(text)).length / texts.length).toBeGreaterThan(0.25);
    expect(texts.some((text) => text.includes('impartial judge') || text.includes('Model answer:'))).toBe(true);
  });

  it('agent platforms: a few accounts, many worker IPs, tools on every request, long loops, many end users', () => {
    const platforms = ofPersona('agent_platform');
    for (const account of platforms) {
      expect(account.network.kind).toBe('pool');
      if (account.network.kind === 'pool') expect(world.pools.sizeOf(account.network.pool)).toBeGreaterThanOrEqual(8);
    }
    const sessions = accountsOfGroup(world, 'agent_platform').flatMap((index) => sessionsOf(world, testCorpora(), index, 60));
    expect(sessions.every((session) => session.every((exchange) => (exchange.request.tools?.length ?? 0) > 0))).toBe(true);
    expect(sessions.reduce((sum, session) => sum + session.length, 0) / sessions.length).toBeGreaterThan(4);
    const users = new Set(sessions.map((session) => session[0]!.request.endUser).filter((user) => user !== null));
    if (users.size > 0) expect(users.size).toBeGreaterThan(40);
  });

  it('support fleets: bots of one org with one card, one IP range, the same hours and a shared system prompt, created together', () => {
    const bots = ofPersona('support_fleet');
    expect(bots.length).toBeGreaterThanOrEqual(6);
    expect(new Set(bots.map((bot) => bot.orgId)).size).toBe(1);
    expect(new Set(bots.map((bot) => bot.paymentFingerprint)).size).toBe(1);
    expect(new Set(bots.map((bot) => (bot.network.kind === 'pool' ? bot.network.pool : -1))).size).toBe(1);
    expect(new Set(bots.map((bot) => bot.schedule.windows)).size).toBe(1);
    expect(new Set(bots.map((bot) => bot.habits.systemPrompt)).size).toBeLessThanOrEqual(3);
    const created = bots.map((bot) => bot.createdAtMs);
    expect(Math.max(...created) - Math.min(...created)).toBeLessThan(3 * 3_600_000);
    const openings = accountsOfGroup(world, 'support_fleet').flatMap((index) => sessionsOf(world, testCorpora(), index, 5).map((session) => firstUser(session[0]!.request)));
    // One ticket template for the fleet: every opening ends with its instruction line.
    expect(new Set(openings.map((text) => text.split('\n').at(-1))).size).toBe(1);
  });

  it('sampling benchmarks: the same benchmark prompt re-sent at temperature > 0, or n > 1 in one request', () => {
    const tag = (k: number) => evalTag(k % BENCHMARKS.length, false, false);
    const resending = smokeWorld('anthropic.messages');
    for (const index of accountsOfGroup(resending, 'sampling_benchmark')) {
      for (const session of sessionsOf(resending, testCorpora(), index, 10, 1, tag)) {
        expect(session.length).toBeGreaterThanOrEqual(4);
        expect(new Set(session.map((exchange) => firstUser(exchange.request))).size).toBe(1);
        for (const exchange of session) expect(exchange.request.temperature!).toBeGreaterThan(0);
      }
    }
    const batched = smokeWorld('openai.chat_completions', { sampling_benchmark: { accounts: 3, multi_sample_share: 1 } });
    for (const index of accountsOfGroup(batched, 'sampling_benchmark')) {
      for (const session of sessionsOf(batched, testCorpora(), index, 10, 1, tag)) {
        expect(session).toHaveLength(1);
        expect(session[0]!.request.n).toBeGreaterThanOrEqual(4);
      }
    }
  });
});
