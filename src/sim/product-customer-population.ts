import type { ClientStackName } from './scenario-schema.js';
import { TRANSLATION_LANGUAGES } from './scenario-schema.js';
import { pickClientIdentity } from './client-catalog.js';
import { utcOffsetFor } from './network-catalog.js';
import { TRANSLATION_SYSTEMS, TUTOR_GRADES, TUTOR_SYSTEM_TEMPLATES, fill } from './prompt-bank.js';
import { accountId, addPool, alignStack, apiForStack, apiKeyId, cardFingerprint, groupIndex, organicSignup, pickModelIndex, pushAccount, verificationFor, type PopulationContext } from './population-kit.js';
import type { Rng } from './seeded-rng.js';
import { DAY_MS, HOUR_MS, createSchedule } from './activity-sampler.js';
import type { ActivityWindow } from './world-model.js';
import { baseHabits, cloudEgress, groupRng, newCompany } from './benign-kit.js';
import { expectedPerDay, officeHourWindows, unitVolumeFactor, unitsNeeded } from './hard-negative-population.js';

/**
 * Legitimate products whose traffic looks like the later campaign kinds, because real ones do:
 * tutoring apps whose students ask "why?" and "can you show another way" after every answer
 * (multi-turn follow-ups on homework problems, like conversational probing), translation
 * agencies sending long documents in many languages and scripts (like a multilingual harvest),
 * and enterprise teams generating synthetic training data for their own classifiers
 * (templated prompts, long outputs, nightly jobs). They are built after every earlier group,
 * each from its own seed, so that adding them left every earlier account as it was. Unlike the
 * earlier personas, a count of 0 leaves one out of a scenario (smoke does, until detection of
 * what they resemble exists).
 */
export function buildProductCustomers(context: PopulationContext): void {
  buildTutoringApps(context);
  buildTranslationAgencies(context);
  buildSyntheticDataTeams(context);
}

function buildTutoringApps(context: PopulationContext): void {
  const config = context.scenario.personas.tutoring_app;
  if (config.apps === 0) return;
  const group = groupIndex(context, { key: 'tutoring_app', label: 'benign', persona: 'tutoring_app', campaign: null });
  const rng = groupRng(context, 'tutoring_app');
  const factor = unitVolumeFactor(context, config.apps);
  const more = unitsNeeded(context, config.apps);
  const turns: readonly [number, number] = [1 + config.follow_ups[0], 1 + config.follow_ups[1]];
  let accounts = 0;
  for (let app = 0; more(app, accounts); app++) {
    const company = newCompany(context, rng, rng.pick(['startup', 'standard', 'enterprise'] as const));
    const servers = addPool(context, cloudEgress(rng, rng.range(2, 8), rng.chance(0.6) ? company.country : undefined));
    const stack = rng.pick(['openai-node', 'anthropic-typescript', 'openai-python', 'anthropic-python', 'python-httpx'] as const);
    const system = fill(rng.pick(TUTOR_SYSTEM_TEMPLATES), { brand: company.name, grades: rng.pick(TUTOR_GRADES) });
    const endUsers = rng.range(config.students[0], config.students[1]);
    const userSeed = rng.u32();
    const passUser = rng.chance(config.end_user_id_share);
    const maxTokens = rng.pick([800, 1024, 1500, 2048]);
    const temperature = rng.pick([0.3, 0.5, 0.7, null]);
    // Students are in the app's own market: school hours and evenings in one time zone.
    const utcOffset = utcOffsetFor(company.country, rng);
    const card = company.card ?? cardFingerprint(rng);
    const size = Math.max(context.scenario.accounts.min_per_group - accounts, rng.range(config.accounts_per_app[0], config.accounts_per_app[1]));
    for (let a = 0; a < size; a++) {
      const api = apiForStack(context, stack, rng);
      const sessionsPerDay = rng.logNormal(config.sessions_per_day, config.activity_spread) * factor;
      const habits = baseHabits(config.output_chars, { kind: 'tutoring', endUsers, userSeed, passUser });
      habits.systemPrompt = system;
      habits.maxTokens = maxTokens;
      habits.temperature = temperature;
      habits.stream = 0.9;
      habits.reasoningShare = rng.chance(0.3) ? 0.1 : 0;
      pushAccount(context, {
        id: accountId(rng),
        orgId: company.id,
        apiKeys: Array.from({ length: rng.range(1, 3) }, () => apiKeyId(rng)),
        group,
        tier: company.tier,
        country: company.country,
        createdAtMs: organicSignup(rng, context.startMs - 30 * DAY_MS, 600),
        emailLocal: rng.pick(['api', 'dev', 'eng', 'platform', 'tech', 'billing']),
        emailDomain: company.domain,
        paymentFingerprint: card,
        signupIp: context.pools[company.office]!.endpoints[0]!.ip,
        verification: verificationFor(company.tier, rng),
        api,
        modelIndex: pickModelIndex(context.scenario, api, rng, 'cheap'),
        client: pickClientIdentity(alignStack(stack, api), rng),
        altClient: null,
        network: { kind: 'pool', pool: servers, stickyMinutes: 0 },
        offWindowNetwork: null,
        schedule: createSchedule({
          sessionsPerDay,
          profile: 'student',
          utcOffset,
          windows: [],
          activeFromMs: context.startMs,
          activeToMs: context.endMs,
          activeDays: null,
          turns,
          gapSeconds: [15, 150],
        }),
        newModel: config.new_model,
        requestRate: sessionsPerDay * ((turns[0] + turns[1]) / 2),
        habits,
        dormant: false,
      });
      accounts++;
    }
  }
}

/** A set of `count` target languages besides English, as a bit mask over `TRANSLATION_LANGUAGES`. */
function languageMask(rng: Rng, count: number): number {
  const others = TRANSLATION_LANGUAGES.map((_, index) => index).filter((index) => TRANSLATION_LANGUAGES[index] !== 'en');
  let mask = 1 << TRANSLATION_LANGUAGES.indexOf('en');
  for (let k = 0; k < Math.min(count, others.length); k++) mask |= 1 << others.splice(rng.int(others.length), 1)[0]!;
  return mask;
}

function buildTranslationAgencies(context: PopulationContext): void {
  const config = context.scenario.personas.translation_agency;
  if (config.agencies === 0) return;
  const group = groupIndex(context, { key: 'translation_agency', label: 'benign', persona: 'translation_agency', campaign: null });
  const rng = groupRng(context, 'translation_agency');
  const factor = unitVolumeFactor(context, config.agencies);
  const more = unitsNeeded(context, config.agencies);
  const [open, close] = config.office_hours;
  const meanChunks = 2.5;
  let accounts = 0;
  for (let agency = 0; more(agency, accounts); agency++) {
    const company = newCompany(context, rng, rng.pick(['standard', 'enterprise'] as const), rng.pick(['DE', 'FR', 'ES', 'NL', 'GB', 'US', 'PL', 'IE', 'JP', 'CA', 'BE']));
    // One corporate card for the agency, whatever the company uses elsewhere.
    const card = company.card ?? cardFingerprint(rng);
    const mask = languageMask(rng, rng.range(config.languages[0], config.languages[1]));
    const agencySeed = rng.u32();
    const system = rng.pick(TRANSLATION_SYSTEMS);
    const stack: ClientStackName = rng.pick(['python-httpx', 'openai-python', 'anthropic-python', 'python-requests', 'openai-node'] as const);
    const utcOffset = utcOffsetFor(company.country, rng);
    const ratePerHour = (config.requests_per_account_day * factor) / (close - open) / meanChunks;
    const windows = officeHourWindows(context, [open, close], utcOffset, ratePerHour, 0.1);
    const size = Math.max(context.scenario.accounts.min_per_group - accounts, rng.range(config.accounts_per_agency[0], config.accounts_per_agency[1]));
    for (let a = 0; a < size; a++) {
      const api = apiForStack(context, stack, rng);
      const habits = baseHabits([0, 0], { kind: 'translation', languageMask: mask, agencySeed, chunkMin: config.chunk_chars[0], chunkMax: config.chunk_chars[1] });
      habits.systemPrompt = system;
      habits.maxTokens = rng.pick([4096, 8192, 8192]);
      habits.temperature = rng.pick([0, 0.2, 0.3]);
      pushAccount(context, {
        id: accountId(rng),
        orgId: company.id,
        apiKeys: [apiKeyId(rng)],
        group,
        tier: company.tier,
        country: company.country,
        createdAtMs: organicSignup(rng, context.startMs - 20 * DAY_MS, 700),
        emailLocal: rng.pick(['localisation', 'translation', 'tms', 'mt-team', 'loc-ops', 'production', 'it']),
        emailDomain: company.domain,
        paymentFingerprint: card,
        signupIp: context.pools[company.office]!.endpoints[0]!.ip,
        verification: verificationFor(company.tier, rng),
        api,
        modelIndex: pickModelIndex(context.scenario, api, rng, 'strong'),
        client: pickClientIdentity(alignStack(stack, api), rng),
        altClient: null,
        network: { kind: 'pool', pool: company.office, stickyMinutes: 0 },
        offWindowNetwork: null,
        schedule: createSchedule({
          sessionsPerDay: 0,
          profile: 'work',
          utcOffset,
          windows,
          activeFromMs: context.startMs,
          activeToMs: context.endMs,
          activeDays: null,
          turns: [1, 4],
          gapSeconds: [5, 60],
        }),
        newModel: config.new_model,
        requestRate: config.requests_per_account_day * factor,
        habits,
        dormant: false,
      });
      accounts++;
    }
  }
}

/** Nightly generation jobs: `perDay` a day (at least one in the window), inside the local job hours. */
function nightlyJobs(context: PopulationContext, rng: Rng, perDay: number, hours: readonly [number, number], prompts: readonly [number, number], utcOffset: number): ActivityWindow[] {
  const days = Math.ceil((context.endMs - context.startMs) / DAY_MS);
  const forcedDay = perDay > 0 ? rng.int(Math.max(1, days - 1)) : -1;
  const windows: ActivityWindow[] = [];
  for (let day = 0; day < days; day++) {
    const jobs = Math.max(day === forcedDay && windows.length === 0 ? 1 : 0, rng.poisson(perDay));
    for (let j = 0; j < jobs; j++) {
      const length = Math.max(0.25, rng.uniform(0.3, 1) * (hours[1] - hours[0]));
      const localStart = rng.uniform(hours[0], Math.max(hours[0], hours[1] - length));
      const startMs = context.startMs + day * DAY_MS + (localStart - utcOffset) * HOUR_MS;
      if (startMs < context.startMs || startMs >= context.endMs) continue;
      windows.push({ startMs, endMs: startMs + length * HOUR_MS, ratePerHour: rng.range(prompts[0], prompts[1]) / length, tag: -1 });
    }
  }
  return windows.sort((a, b) => a.startMs - b.startMs);
}

function buildSyntheticDataTeams(context: PopulationContext): void {
  const config = context.scenario.personas.synthetic_data_team;
  if (config.teams === 0) return;
  const group = groupIndex(context, { key: 'synthetic_data_team', label: 'benign', persona: 'synthetic_data_team', campaign: null });
  const rng = groupRng(context, 'synthetic_data_team');
  const factor = unitVolumeFactor(context, config.teams);
  const more = unitsNeeded(context, config.teams);
  let accounts = 0;
  for (let team = 0; more(team, accounts); team++) {
    const company = newCompany(context, rng, 'enterprise');
    const egress = addPool(context, cloudEgress(rng, rng.range(2, 6), company.country));
    const card = company.card ?? cardFingerprint(rng);
    const templateSeed = rng.u32();
    const templates = rng.range(config.templates[0], config.templates[1]);
    const stack: ClientStackName = rng.pick(['python-aiohttp', 'openai-python', 'anthropic-python', 'python-httpx'] as const);
    const utcOffset = utcOffsetFor(company.country, rng);
    const temperature = Math.round(rng.uniform(config.temperature[0], config.temperature[1]) * 10) / 10;
    const maxTokens = rng.pick([4096, 8192, 16384]);
    const size = Math.max(context.scenario.accounts.min_per_group - accounts, rng.range(config.accounts_per_team[0], config.accounts_per_team[1]));
    for (let a = 0; a < size; a++) {
      const api = apiForStack(context, stack, rng);
      const windows = nightlyJobs(context, rng, config.jobs_per_day * factor, config.job_hours, config.prompts_per_job, utcOffset);
      const habits = baseHabits(config.output_chars, { kind: 'synthetic', templateSeed, templates });
      habits.maxTokens = maxTokens;
      habits.temperature = temperature;
      pushAccount(context, {
        id: accountId(rng),
        orgId: company.id,
        apiKeys: [apiKeyId(rng)],
        group,
        tier: 'enterprise',
        country: company.country,
        createdAtMs: organicSignup(rng, context.startMs - 10 * DAY_MS, 400),
        emailLocal: rng.pick(['ml-datagen', 'synthetic-data', 'ml-platform', 'datasci-svc', 'trust-ml', 'nlp-team']),
        emailDomain: company.domain,
        paymentFingerprint: card,
        signupIp: context.pools[company.office]!.endpoints[0]!.ip,
        verification: verificationFor('enterprise', rng),
        api,
        modelIndex: pickModelIndex(context.scenario, api, rng, 'any'),
        client: pickClientIdentity(alignStack(stack, api), rng),
        altClient: null,
        network: { kind: 'pool', pool: egress, stickyMinutes: 0 },
        offWindowNetwork: null,
        schedule: createSchedule({
          sessionsPerDay: 0,
          profile: 'flat',
          utcOffset,
          windows,
          activeFromMs: context.startMs,
          activeToMs: context.endMs,
          activeDays: null,
          turns: [1, 1],
          gapSeconds: [1, 4],
        }),
        newModel: config.new_model,
        requestRate: expectedPerDay(context, windows, 0, 1),
        habits,
        dormant: false,
      });
      accounts++;
    }
  }
}
