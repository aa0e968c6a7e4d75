import type { AccountTier } from '../model/account.js';
import type { CampaignConfig, CampaignTask, ClientStackName } from './scenario-schema.js';
import { CAMPAIGN_TASKS, VISION_TASKS } from './scenario-schema.js';
import { VISION_INSTRUCTIONS } from './vision-prompt-bank.js';
import { bucketUrlBase } from './image-kit.js';
import { pickClientIdentity, type ClientIdentity } from './client-catalog.js';
import { countryInfo, homeEndpoint, proxyCountryTable, utcOffsetFor, type Endpoint } from './network-catalog.js';
import { cheapDomain, personName, personalLocalPart, UNIVERSITIES } from './identity-bank.js';
import {
  AGENT_LANGUAGES,
  AGENT_OSES,
  AGENT_SYSTEM_TEMPLATES,
  AGENT_TASK_FRAMES,
  COT_CLOSES,
  COT_FRAMES,
  COT_LEADS,
  COT_REASONING,
  RUBRIC_CRITERIA,
  RUBRIC_FRAMES,
  RUBRIC_SYSTEMS,
  SAFE_REWRITE_FRAMES,
  TOOL_AGENT_SYSTEMS,
  fill,
} from './prompt-bank.js';
import { AGENT_TOOLS, APP_TOOLS, pickToolset } from './tool-catalog.js';
import { drawSketchWording } from './instruction-wording.js';
import { drawProbeWordings } from './probe-bank.js';
import { exitEndpoints, exitNetworkOf, providerNamed, providerPool, scaledPoolSize } from './exit-pools.js';
import { composeSystemPrompts } from './system-prompt-composer.js';
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
  volumeFactor,
  verificationFor,
  type PopulationContext,
} from './population-kit.js';
import { createRng, deriveSeed, seedOfText, weightedFromRecord, type Rng } from './seeded-rng.js';
import { DAY_MS, HOUR_MS, createSchedule } from './activity-sampler.js';
import type { ActivityWindow, CampaignRuntime, CampaignSketch, ImageSketch, NetworkAssignment } from './world-model.js';

/**
 * Distillation campaigns as the public reports describe them. What ties a campaign's accounts
 * together is coordination, never a single tell: a shared exit pool, a handful of payment cards,
 * sign-up bursts, one tooling build (user agent + TLS), synchronised shifts, shared prompt
 * sketches. The stealthy kind shares none of the infrastructure.
 */
export function buildCampaigns(context: PopulationContext, campaigns: CampaignRuntime[], which: (config: CampaignConfig) => boolean): void {
  context.scenario.campaigns.forEach((config, index) => {
    if (which(config)) campaigns[index] = buildCampaign(context, config, index);
  });
}

const IMAGE_TASKS: readonly CampaignTask[] = [...VISION_TASKS, 'computer_use'];

/** Campaigns that send images are built after the hard negatives: see `buildWorld`. */
export function sendsImages(config: CampaignConfig): boolean {
  return IMAGE_TASKS.some((task) => (config.content.tasks[task] ?? 0) > 0);
}

const DISPLAYS: ReadonlyArray<readonly [number, number]> = [[1024, 768], [1280, 800], [1280, 720], [1366, 768], [1440, 900], [1920, 1080]];

/** The campaign's instruction templates: a handful per task and style, as a harvesting script has. */
function imageWordings(rng: Rng): ImageSketch['wordings'] {
  const wordings = {} as ImageSketch['wordings'];
  for (const task of VISION_TASKS) {
    const bank = VISION_INSTRUCTIONS[task];
    const few = (size: number) => pickFew(rng, size, rng.range(1, 3));
    wordings[task] = { plain: few(bank.plain.length), paraphrase: few(bank.paraphrase.length), elicit: few(bank.elicit.length) };
  }
  return wordings;
}

/** A sketch's image tooling, from a stream of its own so that text sketches draw what they drew before. */
function imageSketch(rng: Rng, wordings: ImageSketch['wordings']): ImageSketch {
  return {
    wordings,
    urlBase: bucketUrlBase(rng),
    detail: rng.pick([null, null, 'high', 'auto', 'low'] as const),
    display: rng.pick(DISPLAYS),
    builtinComputerTool: rng.chance(0.7),
    screenshotJpegShare: rng.chance(0.3) ? 1 : 0,
    system: rng.pick(IMAGE_SYSTEMS),
  };
}

function pickFew(rng: Rng, size: number, count: number): number[] {
  const start = rng.int(size);
  return Array.from({ length: Math.min(size, count) }, (_, k) => (start + k * 3) % size);
}

const IMAGE_SYSTEMS = [
  'You are a helpful assistant that analyses images accurately and in detail.',
  'You are an expert vision model. Answer precisely and completely.',
  'You are an AI assistant with computer access. Complete the user\'s task by operating the computer. After each action, check the screenshot.',
  'You are a meticulous annotator. Follow the instruction exactly.',
  'You operate a Linux desktop with a browser through the tools provided. Work step by step and verify every action.',
];

const FREE_MAIL = ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com'];

const EMAIL_PATTERNS: ReadonlyArray<(first: string, last: string, rng: Rng) => string> = [
  (first, last, rng) => `${first}.${last}${rng.range(10, 99)}`,
  (first, last, rng) => `${first}${last}${rng.range(1000, 9999)}`,
  (first, last, rng) => `${first}_${last}${rng.range(1, 999)}`,
  (first, last, rng) => `${last}.${first}${rng.range(10, 99)}`,
];

function exitPool(context: PopulationContext, config: CampaignConfig, rng: Rng): Endpoint[] {
  const infra = config.infrastructure;
  return exitEndpoints(context, exitNetworkOf(infra.network), scaledPoolSize(infra.pool_size, context.scale), infra.countries, rng);
}

function makeSketches(config: CampaignConfig, rng: Rng, wordingSeed: number, laterSeed: number): CampaignSketch[] {
  const out: CampaignSketch[] = [];
  // Wordings come from a stream of their own, so that campaigns without prompt styles draw
  // exactly what they drew before the styles existed.
  const wordingRng = config.content.prompt_styles === null ? null : createRng(wordingSeed);
  // What only the later kinds need comes from another stream, for the same reason.
  const laterRng = createRng(laterSeed);
  const language = rng.pick(AGENT_LANGUAGES);
  for (let i = 0; i < config.content.templates; i++) {
    const pool = (size: number, count: number) => {
      const start = rng.int(size);
      return Array.from({ length: Math.min(size, count) }, (_, k) => (start + k * 5) % size);
    };
    const agentLanguage = rng.chance(0.7) ? language : rng.pick(AGENT_LANGUAGES);
    out.push({
      system: fill(rng.pick(AGENT_SYSTEM_TEMPLATES), { language: agentLanguage, os: rng.pick(AGENT_OSES) }),
      cotFrame: rng.int(COT_FRAMES.length),
      leads: pool(COT_LEADS.length, 3),
      reasons: pool(COT_REASONING.length, 3),
      closes: pool(COT_CLOSES.length, 3),
      rubricFrame: rng.int(RUBRIC_FRAMES.length),
      rubricSystem: rng.int(RUBRIC_SYSTEMS.length),
      criteria: pool(RUBRIC_CRITERIA.length, rng.range(3, 5)),
      safeFrame: rng.int(SAFE_REWRITE_FRAMES.length),
      agentFrame: rng.int(AGENT_TASK_FRAMES.length),
      agentLanguage,
      tools: rng.chance(0.6) ? pickToolset(AGENT_TOOLS, rng, 2, 3) : [...pickToolset(AGENT_TOOLS, rng, 1, 2), ...pickToolset(APP_TOOLS, rng, 1, 2)],
      toolSystem: rng.int(TOOL_AGENT_SYSTEMS.length),
      wording: wordingRng === null ? null : drawSketchWording(wordingRng),
      probes: config.kind === 'conversational_probing' ? drawProbeWordings(laterRng, laterRng.range(config.content.probe_wordings[0], config.content.probe_wordings[1])) : null,
      wordingSeed: config.kind === 'multilingual_harvest' ? laterRng.u32() : 0,
    });
  }
  return out;
}

function studentLikeLocal(rng: Rng): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return rng.chance(0.5) ? `${letters[rng.int(26)]}${letters[rng.int(26)]}${rng.range(1000, 99999)}` : `s${rng.range(1_000_000, 9_999_999)}`;
}

function composedSystemPrompts(config: CampaignConfig, seed: number): CampaignRuntime['systemPrompts'] {
  const count = config.content.system_prompts;
  if (count === null) return null;
  const out: Partial<Record<CampaignTask, string[]>> = {};
  if (count === 0) return out;
  for (const task of CAMPAIGN_TASKS) if ((config.content.tasks[task] ?? 0) > 0) out[task] = composeSystemPrompts(task, count, seed);
  return out;
}

/** Burst windows over [fromMs, toMs): `perDay` bursts a day at random times, each `minutes` long. */
function burstWindows(fromMs: number, toMs: number, perDay: number, minutes: number, ratePerHour: number, rng: Rng): ActivityWindow[] {
  const out: ActivityWindow[] = [];
  const lengthMs = minutes * 60_000;
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
    const count = rng.poisson(perDay);
    for (let b = 0; b < count; b++) {
      const start = day * DAY_MS + Math.floor(rng.float() * (DAY_MS - lengthMs));
      const from = Math.max(start, fromMs);
      const to = Math.min(start + lengthMs, toMs);
      if (from < to) out.push({ startMs: from, endMs: to, ratePerHour, tag: -1 });
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

function buildCampaign(context: PopulationContext, config: CampaignConfig, campaignIndex: number): CampaignRuntime {
  const group = groupIndex(context, { key: config.name, label: 'attack', persona: config.kind, campaign: config.name });
  const campaignSeed = deriveSeed(context.seed, seedOfText(`campaign:${config.name}`), campaignIndex);
  const rng = createRng(campaignSeed);
  const infra = config.infrastructure;
  const count = scaledCount(context, config.accounts);
  const factor = volumeFactor(context, config.accounts);
  const windowDays = Math.round((context.endMs - context.startMs) / DAY_MS);
  const startMs = context.startMs + config.start_day * DAY_MS;
  const endMs = context.startMs + (config.end_day ?? windowDays) * DAY_MS;

  const pool =
    infra.network === 'distinct_residential' ? -1 : infra.exit_provider !== null ? providerPool(context, providerNamed(context, infra.exit_provider)) : addPool(context, exitPool(context, config, rng));
  const cards = infra.payment_cards > 0 ? Array.from({ length: Math.max(1, Math.round(infra.payment_cards * context.scale)) }, () => cardFingerprint(rng)) : null;
  const catchalls = Array.from({ length: Math.max(2, Math.round(count / 120)) }, () => cheapDomain(rng));
  const universities = Array.from({ length: rng.range(2, 5) }, () => rng.pick(UNIVERSITIES));
  const countries = proxyCountryTable(infra.countries);
  const tiers = weightedFromRecord(infra.tiers);
  const stacks = weightedFromRecord(infra.clients);
  // The campaign's tooling: one build per stack, reused by most of its accounts.
  const tooling = new Map<ClientStackName, ClientIdentity>();
  for (const stack of stacks.items) tooling.set(stack, pickClientIdentity(stack, rng));
  const sketches = makeSketches(config, rng, deriveSeed(campaignSeed, 0x3011d), deriveSeed(campaignSeed, 0x9b0be));
  const toolingShare = infra.shared_tooling_share ?? 0.85;
  const maxTokensChoices = config.content.max_tokens_choices ?? [4096, 8192, 8192, 16384];
  const emailPattern = rng.int(1_000_000);

  // A probing session is its seed question and the follow-ups; other kinds' sessions are scripted bursts or agent loops.
  const sessionTurns: readonly [number, number] = config.kind === 'conversational_probing' ? [1 + config.content.follow_ups[0], 1 + config.content.follow_ups[1]] : config.content.agent_steps;
  const meanTurns = (sessionTurns[0] + sessionTurns[1]) / 2;
  const shiftWindows: ActivityWindow[] = [];
  if (config.schedule === 'shifts') {
    const perDay = config.shifts_per_day;
    const hours = config.shift_hours;
    const firstHour = rng.uniform(0, 24 / perDay);
    // Load balancing: every account gets the same share of the work in the same shifts.
    const ratePerHour = (config.requests_per_account_day * factor) / (perDay * hours) / meanTurns;
    for (let day = -1; day <= windowDays; day++) {
      for (let s = 0; s < perDay; s++) {
        const shiftStart = context.startMs + day * DAY_MS + (firstHour + (s * 24) / perDay) * HOUR_MS;
        const from = Math.max(shiftStart, startMs);
        const to = Math.min(shiftStart + hours * HOUR_MS, endMs);
        if (from < to) shiftWindows.push({ startMs: from, endMs: to, ratePerHour, tag: -1 });
      }
    }
    shiftWindows.sort((a, b) => a.startMs - b.startMs);
  }
  const burstRng = createRng(deriveSeed(campaignSeed, 0xb0257));
  const burstHours = (config.bursts_per_day * config.burst_minutes) / 60;
  const sharedBursts =
    config.schedule === 'bursts' && config.burst_sync
      ? burstWindows(startMs, endMs, config.bursts_per_day, config.burst_minutes, (config.requests_per_account_day * factor) / burstHours / meanTurns, burstRng)
      : null;

  // Activation: rotation gives each account a stretch of days; otherwise all run the whole campaign.
  interface Plan {
    fromMs: number;
    toMs: number;
  }
  const plans: Plan[] = [];
  for (let i = 0; i < count; i++) {
    if (config.account_active_days === null) {
      plans.push({ fromMs: startMs, toMs: endMs });
    } else {
      const span = Math.min(endMs - startMs, rng.uniform(config.account_active_days[0], config.account_active_days[1]) * DAY_MS);
      const from = startMs + rng.float() * (endMs - startMs - span);
      plans.push({ fromMs: Math.floor(from), toMs: Math.floor(from + span) });
    }
  }
  plans.sort((a, b) => a.fromMs - b.fromMs);
  const bursts = infra.signup_bursts > 0 ? Math.min(count, Math.max(1, Math.round(infra.signup_bursts * context.scale))) : 0;
  const burstTimes: number[] = [];
  for (let b = 0; b < bursts; b++) {
    // Burst b creates the accounts activated in its slice of the plan, some days before the first of them.
    const first = plans[Math.floor((b * count) / bursts)]!;
    const lead = rng.uniform(infra.signup_days_before[0], infra.signup_days_before[1]) * DAY_MS;
    burstTimes.push(Math.floor(first.fromMs - lead - rng.int(6 * HOUR_MS)));
  }

  for (let i = 0; i < count; i++) {
    const plan = plans[i]!;
    const tier: AccountTier = tiers.pick(rng);
    const edu = infra.email === 'edu' && (tier === 'education' || tier === 'research' || rng.chance(0.3));
    const university = rng.pick(universities);
    const country = edu ? university.country : countries.pick(rng);
    const stack = stacks.pick(rng);
    const api = apiForStack(context, stack, rng);
    const aligned = alignStack(stack, api);
    const stealth = infra.network === 'distinct_residential';
    const client = !stealth && tooling.has(aligned) && rng.chance(toolingShare) ? tooling.get(aligned)! : pickClientIdentity(aligned, rng);

    let local: string;
    let domain: string;
    const { first, last } = personName(rng);
    if (edu) {
      local = studentLikeLocal(rng);
      domain = university.domain;
    } else if (infra.email === 'catchall' && rng.chance(0.6)) {
      local = `${first}.${last}${rng.range(10, 9999)}`;
      domain = rng.pick(catchalls);
    } else if (stealth) {
      local = personalLocalPart(rng, first, last);
      domain = rng.pick(countryInfo(country).freeMailDomains);
    } else {
      // One address pattern for the whole campaign (each pattern is common among real users too).
      local = EMAIL_PATTERNS[emailPattern % EMAIL_PATTERNS.length]!(first, last, rng);
      domain = rng.pick(FREE_MAIL);
    }

    let network: NetworkAssignment;
    let signupIp: string;
    if (pool >= 0) {
      network = { kind: 'pool', pool, stickyMinutes: infra.sticky_minutes };
      signupIp = rng.pick(context.pools[pool]!.endpoints).ip;
    } else {
      const home = homeEndpoint(country, rng, context.scenario.traffic.ipv6_share, 0.1);
      const endpoints = [home];
      if (rng.chance(0.4)) endpoints.push(homeEndpoint(country, rng, context.scenario.traffic.ipv6_share, 0.9));
      network = { kind: 'own', endpoints };
      signupIp = home.ip;
    }

    const createdAtMs =
      bursts > 0 ? burstTimes[Math.min(bursts - 1, Math.floor((i * bursts) / count))]! + rng.int(Math.max(1, Math.floor(infra.signup_burst_minutes * 60_000))) : organicSignup(rng, plan.fromMs - 3 * DAY_MS, 420);
    const card = tierPays(tier) ? (cards !== null ? rng.pick(cards) : cardFingerprint(rng)) : null;
    const requestRate = rng.logNormal(config.requests_per_account_day, config.volume_spread ?? (stealth ? 0.5 : 0.25)) * factor;
    let schedule: { sessionsPerDay: number; profile: 'flat' | 'personal' | 'work'; windows: ActivityWindow[] };
    if (config.schedule === 'shifts') schedule = { sessionsPerDay: 0, profile: 'flat', windows: shiftWindows };
    else if (config.schedule === 'bursts') {
      const windows = sharedBursts ?? burstWindows(plan.fromMs, plan.toMs, config.bursts_per_day, config.burst_minutes, requestRate / burstHours / meanTurns, burstRng);
      schedule = { sessionsPerDay: 0, profile: 'flat', windows };
    } else schedule = { sessionsPerDay: requestRate / meanTurns, profile: config.schedule === 'diurnal' ? rng.pick(['personal', 'work'] as const) : 'flat', windows: [] };
    pushAccount(context, {
      id: accountId(rng),
      orgId: orgId(rng),
      apiKeys: rng.chance(0.3) ? [apiKeyId(rng), apiKeyId(rng)] : [apiKeyId(rng)],
      group,
      tier,
      country,
      createdAtMs: Math.min(createdAtMs, plan.fromMs - HOUR_MS),
      emailLocal: local,
      emailDomain: domain,
      paymentFingerprint: card,
      signupIp,
      verification: verificationFor(tier, rng, true),
      api,
      modelIndex: pickModelIndex(context.scenario, api, rng, 'strong'),
      client,
      altClient: null,
      network,
      offWindowNetwork: null,
      schedule: createSchedule({
        ...schedule,
        utcOffset: utcOffsetFor(country, rng),
        activeFromMs: plan.fromMs,
        activeToMs: plan.toMs,
        activeDays: null,
        turns: sessionTurns,
        gapSeconds: [2, 35],
      }),
      newModel: config.new_model,
      requestRate,
      habits: {
        maxTokens: rng.pick(maxTokensChoices),
        temperature: rng.pick([null, 0.7, 1, 0.8]),
        stream: stealth ? context.scenario.traffic.stream_share : 0.2,
        reasoningShare: config.content.thinking_share,
        reasoningLevel: 'high',
        systemPrompt: null,
        tools: null,
        outputChars: config.content.output_chars,
        content: { kind: 'campaign', campaign: campaignIndex, sketch: rng.int(sketches.length) },
      },
      dormant: false,
    });
  }
  if (sendsImages(config)) {
    const imageRng = createRng(deriveSeed(campaignSeed, 0x1a6e5));
    const wordings = imageWordings(imageRng);
    for (const sketch of sketches) sketch.images = imageSketch(imageRng, wordings);
  }
  return { config, group, sketches, systemPrompts: composedSystemPrompts(config, deriveSeed(campaignSeed, 0x5e5)), imageSeed: deriveSeed(campaignSeed, 0x1a6e) };
}
