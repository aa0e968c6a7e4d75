import { describe, expect, it } from 'vitest';
import { buildWorld } from './world-builder.js';
import { loadScenario } from './scenario-loader.js';
import { testCorpora } from './test-support/sim-fixtures.js';
import { accountsOfGroup, sessionsOf } from './test-support/session-sampler.js';
import { PROBE_WORDINGS, drawProbeWordings } from './probe-bank.js';
import { createRng } from './seeded-rng.js';

const scenario = loadScenario('default').scenario;
const world = buildWorld(scenario, testCorpora(), { scale: 0.05, seed: 3 });
const campaignIndex = scenario.campaigns.findIndex((campaign) => campaign.kind === 'conversational_probing');
const runtime = world.campaigns[campaignIndex]!;
const accounts = accountsOfGroup(world, runtime.config.name);

/** A probe as the sketch words it, with its what-if slot open. */
const probePattern = (probe: string) => new RegExp(`^${probe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{change\\}', '.+')}$`);

describe('conversational probing campaigns', () => {
  const sessions = accounts.slice(0, 4).flatMap((index) => sessionsOf(world, testCorpora(), index, 12, 5));
  const probes = runtime.sketches.flatMap((sketch) => sketch.probes ?? []).map(probePattern);

  it('send conversations of a seed question and 2-8 follow-ups, each request carrying the whole conversation so far', () => {
    expect(sessions.length).toBeGreaterThan(20);
    const [least, most] = runtime.config.kind === 'conversational_probing' ? runtime.config.content.follow_ups : [0, 0];
    for (const session of sessions) {
      expect(session.length).toBeGreaterThanOrEqual(1 + least);
      expect(session.length).toBeLessThanOrEqual(1 + most);
      session.forEach((exchange, k) => {
        const messages = exchange.request.messages;
        expect(messages).toHaveLength(2 * k + 1);
        if (k === 0) return;
        const previous = session[k - 1]!;
        expect(messages.slice(0, 2 * k - 1)).toEqual(previous.request.messages);
        expect(messages[2 * k - 1]).toEqual({ role: 'assistant', text: previous.response.texts[0] });
      });
    }
  });

  it('ask only the sketch\'s probe wordings after the seed question, and a seed question that is no probe', () => {
    let followUps = 0;
    for (const session of sessions) {
      const messages = session.at(-1)!.request.messages;
      expect(PROBE_WORDINGS).not.toContain(messages[0]!.text);
      for (const message of messages.slice(1).filter((turn) => turn.role === 'user')) {
        expect(probes.some((pattern) => pattern.test(message.text)), message.text).toBe(true);
        followUps++;
      }
    }
    expect(followUps).toBeGreaterThan(sessions.length * 2);
  });

  it('run through different probes in a conversation before repeating one, as a script does', () => {
    for (const session of sessions) {
      const asked = session.at(-1)!.request.messages.slice(1).filter((turn) => turn.role === 'user').map((turn) => turn.text);
      // Every sketch has at least three probe wordings.
      expect(new Set(asked.slice(0, 3)).size).toBe(Math.min(3, asked.length));
    }
  });

  it('repeat a handful of wordings per sketch, different from one campaign or world to the next', () => {
    for (const sketch of runtime.sketches) {
      expect(sketch.probes!.length).toBeGreaterThanOrEqual(3);
      expect(sketch.probes!.length).toBeLessThanOrEqual(8);
    }
    const drawn = [1, 2, 3].map((seed) => drawProbeWordings(createRng(seed), 6).join('\n'));
    expect(new Set(drawn).size).toBe(3);
    expect(new Set(PROBE_WORDINGS).size).toBeGreaterThan(60);
  });

  it('send ordinary max_tokens and thinking settings from the campaign\'s knobs, never a persona name', () => {
    const requests = sessions.flat().map((exchange) => exchange.request);
    expect(requests.some((request) => !request.maxedTokens)).toBe(true);
    for (const request of requests) expect(JSON.stringify(request)).not.toMatch(/conversational_probing|probe-chat/);
  });
});
