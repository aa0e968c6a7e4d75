import type { AccountTier } from '../model/account.js';
import { BENCHMARKS, type ClientStackName } from './scenario-schema.js';
import { pickClientIdentity } from './client-catalog.js';
import { utcOffsetFor } from './network-catalog.js';
import { APP_BRANDS, UNIVERSITIES, personName } from './identity-bank.js';
import { PLATFORM_AGENT_SYSTEMS, SUPPORT_LINES, SUPPORT_SYSTEM_TEMPLATES, SUPPORT_TEMPLATES, fill } from './prompt-bank.js';
import { AGENT_TOOLS, APP_TOOLS, pickToolset } from './tool-catalog.js';
import {
  accountId,
  addPool,
  alignStack,
  apiForStack,
  apiKeyId,
  cardFingerprint,
  groupIndex,
  orgId,
  organicSignup,
  pickModelIndex,
  pushAccount,
  scaledCount,
  tierPays,
  verificationFor,
  volumeFactor,
  type PopulationContext,
} from './population-kit.js';
import { weightedFromRecord, type Rng } from './seeded-rng.js';
import { DAY_MS, HOUR_MS, createSchedule } from './activity-sampler.js';
import { evalTag, type ActivityWindow } from './world-model.js';
import { baseHabits, cloudEgress, groupRng, newCompany, regionalServers, universityPool } from './benign-kit.js';

/**
 * Legitimate customers built to look like distillation on one axis or more, because real ones
 * do: research labs running reasoning evaluations (elicitation, large thinking budgets, maxed
 * tokens), agent platforms relaying their users' long tool loops through a few accounts from
 * many servers, support-bot fleets (many accounts of one org with one system prompt, one IP
 * range, one card, synchronised hours, templated prompts), and benchmark harnesses that sample
 * the same prompt many times at temperature > 0. They are built after the campaigns, so that
 * adding them left every earlier account's index, and so its traffic, as it was.
 */
export function buildHardNegatives(context: PopulationContext): void {
  buildResearchLabs(context);
  buildAgentPlatforms(context);
  buildSupportFleets(context);
  buildSamplingBenchmarks(context);
}

/**
 * Units (labs, platforms, fleets) at this scale, and enough of them that the persona keeps
 * `min_per_group` accounts: `more(made)` says whether another unit is needed.
 */
export function unitsNeeded(context: PopulationContext, units: number): (index: number, accounts: number) => boolean {
  const wanted = Math.max(1, Math.round(units * context.scale));
  return (index, accounts) => index < wanted || accounts < context.scenario.accounts.min_per_group;
}

/**
 * Per-account volume of a persona built in units (labs, platforms, fleets): when keeping at
 * least one unit keeps more than the scale asks for, each account sends proportionally less, as
 * `volumeFactor` does for personas counted in accounts.
 */
export function unitVolumeFactor(context: PopulationContext, units: number): number {
  const wanted = units * context.scale;
  return Math.min(1, Math.max(0.1, wanted / Math.max(1, Math.round(wanted))));
}

/**
 * Evaluation runs: a Poisson number a day, mostly at night local time. An account with a run
 * rate gets at least one run in the window, so that at small scales it still sends something.
 */
function windowsOfRuns(context: PopulationContext, rng: Rng, options: { runsPerDay: number; utcOffset: number; prompts: readonly [number, number]; hours: readonly [number, number]; tag: () => number; nightShare: number }): ActivityWindow[] {
  const days = Math.ceil((context.endMs - context.startMs) / DAY_MS);
  const windows: ActivityWindow[] = [];
  const forcedDay = options.runsPerDay > 0 ? rng.int(Math.max(1, days - 1)) : -1;
  for (let day = 0; day < days; day++) {
    const runs = Math.max(day === forcedDay && windows.length === 0 ? 1 : 0, rng.poisson(options.runsPerDay));
    for (let r = 0; r < runs; r++) {
      const localHour = rng.chance(options.nightShare) ? rng.uniform(0, 6) : rng.uniform(9, 18);
      const startMs = context.startMs + day * DAY_MS + (localHour - options.utcOffset) * HOUR_MS;
      if (startMs < context.startMs || startMs >= context.endMs) continue;
      const prompts = rng.range(options.prompts[0], options.prompts[1]);
      const hours = Math.max(0.1, rng.uniform(options.hours[0], options.hours[1]));
      windows.push({ startMs, endMs: startMs + hours * HOUR_MS, ratePerHour: prompts / hours, tag: options.tag() });
    }
  }
  return windows.sort((a, b) => a.startMs - b.startMs);
}

export function expectedPerDay(context: PopulationContext, windows: readonly ActivityWindow[], sessionsPerDay: number, turns: number): number {
  const days = (context.endMs - context.startMs) / DAY_MS;
  const inWindows = windows.reduce((sum, window) => sum + (window.ratePerHour * (window.endMs - window.startMs)) / HOUR_MS, 0);
  return (inWindows / days + sessionsPerDay) * turns;
}

/**
 * The same local office hours every day of the window, quieter at weekends by `weekendShare`:
 * what an organisation's staffed hours look like from the API.
 */
export function officeHourWindows(context: PopulationContext, hoursOfDay: readonly [number, number], utcOffset: number, ratePerHour: number, weekendShare: number): ActivityWindow[] {
  const days = Math.ceil((context.endMs - context.startMs) / DAY_MS);
  const [open, close] = hoursOfDay;
  const windows: ActivityWindow[] = [];
  for (let day = -1; day <= days; day++) {
    const dayStart = context.startMs + day * DAY_MS;
    const weekday = (Math.floor((dayStart + utcOffset * HOUR_MS) / DAY_MS) + 4) % 7;
    const weekend = weekday === 0 || weekday === 6;
    const startMs = dayStart + (open - utcOffset) * HOUR_MS;
    windows.push({ startMs, endMs: startMs + (close - open) * HOUR_MS, ratePerHour: weekend ? ratePerHour * weekendShare : ratePerHour, tag: -1 });
  }
  return windows.sort((a, b) => a.startMs - b.startMs);
}


// ---------------------------------------------------------------------------------------------

function buildResearchLabs(context: PopulationContext): void {
  const config = context.scenario.personas.research_lab;
  const group = groupIndex(context, { key: 'research_lab', label: 'benign', persona: 'research_lab', campaign: null });
  const rng = groupRng(context, 'research_lab');
  const factor = unitVolumeFactor(context, config.labs);
  const more = unitsNeeded(context, config.labs);
  let researchers = 0;
  for (let lab = 0; more(lab, researchers); lab++) {
    const academic = rng.chance(0.55);
    const university = rng.pick(UNIVERSITIES);
    const company = academic ? null : newCompany(context, rng, 'enterprise');
    const country = academic ? university.country : company!.country;
    const office = academic ? universityPool(context, university) : company!.office;
    // Scheduled runs go out from the lab's GPU cluster or cloud account.
    const cluster = addPool(context, cloudEgress(rng, rng.range(2, 6), rng.chance(0.6) ? country : undefined));
    const tier: AccountTier = academic ? 'research' : rng.pick(['enterprise', 'research'] as const);
    const card = tierPays(tier) ? (company?.card ?? cardFingerprint(rng)) : null;
    // A university group has no company org; its researchers share one.
    const labOrgId = company?.id ?? orgId(rng);
    const stack = rng.pick(['anthropic-python', 'openai-python', 'python-httpx', 'python-aiohttp'] as const);
    const utcOffset = utcOffsetFor(country, rng);
    const size = Math.max(context.scenario.accounts.min_per_group - researchers, rng.range(config.researchers_per_lab[0], config.researchers_per_lab[1]));
    for (let r = 0; r < size; r++) {
      const api = apiForStack(context, stack, rng);
      const windows = windowsOfRuns(context, rng, { runsPerDay: config.runs_per_day * factor, utcOffset, prompts: config.prompts_per_run, hours: config.run_hours, tag: () => 1, nightShare: 0.65 });
      const sessionsPerDay = rng.logNormal(config.office_sessions_per_day, 0.6) * factor;
      const budget = Math.round(rng.uniform(config.thinking_budget[0], config.thinking_budget[1]) / 1024) * 1024;
      const habits = baseHabits(config.output_chars, { kind: 'lab', elicitShare: config.elicitation_share, judgeShare: config.judge_share, maxedShare: config.maxed_tokens_share, thinkingBudget: budget });
      habits.maxTokens = rng.pick([8192, 16384, 32000]);
      habits.temperature = rng.pick([0, 0, null, 0.6]);
      habits.stream = rng.chance(0.3) ? 0.8 : 0;
      habits.reasoningShare = rng.uniform(0.6, 0.95);
      habits.reasoningLevel = 'high';
      const { first, last } = personName(rng);
      pushAccount(context, {
        id: accountId(rng),
        orgId: labOrgId,
        apiKeys: [apiKeyId(rng), apiKeyId(rng)],
        group,
        tier,
        country,
        createdAtMs: organicSignup(rng, context.startMs - 5 * DAY_MS, 500),
        emailLocal: academic ? `${first}.${last}` : rng.chance(0.5) ? first : `${first}.${last}`,
        emailDomain: academic ? university.domain : company!.domain,
        paymentFingerprint: card,
        signupIp: context.pools[office]!.endpoints[0]!.ip,
        verification: verificationFor(tier, rng),
        api,
        modelIndex: pickModelIndex(context.scenario, api, rng, 'strong'),
        client: pickClientIdentity(alignStack(stack, api), rng),
        altClient: rng.chance(0.3) ? pickClientIdentity('curl', rng) : null,
        network: { kind: 'pool', pool: cluster, stickyMinutes: 0 },
        // Interactive sessions come from the office or campus more often than not.
        offWindowNetwork: { kind: 'pool', pool: office, stickyMinutes: 0 },
        schedule: createSchedule({
          sessionsPerDay,
          profile: 'work',
          utcOffset,
          windows,
          activeFromMs: context.startMs,
          activeToMs: context.endMs,
          activeDays: null,
          turns: [1, 2],
          gapSeconds: [20, 240],
        }),
        newModel: config.new_model,
        requestRate: expectedPerDay(context, windows, sessionsPerDay, 1.5),
        habits,
        dormant: false,
      });
      researchers++;
    }
  }
}

// ---------------------------------------------------------------------------------------------

function buildAgentPlatforms(context: PopulationContext): void {
  const config = context.scenario.personas.agent_platform;
  const group = groupIndex(context, { key: 'agent_platform', label: 'benign', persona: 'agent_platform', campaign: null });
  const rng = groupRng(context, 'agent_platform');
  const factor = unitVolumeFactor(context, config.platforms);
  const more = unitsNeeded(context, config.platforms);
  let accounts = 0;
  for (let platform = 0; more(platform, accounts); platform++) {
    const company = newCompany(context, rng, rng.pick(['enterprise', 'startup', 'standard'] as const));
    const servers = addPool(context, regionalServers(rng, rng.range(config.server_ips[0], config.server_ips[1])));
    const stack = rng.pick(['anthropic-typescript', 'openai-node', 'anthropic-python', 'openai-python', 'python-httpx', 'go-http'] as const);
    const brand = rng.pick(APP_BRANDS);
    const system = fill(rng.pick(PLATFORM_AGENT_SYSTEMS), { brand, date: 'today' });
    const tools = [...pickToolset(AGENT_TOOLS, rng, 2, 4), ...pickToolset(APP_TOOLS, rng, 1, 3)];
    const maxed = rng.chance(config.maxed_tokens_share);
    const passUser = rng.chance(config.end_user_id_share);
    const endUsers = rng.range(config.end_users[0], config.end_users[1]);
    const userSeed = rng.u32();
    const maxTokens = rng.pick([4096, 8192, 16384]);
    const temperature = rng.pick([null, 0.2, 0.7, 1]);
    const size = Math.max(context.scenario.accounts.min_per_group - accounts, rng.range(config.accounts_per_platform[0], config.accounts_per_platform[1]));
    const meanSteps = (config.agent_steps[0] + config.agent_steps[1]) / 2;
    for (let a = 0; a < size; a++) {
      const api = apiForStack(context, stack, rng);
      const sessionsPerDay = rng.logNormal(config.sessions_per_day, config.activity_spread) * factor;
      const habits = baseHabits(config.output_chars, { kind: 'platform', endUsers, userSeed, maxedShare: maxed ? 1 : 0, passUser });
      habits.systemPrompt = system;
      habits.tools = tools;
      habits.maxTokens = maxTokens;
      habits.temperature = temperature;
      habits.stream = 0.7;
      habits.reasoningShare = config.thinking_share;
      habits.reasoningLevel = rng.pick(['medium', 'high'] as const);
      pushAccount(context, {
        id: accountId(rng),
        orgId: company.id,
        apiKeys: Array.from({ length: rng.range(1, 4) }, () => apiKeyId(rng)),
        group,
        tier: company.tier,
        country: company.country,
        createdAtMs: organicSignup(rng, context.startMs - 20 * DAY_MS, 500),
        emailLocal: rng.pick(['api', 'platform', 'infra', 'eng', 'billing', 'ops', 'founders']),
        emailDomain: company.domain,
        paymentFingerprint: company.card ?? cardFingerprint(rng),
        signupIp: context.pools[company.office]!.endpoints[0]!.ip,
        verification: verificationFor(company.tier, rng),
        api,
        modelIndex: pickModelIndex(context.scenario, api, rng, 'strong'),
        client: pickClientIdentity(alignStack(stack, api), rng),
        altClient: null,
        network: { kind: 'pool', pool: servers, stickyMinutes: 0 },
        offWindowNetwork: null,
        schedule: createSchedule({
          sessionsPerDay,
          profile: 'global',
          utcOffset: utcOffsetFor(company.country, rng),
          windows: [],
          activeFromMs: context.startMs,
          activeToMs: context.endMs,
          activeDays: null,
          turns: config.agent_steps,
          gapSeconds: [3, 40],
        }),
        newModel: config.new_model,
        requestRate: sessionsPerDay * meanSteps,
        habits,
        dormant: false,
      });
      accounts++;
    }
  }
}

// ---------------------------------------------------------------------------------------------

const BOT_NAMES = ['support-bot', 'care-bot', 'helpdesk', 'svc-support', 'cx-assistant', 'support-ai'];
const BOT_SUFFIXES = ['eu', 'us', 'apac', 'billing', 'returns', 'tech', 'mobile', 'web', 'chat', 'email', 'de', 'fr', 'uk', 'latam'];

function buildSupportFleets(context: PopulationContext): void {
  const config = context.scenario.personas.support_fleet;
  const group = groupIndex(context, { key: 'support_fleet', label: 'benign', persona: 'support_fleet', campaign: null });
  const rng = groupRng(context, 'support_fleet');
  const factor = unitVolumeFactor(context, config.fleets);
  const more = unitsNeeded(context, config.fleets);
  const [open, close] = config.business_hours;
  const hours = close - open;
  const meanTurns = (config.turns[0] + config.turns[1]) / 2;
  let bots = 0;
  for (let fleet = 0; more(fleet, bots); fleet++) {
    const company = newCompany(context, rng, 'enterprise', rng.pick(['US', 'US', 'DE', 'GB', 'FR', 'NL', 'IN', 'JP', 'BR', 'CA']));
    // One office or cloud range: the bots run side by side.
    const range = addPool(context, cloudEgress(rng, rng.range(2, 5), company.country));
    const card = company.card ?? cardFingerprint(rng);
    const brand = company.name;
    const prompts = Array.from({ length: rng.range(config.system_prompts[0], config.system_prompts[1]) }, () => fill(rng.pick(SUPPORT_SYSTEM_TEMPLATES), { brand, line: rng.pick(SUPPORT_LINES) }));
    const template = rng.int(SUPPORT_TEMPLATES.length);
    const stack = rng.pick(['python-httpx', 'openai-python', 'anthropic-python', 'openai-node', 'go-http'] as const);
    const utcOffset = utcOffsetFor(company.country, rng);
    const ratePerHour = (config.requests_per_bot_day * factor) / hours / meanTurns;
    // Business hours, the same for every bot of the fleet: tickets are balanced across them.
    const windows = officeHourWindows(context, [open, close], utcOffset, ratePerHour, 0.35);
    const provisionedMs = organicSignup(rng, context.startMs - 3 * DAY_MS, 300);
    const maxTokens = rng.pick([512, 1024, 1024, 2048]);
    const temperature = rng.pick([0.2, 0.3, 0.5, 0]);
    const fleetSeed = rng.u32();
    const botName = rng.pick(BOT_NAMES);
    const size = Math.max(context.scenario.accounts.min_per_group - bots, rng.range(config.bots_per_fleet[0], config.bots_per_fleet[1]));
    // One bot framework build for the fleet.
    const api = apiForStack(context, stack, rng);
    const client = pickClientIdentity(alignStack(stack, api), rng);
    const modelIndex = pickModelIndex(context.scenario, api, rng, 'cheap');
    for (let b = 0; b < size; b++) {
      const habits = baseHabits(config.output_chars, { kind: 'fleet', template, fleetSeed });
      habits.systemPrompt = prompts[b % prompts.length]!;
      habits.maxTokens = maxTokens;
      habits.temperature = temperature;
      habits.stream = 0.5;
      pushAccount(context, {
        id: accountId(rng),
        orgId: company.id,
        apiKeys: [apiKeyId(rng)],
        group,
        tier: 'enterprise',
        country: company.country,
        createdAtMs: provisionedMs + rng.int(3 * HOUR_MS),
        emailLocal: `${botName}-${b < BOT_SUFFIXES.length ? BOT_SUFFIXES[b] : String(b + 1).padStart(2, '0')}`,
        emailDomain: company.domain,
        paymentFingerprint: card,
        signupIp: context.pools[company.office]!.endpoints[0]!.ip,
        verification: verificationFor('enterprise', rng),
        api,
        modelIndex,
        client,
        altClient: null,
        network: { kind: 'pool', pool: range, stickyMinutes: 0 },
        offWindowNetwork: null,
        schedule: createSchedule({
          sessionsPerDay: 0,
          profile: 'work',
          utcOffset,
          windows,
          activeFromMs: context.startMs,
          activeToMs: context.endMs,
          activeDays: null,
          turns: config.turns,
          gapSeconds: [20, 180],
        }),
        newModel: config.new_model,
        requestRate: config.requests_per_bot_day * factor,
        habits,
        dormant: false,
      });
      bots++;
    }
  }
}

// ---------------------------------------------------------------------------------------------

function buildSamplingBenchmarks(context: PopulationContext): void {
  const config = context.scenario.personas.sampling_benchmark;
  const group = groupIndex(context, { key: 'sampling_benchmark', label: 'benign', persona: 'sampling_benchmark', campaign: null });
  const rng = groupRng(context, 'sampling_benchmark');
  const count = scaledCount(context, config.accounts);
  const factor = volumeFactor(context, config.accounts);
  const benchmarks = weightedFromRecord(config.benchmarks);
  for (let i = 0; i < count; i++) {
    const academic = rng.chance(0.5);
    const university = rng.pick(UNIVERSITIES);
    const company = academic ? null : newCompany(context, rng, rng.pick(['enterprise', 'startup'] as const));
    const country = academic ? university.country : company!.country;
    const tier: AccountTier = academic ? 'research' : company!.tier;
    const stack: ClientStackName = rng.pick(['openai-python', 'openai-python', 'python-aiohttp', 'anthropic-python', 'python-httpx'] as const);
    const api = apiForStack(context, stack, rng);
    const multiSample = api === 'openai.chat_completions' && rng.chance(config.multi_sample_share);
    const pool = academic && rng.chance(0.5) ? universityPool(context, university) : addPool(context, cloudEgress(rng, rng.range(1, 4)));
    const utcOffset = utcOffsetFor(country, rng);
    const windows = windowsOfRuns(context, rng, {
      runsPerDay: config.runs_per_day * factor,
      utcOffset,
      prompts: config.prompts_per_run,
      hours: config.run_hours,
      tag: () => evalTag(BENCHMARKS.indexOf(benchmarks.pick(rng)), false, false),
      nightShare: 0.5,
    });
    const [samplesMin, samplesMax] = config.samples_per_prompt;
    const temperature = Math.round(rng.uniform(config.temperature[0], config.temperature[1]) * 10) / 10;
    const habits = baseHabits([200, 900], { kind: 'sampling', samplesMin, samplesMax, multiSample, temperature });
    habits.temperature = temperature;
    habits.reasoningShare = rng.chance(0.4) ? 0.5 : 0;
    habits.reasoningLevel = 'medium';
    const { first, last } = personName(rng);
    const turns: readonly [number, number] = multiSample ? [1, 1] : [samplesMin, samplesMax];
    pushAccount(context, {
      id: accountId(rng),
      orgId: company?.id ?? orgId(rng),
      apiKeys: [apiKeyId(rng)],
      group,
      tier,
      country,
      createdAtMs: organicSignup(rng, context.startMs - 7 * DAY_MS, 400),
      emailLocal: academic ? `${first}.${last}` : first,
      emailDomain: academic ? university.domain : company!.domain,
      paymentFingerprint: tierPays(tier) ? (company?.card ?? cardFingerprint(rng)) : null,
      signupIp: context.pools[pool]!.endpoints[0]!.ip,
      verification: verificationFor(tier, rng),
      api,
      modelIndex: pickModelIndex(context.scenario, api, rng, 'any'),
      client: pickClientIdentity(alignStack(stack, api), rng),
      altClient: null,
      network: { kind: 'pool', pool, stickyMinutes: 0 },
      offWindowNetwork: null,
      schedule: createSchedule({
        sessionsPerDay: 0,
        profile: 'flat',
        utcOffset,
        windows,
        activeFromMs: context.startMs,
        activeToMs: context.endMs,
        activeDays: null,
        turns,
        gapSeconds: [1, 6],
      }),
      newModel: config.new_model,
      requestRate: expectedPerDay(context, windows, 0, multiSample ? 1 : (samplesMin + samplesMax) / 2),
      habits,
      dormant: false,
    });
  }
}
