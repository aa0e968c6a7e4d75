import type { AccountTier } from '../model/account.js';
import { BENCHMARKS } from './scenario-schema.js';
import type { ClientStackName } from './scenario-schema.js';
import { pickClientIdentity, sdkStackFor } from './client-catalog.js';
import { endpointOfKind, homeEndpoint, neighbourOf, userCountryTable, utcOffsetFor, type Endpoint } from './network-catalog.js';
import { personName, UNIVERSITIES, APP_BRANDS } from './identity-bank.js';
import { APP_SYSTEM_TEMPLATES, CODING_TOOL_SYSTEMS, EVAL_FORMATS, fill } from './prompt-bank.js';
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
  pickApi,
  pickModelIndex,
  pushAccount,
  scaledCount,
  volumeFactor,
  tierPays,
  verificationFor,
  type PopulationContext,
} from './population-kit.js';
import { createWeightedTable, weightedFromRecord, type Rng } from './seeded-rng.js';
import { DAY_MS, HOUR_MS, createSchedule } from './activity-sampler.js';
import { evalTag, type ActivityWindow, type NetworkAssignment, type NewAccount } from './world-model.js';
import { baseHabits, cloudEgress, groupRng, homeEndpoints, maxTokensHabit, newCompany, personalEmail, temperatureHabit, tierTable, universityPool, vpnPool, type CompanyOrg } from './benign-kit.js';

/**
 * The legitimate population, one builder per persona. The last four personas are the hard
 * negatives: each carries some trait that a naive detector reads as an attack (one template at
 * huge volume, benchmark prompts verbatim in bursts, many IPs and end users, a campus network
 * with a sign-up burst and one assignment).
 */
export function buildBenignPopulation(context: PopulationContext): void {
  const developerGroup = groupIndex(context, { key: 'developer', label: 'benign', persona: 'developer', campaign: null });
  buildChatUsers(context);
  buildDevelopers(context, developerGroup);
  buildBatchPipelines(context, developerGroup);
  buildEvalHarnesses(context);
  buildResellers(context);
  buildClassrooms(context);
}

// ---------------------------------------------------------------------------------------------

function buildChatUsers(context: PopulationContext): void {
  const config = context.scenario.personas.chat_user;
  const group = groupIndex(context, { key: 'chat_user', label: 'benign', persona: 'chat_user', campaign: null });
  const rng = groupRng(context, 'chat_user');
  const countries = userCountryTable(config.countries);
  const tiers = tierTable(config.tiers);
  const count = scaledCount(context, config.accounts);
  const volume = volumeFactor(context, config.accounts);
  let previousCard: string | null = null;
  for (let i = 0; i < count; i++) {
    const country = countries.pick(rng);
    const tier = tiers.pick(rng);
    const frontEnd = rng.chance(config.front_end_share);
    const api = pickApi(context, rng);
    const stack: ClientStackName = frontEnd ? 'browser' : rng.chance(0.12) ? 'okhttp' : sdkStackFor(api, rng);
    const newcomer = rng.chance(0.03);
    const createdAtMs = newcomer ? context.startMs + rng.int(context.endMs - context.startMs - DAY_MS) : organicSignup(rng, context.startMs);
    const endpoints = homeEndpoints(context, country, rng);
    const network: NetworkAssignment = rng.chance(config.vpn_share) ? { kind: 'pool', pool: vpnPool(context), stickyMinutes: 45 } : { kind: 'own', endpoints };
    const email = personalEmail(rng, country);
    // A household shares a card now and then: benign accounts sharing a payment fingerprint.
    const card: string | null = tierPays(tier) ? (previousCard !== null && rng.chance(0.02) ? previousCard : cardFingerprint(rng)) : null;
    if (card !== null) previousCard = card;
    // Drawn only when some users have the habit, so that scenarios without it keep their bytes.
    const habitual = config.habitual_elicitation_share > 0 && rng.chance(config.habitual_elicitation_share);
    const elicitShare = habitual ? Math.max(config.elicitation_share, rng.uniform(0.5, 0.9)) : config.elicitation_share;
    const habits = baseHabits(config.output_chars, { kind: 'chat', distillShare: config.distillation_prompt_share, elicitShare, casual: rng.float() });
    habits.maxTokens = maxTokensHabit(api, rng);
    habits.temperature = temperatureHabit(rng);
    habits.stream = frontEnd ? 0.95 : context.scenario.traffic.stream_share;
    habits.reasoningShare = rng.chance(0.2) ? 0.4 : 0.02;
    habits.reasoningLevel = rng.pick(['low', 'medium', 'medium', 'high'] as const);
    if (rng.chance(0.35)) habits.systemPrompt = fill(rng.pick(APP_SYSTEM_TEMPLATES), { brand: rng.pick(APP_BRANDS), date: 'the current date' });
    const sessionsPerDay = rng.logNormal(config.sessions_per_day, config.activity_spread) * volume;
    pushAccount(context, {
      id: accountId(rng),
      orgId: orgId(rng),
      apiKeys: [apiKeyId(rng)],
      group,
      tier,
      country,
      createdAtMs,
      emailLocal: email.local,
      emailDomain: email.domain,
      paymentFingerprint: card,
      signupIp: endpoints[0]!.ip,
      verification: verificationFor(tier, rng),
      api,
      modelIndex: pickModelIndex(context.scenario, api, rng, 'any'),
      client: pickClientIdentity(alignStack(stack, api), rng),
      altClient: null,
      network,
      offWindowNetwork: null,
      schedule: createSchedule({
        sessionsPerDay,
        profile: 'personal',
        utcOffset: utcOffsetFor(country, rng),
        windows: [],
        activeFromMs: Math.max(context.startMs, createdAtMs),
        activeToMs: context.endMs,
        activeDays: null,
        turns: config.turns,
        gapSeconds: [25, 200],
      }),
      newModel: config.new_model,
      requestRate: sessionsPerDay * 2.5,
      habits,
      dormant: rng.chance(context.scenario.accounts.dormant_share),
    });
  }
}

// ---------------------------------------------------------------------------------------------

function addDeveloper(context: PopulationContext, group: number, rng: Rng, company: CompanyOrg | null, volume = 1): NewAccount {
  const config = context.scenario.personas.developer;
  const country = company?.country ?? userCountryTable(config.countries).pick(rng);
  const tier: AccountTier = company?.tier ?? weightedFromRecord(config.tiers).pick(rng);
  const agent = rng.chance(config.coding_agent_share);
  const toolBuilder = !agent && rng.chance(config.tool_builder_share);
  let stack: ClientStackName;
  if (agent) stack = rng.pick(['anthropic-typescript', 'anthropic-typescript', 'openai-node', 'node-fetch'] as const);
  else stack = rng.chance(0.12) ? rng.pick(['curl', 'python-httpx', 'python-requests', 'go-http'] as const) : sdkStackFor(context.apiTable.pick(rng), rng);
  const api = apiForStack(context, stack, rng);
  const { first, last } = personName(rng);
  const email = company !== null ? { local: rng.chance(0.7) ? `${first}.${last}` : `${first[0]}${last}`, domain: company.domain } : personalEmail(rng, country);
  const home = homeEndpoints(context, country, rng);
  const cloudBox = rng.chance(0.1);
  const network: NetworkAssignment = company !== null && rng.chance(0.75) ? { kind: 'pool', pool: company.office, stickyMinutes: 0 } : { kind: 'own', endpoints: cloudBox ? cloudEgress(rng, 1) : home };
  const habits = baseHabits(config.output_chars, {
    kind: 'developer',
    agentShare: agent ? 0.85 : 0,
    toolShare: toolBuilder ? 0.7 : 0.05,
    benchmarkShare: config.benchmark_prompt_share,
    agentSystem: agent ? rng.pick(CODING_TOOL_SYSTEMS) : null,
  });
  habits.maxTokens = agent ? (rng.chance(config.agent_maxed_share) ? 64000 : rng.pick([8192, 16384, 32000])) : maxTokensHabit(api, rng, [1024, 2048, 4096, 8192, 8192]);
  habits.temperature = agent ? null : rng.pick([null, 0, 0.2, 0.7]);
  habits.stream = agent ? 0.9 : context.scenario.traffic.stream_share;
  habits.reasoningShare = agent ? 0.45 : 0.1;
  habits.reasoningLevel = rng.pick(['medium', 'medium', 'high', 'low'] as const);
  if (toolBuilder) {
    habits.tools = pickToolset(APP_TOOLS, rng, 2, 3);
    habits.systemPrompt = fill(rng.pick(APP_SYSTEM_TEMPLATES), { brand: company?.name ?? rng.pick(APP_BRANDS), date: 'today' });
  } else if (agent) {
    habits.tools = pickToolset(AGENT_TOOLS, rng, 2, 3);
  } else if (rng.chance(0.3)) {
    habits.systemPrompt = fill(rng.pick(APP_SYSTEM_TEMPLATES), { brand: company?.name ?? rng.pick(APP_BRANDS), date: 'today' });
  }
  const sessionsPerDay = rng.logNormal(config.sessions_per_day, config.activity_spread) * volume;
  const createdAtMs = organicSignup(rng, context.startMs, 700);
  const tierCard = tierPays(tier) ? cardFingerprint(rng) : null;
  return pushAccount(context, {
    id: accountId(rng),
    orgId: company?.id ?? orgId(rng),
    apiKeys: rng.chance(0.4) ? [apiKeyId(rng), apiKeyId(rng)] : [apiKeyId(rng)],
    group,
    tier,
    country,
    createdAtMs,
    emailLocal: email.local,
    emailDomain: email.domain,
    // Org members pay with the corporate card: benign accounts sharing a payment fingerprint.
    paymentFingerprint: company?.card ?? tierCard,
    signupIp: network.kind === 'own' ? network.endpoints[0]!.ip : context.pools[network.pool]!.endpoints[0]!.ip,
    verification: verificationFor(tier, rng),
    api,
    modelIndex: pickModelIndex(context.scenario, api, rng, agent ? 'strong' : 'any'),
    client: pickClientIdentity(alignStack(stack, api), rng),
    altClient: rng.chance(0.3) ? pickClientIdentity('curl', rng) : null,
    network,
    offWindowNetwork: null,
    schedule: createSchedule({
      sessionsPerDay,
      profile: 'work',
      utcOffset: utcOffsetFor(country, rng),
      windows: [],
      activeFromMs: context.startMs,
      activeToMs: context.endMs,
      activeDays: null,
      turns: agent ? [config.turns[0] + 1, config.turns[1] + 6] : config.turns,
      gapSeconds: agent ? [4, 45] : [30, 240],
    }),
    newModel: config.new_model,
    requestRate: sessionsPerDay * (agent ? 6 : 3),
    habits,
    dormant: rng.chance(context.scenario.accounts.dormant_share),
  });
}

function buildDevelopers(context: PopulationContext, group: number): void {
  const config = context.scenario.personas.developer;
  const rng = groupRng(context, 'developer');
  const count = scaledCount(context, config.accounts);
  const volume = volumeFactor(context, config.accounts);
  let made = 0;
  while (made < count) {
    if (rng.chance(config.org_share)) {
      const company = newCompany(context, rng, rng.pick(['standard', 'standard', 'enterprise', 'startup'] as const));
      const size = Math.min(count - made, rng.range(config.org_size[0], config.org_size[1]));
      for (let i = 0; i < size; i++) addDeveloper(context, group, rng, company, volume);
      made += size;
    } else {
      addDeveloper(context, group, rng, null, volume);
      made++;
    }
  }
}

// ---------------------------------------------------------------------------------------------

const SERVICE_LOCALS = ['ml-platform', 'dataops', 'analytics-svc', 'ai-platform', 'nlp-team', 'integrations', 'platform-eng', 'svc-ai', 'automation', 'data-eng'];

function buildBatchPipelines(context: PopulationContext, developerGroup: number): void {
  const config = context.scenario.personas.batch_pipeline;
  const group = groupIndex(context, { key: 'batch_pipeline', label: 'benign', persona: 'batch_pipeline', campaign: null });
  const rng = groupRng(context, 'batch_pipeline');
  const count = scaledCount(context, config.accounts);
  const factor = volumeFactor(context, config.accounts);
  const days = Math.round((context.endMs - context.startMs) / DAY_MS);
  for (let i = 0; i < count; i++) {
    const company = newCompany(context, rng, 'enterprise', rng.pick(['US', 'US', 'US', 'DE', 'GB', 'IN', 'JP', 'FR', 'CA']));
    const stack = rng.pick(['openai-python', 'anthropic-python', 'python-httpx', 'python-aiohttp', 'go-http'] as const);
    const api = apiForStack(context, stack, rng);
    const egress = addPool(context, cloudEgress(rng, rng.range(1, 4), rng.chance(0.7) ? undefined : company.country));
    const volume = rng.logNormal(config.requests_per_day, config.activity_spread) * factor;
    const utcOffset = utcOffsetFor(company.country, rng);
    // The nightly job: a window per day at the same local hours.
    const windows: ActivityWindow[] = [];
    const [jobStart, jobEnd] = config.job_hours;
    const jobHours = Math.max(0.5, jobEnd - jobStart);
    for (let day = -1; day <= days; day++) {
      const startMs = context.startMs + day * DAY_MS + (jobStart - utcOffset) * HOUR_MS;
      windows.push({ startMs, endMs: startMs + jobHours * HOUR_MS, ratePerHour: (volume * config.nightly_job_share) / jobHours, tag: -1 });
    }
    windows.sort((a, b) => a.startMs - b.startMs);
    const habits = baseHabits(config.output_chars, { kind: 'batch', template: rng.int(1_000_000) });
    habits.maxTokens = rng.pick([16, 32, 64, 128, 256]);
    habits.temperature = rng.pick([0, 0, 0, 0.1]);
    const pipeline = pushAccount(context, {
      id: accountId(rng),
      orgId: company.id,
      apiKeys: [apiKeyId(rng)],
      group,
      tier: 'enterprise',
      country: company.country,
      createdAtMs: organicSignup(rng, context.startMs - 20 * DAY_MS, 500),
      emailLocal: rng.pick(SERVICE_LOCALS),
      emailDomain: company.domain,
      paymentFingerprint: company.card ?? cardFingerprint(rng),
      signupIp: context.pools[company.office]!.endpoints[0]!.ip,
      verification: verificationFor('enterprise', rng),
      api,
      modelIndex: pickModelIndex(context.scenario, api, rng, 'cheap'),
      client: pickClientIdentity(alignStack(stack, api), rng),
      altClient: null,
      network: { kind: 'pool', pool: egress, stickyMinutes: 0 },
      offWindowNetwork: null,
      schedule: createSchedule({
        sessionsPerDay: volume * (1 - config.nightly_job_share),
        profile: 'flat',
        utcOffset,
        windows,
        activeFromMs: context.startMs,
        activeToMs: context.endMs,
        activeDays: null,
        turns: [1, 1],
        gapSeconds: [1, 1],
      }),
      newModel: config.new_model,
      requestRate: volume,
      habits,
      dormant: false,
    });
    const developers = rng.range(config.org_developers[0], config.org_developers[1]);
    if (company.card === null) company.card = pipeline.paymentFingerprint;
    for (let d = 0; d < developers; d++) addDeveloper(context, developerGroup, rng, company);
  }
}

// ---------------------------------------------------------------------------------------------

function buildEvalHarnesses(context: PopulationContext): void {
  const config = context.scenario.personas.eval_harness;
  const group = groupIndex(context, { key: 'eval_harness', label: 'benign', persona: 'eval_harness', campaign: null });
  const rng = groupRng(context, 'eval_harness');
  const count = scaledCount(context, config.accounts);
  const factor = volumeFactor(context, config.accounts);
  const benchmarks = weightedFromRecord(config.benchmarks);
  const days = Math.ceil((context.endMs - context.startMs) / DAY_MS);
  for (let i = 0; i < count; i++) {
    const academic = rng.chance(0.5);
    const university = rng.pick(UNIVERSITIES);
    const company = academic ? null : newCompany(context, rng, 'enterprise');
    const country = academic ? university.country : company!.country;
    const tier: AccountTier = academic ? 'research' : rng.pick(['enterprise', 'research', 'standard'] as const);
    const stack = rng.pick(['openai-python', 'anthropic-python', 'python-httpx', 'python-aiohttp', 'openai-python'] as const);
    const api = apiForStack(context, stack, rng);
    const pool = academic && rng.chance(0.6) ? universityPool(context, university) : addPool(context, cloudEgress(rng, rng.range(1, 3)));
    const utcOffset = utcOffsetFor(country, rng);
    const windows: ActivityWindow[] = [];
    const addRun = (startMs: number, benchmark: number, onNew: boolean, share = 1) => {
      const name = BENCHMARKS[benchmark]!;
      const passAtK = name === 'humaneval_mbpp' && rng.chance(config.pass_at_k_share);
      const prompts = Math.max(5, Math.round(rng.range(config.prompts_per_run[0], config.prompts_per_run[1]) * share));
      const hours = Math.max(0.1, rng.uniform(config.run_hours[0], config.run_hours[1]));
      windows.push({ startMs, endMs: startMs + hours * HOUR_MS, ratePerHour: prompts / hours, tag: evalTag(benchmark, onNew, passAtK) });
    };
    for (let day = 0; day < days; day++) {
      const runs = rng.poisson(config.runs_per_day * factor);
      for (let r = 0; r < runs; r++) {
        // Scheduled runs go at night local time; ad-hoc ones in working hours.
        const localHour = rng.chance(0.6) ? rng.uniform(0, 6) : rng.uniform(9, 18);
        const startMs = context.startMs + day * DAY_MS + (localHour - utcOffset) * HOUR_MS;
        if (startMs < context.startMs || startMs >= context.endMs) continue;
        const adoption = Math.min(1, Math.max(0, (startMs - context.releaseMs) / (config.new_model.within_hours * HOUR_MS)));
        addRun(startMs, BENCHMARKS.indexOf(benchmarks.pick(rng)), rng.chance(config.new_model.share * adoption));
      }
    }
    // The re-run on the new model soon after the release, plus the same benchmarks on the old one for comparison.
    const rerunAt = context.releaseMs + rng.uniform(config.rerun_after_release_hours[0], config.rerun_after_release_hours[1]) * HOUR_MS;
    const rerunCount = rng.range(2, 4);
    for (let r = 0; r < rerunCount; r++) {
      const benchmark = BENCHMARKS.indexOf(benchmarks.pick(rng));
      const at = rerunAt + r * rng.uniform(0.5, 2) * HOUR_MS;
      // Re-runs happen at any scale; at small scales they run a smaller slice of the benchmark.
      if (at < context.endMs) addRun(at, benchmark, true, factor);
      if (rng.chance(0.5) && at + 3 * HOUR_MS < context.endMs) addRun(at + 3 * HOUR_MS, benchmark, false, factor);
    }
    windows.sort((a, b) => a.startMs - b.startMs);
    const expected = windows.reduce((sum, window) => sum + (window.ratePerHour * (window.endMs - window.startMs)) / HOUR_MS, 0);
    const { first, last } = personName(rng);
    const habits = baseHabits([150, 700], { kind: 'eval', passAtK: config.pass_at_k_share });
    habits.temperature = 0;
    habits.reasoningShare = 0.6;
    habits.reasoningLevel = 'high';
    pushAccount(context, {
      id: accountId(rng),
      orgId: company?.id ?? orgId(rng),
      apiKeys: [apiKeyId(rng), apiKeyId(rng)],
      group,
      tier,
      country,
      createdAtMs: organicSignup(rng, context.startMs - 10 * DAY_MS, 400),
      emailLocal: academic ? `${first}.${last}` : rng.chance(0.5) ? `${first}` : `${first}.${last}`,
      emailDomain: academic ? university.domain : company!.domain,
      paymentFingerprint: tierPays(tier) ? (company?.card ?? cardFingerprint(rng)) : null,
      signupIp: context.pools[pool]!.endpoints[0]!.ip,
      verification: verificationFor(tier, rng),
      api,
      modelIndex: pickModelIndex(context.scenario, api, rng, 'strong'),
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
        turns: [1, 1],
        gapSeconds: [1, 1],
      }),
      newModel: config.new_model,
      requestRate: (expected / days) * 3,
      habits,
      dormant: false,
    });
  }
  // Every format must exist for every benchmark name; a missing one is a programming error.
  for (const name of BENCHMARKS) if (EVAL_FORMATS[name] === undefined) throw new Error(`no eval format for ${name}`);
}

// ---------------------------------------------------------------------------------------------

function buildResellers(context: PopulationContext): void {
  const config = context.scenario.personas.reseller;
  const group = groupIndex(context, { key: 'reseller', label: 'benign', persona: 'reseller', campaign: null });
  const rng = groupRng(context, 'reseller');
  const count = scaledCount(context, config.accounts);
  const factor = volumeFactor(context, config.accounts);
  for (let i = 0; i < count; i++) {
    const company = newCompany(context, rng, rng.pick(['enterprise', 'standard', 'startup'] as const));
    const stack = rng.pick(['go-http', 'openai-node', 'openai-python', 'python-aiohttp', 'anthropic-typescript'] as const);
    const api = apiForStack(context, stack, rng);
    const servers: Endpoint[] = [];
    const serverCount = rng.range(config.server_ips[0], config.server_ips[1]);
    const regions = rng.range(2, 4);
    const regionSeeds = Array.from({ length: regions }, () => endpointOfKind('datacenter', rng));
    for (let s = 0; s < serverCount; s++) {
      const region = regionSeeds[s % regions]!;
      servers.push(rng.chance(0.6) ? neighbourOf(region, rng) : endpointOfKind('datacenter', rng, region.country));
    }
    const volume = rng.logNormal(config.requests_per_day, config.activity_spread) * factor;
    const brand = rng.pick(APP_BRANDS);
    const habits = baseHabits(config.output_chars, {
      kind: 'reseller',
      endUsers: rng.range(config.end_users[0], config.end_users[1]),
      distillShare: config.distillation_prompt_share,
      userSeed: rng.u32(),
    });
    habits.systemPrompt = fill(rng.pick(APP_SYSTEM_TEMPLATES), { brand, date: 'today' });
    habits.maxTokens = rng.pick([1024, 2048, 4096]);
    habits.temperature = rng.pick([0.7, 0.8, 1, null]);
    habits.stream = 0.85;
    habits.reasoningShare = 0.08;
    const keys = Array.from({ length: rng.range(2, 5) }, () => apiKeyId(rng));
    pushAccount(context, {
      id: accountId(rng),
      orgId: company.id,
      apiKeys: keys,
      group,
      tier: company.tier,
      country: company.country,
      createdAtMs: organicSignup(rng, context.startMs - 30 * DAY_MS, 600),
      emailLocal: rng.pick(['api', 'dev', 'admin', 'billing', 'founders', 'tech']),
      emailDomain: company.domain,
      paymentFingerprint: company.card ?? cardFingerprint(rng),
      signupIp: context.pools[company.office]!.endpoints[0]!.ip,
      verification: verificationFor(company.tier, rng),
      api,
      modelIndex: pickModelIndex(context.scenario, api, rng, 'any'),
      client: pickClientIdentity(alignStack(stack, api), rng),
      altClient: null,
      network: { kind: 'pool', pool: addPool(context, servers), stickyMinutes: 0 },
      offWindowNetwork: null,
      schedule: createSchedule({
        sessionsPerDay: volume / 1.8,
        profile: 'global',
        utcOffset: utcOffsetFor(company.country, rng),
        windows: [],
        activeFromMs: context.startMs,
        activeToMs: context.endMs,
        activeDays: null,
        turns: [1, 3],
        gapSeconds: [15, 150],
      }),
      newModel: config.new_model,
      requestRate: volume,
      habits,
      dormant: false,
    });
  }
}

// ---------------------------------------------------------------------------------------------

const STUDENT_LOCAL = (rng: Rng, first: string, last: string): string => {
  const u = rng.float();
  if (u < 0.35) return `${first}.${last}`;
  if (u < 0.55) return `${first[0]}${last}${rng.range(1, 99)}`;
  if (u < 0.8) return `${first[0]}${last[0]}${rng.range(1000, 99999)}`;
  return `${first}${last}${rng.range(20, 29)}`;
};

const STUDENT_TURNS = [1, 4] as const;
const MEAN_STUDENT_TURNS = (STUDENT_TURNS[0] + STUDENT_TURNS[1]) / 2;

function buildClassrooms(context: PopulationContext): void {
  const config = context.scenario.personas.classroom;
  const group = groupIndex(context, { key: 'classroom', label: 'benign', persona: 'classroom', campaign: null });
  const rng = groupRng(context, 'classroom');
  const minStudents = context.scenario.accounts.min_per_group;
  const classes = Math.max(1, Math.round(config.classes * context.scale));
  const days = Math.ceil((context.endMs - context.startMs) / DAY_MS);
  const corpusTable = createWeightedTable([['gsm8k_train', 0.35], ['math_competition', 0.2], ['code_benchmarks', 0.25], ['essay', 0.2]] as const);
  let students = 0;
  for (let c = 0; c < classes || students < minStudents; c++) {
    const university = rng.pick(UNIVERSITIES);
    const campus = universityPool(context, university);
    const termStartMs = context.startMs - rng.uniform(config.signup_days_before_window[0], config.signup_days_before_window[1]) * DAY_MS;
    const utcOffset = utcOffsetFor(university.country, rng);
    const corpus = corpusTable.pick(rng);
    const corpusSize = corpus === 'essay' ? 6 : context.corpora.texts(corpus).length;
    const items = Array.from({ length: 6 }, () => rng.int(corpusSize));
    context.classes.push({ corpus, items, number: rng.range(2, 9) });
    const classIndex = context.classes.length - 1;
    // Meetings: the same weekdays and hour every week, the whole class at once.
    const meetingDays = new Set<number>();
    const perWeek = Math.min(5, Math.max(0, Math.round(config.meetings_per_week)));
    while (meetingDays.size < perWeek) meetingDays.add(1 + rng.int(5));
    const meetingHour = rng.range(8, 15);
    const windows: ActivityWindow[] = [];
    for (let day = 0; day < days; day++) {
      const dayStart = context.startMs + day * DAY_MS;
      const weekday = (Math.floor((dayStart + utcOffset * HOUR_MS) / DAY_MS) + 4) % 7;
      if (!meetingDays.has(weekday)) continue;
      const startMs = dayStart + (meetingHour - utcOffset) * HOUR_MS;
      const minutes = config.meeting_minutes;
      windows.push({ startMs, endMs: startMs + minutes * 60_000, ratePerHour: (config.requests_per_meeting * 60) / minutes / MEAN_STUDENT_TURNS, tag: windows.length });
    }
    windows.sort((a, b) => a.startMs - b.startMs);
    const portalStack: ClientStackName = rng.chance(0.6) ? 'browser' : 'openai-python';
    const api = portalStack === 'browser' ? pickApi(context, rng) : apiForStack(context, portalStack, rng);
    const tutorPrompt = rng.chance(0.7) ? fill(APP_SYSTEM_TEMPLATES[3]!, {}) : null;
    const size = Math.max(minStudents - students, rng.range(config.students_per_class[0], config.students_per_class[1]));
    for (let s = 0; s < size; s++) {
      const { first, last } = personName(rng);
      const home = homeEndpoint(university.country, rng, context.scenario.traffic.ipv6_share, 0.3);
      const createdAtMs = termStartMs + rng.int(36 * HOUR_MS);
      const habits = baseHabits(config.output_chars, { kind: 'classroom', classIndex, casual: rng.float() });
      habits.maxTokens = maxTokensHabit(api, rng, [1024, 2048, 4096]);
      habits.stream = portalStack === 'browser' ? 0.95 : 0.2;
      habits.reasoningShare = 0.05;
      habits.systemPrompt = tutorPrompt;
      const homework = rng.logNormal(config.homework_sessions_per_day, 0.7);
      pushAccount(context, {
        id: accountId(rng),
        orgId: orgId(rng),
        apiKeys: [apiKeyId(rng)],
        group,
        tier: 'education',
        country: university.country,
        createdAtMs,
        emailLocal: STUDENT_LOCAL(rng, first, last),
        emailDomain: university.domain,
        paymentFingerprint: null,
        signupIp: rng.chance(0.7) ? rng.pick(context.pools[campus]!.endpoints).ip : home.ip,
        verification: verificationFor('education', rng),
        api,
        modelIndex: pickModelIndex(context.scenario, api, rng, 'any'),
        client: pickClientIdentity(alignStack(portalStack, api), rng),
        altClient: null,
        network: { kind: 'pool', pool: campus, stickyMinutes: 0 },
        offWindowNetwork: { kind: 'own', endpoints: [home] },
        schedule: createSchedule({
          sessionsPerDay: homework,
          profile: 'student',
          utcOffset,
          windows,
          activeFromMs: context.startMs,
          activeToMs: context.endMs,
          activeDays: null,
          turns: STUDENT_TURNS,
          gapSeconds: [30, 200],
        }),
        newModel: config.new_model,
        requestRate: homework * 2 + config.requests_per_meeting,
        habits,
        dormant: false,
      });
      students++;
    }
  }
}
