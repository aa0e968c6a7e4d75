import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { builtInScenarioPath, validateScenario } from './scenario-loader.js';
import { buildWorld } from './world-builder.js';
import { PLAIN_QUESTION_FRAMES } from './instruction-wording.js';
import { testCorpora } from './test-support/sim-fixtures.js';
import { accountsOfGroup, sessionsOf } from './test-support/session-sampler.js';
import type { ExchangeSpec } from './exchange-spec.js';
import type { World } from './world-model.js';

type Raw = Record<string, any>;

/** The smoke scenario with its campaigns replaced: every knob not given takes the kind's default. */
function worldWith(campaigns: Raw[], extra: Raw = {}): World {
  const raw = parseYaml(readFileSync(builtInScenarioPath('smoke'), 'utf8')) as Raw;
  return buildWorld(validateScenario({ ...raw, ...extra, campaigns }), testCorpora(), { scale: 1, seed: 3 });
}

function firstRequests(world: World, key: string, sessionsPerAccount: number): ExchangeSpec['request'][] {
  return accountsOfGroup(world, key).flatMap((index) => sessionsOf(world, testCorpora(), index, sessionsPerAccount).map((session) => session[0]!.request));
}

const userText = (request: ExchangeSpec['request']) => request.messages[0]!.text;

describe('campaign traffic', () => {
  it.each(['cot_extraction', 'agentic_coding', 'proxy_network', 'stealth'])('mixes ordinary traffic into %s accounts at the share the scenario asks for', (kind) => {
    const world = worldWith([{ kind, name: 'mixed', accounts: 20, distillation_share: 0.3, content: { system_prompts: 4 } }]);
    const composed = new Set(Object.values(world.campaigns[0]!.systemPrompts!).flat());
    const requests = firstRequests(world, 'mixed', 30);
    const distillation = requests.filter((request) => request.system !== null && composed.has(request.system)).length / requests.length;
    expect(distillation).toBeGreaterThan(0.22);
    expect(distillation).toBeLessThan(0.38);
  });

  it('sends no system prompt at all when the campaign has none', () => {
    const world = worldWith([{ kind: 'agentic_coding', name: 'bare', accounts: 6, content: { system_prompts: 0 } }]);
    const requests = firstRequests(world, 'bare', 20);
    expect(requests.length).toBe(120);
    expect(requests.every((request) => request.system === null)).toBe(true);
  });

  it('rotates through as many composed system prompts as asked, per task family', () => {
    const world = worldWith([{ kind: 'cot_extraction', name: 'rotating', accounts: 30, content: { system_prompts: 12, tasks: { cot: 1 } } }]);
    const systems = new Set(firstRequests(world, 'rotating', 20).map((request) => request.system));
    expect(world.campaigns[0]!.systemPrompts!.cot).toHaveLength(12);
    expect(systems.size).toBeGreaterThanOrEqual(10);
    for (const system of systems) expect(world.campaigns[0]!.systemPrompts!.cot).toContain(system);
  });

  it('asks only for the answer in the plain style', () => {
    const world = worldWith([{ kind: 'cot_extraction', name: 'plain', accounts: 8, content: { prompt_styles: { plain: 1 }, tasks: { cot: 1 } } }]);
    const frames = PLAIN_QUESTION_FRAMES.map((frame) => new RegExp(`^${frame.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{q}', '[\\s\\S]*')}$`));
    for (const request of firstRequests(world, 'plain', 20)) expect(frames.some((frame) => frame.test(userText(request))), userText(request)).toBe(true);
  });

  it('words reasoning requests with the sketch\'s paraphrases in the paraphrase style, never "step by step"', () => {
    const world = worldWith([{ kind: 'cot_extraction', name: 'reworded', accounts: 12, content: { prompt_styles: { paraphrase: 1 }, tasks: { cot: 0.5, rubric: 0.3, safe_rewrite: 0.2 } } }]);
    const wordings = world.campaigns[0]!.sketches.flatMap((sketch) => [...sketch.wording!.reasoning, ...sketch.wording!.grading, ...sketch.wording!.rewrite]);
    const texts = firstRequests(world, 'reworded', 25).map(userText);
    expect(texts.every((text) => wordings.some((wording) => text.includes(wording)))).toBe(true);
    // Only a corpus question itself can carry the phrase (grading prompts also quote an answer, which may).
    const instructions = texts.filter((text) => !text.includes('\n\nAnswer:\n'));
    expect(instructions.length).toBeGreaterThan(texts.length / 2);
    expect(instructions.filter((text) => /step by step/i.test(text)).length).toBeLessThan(instructions.length * 0.02);
  });

  it('uses the max_tokens habits and per-account tooling the scenario gives', () => {
    const world = worldWith([{ kind: 'proxy_network', name: 'habits', accounts: 40, infrastructure: { shared_tooling_share: 0 }, content: { max_tokens_choices: [1024, 2048, null] } }]);
    const accounts = accountsOfGroup(world, 'habits').map((index) => world.accounts.get(index));
    expect(new Set(accounts.map((account) => account.habits.maxTokens))).toEqual(new Set([1024, 2048, null]));
    expect(new Set(accounts.map((account) => `${account.client.userAgent}|${account.client.tlsFingerprint}`)).size).toBeGreaterThan(10);
    const shared = worldWith([{ kind: 'proxy_network', name: 'habits', accounts: 40, infrastructure: { shared_tooling_share: 1, clients: { 'go-http': 1 } } }]);
    const clients = accountsOfGroup(shared, 'habits').map((index) => shared.accounts.get(index).client);
    expect(new Set(clients.map((client) => `${client.userAgent}|${client.tlsFingerprint}`)).size).toBe(1);
  });

  it('runs bursts: windows per account, or the same windows for every account when synchronised', () => {
    const own = worldWith([{ kind: 'stealth', name: 'bursty', accounts: 6, schedule: 'bursts', bursts_per_day: 3, burst_minutes: 20 }]);
    const starts = accountsOfGroup(own, 'bursty').map((index) => own.accounts.scheduleOf(index).windows.map((window) => window.startMs).join(','));
    expect(new Set(starts).size).toBe(6);
    for (const index of accountsOfGroup(own, 'bursty')) {
      const schedule = own.accounts.scheduleOf(index);
      expect(schedule.sessionsPerDay).toBe(0);
      expect(schedule.windows.length).toBeGreaterThan(7);
      for (const window of schedule.windows) expect(window.endMs - window.startMs).toBeLessThanOrEqual(20 * 60_000);
    }
    const synced = worldWith([{ kind: 'stealth', name: 'bursty', accounts: 6, schedule: 'bursts', burst_sync: true }]);
    expect(new Set(accountsOfGroup(synced, 'bursty').map((index) => synced.accounts.scheduleOf(index).windows))).toHaveProperty('size', 1);
  });

  it('lets campaigns and VPN users rent exits from one shared provider', () => {
    const world = worldWith(
      [
        { kind: 'cot_extraction', name: 'first', accounts: 5, infrastructure: { exit_provider: 'bright' } },
        { kind: 'agentic_coding', name: 'second', accounts: 5, infrastructure: { exit_provider: 'bright', sticky_minutes: 240 } },
      ],
      { exit_providers: [{ name: 'bright', network: 'datacenter', pool_size: 12 }], personas: { chat_user: { accounts: 200, vpn_share: 0.2, vpn_provider: 'bright' } } },
    );
    const poolOf = (index: number) => {
      const network = world.accounts.get(index).network;
      return network.kind === 'pool' ? network.pool : -1;
    };
    const pools = new Set([...accountsOfGroup(world, 'first'), ...accountsOfGroup(world, 'second')].map(poolOf));
    expect(pools.size).toBe(1);
    const [pool] = [...pools];
    expect(world.pools.sizeOf(pool!)).toBe(12);
    expect(accountsOfGroup(world, 'chat_user').filter((index) => poolOf(index) === pool).length).toBeGreaterThan(10);
  });
});
