import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HARD_NEGATIVE_PERSONAS } from '../eval/index.js';
import { drawRandomWorld } from './world-randomizer.js';
import { parseScenarioText } from './scenario-loader.js';
import { buildWorld } from './world-builder.js';
import { CAMPAIGN_KINDS, IMAGE_CAMPAIGN_KINDS, LATER_CAMPAIGN_KINDS, PERSONA_NAMES, PROMPT_STYLES, SCHEDULE_KINDS, EMAIL_KINDS, type CampaignConfig } from './scenario-schema.js';
import { testCorpora } from './test-support/sim-fixtures.js';
import { accountsOfGroup, sessionsOf } from './test-support/session-sampler.js';

const SEEDS = Array.from({ length: 40 }, (_, index) => index + 1);
const worlds = SEEDS.map((seed) => drawRandomWorld(seed));
const campaigns: CampaignConfig[] = worlds.flatMap((world) => world.scenario.campaigns);

/** Exchanges an account of the campaign sends over the window, by the campaign's median rate. */
function medianVolume(campaign: CampaignConfig, days: number): number {
  const span = (campaign.end_day ?? days) - campaign.start_day;
  const active = campaign.account_active_days === null ? span : Math.min(span, (campaign.account_active_days[0] + campaign.account_active_days[1]) / 2);
  return campaign.requests_per_account_day * active;
}

describe('randomized worlds', () => {
  it('are the same for the same seed, differ between seeds, and parse back from their file to what is simulated', () => {
    expect(drawRandomWorld(7).text).toBe(worlds[6]!.text);
    expect(new Set(worlds.map((world) => world.text)).size).toBe(worlds.length);
    for (const world of worlds.slice(0, 5)) {
      expect(parseScenarioText(world.text, 'scenario.yaml')).toEqual(world.scenario);
      expect(world.text).toMatch(new RegExp(`--seed ${world.seed}`));
    }
  });

  it('draw two to six campaigns of the first kinds, up to two that send images and one or two that probe or harvest in other languages, and every campaign kind across a handful of seeds', () => {
    for (const world of worlds) {
      const kinds = world.scenario.campaigns.map((campaign) => campaign.kind as string);
      const images = kinds.filter((kind) => (IMAGE_CAMPAIGN_KINDS as readonly string[]).includes(kind)).length;
      const later = kinds.filter((kind) => (LATER_CAMPAIGN_KINDS as readonly string[]).includes(kind)).length;
      expect(kinds.length - images - later).toBeGreaterThanOrEqual(2);
      expect(kinds.length - images - later).toBeLessThanOrEqual(6);
      expect(images).toBeLessThanOrEqual(2);
      expect(later).toBeGreaterThanOrEqual(1);
      expect(later).toBeLessThanOrEqual(2);
    }
    for (const kind of CAMPAIGN_KINDS) expect(worlds.slice(0, 8).some((world) => world.scenario.campaigns.some((campaign) => campaign.kind === kind)), kind).toBe(true);
    expect(worlds.some((world) => new Set(world.scenario.campaigns.map((campaign) => campaign.kind)).size < world.scenario.campaigns.length)).toBe(true);
  });

  it('draw campaign knobs from wide ranges', () => {
    const shares = campaigns.map((campaign) => campaign.distillation_share);
    expect(Math.min(...shares)).toBeLessThanOrEqual(0.2);
    expect(shares.filter((share) => share === 1).length).toBeGreaterThan(campaigns.length / 8);
    for (const kind of CAMPAIGN_KINDS) expect(campaigns.some((campaign) => campaign.kind === kind && campaign.distillation_share < 0.7), kind).toBe(true);
    const prompts = campaigns.map((campaign) => campaign.content.system_prompts);
    expect(prompts).toContain(null);
    expect(prompts).toContain(0);
    expect(prompts.some((count) => count !== null && count >= 20)).toBe(true);
    for (const style of PROMPT_STYLES) expect(campaigns.some((campaign) => Object.keys(campaign.content.prompt_styles ?? {}).join() === style), style).toBe(true);
    const pools = campaigns.filter((campaign) => campaign.infrastructure.exit_provider === null).map((campaign) => campaign.infrastructure.pool_size);
    expect(Math.min(...pools)).toBeLessThan(10);
    expect(Math.max(...pools)).toBeGreaterThan(1000);
    const sticky = campaigns.map((campaign) => campaign.infrastructure.sticky_minutes);
    expect(sticky).toContain(0);
    expect(Math.max(...sticky)).toBeGreaterThan(120);
    expect(campaigns.some((campaign) => campaign.infrastructure.exit_provider !== null)).toBe(true);
    const maxed = campaigns.map((campaign) => campaign.content.maxed_tokens_share);
    expect(maxed).toContain(0);
    expect(Math.max(...maxed)).toBeGreaterThanOrEqual(0.9);
    expect(campaigns.some((campaign) => campaign.content.max_tokens_choices?.includes(1024))).toBe(true);
    const thinking = campaigns.map((campaign) => campaign.content.thinking_share);
    expect(Math.min(...thinking)).toBeLessThan(0.1);
    expect(Math.max(...thinking)).toBeGreaterThan(0.9);
    const samples = campaigns.map((campaign) => campaign.content.multi_sample_share);
    expect(samples).toContain(0);
    expect(Math.max(...samples)).toBeGreaterThan(0.2);
    expect(Math.max(...samples)).toBeLessThanOrEqual(0.3);
    const accounts = campaigns.map((campaign) => campaign.accounts);
    expect(Math.min(...accounts)).toBeLessThan(10);
    expect(Math.max(...accounts)).toBeGreaterThan(120);
    const volumes = worlds.flatMap((world) => world.scenario.campaigns.map((campaign) => medianVolume(campaign, world.scenario.window.days)));
    expect(Math.min(...volumes)).toBeLessThan(60);
    expect(Math.max(...volumes)).toBeGreaterThan(1500);
    for (const schedule of SCHEDULE_KINDS) expect(campaigns.some((campaign) => campaign.schedule === schedule), schedule).toBe(true);
    for (const email of EMAIL_KINDS) expect(campaigns.some((campaign) => campaign.infrastructure.email === email), email).toBe(true);
    expect(campaigns.some((campaign) => campaign.infrastructure.payment_cards === 0)).toBe(true);
    expect(campaigns.some((campaign) => campaign.infrastructure.payment_cards > 10)).toBe(true);
    expect(campaigns.some((campaign) => campaign.infrastructure.signup_bursts === 0)).toBe(true);
    expect(campaigns.some((campaign) => campaign.infrastructure.signup_bursts > 10)).toBe(true);
    expect(campaigns.some((campaign) => Object.keys(campaign.infrastructure.clients).length === 1)).toBe(true);
    expect(campaigns.some((campaign) => Object.keys(campaign.infrastructure.clients).length >= 5)).toBe(true);
    expect(campaigns.some((campaign) => campaign.account_active_days !== null)).toBe(true);
    expect(campaigns.some((campaign) => campaign.start_day > 0 || campaign.end_day !== null)).toBe(true);
  });

  it('mixes ordinary traffic into a drawn campaign\'s accounts at the drawn share', () => {
    let checked = 0;
    for (const { scenario, seed } of worlds.slice(0, 8)) {
      const world = buildWorld(scenario, testCorpora(), { scale: 1, seed });
      world.campaigns.forEach((runtime) => {
        const prompts = new Set(Object.values(runtime.systemPrompts ?? {}).flat());
        if (prompts.size === 0 || runtime.config.accounts < 10) return;
        const requests = accountsOfGroup(world, runtime.config.name)
          .slice(0, 40)
          .flatMap((index) => sessionsOf(world, testCorpora(), index, 25).map((session) => session[0]!.request));
        const distillation = requests.filter((request) => request.system !== null && prompts.has(request.system)).length / requests.length;
        expect(Math.abs(distillation - runtime.config.distillation_share), `${runtime.config.name} in seed ${seed}`).toBeLessThan(0.08);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(5);
  });
});
