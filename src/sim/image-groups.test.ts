import { describe, expect, it } from 'vitest';
import { HARD_NEGATIVE_PERSONAS } from '../eval/index.js';
import { buildWorld } from './world-builder.js';
import { validateScenario } from './scenario-loader.js';
import { drawRandomWorld } from './world-randomizer.js';
import { IMAGE_CAMPAIGN_KINDS, IMAGE_PERSONA_NAMES, VISION_TASKS, type ScenarioInput } from './scenario-schema.js';
import { smokeScenario, testCorpora } from './test-support/sim-fixtures.js';
import { fullAccountsOf } from './test-support/world-accounts.js';
import { accountsOfGroup, sessionsOf } from './test-support/session-sampler.js';
import { VISION_INSTRUCTIONS } from './vision-prompt-bank.js';
import type { ExchangeSpec, ImageSpec } from './exchange-spec.js';
import type { ApiKind } from '../model/exchange.js';
import type { World } from './world-model.js';

const IMAGE_CAMPAIGNS = [
  { name: 'pixels', kind: 'image_harvest', accounts: 6 },
  { name: 'screens', kind: 'computer_use', accounts: 4 },
] as const;

function imageWorld(forcedApi: ApiKind | null = null, seed = 5): World {
  const base = smokeScenario();
  const scenario = validateScenario({
    ...base,
    personas: { ...base.personas, accessibility_app: { apps: 1 }, document_pipeline: { pipelines: 1 }, browser_automation: { platforms: 1 } },
    campaigns: [...base.campaigns, ...IMAGE_CAMPAIGNS],
  } as ScenarioInput);
  return buildWorld(scenario, testCorpora(), { scale: 1, seed, forcedApi, accountFiles: true });
}

const world = imageWorld();
const accounts = fullAccountsOf(world);
const ofPersona = (persona: string) => accounts.filter((account) => world.groups[account.group]!.persona === persona);
const exchangesOf = (w: World, key: string, sessions = 12): ExchangeSpec[] => accountsOfGroup(w, key).flatMap((index) => sessionsOf(w, testCorpora(), index, sessions).flat());
const imagesOf = (exchange: ExchangeSpec): ImageSpec[] => exchange.request.messages.flatMap((turn) => [...(turn.images ?? []), ...(turn.toolResults ?? []).flatMap((result) => result.images ?? [])]);
const firstUser = (exchange: ExchangeSpec) => exchange.request.messages.find((turn) => turn.role === 'user')!.text;

describe('groups that send images', () => {
  it('are labelled like the others: campaigns attack with their kind, customers benign; no id or e-mail names them', () => {
    for (const campaign of IMAGE_CAMPAIGNS) {
      const group = world.groups.find((candidate) => candidate.key === campaign.name)!;
      expect(group).toMatchObject({ label: 'attack', persona: campaign.kind, campaign: campaign.name });
    }
    for (const persona of IMAGE_PERSONA_NAMES) {
      expect(world.groups.find((candidate) => candidate.key === persona)).toMatchObject({ label: 'benign', persona, campaign: null });
      expect(HARD_NEGATIVE_PERSONAS).toContain(persona);
      for (const account of ofPersona(persona)) expect(`${account.id} ${account.emailLocal}@${account.emailDomain} ${account.habits.systemPrompt}`).not.toMatch(/accessib|document_pipeline|browser_automation|persona/i);
    }
  });

  it('are built after every earlier group, so the accounts before them are the smoke world\'s own', () => {
    const base = buildWorld(smokeScenario(), testCorpora(), { scale: 1, seed: 5 });
    for (let index = 0; index < base.accounts.length; index++) expect(world.accounts.get(index)).toEqual(base.accounts.get(index));
    expect(world.accounts.length).toBeGreaterThan(base.accounts.length);
  });

  it('image harvest: mostly fresh images, base64 and links, PNG and JPEG, vision instructions from a few wordings per campaign, ordinary traffic mixed in', () => {
    const exchanges = exchangesOf(world, 'pixels', 20);
    const withImages = exchanges.filter((exchange) => imagesOf(exchange).length > 0);
    expect(withImages.length / exchanges.length).toBeGreaterThan(0.7);
    expect(withImages.length).toBeLessThan(exchanges.length);
    const images = withImages.flatMap(imagesOf);
    expect(new Set(images.map((image) => image.seed)).size / images.length).toBeGreaterThan(0.85);
    expect(new Set(images.map((image) => image.format))).toEqual(new Set(['png', 'jpeg']));
    expect(images.some((image) => image.url !== null) && images.some((image) => image.url === null)).toBe(true);
    const kilobytes = images.map((image) => image.bytes / 1024);
    expect(Math.min(...kilobytes)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...kilobytes)).toBeLessThanOrEqual(300);
    const bank = new Set(VISION_TASKS.flatMap((task) => Object.values(VISION_INSTRUCTIONS[task]).flat()));
    const wordings = new Set(withImages.map(firstUser));
    for (const wording of wordings) expect(bank.has(wording), wording).toBe(true);
    expect(wordings.size).toBeGreaterThan(5);
    expect(wordings.size).toBeLessThan(bank.size / 2);
    expect([...wordings].some((wording) => /step by step|reasoning/i.test(wording))).toBe(true);
  });

  it('computer use: long loops with the computer tool on Anthropic and function tools elsewhere, a screenshot answering every action', () => {
    for (const api of ['anthropic.messages', 'openai.chat_completions'] as const) {
      const w = imageWorld(api);
      const sessions = accountsOfGroup(w, 'screens').flatMap((index) => sessionsOf(w, testCorpora(), index, 6)).filter((session) => session.length > 1);
      expect(sessions.reduce((sum, session) => sum + session.length, 0) / sessions.length).toBeGreaterThanOrEqual(10);
      const loop = sessions.find((session) => session.some((exchange) => exchange.request.tools !== null))!;
      const names = loop.flatMap((exchange) => exchange.response.toolCalls.map((call) => call.name));
      if (api === 'anthropic.messages') expect(loop.some((exchange) => exchange.request.tools!.some((tool) => tool.anthropicBuiltin !== undefined) || exchange.request.tools!.some((tool) => tool.name === 'click'))).toBe(true);
      else expect(loop[0]!.request.tools!.map((tool) => tool.name)).toContain('click');
      expect(names.length).toBe(loop.length - 1);
      for (const exchange of loop.slice(1)) {
        const results = exchange.request.messages.flatMap((turn) => turn.toolResults ?? []);
        expect(results).toHaveLength(1);
        expect(results[0]!.images).toHaveLength(1);
      }
      const args = loop.flatMap((exchange) => exchange.response.toolCalls.map((call) => call.argsJson)).join(' ');
      expect(args).toMatch(/"(coordinate|x)"/);
    }
  });

  it('accessibility app: phone photos (mostly JPEG), one short system prompt, short descriptions, end-user ids, a few accounts of one org; follow-ups re-send the photo', () => {
    const apps = ofPersona('accessibility_app');
    expect(apps.length).toBeGreaterThanOrEqual(3);
    expect(new Set(apps.map((account) => account.orgId)).size).toBe(1);
    expect(new Set(apps.map((account) => account.habits.systemPrompt)).size).toBe(1);
    const exchanges = exchangesOf(world, 'accessibility_app', 30);
    const images = exchanges.flatMap(imagesOf);
    expect(images.filter((image) => image.format === 'jpeg').length / images.length).toBeGreaterThan(0.7);
    expect(exchanges.every((exchange) => exchange.request.endUser !== null)).toBe(true);
    expect(Math.max(...exchanges.map((exchange) => exchange.response.texts[0]!.length))).toBeLessThan(1200);
    const followUps = exchanges.filter((exchange) => exchange.request.messages.length > 1);
    expect(followUps.length).toBeGreaterThan(0);
    for (const exchange of followUps) expect(imagesOf(exchange)).toHaveLength(1);
  });

  it('document pipeline: scanned PNG pages through one JSON template at temperature 0, enterprise accounts of one org from cloud egress', () => {
    const pipelines = ofPersona('document_pipeline');
    expect(new Set(pipelines.map((account) => account.orgId)).size).toBe(1);
    expect(pipelines.every((account) => account.tier === 'enterprise' && account.network.kind === 'pool')).toBe(true);
    const exchanges = exchangesOf(world, 'document_pipeline', 20);
    expect(new Set(exchanges.map(firstUser)).size).toBe(1);
    expect(exchanges.every((exchange) => exchange.request.temperature === 0 && exchange.request.jsonOutput)).toBe(true);
    const pages = exchanges.flatMap(imagesOf);
    expect(pages.filter((page) => page.format === 'png').length / pages.length).toBeGreaterThan(0.7);
    for (const exchange of exchanges) expect(() => JSON.parse(exchange.response.texts[0]!)).not.toThrow();
  });

  it('browser automation: computer-use loops with screenshots, many worker IPs, end-user ids, round the clock', () => {
    const workers = ofPersona('browser_automation');
    for (const account of workers) {
      expect(account.schedule.profile).toBe('global');
      if (account.network.kind === 'pool') expect(world.pools.sizeOf(account.network.pool)).toBeGreaterThanOrEqual(10);
    }
    const sessions = accountsOfGroup(world, 'browser_automation').flatMap((index) => sessionsOf(world, testCorpora(), index, 5));
    expect(sessions.reduce((sum, session) => sum + session.length, 0) / sessions.length).toBeGreaterThanOrEqual(8);
    expect(sessions.flat().every((exchange) => exchange.request.endUser !== null && imagesOf(exchange).length > 0)).toBe(true);
  });

  it('are the same for the same seed and differ for another', () => {
    const again = imageWorld();
    for (const key of ['pixels', 'accessibility_app', 'document_pipeline']) expect(exchangesOf(again, key, 3)).toEqual(exchangesOf(world, key, 3));
    expect(exchangesOf(imageWorld(null, 6), 'pixels', 3)).not.toEqual(exchangesOf(world, 'pixels', 3));
  });

  it('appear in randomized worlds: the image personas in every world, image campaigns in most', () => {
    const worlds = Array.from({ length: 12 }, (_, index) => drawRandomWorld(index + 1).scenario);
    for (const scenario of worlds) {
      expect(scenario.personas.accessibility_app.apps).toBeGreaterThan(0);
      expect(scenario.personas.document_pipeline.pipelines).toBeGreaterThan(0);
      expect(scenario.personas.browser_automation.platforms).toBeGreaterThan(0);
    }
    for (const kind of IMAGE_CAMPAIGN_KINDS) expect(worlds.some((scenario) => scenario.campaigns.some((campaign) => campaign.kind === kind)), kind).toBe(true);
  });
});
