import { Document, isScalar, visit } from 'yaml';
import { API_KINDS } from '../model/exchange.js';
import { ACCOUNT_TIERS, type AccountTier } from '../model/account.js';
import {
  BENCHMARKS,
  CAMPAIGN_KINDS,
  CLIENT_STACKS,
  IMAGE_CAMPAIGN_KINDS,
  IMAGE_PERSONA_NAMES,
  TEXT_CAMPAIGN_TASKS,
  VISION_TASKS,
  CUSTOMER_TASKS,
  LATER_CAMPAIGN_KINDS,
  PERSONA_NAMES,
  PROMPT_LANGUAGES,
  PROMPT_STYLES,
  PROVIDER_NETWORKS,
  type CampaignKind,
  type CampaignTask,
  type PersonaName,
  type Scenario,
  type ScenarioInput,
} from './scenario-schema.js';
import { parseScenarioText } from './scenario-loader.js';
import { createRng, deriveSeed, seedOfText, type Rng } from './seeded-rng.js';

/**
 * Randomized worlds: a whole scenario drawn from wide ranges, deterministically from a seed, so
 * that detection can be measured on many worlds it was never tuned on (and the worst one
 * reported) instead of on the built-in scenarios alone. Every persona is in every world with
 * enough accounts for its false-positive rate to mean something; two to six campaigns of random
 * kinds (a kind may repeat) get every knob drawn: mixed-in ordinary traffic, system-prompt
 * rotation, prompt wording styles, exit pools and stickiness, token habits, volumes, timing,
 * tooling, tiers, cards, sign-up bursts and e-mail kinds.
 *
 * The ranges come from what the public reports and ordinary API traffic describe, never from
 * what a detector looks for. The draw is written out as a scenario file; simulating that file
 * with the same seed gives the same bytes.
 *
 * To add a campaign kind: add it to the schema, then give it an entry in `CAMPAIGN_TRAITS`
 * (what is typical of the kind); the common knobs are drawn for it already. A new persona gets
 * an entry in `PERSONA_DRAWS`, which the type system asks for.
 */
export interface RandomWorld {
  seed: number;
  /** The scenario file as written to the output directory (YAML, with a header comment). */
  text: string;
  /** The scenario parsed back from `text`: what is simulated, so the file reproduces the world. */
  scenario: Scenario;
}

export function drawRandomWorld(seed: number): RandomWorld {
  const input = drawScenarioInput(seed >>> 0);
  const text = scenarioYaml(input, seed >>> 0);
  return { seed: seed >>> 0, text, scenario: parseScenarioText(text, `--randomize --seed ${seed >>> 0}`) };
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers: every number rounded so that the written file reads well and parses back to
// exactly what was drawn.

class Draw {
  constructor(
    readonly rng: Rng,
    /** Window length in days. */
    readonly days: number,
    /** A world-wide volume level that scales the benign personas' rates. */
    readonly volume: number,
    readonly providers: readonly string[],
  ) {}

  uniform(low: number, high: number, digits = 3): number {
    return round(this.rng.uniform(low, high), digits);
  }

  logUniform(low: number, high: number, digits = 3): number {
    return round(Math.exp(this.rng.uniform(Math.log(low), Math.log(high))), digits);
  }

  int(low: number, high: number): number {
    return this.rng.range(Math.round(low), Math.round(Math.max(low, high)));
  }

  logInt(low: number, high: number): number {
    return Math.max(Math.round(low), Math.min(Math.round(high), Math.round(Math.exp(this.rng.uniform(Math.log(low), Math.log(high + 1))))));
  }

  chance(p: number): boolean {
    return this.rng.chance(p);
  }

  pick<T>(items: readonly T[]): T {
    return this.rng.pick(items);
  }

  /** [min, max] with min drawn from one range and max from another (max >= min). */
  range(low: readonly [number, number], high: readonly [number, number], digits = 0): [number, number] {
    const min = round(this.rng.uniform(low[0], low[1]), digits);
    const max = round(Math.max(min, this.rng.uniform(high[0], high[1])), digits);
    return [min, max];
  }

  /** Random positive weights for `count` (or all) of `keys`, always including `must` when given. */
  weights<K extends string>(keys: readonly K[], count = keys.length, must: readonly K[] = []): Record<K, number> {
    const chosen = new Set<K>(must);
    const pool = keys.filter((key) => !chosen.has(key));
    while (chosen.size < Math.min(count, keys.length) && pool.length > 0) chosen.add(pool.splice(this.rng.int(pool.length), 1)[0]!);
    const out = {} as Record<K, number>;
    for (const key of keys) if (chosen.has(key)) out[key] = round(0.05 + this.rng.float() * 0.95, 2);
    return out;
  }

  newModel(share: readonly [number, number], hours: readonly [number, number], delay: readonly [number, number]) {
    return { share: this.uniform(share[0], share[1], 2), within_hours: this.logUniform(hours[0], hours[1], 1), delay_hours: this.uniform(delay[0], delay[1], 1) };
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// ---------------------------------------------------------------------------------------------
// The world.

const WINDOW_STARTS_FROM = Date.parse('2026-01-05T00:00:00Z');

function drawScenarioInput(seed: number): ScenarioInput {
  const rng = createRng(deriveSeed(seed, seedOfText('randomize')));
  const days = rng.range(5, 14);
  const providerCount = rng.pick([0, 1, 1, 2, 3]);
  const providers = Array.from({ length: providerCount }, (_, index) => `provider-${index + 1}`);
  // Longer windows get proportionally quieter benign accounts, so that a world stays small
  // enough to simulate, ingest and analyse in seconds whatever its length.
  const draw = new Draw(rng, days, round(Math.exp(rng.uniform(Math.log(0.5), Math.log(1.3))) * Math.min(1, 8 / days), 2), providers);
  const start = new Date(WINDOW_STARTS_FROM + rng.int(84) * 86_400_000 + rng.int(24) * 3_600_000).toISOString().replace('.000Z', 'Z');
  const personas = {} as Record<PersonaName, unknown>;
  // Personas and campaign kinds added later draw from streams of their own, so that every world
  // drawn before they existed keeps each of its earlier draws (and so its earlier groups' traffic).
  const later = (key: string) => new Draw(createRng(deriveSeed(seed, seedOfText(`randomize:${key}`))), days, draw.volume, providers);
  const imagePersonas = new Set<string>(IMAGE_PERSONA_NAMES);
  const textLater = later('later');
  for (const name of Object.keys(PERSONA_DRAWS) as PersonaName[]) {
    if (!imagePersonas.has(name)) personas[name] = PERSONA_DRAWS[name](LATER_PERSONAS.includes(name) ? textLater : draw);
  }
  const campaignCount = rng.range(2, 6);
  const firstKinds = CAMPAIGN_KINDS.filter((kind) => !(IMAGE_CAMPAIGN_KINDS as readonly string[]).includes(kind) && !LATER_CAMPAIGN_KINDS.includes(kind));
  const campaigns = Array.from({ length: campaignCount }, (_, index) => drawCampaign(draw, draw.pick(firstKinds), index));
  for (const name of IMAGE_PERSONA_NAMES) personas[name] = PERSONA_DRAWS[name](later(name));
  const imageDraw = later('image-campaigns');
  // Most worlds get one or two campaigns that send images, of either kind...
  const imageCampaigns = imageDraw.pick([0, 1, 1, 2, 2]);
  for (let i = 0; i < imageCampaigns; i++) campaigns.push(drawCampaign(imageDraw, imageDraw.pick(IMAGE_CAMPAIGN_KINDS), campaigns.length));
  // ...and every world one or two that probe in conversations or harvest in other languages.
  const laterCount = textLater.int(1, 2);
  for (let k = 0; k < laterCount; k++) campaigns.push(drawCampaign(textLater, textLater.pick(LATER_CAMPAIGN_KINDS), campaigns.length));
  return {
    name: `randomized-${seed}`,
    description: `A world drawn from wide ranges by --randomize --seed ${seed}: every persona, ${campaigns.length} campaigns of random kinds${imageCampaigns > 0 ? ` (${imageCampaigns} sending images)` : ''}.`,
    window: { start, days },
    release: { at_day: draw.uniform(1, days - 0.5, 1) },
    apis: draw.weights(API_KINDS),
    accounts: { min_per_group: 3, dormant_share: draw.uniform(0, 0.08, 3) },
    traffic: {
      rate_limited_share: draw.uniform(0.001, 0.01, 4),
      server_error_share: draw.uniform(0.0005, 0.003, 4),
      overload_share: draw.uniform(0, 0.06, 3),
      overload_hours: draw.uniform(2, 16, 1),
      ipv6_share: draw.uniform(0.05, 0.35, 2),
      stream_share: draw.uniform(0.3, 0.8, 2),
    },
    exit_providers: providers.map((name) => ({ name, network: draw.pick(PROVIDER_NETWORKS), pool_size: draw.logInt(20, 3000) })),
    personas: personas as ScenarioInput['personas'],
    campaigns: campaigns as ScenarioInput['campaigns'],
  };
}

// ---------------------------------------------------------------------------------------------
// Personas. Counts are chosen so that each hard negative has at least about ten accounts.

const LATER_PERSONAS: readonly PersonaName[] = ['tutoring_app', 'translation_agency', 'synthetic_data_team'];

const PERSONA_DRAWS: { [P in PersonaName]: (draw: Draw) => unknown } = {
  chat_user: (d) => ({
    accounts: d.int(150, 500),
    sessions_per_day: d.logUniform(0.2, 1, 2),
    activity_spread: d.uniform(0.5, 1.3, 2),
    turns: [1, d.int(2, 5)],
    output_chars: d.range([60, 150], [300, 900]),
    distillation_prompt_share: d.uniform(0, 0.3, 2),
    elicitation_share: d.uniform(0, 0.25, 2),
    habitual_elicitation_share: d.uniform(0, 0.15, 2),
    front_end_share: d.uniform(0.2, 0.7, 2),
    vpn_share: d.uniform(0, 0.15, 2),
    vpn_provider: d.providers.length > 0 && d.chance(0.4) ? d.pick(d.providers) : null,
    tiers: { free: d.uniform(0.3, 0.8, 2), standard: d.uniform(0.2, 0.7, 2) },
    new_model: d.newModel([0.1, 0.5], [24, 168], [0, 24]),
  }),
  developer: (d) => ({
    accounts: d.int(50, 200),
    sessions_per_day: d.logUniform(0.4, 1.8, 2),
    activity_spread: d.uniform(0.5, 1.1, 2),
    turns: [1, d.int(3, 8)],
    output_chars: d.range([100, 250], [400, 1000]),
    coding_agent_share: d.uniform(0.1, 0.6, 2),
    agent_maxed_share: d.uniform(0, 0.8, 2),
    tool_builder_share: d.uniform(0.1, 0.4, 2),
    benchmark_prompt_share: d.uniform(0, 0.25, 2),
    org_share: d.uniform(0.2, 0.8, 2),
    org_size: [2, d.int(4, 15)],
    tiers: { standard: d.uniform(0.3, 0.8, 2), startup: d.uniform(0.1, 0.4, 2), free: d.uniform(0, 0.2, 2), enterprise: d.uniform(0, 0.2, 2) },
    new_model: d.newModel([0.1, 0.6], [12, 96], [0, 12]),
  }),
  batch_pipeline: (d) => {
    const jobStart = d.int(0, 4);
    return {
      accounts: d.int(8, 14),
      requests_per_day: round(d.logUniform(20, 200, 1) * d.volume, 1),
      activity_spread: d.uniform(0.3, 0.9, 2),
      nightly_job_share: d.uniform(0, 0.8, 2),
      job_hours: [jobStart, jobStart + d.int(2, 6)],
      output_chars: d.range([2, 10], [60, 250]),
      org_developers: d.range([0, 2], [2, 5]),
      new_model: d.newModel([0, 0.1], [24, 72], [0, 48]),
    };
  },
  eval_harness: (d) => ({
    accounts: d.int(8, 14),
    runs_per_day: round(d.uniform(0.1, 0.5, 2) * d.volume, 2),
    prompts_per_run: d.range([20, 60], [60, 200]),
    run_hours: d.range([0.2, 0.6], [0.8, 2.5], 1),
    rerun_after_release_hours: d.range([1, 6], [8, 48], 1),
    pass_at_k_share: d.uniform(0, 0.6, 2),
    benchmarks: d.weights(BENCHMARKS, d.int(3, BENCHMARKS.length)),
    new_model: d.newModel([0.3, 0.8], [2, 24], [0, 6]),
  }),
  reseller: (d) => ({
    accounts: d.int(8, 12),
    requests_per_day: round(d.logUniform(15, 150, 1) * d.volume, 1),
    activity_spread: d.uniform(0.3, 0.9, 2),
    end_users: d.range([50, 500], [600, 6000]),
    server_ips: d.range([3, 10], [12, 60]),
    distillation_prompt_share: d.uniform(0, 0.3, 2),
    output_chars: d.range([80, 200], [400, 1000]),
    new_model: d.newModel([0.1, 0.6], [12, 72], [0, 12]),
  }),
  classroom: (d) => ({
    classes: d.int(2, 4),
    students_per_class: d.range([8, 15], [15, 35]),
    meetings_per_week: d.int(1, 4),
    meeting_minutes: d.int(50, 120),
    requests_per_meeting: d.uniform(1, 6, 1),
    homework_sessions_per_day: d.uniform(0.1, 0.6, 2),
    signup_days_before_window: d.range([2, 20], [20, 60]),
    output_chars: d.range([100, 250], [400, 1000]),
    new_model: d.newModel([0, 0.3], [24, 96], [0, 24]),
  }),
  research_lab: (d) => {
    const labs = d.int(2, 5);
    const least = Math.max(2, Math.ceil(10 / labs));
    return {
      labs,
      researchers_per_lab: [least, least + d.int(0, 3)],
      runs_per_day: round(d.uniform(0.1, 0.6, 2) * d.volume, 2),
      prompts_per_run: d.range([20, 60], [60, 200]),
      run_hours: d.range([0.3, 1], [1, 3], 1),
      office_sessions_per_day: d.uniform(1, 5, 1),
      thinking_budget: d.range([8192, 24000], [32000, 64000]),
      maxed_tokens_share: d.uniform(0.3, 0.95, 2),
      elicitation_share: d.uniform(0.2, 0.9, 2),
      judge_share: d.uniform(0, 0.4, 2),
      output_chars: d.range([300, 800], [1000, 2200]),
      new_model: d.newModel([0.4, 0.9], [2, 24], [0, 6]),
    };
  },
  agent_platform: (d) => ({
    platforms: d.int(4, 7),
    accounts_per_platform: [3, d.int(3, 4)],
    sessions_per_day: round(d.logUniform(2, 15, 1) * d.volume, 1),
    activity_spread: d.uniform(0.3, 1, 2),
    agent_steps: d.range([2, 4], [8, 20]),
    end_users: d.range([50, 500], [800, 8000]),
    server_ips: d.range([4, 10], [12, 80]),
    end_user_id_share: d.uniform(0, 1, 2),
    maxed_tokens_share: d.uniform(0, 0.8, 2),
    thinking_share: d.uniform(0, 0.6, 2),
    output_chars: d.range([400, 800], [1000, 2500]),
    new_model: d.newModel([0.2, 0.8], [6, 72], [0, 12]),
  }),
  support_fleet: (d) => {
    const fleets = d.int(1, 3);
    const least = Math.max(4, Math.ceil(10 / fleets));
    const open = d.int(6, 10);
    return {
      fleets,
      bots_per_fleet: [least, least + d.int(0, 8)],
      requests_per_bot_day: round(d.logUniform(10, 60, 1) * d.volume, 1),
      business_hours: [open, d.int(Math.max(open + 6, 16), 22)],
      system_prompts: [1, d.int(1, 4)],
      turns: [1, d.int(2, 5)],
      output_chars: d.range([100, 200], [300, 800]),
      new_model: d.newModel([0, 0.2], [24, 96], [0, 48]),
    };
  },
  accessibility_app: (d) => ({
    apps: d.int(2, 4),
    accounts_per_app: [4, d.int(4, 6)],
    requests_per_account_day: round(d.logUniform(20, 150, 1) * d.volume, 1),
    activity_spread: d.uniform(0.2, 0.8, 2),
    end_users: d.range([200, 2000], [3000, 50000]),
    server_ips: d.range([2, 5], [6, 20]),
    url_share: d.uniform(0, 1, 2),
    jpeg_share: d.uniform(0.6, 1, 2),
    image_kilobytes: d.range([15, 40], [80, 250]),
    output_chars: d.range([50, 150], [250, 700]),
    new_model: d.newModel([0, 0.2], [24, 96], [0, 48]),
  }),
  document_pipeline: (d) => {
    const jobStart = d.int(0, 3);
    const open = d.int(7, 9);
    return {
      pipelines: d.int(3, 5),
      accounts_per_pipeline: [3, d.int(3, 4)],
      requests_per_day: round(d.logUniform(15, 120, 1) * d.volume, 1),
      nightly_job_share: d.uniform(0.2, 0.9, 2),
      job_hours: [jobStart, jobStart + d.int(2, 5)],
      business_hours: [open, open + d.int(8, 11)],
      pages_per_request: [1, d.int(1, 5)],
      url_share: d.uniform(0, 1, 2),
      image_kilobytes: d.range([30, 80], [150, 400]),
      output_chars: d.range([100, 300], [600, 2000]),
      new_model: d.newModel([0, 0.1], [24, 96], [0, 72]),
    };
  },
  browser_automation: (d) => ({
    platforms: d.int(3, 5),
    accounts_per_platform: [3, d.int(3, 4)],
    sessions_per_day: round(d.logUniform(1, 6, 1) * d.volume, 1),
    activity_spread: d.uniform(0.2, 0.8, 2),
    agent_steps: d.range([4, 10], [15, 40]),
    end_users: d.range([20, 300], [500, 5000]),
    server_ips: d.range([4, 10], [12, 60]),
    screenshot_kilobytes: d.range([20, 50], [100, 250]),
    output_chars: d.range([100, 300], [400, 1000]),
    new_model: d.newModel([0.2, 0.8], [6, 72], [0, 12]),
  }),
  sampling_benchmark: (d) => ({
    accounts: d.int(8, 12),
    runs_per_day: round(d.uniform(0.05, 0.35, 2) * d.volume, 2),
    prompts_per_run: d.range([10, 30], [30, 90]),
    run_hours: d.range([0.2, 0.6], [0.8, 2.5], 1),
    samples_per_prompt: d.range([2, 5], [5, 20]),
    temperature: d.range([0.2, 0.7], [0.7, 1.2], 2),
    multi_sample_share: d.uniform(0, 1, 2),
    benchmarks: d.weights(BENCHMARKS, d.int(2, 5)),
    new_model: d.newModel([0.2, 0.8], [4, 48], [0, 12]),
  }),
  tutoring_app: (d) => {
    const apps = d.int(2, 4);
    const least = Math.max(2, Math.ceil(10 / apps));
    return {
      apps,
      accounts_per_app: [least, least + d.int(0, 2)],
      sessions_per_day: round(d.logUniform(3, 30, 1) * d.volume, 1),
      activity_spread: d.uniform(0.3, 1, 2),
      students: d.range([100, 1000], [2000, 30000]),
      end_user_id_share: d.uniform(0, 1, 2),
      follow_ups: d.range([0, 2], [3, 7]),
      output_chars: d.range([150, 400], [600, 1400]),
      new_model: d.newModel([0, 0.4], [24, 168], [0, 72]),
    };
  },
  translation_agency: (d) => {
    const agencies = d.int(1, 3);
    const least = Math.max(3, Math.ceil(10 / agencies));
    return {
      agencies,
      accounts_per_agency: [least, least + d.int(0, 3)],
      requests_per_account_day: round(d.logUniform(20, 150, 1) * d.volume, 1),
      languages: d.range([2, 5], [6, 12]),
      chunk_chars: d.range([300, 1000], [1500, 3000]),
      office_hours: [d.int(7, 9), d.int(17, 20)],
      new_model: d.newModel([0, 0.3], [24, 168], [0, 96]),
    };
  },
  synthetic_data_team: (d) => {
    const teams = d.int(1, 3);
    const least = Math.max(3, Math.ceil(10 / teams));
    const start = d.int(0, 3);
    return {
      teams,
      accounts_per_team: [least, least + d.int(0, 2)],
      jobs_per_day: round(d.uniform(0.3, 1.5, 2) * d.volume, 2),
      prompts_per_job: d.range([30, 100], [100, 400]),
      job_hours: [start, start + d.int(2, 6)],
      templates: d.range([1, 3], [3, 7]),
      output_chars: d.range([800, 2000], [2500, 6000]),
      temperature: d.range([0.7, 0.9], [0.9, 1.2], 2),
      new_model: d.newModel([0, 0.1], [24, 96], [0, 48]),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Campaigns: the common knobs for every kind, then what is typical of the kind.

interface CampaignDraft {
  kind: CampaignKind;
  name: string;
  accounts: number;
  requests_per_account_day: number;
  volume_spread: number;
  account_active_days: [number, number] | null;
  start_day: number;
  end_day: number | null;
  schedule: 'flat' | 'diurnal' | 'shifts' | 'bursts';
  shifts_per_day: number;
  shift_hours: number;
  bursts_per_day: number;
  burst_minutes: number;
  burst_sync: boolean;
  distillation_share: number;
  customer_tasks: Partial<Record<(typeof CUSTOMER_TASKS)[number], number>>;
  new_model: { share: number; within_hours: number; delay_hours: number };
  infrastructure: {
    network: 'residential_proxy' | 'datacenter_proxy' | 'mixed_proxy' | 'distinct_residential';
    pool_size: number;
    exit_provider: string | null;
    sticky_minutes: number;
    payment_cards: number;
    signup_bursts: number;
    signup_burst_minutes: number;
    signup_days_before: [number, number];
    email: 'personal' | 'catchall' | 'edu';
    tiers: Partial<Record<AccountTier, number>>;
    clients: Partial<Record<(typeof CLIENT_STACKS)[number], number>>;
    shared_tooling_share: number;
  };
  content: {
    tasks: Partial<Record<CampaignTask, number>>;
    templates: number;
    system_prompts: number | null;
    prompt_styles: Partial<Record<(typeof PROMPT_STYLES)[number], number>> | null;
    output_chars: [number, number];
    maxed_tokens_share: number;
    max_tokens_choices: (number | null)[] | null;
    thinking_share: number;
    multi_sample_share: number;
    agent_steps: [number, number];
    image_url_share?: number;
    image_kilobytes?: [number, number];
    image_resend_share?: number;
    follow_ups?: [number, number];
    probe_wordings?: [number, number];
    languages?: Partial<Record<(typeof PROMPT_LANGUAGES)[number], number>>;
    languages_per_account?: [number, number];
  };
}

const MAX_TOKENS_HABITS: readonly (readonly (number | null)[])[] = [
  [1024, 2048, 4096],
  [4096],
  [2048, 4096, 8192],
  [8192, 16384],
  [4096, 8192, 8192, 16384],
  [null, 4096],
  [null, null, 2048],
  [1024],
  [16384, 32000],
];

/** What is typical of each kind, applied over the common draw. */
const CAMPAIGN_TRAITS: Record<CampaignKind, (draw: Draw, campaign: CampaignDraft) => void> = {
  cot_extraction: (d, c) => {
    c.content.tasks = d.weights(['cot', 'rubric', 'safe_rewrite'] as const, d.int(1, 3), ['cot']);
    if (d.chance(0.5)) {
      c.infrastructure.email = 'edu';
      c.infrastructure.tiers = { education: d.uniform(0.2, 0.6, 2), research: d.uniform(0.1, 0.4, 2), standard: d.uniform(0.1, 0.5, 2) };
    }
  },
  agentic_coding: (d, c) => {
    c.content.tasks = d.weights(['agentic_coding', 'tool_orchestration', 'data_analysis'] as const, d.int(1, 3), ['agentic_coding']);
    if (d.chance(0.4)) c.schedule = 'shifts';
  },
  proxy_network: (d, c) => {
    c.content.tasks = d.weights(TEXT_CAMPAIGN_TASKS, d.int(2, 5));
    c.distillation_share = d.uniform(0.1, 0.8, 2);
    if (c.infrastructure.network !== 'distinct_residential' && d.chance(0.5)) c.infrastructure.network = 'mixed_proxy';
    if (d.chance(0.6)) c.infrastructure.email = 'catchall';
  },
  stealth: (d, c) => {
    c.content.tasks = d.weights(TEXT_CAMPAIGN_TASKS, d.int(1, 4));
    if (d.chance(0.75)) {
      c.infrastructure.network = 'distinct_residential';
      c.infrastructure.exit_provider = null;
      c.infrastructure.payment_cards = 0;
      c.infrastructure.shared_tooling_share = 0;
    }
    if (d.chance(0.7)) c.infrastructure.signup_bursts = 0;
    if (d.chance(0.5)) c.schedule = 'diurnal';
    c.infrastructure.email = d.chance(0.8) ? 'personal' : c.infrastructure.email;
  },
  image_harvest: (d, c) => {
    c.content.tasks = d.weights(VISION_TASKS, d.int(2, 5));
    c.content.image_url_share = d.chance(0.3) ? 0 : d.uniform(0, 0.8, 2);
    c.content.image_kilobytes = d.range([15, 60], [120, 400]);
    c.content.image_resend_share = d.uniform(0, 0.15, 2);
  },
  computer_use: (d, c) => {
    c.content.tasks = { computer_use: 1 };
    c.content.agent_steps = d.range([6, 12], [20, 45]);
    c.content.image_kilobytes = d.range([25, 60], [100, 250]);
    c.content.image_url_share = 0;
    c.content.image_resend_share = 0;
    // Long loops: fewer, longer sessions carry the campaign's volume.
    c.content.multi_sample_share = 0;
    if (d.chance(0.4)) c.schedule = 'shifts';
  },
  conversational_probing: (d, c) => {
    c.content.tasks = d.weights(['cot', 'rubric'] as const, d.int(1, 2), ['cot']);
    c.content.follow_ups = d.range([1, 3], [3, 8]);
    c.content.probe_wordings = d.range([1, 4], [4, 10]);
  },
  multilingual_harvest: (d, c) => {
    c.content.tasks = d.weights(['cot', 'rubric'] as const, d.int(1, 2), ['cot']);
    c.content.languages = d.weights(PROMPT_LANGUAGES, d.int(2, PROMPT_LANGUAGES.length));
    c.content.languages_per_account = [1, d.int(1, 4)];
  },
};

function drawCampaign(d: Draw, kind: CampaignKind, index: number): CampaignDraft {
  const accounts = d.logInt(5, 200);
  // The campaign's volume over the window, spread over its accounts: from about ten to about
  // ten thousand exchanges per account, heavier-tailed still through `volume_spread`.
  const budget = d.logUniform(1000, 15_000, 0);
  const perAccount = Math.min(10_000, Math.max(10, budget / accounts));
  const startDay = d.chance(0.6) ? 0 : d.uniform(0, Math.max(0, d.days - 3), 1);
  const endDay = d.chance(0.7) ? null : Math.min(d.days, d.uniform(startDay + 2, d.days, 1));
  const span = (endDay ?? d.days) - startDay;
  const rotation: [number, number] | null = d.chance(0.4) && span > 2 ? d.range([1, Math.min(4, span / 2)], [Math.min(4, span / 2), Math.min(10, span)], 1) : null;
  const activeDays = rotation === null ? span : (rotation[0] + rotation[1]) / 2;
  const shifts = d.int(1, 4);
  const bursts = d.uniform(1, 8, 1);
  const customer = d.chance(0.3) ? 0 : d.uniform(0.05, 0.9, 2);
  const network = d.pick(['residential_proxy', 'datacenter_proxy', 'mixed_proxy', 'mixed_proxy', 'distinct_residential'] as const);
  const styleCount = d.int(1, 3);
  const spread = d.uniform(0.1, 1.3, 2);
  const draft: CampaignDraft = {
    kind,
    name: `${kind.replace(/_/g, '-')}-${index + 1}`,
    accounts,
    // The log-normal spread raises the mean above the median; the budget is the mean.
    requests_per_account_day: round(Math.max(0.5, perAccount / Math.max(0.5, activeDays) / Math.exp((spread * spread) / 2)), 2),
    volume_spread: spread,
    account_active_days: rotation,
    start_day: startDay,
    end_day: endDay,
    schedule: d.pick(['flat', 'flat', 'diurnal', 'shifts', 'bursts', 'bursts'] as const),
    shifts_per_day: shifts,
    shift_hours: d.uniform(1, 24 / shifts, 1),
    bursts_per_day: bursts,
    burst_minutes: Math.min(Math.floor(1440 / bursts), d.logInt(5, 90)),
    burst_sync: d.chance(0.5),
    distillation_share: round(1 - customer, 2),
    customer_tasks: d.weights(CUSTOMER_TASKS, d.int(1, 3)),
    new_model: d.newModel([0, 0.9], [6, 96], [0, 24]),
    infrastructure: {
      network,
      pool_size: d.logInt(3, 5000),
      exit_provider: network !== 'distinct_residential' && d.providers.length > 0 && d.chance(0.35) ? d.pick(d.providers) : null,
      sticky_minutes: d.chance(0.4) ? 0 : d.logUniform(1, 360, 0),
      payment_cards: d.chance(0.3) ? 0 : d.logInt(1, Math.max(1, Math.ceil(accounts / 3))),
      signup_bursts: d.chance(0.3) ? 0 : d.logInt(1, Math.min(accounts, 40)),
      signup_burst_minutes: d.logUniform(10, 240, 0),
      signup_days_before: d.range([1, 10], [10, 60]),
      email: d.pick(['personal', 'catchall', 'edu'] as const),
      tiers: d.weights(ACCOUNT_TIERS, d.int(1, 4)),
      clients: d.weights(CLIENT_STACKS, d.int(1, 6)),
      shared_tooling_share: d.uniform(0, 1, 2),
    },
    content: {
      tasks: {},
      templates: d.logInt(1, 12),
      system_prompts: d.chance(0.15) ? null : d.chance(0.18) ? 0 : d.logInt(1, 50),
      prompt_styles: d.weights(PROMPT_STYLES, styleCount),
      output_chars: d.range([200, 600], [700, 2000]),
      maxed_tokens_share: d.chance(0.2) ? d.uniform(0.9, 1, 2) : d.chance(0.25) ? 0 : d.uniform(0, 1, 2),
      max_tokens_choices: [...d.pick(MAX_TOKENS_HABITS)],
      thinking_share: d.uniform(0, 1, 2),
      multi_sample_share: d.chance(0.5) ? 0 : d.uniform(0, 0.3, 2),
      agent_steps: d.range([1, 3], [3, 14]),
    },
  };
  CAMPAIGN_TRAITS[kind](d, draft);
  return draft;
}

// ---------------------------------------------------------------------------------------------
// The file.

/** YAML with short lists and weight records on one line, and a header that says how to reproduce it. */
function scenarioYaml(input: ScenarioInput, seed: number): string {
  const document = new Document(input);
  visit(document, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Map(_, node, path) {
      // Weight records and small numeric objects read best inline; top-level sections do not.
      if (path.length > 3 && node.items.length <= 8 && node.items.every((pair) => isScalar(pair.value) && typeof pair.value.value === 'number')) node.flow = true;
    },
  });
  const header = [
    `# Drawn by \`distillguard simulate --randomize --seed ${seed}\`.`,
    '# Simulating this file with the same seed gives the same world and the same bytes:',
    `#   distillguard simulate --scenario scenario.yaml --seed ${seed} --out DIR`,
    '# Every knob is described in docs/simulator.md.',
  ].join('\n');
  return `${header}\n${document.toString({ lineWidth: 0 })}`;
}
