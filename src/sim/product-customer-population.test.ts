import { describe, expect, it } from 'vitest';
import { buildWorld } from './world-builder.js';
import { loadScenario } from './scenario-loader.js';
import { testCorpora } from './test-support/sim-fixtures.js';
import { fullAccountsOf } from './test-support/world-accounts.js';
import { accountsOfGroup, sessionsOf } from './test-support/session-sampler.js';
import { LANGUAGE_NAMES, SYNTHETIC_DATA_TEMPLATES, TRANSLATION_INSTRUCTIONS, TUTORING_FOLLOW_UPS } from './prompt-bank.js';
import { scriptLanguageOf } from './script-language.js';
import { agencyLanguages } from './product-customer-tasks.js';
import type { ExchangeSpec } from './exchange-spec.js';

const corpora = testCorpora();
const world = buildWorld(loadScenario('default').scenario, corpora, { scale: 0.05, seed: 6, accountFiles: true });
const accounts = fullAccountsOf(world);
const ofPersona = (persona: string) => accounts.filter((account) => world.groups[account.group]!.persona === persona);
const sessionsOfPersona = (persona: string, count: number): ExchangeSpec[][] => accountsOfGroup(world, persona).flatMap((index) => sessionsOf(world, corpora, index, count, 11));

describe('product customers', () => {
  it('are benign, and nothing in their traffic names them', () => {
    for (const persona of ['tutoring_app', 'translation_agency', 'synthetic_data_team']) {
      const group = world.groups.find((candidate) => candidate.key === persona)!;
      expect(group.label).toBe('benign');
      expect(ofPersona(persona).length).toBeGreaterThanOrEqual(3);
      for (const exchange of sessionsOfPersona(persona, 3).flat()) expect(JSON.stringify(exchange)).not.toMatch(/tutoring_app|translation_agency|synthetic_data_team/);
    }
  });

  it("tutoring apps: one org and product system prompt, students' multi-turn follow-ups on homework carrying the whole chat, many end users", () => {
    const tutors = ofPersona('tutoring_app');
    expect(new Set(tutors.map((account) => account.orgId)).size).toBe(1);
    expect(new Set(tutors.map((account) => account.habits.systemPrompt)).size).toBe(1);
    expect(tutors.every((account) => account.schedule.profile === 'student')).toBe(true);
    const sessions = sessionsOfPersona('tutoring_app', 15);
    const multiTurn = sessions.filter((session) => session.length > 1);
    expect(multiTurn.length / sessions.length).toBeGreaterThan(0.6);
    for (const session of multiTurn) {
      session.forEach((exchange, k) => {
        expect(exchange.request.messages).toHaveLength(2 * k + 1);
        if (k > 0) expect(TUTORING_FOLLOW_UPS).toContain(exchange.request.messages[2 * k]!.text);
      });
    }
    const endUsers = new Set(sessions.map((session) => session[0]!.request.endUser).filter((user) => user !== null));
    if (tutors[0]!.habits.content.kind === 'tutoring' && tutors[0]!.habits.content.passUser) expect(endUsers.size).toBeGreaterThan(sessions.length * 0.8);
  });

  it('translation agencies: one org and card, long chunks into many languages and scripts, one instruction per language pair', () => {
    const agency = ofPersona('translation_agency');
    expect(new Set(agency.map((account) => account.orgId)).size).toBe(1);
    expect(new Set(agency.map((account) => account.paymentFingerprint)).size).toBe(1);
    const languages = agency[0]!.habits.content.kind === 'translation' ? agencyLanguages(agency[0]!.habits.content) : [];
    expect(languages.length).toBeGreaterThanOrEqual(6);
    const instructionOfPair = new Map<string, number>();
    const targets = new Set<string>();
    const scripts = new Set<string>();
    for (const exchange of sessionsOfPersona('translation_agency', 30).flat()) {
      const text = exchange.request.messages[0]!.text;
      const template = TRANSLATION_INSTRUCTIONS.findIndex((frame) => text.startsWith(frame.slice(0, frame.indexOf('{'))));
      expect(template).toBeGreaterThanOrEqual(0);
      // The instruction names the pair, source first, before the document starts.
      const head = text.slice(0, text.indexOf('\n\n') > 0 ? text.indexOf('\n\n') : 120);
      const names = Object.entries(LANGUAGE_NAMES)
        .filter(([, name]) => head.includes(name))
        .sort(([, a], [, b]) => head.indexOf(a) - head.indexOf(b))
        .map(([code]) => code);
      // One template names the target first ("Translate into {to} (source: {from})").
      const pair = (TRANSLATION_INSTRUCTIONS[template]!.indexOf('{to}') < TRANSLATION_INSTRUCTIONS[template]!.indexOf('{from}') ? names.reverse() : names).join('>');
      if (instructionOfPair.has(pair)) expect(instructionOfPair.get(pair)).toBe(template);
      instructionOfPair.set(pair, template);
      for (const code of names) if (code !== 'en') targets.add(code);
      const script = scriptLanguageOf(exchange.response.texts[0]!);
      if (script !== null) scripts.add(script);
      expect(text.length).toBeGreaterThan(300);
    }
    expect(targets.size).toBeGreaterThanOrEqual(4);
    expect(scripts.size).toBeGreaterThanOrEqual(2);
  });

  it('synthetic-data teams: one enterprise org, templated prompts at high temperature, long outputs in nightly jobs from cloud egress', () => {
    const team = ofPersona('synthetic_data_team');
    expect(new Set(team.map((account) => account.orgId)).size).toBe(1);
    expect(team.every((account) => account.tier === 'enterprise' && account.network.kind === 'pool')).toBe(true);
    expect(team.every((account) => account.schedule.windows.length > 0 && account.schedule.sessionsPerDay === 0)).toBe(true);
    const requests = sessionsOfPersona('synthetic_data_team', 20).flat();
    const used = new Set<number>();
    for (const exchange of requests) {
      const text = exchange.request.messages[0]!.text;
      const template = SYNTHETIC_DATA_TEMPLATES.findIndex((frame) => text.startsWith(frame.slice(0, frame.indexOf('{'))));
      expect(template).toBeGreaterThanOrEqual(0);
      used.add(template);
      expect(exchange.request.temperature).toBeGreaterThanOrEqual(0.7);
      expect(exchange.response.texts[0]!.length).toBeGreaterThan(600);
    }
    expect(used.size).toBeLessThanOrEqual(6);
  });
});
