import { pickClientIdentity } from './client-catalog.js';
import { utcOffsetFor } from './network-catalog.js';
import { APP_BRANDS } from './identity-bank.js';
import { fill } from './prompt-bank.js';
import { ACCESSIBILITY_SYSTEMS, BROWSER_AGENT_SYSTEMS, DOCUMENT_TEMPLATES, SCREEN_DISPLAYS } from './image-customer-bank.js';
import { bucketUrlBase } from './image-kit.js';
import { accountId, addPool, alignStack, apiForStack, apiKeyId, cardFingerprint, groupIndex, organicSignup, pickModelIndex, pushAccount, verificationFor, type PopulationContext } from './population-kit.js';
import { unitVolumeFactor, unitsNeeded } from './hard-negative-population.js';
import { baseHabits, cloudEgress, groupRng, newCompany, regionalServers } from './benign-kit.js';
import { DAY_MS, HOUR_MS, createSchedule } from './activity-sampler.js';
import type { ActivityWindow } from './world-model.js';

/**
 * Legitimate customers that send images and look like image harvesting or computer-use
 * distillation on some axis: an app describing photos for blind and low-vision users (high
 * volume, many end users, one short system prompt), a document pipeline (OCR and table
 * extraction at scale from one template, temperature 0, nightly batches from the cloud) and a
 * browser-automation product running computer-use agents for its customers (long screenshot
 * loops, many worker IPs, round the clock). Built after every other group, each from its own
 * seed. A persona with 0 units is left out.
 */
export function buildImageCustomers(context: PopulationContext): void {
  buildAccessibilityApps(context);
  buildDocumentPipelines(context);
  buildBrowserAutomation(context);
}

const REGIONS = ['US', 'US', 'GB', 'DE', 'IN', 'BR', 'JP', 'AU', 'FR', 'CA'];

function buildAccessibilityApps(context: PopulationContext): void {
  const config = context.scenario.personas.accessibility_app;
  if (config.apps === 0) return;
  const group = groupIndex(context, { key: 'accessibility_app', label: 'benign', persona: 'accessibility_app', campaign: null });
  const rng = groupRng(context, 'accessibility_app');
  const factor = unitVolumeFactor(context, config.apps);
  const more = unitsNeeded(context, config.apps);
  let accounts = 0;
  for (let app = 0; more(app, accounts); app++) {
    const company = newCompany(context, rng, rng.pick(['startup', 'standard', 'enterprise'] as const));
    const servers = addPool(context, regionalServers(rng, rng.range(config.server_ips[0], config.server_ips[1])));
    const stack = rng.pick(['openai-node', 'anthropic-typescript', 'openai-python', 'anthropic-python', 'python-httpx'] as const);
    const system = fill(rng.pick(ACCESSIBILITY_SYSTEMS), { brand: rng.pick(APP_BRANDS) });
    const endUsers = rng.range(config.end_users[0], config.end_users[1]);
    const userSeed = rng.u32();
    const urlBase = rng.chance(0.5) ? `https://media.${company.domain}/uploads/` : bucketUrlBase(rng);
    const maxTokens = rng.pick([300, 500, 1024]);
    const temperature = rng.pick([null, 0.2, 0.3, 0.5]);
    const size = Math.max(context.scenario.accounts.min_per_group - accounts, rng.range(config.accounts_per_app[0], config.accounts_per_app[1]));
    for (let a = 0; a < size; a++) {
      const api = apiForStack(context, stack, rng);
      // Each account serves the users of one region: the app's rhythm follows people's days there.
      const region = REGIONS[(a + rng.int(REGIONS.length)) % REGIONS.length]!;
      const requestRate = rng.logNormal(config.requests_per_account_day, config.activity_spread) * factor;
      const habits = baseHabits(config.output_chars, { kind: 'describer', endUsers, userSeed, urlBase });
      habits.systemPrompt = system;
      habits.maxTokens = maxTokens;
      habits.temperature = temperature;
      habits.stream = 0.6;
      pushAccount(context, {
        id: accountId(rng),
        orgId: company.id,
        apiKeys: Array.from({ length: rng.range(1, 3) }, () => apiKeyId(rng)),
        group,
        tier: company.tier,
        country: company.country,
        createdAtMs: organicSignup(rng, context.startMs - 30 * DAY_MS, 700),
        emailLocal: rng.pick(['api', 'platform', 'eng', 'ops', 'dev', 'accounts']),
        emailDomain: company.domain,
        paymentFingerprint: company.card ?? cardFingerprint(rng),
        signupIp: context.pools[company.office]!.endpoints[0]!.ip,
        verification: verificationFor(company.tier, rng),
        api,
        modelIndex: pickModelIndex(context.scenario, api, rng, 'cheap'),
        client: pickClientIdentity(alignStack(stack, api), rng),
        altClient: null,
        network: { kind: 'pool', pool: servers, stickyMinutes: 0 },
        offWindowNetwork: null,
        schedule: createSchedule({
          sessionsPerDay: requestRate / 1.5,
          profile: 'personal',
          utcOffset: utcOffsetFor(region, rng),
          windows: [],
          activeFromMs: context.startMs,
          activeToMs: context.endMs,
          activeDays: null,
          turns: [1, 2],
          gapSeconds: [8, 60],
        }),
        newModel: config.new_model,
        requestRate,
        habits,
        dormant: false,
      });
      accounts++;
    }
  }
}

function buildDocumentPipelines(context: PopulationContext): void {
  const config = context.scenario.personas.document_pipeline;
  if (config.pipelines === 0) return;
  const group = groupIndex(context, { key: 'document_pipeline', label: 'benign', persona: 'document_pipeline', campaign: null });
  const rng = groupRng(context, 'document_pipeline');
  const factor = unitVolumeFactor(context, config.pipelines);
  const more = unitsNeeded(context, config.pipelines);
  const days = Math.ceil((context.endMs - context.startMs) / DAY_MS);
  let accounts = 0;
  for (let pipeline = 0; more(pipeline, accounts); pipeline++) {
    const company = newCompany(context, rng, 'enterprise', rng.pick(['US', 'US', 'DE', 'GB', 'NL', 'FR', 'JP', 'CA']));
    const egress = addPool(context, cloudEgress(rng, rng.range(2, 6), company.country));
    const stack = rng.pick(['openai-python', 'anthropic-python', 'python-httpx', 'python-aiohttp', 'go-http'] as const);
    const template = rng.int(DOCUMENT_TEMPLATES.length);
    const urlBase = bucketUrlBase(rng);
    const utcOffset = utcOffsetFor(company.country, rng);
    const size = Math.max(context.scenario.accounts.min_per_group - accounts, rng.range(config.accounts_per_pipeline[0], config.accounts_per_pipeline[1]));
    const perDay = config.requests_per_day * factor;
    const [jobStart, jobEnd] = config.job_hours;
    const [open, close] = config.business_hours;
    // Nightly batches every day; the rest in business-hour batches on weekdays.
    const windows: ActivityWindow[] = [];
    for (let day = 0; day < days; day++) {
      const dayStart = context.startMs + day * DAY_MS;
      const weekday = (Math.floor((dayStart + utcOffset * HOUR_MS) / DAY_MS) + 4) % 7;
      const nightFrom = dayStart + (jobStart - utcOffset) * HOUR_MS;
      if (jobEnd > jobStart) windows.push({ startMs: nightFrom, endMs: nightFrom + (jobEnd - jobStart) * HOUR_MS, ratePerHour: (perDay * config.nightly_job_share) / (jobEnd - jobStart), tag: -1 });
      if (weekday !== 0 && weekday !== 6 && close > open) {
        const dayFrom = dayStart + (open - utcOffset) * HOUR_MS;
        windows.push({ startMs: dayFrom, endMs: dayFrom + (close - open) * HOUR_MS, ratePerHour: (perDay * (1 - config.nightly_job_share) * 7) / 5 / (close - open), tag: -1 });
      }
    }
    windows.sort((a, b) => a.startMs - b.startMs);
    const api = apiForStack(context, stack, rng);
    const client = pickClientIdentity(alignStack(stack, api), rng);
    const modelIndex = pickModelIndex(context.scenario, api, rng, 'strong');
    const provisionedMs = organicSignup(rng, context.startMs - 10 * DAY_MS, 500);
    for (let a = 0; a < size; a++) {
      const habits = baseHabits(config.output_chars, { kind: 'documents', template, urlBase });
      habits.maxTokens = rng.pick([2048, 4096, 4096, 8192]);
      habits.temperature = 0;
      pushAccount(context, {
        id: accountId(rng),
        orgId: company.id,
        apiKeys: [apiKeyId(rng)],
        group,
        tier: 'enterprise',
        country: company.country,
        createdAtMs: provisionedMs + rng.int(2 * DAY_MS),
        emailLocal: rng.pick(['docai-svc', 'ocr-pipeline', 'ap-automation', 'idp-prod', 'extraction']) + (a === 0 ? '' : `-${a + 1}`),
        emailDomain: company.domain,
        paymentFingerprint: company.card ?? cardFingerprint(rng),
        signupIp: context.pools[company.office]!.endpoints[0]!.ip,
        verification: verificationFor('enterprise', rng),
        api,
        modelIndex,
        client,
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
          gapSeconds: [1, 5],
        }),
        newModel: config.new_model,
        requestRate: perDay,
        habits,
        dormant: false,
      });
      accounts++;
    }
  }
}

function buildBrowserAutomation(context: PopulationContext): void {
  const config = context.scenario.personas.browser_automation;
  if (config.platforms === 0) return;
  const group = groupIndex(context, { key: 'browser_automation', label: 'benign', persona: 'browser_automation', campaign: null });
  const rng = groupRng(context, 'browser_automation');
  const factor = unitVolumeFactor(context, config.platforms);
  const more = unitsNeeded(context, config.platforms);
  const meanSteps = (config.agent_steps[0] + config.agent_steps[1]) / 2;
  let accounts = 0;
  for (let platform = 0; more(platform, accounts); platform++) {
    const company = newCompany(context, rng, rng.pick(['enterprise', 'startup'] as const));
    const servers = addPool(context, regionalServers(rng, rng.range(config.server_ips[0], config.server_ips[1])));
    const stack = rng.pick(['anthropic-python', 'anthropic-typescript', 'openai-python', 'openai-node', 'python-httpx'] as const);
    const system = fill(rng.pick(BROWSER_AGENT_SYSTEMS), { brand: rng.pick(APP_BRANDS) });
    const endUsers = rng.range(config.end_users[0], config.end_users[1]);
    const userSeed = rng.u32();
    const display = rng.int(SCREEN_DISPLAYS.length);
    const builtinShare = rng.chance(0.7) ? 1 : 0;
    const maxTokens = rng.pick([1024, 2048, 4096]);
    const temperature = rng.pick([null, 0, 0.2]);
    const size = Math.max(context.scenario.accounts.min_per_group - accounts, rng.range(config.accounts_per_platform[0], config.accounts_per_platform[1]));
    for (let a = 0; a < size; a++) {
      const api = apiForStack(context, stack, rng);
      const sessionsPerDay = rng.logNormal(config.sessions_per_day, config.activity_spread) * factor;
      const habits = baseHabits(config.output_chars, { kind: 'browser_agent', endUsers, userSeed, builtinShare, display });
      habits.systemPrompt = system;
      habits.maxTokens = maxTokens;
      habits.temperature = temperature;
      habits.stream = 0.3;
      pushAccount(context, {
        id: accountId(rng),
        orgId: company.id,
        apiKeys: Array.from({ length: rng.range(1, 3) }, () => apiKeyId(rng)),
        group,
        tier: company.tier,
        country: company.country,
        createdAtMs: organicSignup(rng, context.startMs - 20 * DAY_MS, 400),
        emailLocal: rng.pick(['api', 'infra', 'agents', 'platform', 'eng']),
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
          gapSeconds: [2, 12],
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
