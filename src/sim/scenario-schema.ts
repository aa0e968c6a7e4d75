import { z } from 'zod';
import { API_KINDS, type ApiKind } from '../model/exchange.js';
import { ACCOUNT_TIERS } from '../model/account.js';

/**
 * The scenario file: every knob of a simulation, with defaults, so that a user can copy a
 * built-in scenario and model a campaign they have seen. Field names are snake_case like the
 * files; `.describe()` texts are the documentation (the table in docs/simulator.md is generated from them by
 * `describeScenarioKnobs`, and a test keeps the two in step).
 *
 * Counts of accounts are at scale 1; `--scale` multiplies them (and so the volume), never the
 * per-account rates, so an account behaves the same at every scale.
 */

const weight = z.number().min(0);
const positive = z.number().positive();
const count = z.number().int().min(0);
const providerName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lowercase letters, digits, "-" and "_"');

function range(description: string, min = 0) {
  return z
    .tuple([z.number().min(min), z.number().min(min)])
    .refine(([low, high]) => low <= high, { message: 'expected [min, max] with min <= max' })
    .describe(description);
}

function weights<K extends string>(keys: readonly [K, ...K[]], description: string) {
  return z
    .record(z.enum(keys), weight)
    .refine((record) => Object.values(record).some((value) => (value as number) > 0), { message: 'expected at least one positive weight' })
    .describe(description);
}

const countryWeights = z
  .record(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code such as "DE"'), weight)
  .refine((record) => Object.values(record).some((value) => value > 0), { message: 'expected at least one positive weight' });

const tierWeights = (defaults: Partial<Record<(typeof ACCOUNT_TIERS)[number], number>>) =>
  weights(ACCOUNT_TIERS, 'account tiers (programmes) and their weights').default(defaults);

export const CLIENT_STACKS = [
  'anthropic-python',
  'anthropic-typescript',
  'openai-python',
  'openai-node',
  'python-httpx',
  'python-requests',
  'python-aiohttp',
  'curl',
  'go-http',
  'node-fetch',
  'okhttp',
  'browser',
] as const;
export type ClientStackName = (typeof CLIENT_STACKS)[number];

/** Text task families: what the first campaign kinds harvest (kept in this order; seeds and draws index it). */
export const TEXT_CAMPAIGN_TASKS = ['cot', 'rubric', 'safe_rewrite', 'agentic_coding', 'tool_orchestration', 'data_analysis'] as const;
/** Task families over images: the instruction says what to get out of the image. */
export const VISION_TASKS = ['image_description', 'transcription', 'table_extraction', 'chart_reading', 'diagram_explanation'] as const;
export type VisionTask = (typeof VISION_TASKS)[number];
export const CAMPAIGN_TASKS = [...TEXT_CAMPAIGN_TASKS, ...VISION_TASKS, 'computer_use'] as const;
export type CampaignTask = (typeof CAMPAIGN_TASKS)[number];

export const CUSTOMER_TASKS = ['chat', 'coding_help', 'tool_app'] as const;
export type CustomerTask = (typeof CUSTOMER_TASKS)[number];

export const BENCHMARKS = ['gsm8k', 'math', 'humaneval_mbpp', 'mt_bench', 'arena_hard', 'alpaca_eval', 'bfcl', 'flan_cot'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export const NETWORK_KINDS = ['residential_proxy', 'datacenter_proxy', 'mixed_proxy', 'distinct_residential'] as const;
export const PROVIDER_NETWORKS = ['residential', 'datacenter', 'mixed'] as const;
export const SCHEDULE_KINDS = ['flat', 'diurnal', 'shifts', 'bursts'] as const;
export const PROMPT_STYLES = ['plain', 'elicit', 'paraphrase'] as const;
export type PromptStyle = (typeof PROMPT_STYLES)[number];
export const EMAIL_KINDS = ['personal', 'catchall', 'edu'] as const;
/** Languages (ISO 639-1) that non-English traffic is written in; the corpora hold prompts in each. */
export const PROMPT_LANGUAGES = ['zh', 'ja', 'ko', 'ru', 'ar', 'es', 'fr', 'de', 'th', 'sw', 'bn', 'te'] as const;
export type PromptLanguage = (typeof PROMPT_LANGUAGES)[number];
/** Languages a translation agency works between: English and the prompt languages. */
export const TRANSLATION_LANGUAGES = ['en', ...PROMPT_LANGUAGES] as const;

const newModel = (defaults: { share: number; within_hours: number; delay_hours: number }) =>
  z
    .object({
      share: z.number().min(0).max(1).default(defaults.share).describe('share of sessions on the newly released model once adoption is complete'),
      within_hours: positive.default(defaults.within_hours).describe('hours over which adoption ramps from 0 to `share`'),
      delay_hours: z.number().min(0).default(defaults.delay_hours).describe('hours after the release before adoption starts'),
    })
    .strict()
    .default({})
    .describe('how this group moves to the model released inside the window');

const modelSpec = z
  .object({
    name: z.string().min(1).describe('model name as sent in `model`'),
    max_output_tokens: z.number().int().positive().describe('the model\'s output limit: what a "maxed" max_tokens sends'),
    reasoning: z.boolean().default(false).describe('accepts thinking budgets / reasoning effort'),
    weight: weight.default(1).describe('popularity among accounts choosing a model'),
  })
  .strict();

const apiRecord = <T extends z.ZodTypeAny>(value: T) =>
  z.object({ 'anthropic.messages': value, 'openai.chat_completions': value, 'openai.responses': value }).strict();

// ---------------------------------------------------------------------------------------------
// Personas (benign). Every persona is present in every scenario.

const chatUser = z
  .object({
    accounts: count.default(200).describe('accounts at scale 1'),
    sessions_per_day: positive.default(0.8).describe('median chat sessions per account per day (log-normal across accounts)'),
    activity_spread: z.number().min(0).default(0.9).describe('log-normal sigma of per-account activity'),
    turns: range('user turns per session').default([1, 3]),
    output_chars: range('length of a response in characters').default([100, 500]),
    distillation_prompt_share: z.number().min(0).max(1).default(0.1).describe('share of prompts from distillation-style corpora (homework problems, alpaca-like tasks)'),
    elicitation_share: z.number().min(0).max(1).default(0.06).describe('share of prompts that ask for step-by-step reasoning'),
    habitual_elicitation_share: z.number().min(0).max(1).default(0).describe('chat users (students, careful learners) who ask for step-by-step reasoning in most of their prompts'),
    front_end_share: z.number().min(0).max(1).default(0.45).describe('accounts using a browser chat front-end (browser UA) rather than an SDK'),
    vpn_share: z.number().min(0).max(1).default(0.05).describe('accounts whose traffic leaves through a consumer VPN (datacenter ASN)'),
    vpn_provider: providerName
      .nullable()
      .default(null)
      .describe('name of an entry of `exit_providers` whose exits the VPN users share (with any campaign renting the same pool); null: a consumer VPN of their own'),
    tiers: tierWeights({ free: 0.62, standard: 0.38 }),
    countries: countryWeights.optional().describe('country weights; default: the built-in distribution of API users'),
    new_model: newModel({ share: 0.25, within_hours: 96, delay_hours: 0 }),
  })
  .strict();

const developer = z
  .object({
    accounts: count.default(60).describe('accounts at scale 1'),
    sessions_per_day: positive.default(1.4).describe('median sessions per account per working day'),
    activity_spread: z.number().min(0).default(0.8).describe('log-normal sigma of per-account activity'),
    turns: range('turns (or agent steps) per session').default([1, 6]),
    output_chars: range('length of a response in characters').default([150, 650]),
    coding_agent_share: z.number().min(0).max(1).default(0.3).describe('developers whose traffic comes from an agentic coding tool (one long shared system prompt, tools, many steps)'),
    agent_maxed_share: z.number().min(0).max(1).default(0.3).describe('coding-agent users whose tool always sends a max_tokens of 64000 (the model\'s limit on most models)'),
    tool_builder_share: z.number().min(0).max(1).default(0.25).describe('developers building tool-calling apps (function definitions, tool calls)'),
    benchmark_prompt_share: z.number().min(0).max(1).default(0.08).describe('share of coding prompts taken from benchmark and self-instruct sets (code_alpaca-like questions)'),
    org_share: z.number().min(0).max(1).default(0.5).describe('developers who belong to a company org (shared office IP, corporate payment card)'),
    org_size: range('developers per company org', 1).default([2, 10]),
    tiers: tierWeights({ standard: 0.62, startup: 0.28, free: 0.1 }),
    countries: countryWeights.optional().describe('country weights; default: the built-in distribution of API users'),
    new_model: newModel({ share: 0.35, within_hours: 48, delay_hours: 0 }),
  })
  .strict();

const batchPipeline = z
  .object({
    accounts: count.default(3).describe('pipelines (service accounts) at scale 1'),
    requests_per_day: positive.default(2800).describe('median requests per pipeline per day, round the clock'),
    activity_spread: z.number().min(0).default(0.5).describe('log-normal sigma of per-pipeline volume'),
    nightly_job_share: z.number().min(0).max(1).default(0.4).describe('share of the daily volume sent in the nightly job window'),
    job_hours: range('nightly job window, local hours [start, end)').default([1, 5]),
    output_chars: range('length of a response in characters (labels, short JSON)').default([4, 140]),
    org_developers: range('developer accounts in the same enterprise org (shared payment and office network)').default([1, 4]),
    new_model: newModel({ share: 0, within_hours: 24, delay_hours: 0 }),
  })
  .strict();

const evalHarness = z
  .object({
    accounts: count.default(3).describe('evaluation accounts at scale 1'),
    runs_per_day: z.number().min(0).default(0.8).describe('scheduled benchmark runs per account per day'),
    prompts_per_run: range('prompts per run', 1).default([150, 500]),
    run_hours: range('duration of a run in hours').default([0.4, 1.5]),
    rerun_after_release_hours: range('hours after the release when the benchmark is re-run on the new model').default([2, 30]),
    pass_at_k_share: z.number().min(0).max(1).default(0.3).describe('code runs that sample n > 1 completions (pass@k)'),
    benchmarks: weights(BENCHMARKS, 'benchmarks a run picks from').default({ gsm8k: 3, math: 2, humaneval_mbpp: 2, mt_bench: 1, arena_hard: 1, alpaca_eval: 1, bfcl: 1, flan_cot: 1 }),
    new_model: newModel({ share: 0.5, within_hours: 6, delay_hours: 0 }),
  })
  .strict();

const reseller = z
  .object({
    accounts: count.default(3).describe('reseller accounts at scale 1'),
    requests_per_day: positive.default(700).describe('median requests per reseller per day'),
    activity_spread: z.number().min(0).default(0.6).describe('log-normal sigma of per-reseller volume'),
    end_users: range('end users served by one reseller', 1).default([200, 3000]),
    server_ips: range('egress IPs of the reseller\'s servers (several clouds and regions)', 1).default([6, 40]),
    distillation_prompt_share: z.number().min(0).max(1).default(0.1).describe('share of end-user prompts from distillation-style corpora'),
    output_chars: range('length of a response in characters').default([120, 700]),
    new_model: newModel({ share: 0.3, within_hours: 24, delay_hours: 2 }),
  })
  .strict();

const classroom = z
  .object({
    classes: count.default(2).describe('classes at scale 1 (each class is one course on one campus)'),
    students_per_class: range('student accounts per class', 1).default([12, 30]),
    meetings_per_week: z.number().min(0).default(2).describe('class meetings per week, when the whole class works on the assignment at once'),
    meeting_minutes: positive.default(80).describe('length of a class meeting'),
    requests_per_meeting: positive.default(3).describe('median requests per student per meeting'),
    homework_sessions_per_day: z.number().min(0).default(0.35).describe('median evening homework sessions per student per day'),
    signup_days_before_window: range('the term starts this many days before the window; students sign up within a day of it').default([10, 40]),
    output_chars: range('length of a response in characters').default([150, 700]),
    new_model: newModel({ share: 0, within_hours: 24, delay_hours: 0 }),
  })
  .strict();

const researchLab = z
  .object({
    labs: count.default(1).describe('research labs at scale 1 (each one organisation: a university group or a company lab)'),
    researchers_per_lab: range('researcher accounts per lab', 1).default([2, 5]),
    runs_per_day: z.number().min(0).default(0.5).describe('scheduled reasoning-evaluation runs per account per day (mostly at night, from the lab\'s cluster)'),
    prompts_per_run: range('prompts per run', 1).default([60, 240]),
    run_hours: range('duration of a run in hours').default([0.5, 2.5]),
    office_sessions_per_day: z.number().min(0).default(3).describe('median interactive sessions per researcher per working day (trying prompts by hand)'),
    thinking_budget: range('thinking budget (tokens) a researcher\'s evaluation requests use', 1024).default([16000, 64000]),
    maxed_tokens_share: z.number().min(0).max(1).default(0.7).describe('evaluation requests whose max_tokens is the model\'s output limit'),
    elicitation_share: z.number().min(0).max(1).default(0.6).describe('evaluation prompts that ask for step-by-step reasoning, as published chain-of-thought prompts do'),
    judge_share: z.number().min(0).max(1).default(0.2).describe('requests that use the model as a judge: grading another model\'s answer against a rubric'),
    output_chars: range('length of a response in characters').default([600, 1600]),
    new_model: newModel({ share: 0.7, within_hours: 12, delay_hours: 0 }),
  })
  .strict();

const agentPlatform = z
  .object({
    platforms: count.default(2).describe('agent platforms at scale 1 (each a company running its end users\' agent sessions)'),
    accounts_per_platform: range('API accounts a platform sends through', 1).default([1, 3]),
    sessions_per_day: positive.default(60).describe('median agent sessions per account per day (each an end user\'s task)'),
    activity_spread: z.number().min(0).default(0.6).describe('log-normal sigma of per-account volume'),
    agent_steps: range('requests per agent session (tool calls and the final answer)', 1).default([3, 14]),
    end_users: range('end users served by one platform', 1).default([200, 5000]),
    server_ips: range('egress IPs of the platform\'s workers (several cloud regions)', 1).default([8, 60]),
    end_user_id_share: z.number().min(0).max(1).default(0.5).describe('platforms that pass their end users\' ids (`user` / `metadata.user_id`)'),
    maxed_tokens_share: z.number().min(0).max(1).default(0.35).describe('platforms whose agent framework sends the model\'s output limit as max_tokens'),
    thinking_share: z.number().min(0).max(1).default(0.3).describe('agent requests with a thinking budget / high reasoning effort'),
    output_chars: range('length of a final answer in characters').default([600, 1800]),
    new_model: newModel({ share: 0.6, within_hours: 24, delay_hours: 0 }),
  })
  .strict();

const supportFleet = z
  .object({
    fleets: count.default(1).describe('organisations running a fleet of support bots at scale 1'),
    bots_per_fleet: range('bot accounts per fleet (one per product line, region or channel)', 1).default([6, 14]),
    requests_per_bot_day: positive.default(80).describe('median requests per bot per business day'),
    business_hours: range('local hours the fleet is staffed; every bot runs in the same hours').default([8, 20]),
    system_prompts: range('support system prompts a fleet shares (its bots use one each)', 1).default([1, 3]),
    turns: range('turns per customer conversation', 1).default([1, 4]),
    output_chars: range('length of a reply in characters').default([150, 600]),
    new_model: newModel({ share: 0, within_hours: 24, delay_hours: 0 }),
  })
  .strict();

const samplingBenchmark = z
  .object({
    accounts: count.default(2).describe('accounts at scale 1 running sampled benchmark evaluations (pass@k, self-consistency)'),
    runs_per_day: z.number().min(0).default(0.5).describe('runs per account per day'),
    prompts_per_run: range('benchmark prompts per run', 1).default([40, 150]),
    run_hours: range('duration of a run in hours').default([0.3, 2]),
    samples_per_prompt: range('completions per prompt: the same request re-sent, or n on chat completions', 2).default([4, 16]),
    temperature: range('sampling temperature').default([0.6, 1]),
    multi_sample_share: z.number().min(0).max(1).default(0.5).describe('chat-completions accounts that ask for all samples in one request (n > 1) instead of re-sending'),
    benchmarks: weights(BENCHMARKS, 'benchmarks a run picks from').default({ gsm8k: 3, math: 3, humaneval_mbpp: 3, flan_cot: 1 }),
    new_model: newModel({ share: 0.5, within_hours: 12, delay_hours: 0 }),
  })
  .strict();

// Personas added with images: `0` units leaves them out of a scenario (the smoke scenario does).

const accessibilityApp = z
  .object({
    apps: count.default(1).describe('apps at scale 1 that describe photos for blind and low-vision users (each one organisation; 0: none)'),
    accounts_per_app: range('API accounts an app sends through (one per region or product)', 1).default([2, 4]),
    requests_per_account_day: positive.default(450).describe('median requests per account per day'),
    activity_spread: z.number().min(0).default(0.4).describe('log-normal sigma of per-account volume'),
    end_users: range('end users of one app, passed through `user` / `metadata.user_id`', 1).default([2000, 40000]),
    server_ips: range('egress IPs of the app\'s backend', 1).default([3, 12]),
    url_share: z.number().min(0).max(1).default(0.5).describe('photos sent as links to the app\'s upload store rather than inline'),
    jpeg_share: z.number().min(0).max(1).default(0.9).describe('photos that are JPEG (phone cameras); the rest PNG screenshots'),
    image_kilobytes: range('size of a photo in KB, drawn log-uniform (phones downscale before upload)', 1).default([25, 180]),
    output_chars: range('length of a description in characters').default([80, 450]),
    new_model: newModel({ share: 0, within_hours: 24, delay_hours: 0 }),
  })
  .strict();

const documentPipeline = z
  .object({
    pipelines: count.default(1).describe('document-processing pipelines at scale 1 (OCR and table extraction; each one enterprise organisation; 0: none)'),
    accounts_per_pipeline: range('service accounts a pipeline sends through', 1).default([1, 2]),
    requests_per_day: positive.default(400).describe('median requests per account per day'),
    nightly_job_share: z.number().min(0).max(1).default(0.5).describe('share of the daily volume sent in the nightly batch; the rest in business-hour batches'),
    job_hours: range('nightly batch window, local hours [start, end)').default([0, 4]),
    business_hours: range('local hours of the daytime batches').default([8, 18]),
    pages_per_request: range('scanned pages (images) per request', 1).default([1, 3]),
    url_share: z.number().min(0).max(1).default(0.6).describe('pages sent as links (pre-signed storage URLs) rather than inline'),
    image_kilobytes: range('size of a scanned page in KB, drawn log-uniform', 1).default([50, 300]),
    output_chars: range('length of the extracted JSON in characters').default([200, 1200]),
    new_model: newModel({ share: 0, within_hours: 24, delay_hours: 0 }),
  })
  .strict();

const browserAutomation = z
  .object({
    platforms: count.default(1).describe('browser-automation products at scale 1 running computer-use agents for their customers (0: none)'),
    accounts_per_platform: range('API accounts a platform sends through', 1).default([2, 3]),
    sessions_per_day: positive.default(6).describe('median agent sessions per account per day (each a customer\'s task)'),
    activity_spread: z.number().min(0).default(0.5).describe('log-normal sigma of per-account volume'),
    agent_steps: range('requests per session: actions, each answered with a screenshot, then the final answer', 1).default([8, 30]),
    end_users: range('customers served by one platform', 1).default([100, 3000]),
    server_ips: range('egress IPs of the platform\'s browser workers (a few cloud regions)', 1).default([10, 50]),
    screenshot_kilobytes: range('size of a screenshot in KB, drawn log-uniform', 1).default([30, 180]),
    output_chars: range('length of a final answer in characters').default([200, 700]),
    new_model: newModel({ share: 0.5, within_hours: 24, delay_hours: 0 }),
  })
  .strict();

const tutoringApp = z
  .object({
    apps: count.default(1).describe('tutoring products at scale 1 (each one company whose students ask homework questions through it; 0: none)'),
    accounts_per_app: range('API accounts an app sends through (production, staging, a second region)', 1).default([2, 4]),
    sessions_per_day: positive.default(25).describe('median student sessions per account per day'),
    activity_spread: z.number().min(0).default(0.5).describe('log-normal sigma of per-account volume'),
    students: range('students (end users) of one app', 1).default([500, 20000]),
    end_user_id_share: z.number().min(0).max(1).default(0.8).describe('apps that pass their students\' ids (`user` / `metadata.user_id`)'),
    follow_ups: range('follow-up questions a student asks about one problem ("why?", "I don\'t get step 2")').default([1, 5]),
    output_chars: range('length of a reply in characters').default([200, 700]),
    new_model: newModel({ share: 0.2, within_hours: 72, delay_hours: 24 }),
  })
  .strict();

const translationAgency = z
  .object({
    agencies: count.default(1).describe('translation and localisation companies at scale 1 (0: none)'),
    accounts_per_agency: range('API accounts an agency sends through (one per team or tool)', 1).default([2, 4]),
    requests_per_account_day: positive.default(100).describe('median requests per account per working day'),
    languages: range('target languages an agency works in', 1).default([5, 12]),
    chunk_chars: range('length of a document chunk sent for translation, in characters', 100).default([400, 1500]),
    office_hours: range('local hours the agency works; every account in the same hours').default([8, 19]),
    new_model: newModel({ share: 0.1, within_hours: 96, delay_hours: 48 }),
  })
  .strict();

const syntheticDataTeam = z
  .object({
    teams: count.default(1).describe('enterprise teams generating synthetic training data for their own classifiers at scale 1 (0: none)'),
    accounts_per_team: range('service accounts a team runs its jobs through', 1).default([2, 4]),
    jobs_per_day: z.number().min(0).default(0.4).describe('nightly generation jobs per account per day'),
    prompts_per_job: range('requests per job', 1).default([100, 400]),
    job_hours: range('nightly job window, local hours [start, end)').default([0, 6]),
    templates: range('prompt templates a team fills (one per label set or data type)', 1).default([2, 6]),
    output_chars: range('length of a generated batch in characters', 100).default([800, 2500]),
    temperature: range('sampling temperature (high, for diverse data)').default([0.8, 1.1]),
    new_model: newModel({ share: 0, within_hours: 24, delay_hours: 0 }),
  })
  .strict();

const personas = z
  .object({
    chat_user: chatUser.default({}),
    developer: developer.default({}),
    batch_pipeline: batchPipeline.default({}),
    eval_harness: evalHarness.default({}),
    reseller: reseller.default({}),
    classroom: classroom.default({}),
    research_lab: researchLab.default({}),
    agent_platform: agentPlatform.default({}),
    support_fleet: supportFleet.default({}),
    sampling_benchmark: samplingBenchmark.default({}),
    accessibility_app: accessibilityApp.default({}),
    document_pipeline: documentPipeline.default({}),
    browser_automation: browserAutomation.default({}),
    tutoring_app: tutoringApp.default({}),
    translation_agency: translationAgency.default({}),
    synthetic_data_team: syntheticDataTeam.default({}),
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Campaigns (attack). Each kind has its own defaults; all share one shape.

interface CampaignDefaults {
  requests: number;
  activeDays: [number, number] | null;
  schedule: (typeof SCHEDULE_KINDS)[number];
  network: (typeof NETWORK_KINDS)[number];
  poolSize: number;
  stickyMinutes: number;
  paymentCards: number;
  signupBursts: number;
  email: (typeof EMAIL_KINDS)[number];
  tiers: Partial<Record<(typeof ACCOUNT_TIERS)[number], number>>;
  clients: Partial<Record<ClientStackName, number>>;
  tasks: Partial<Record<CampaignTask, number>>;
  outputChars: [number, number];
  newModel: { share: number; within_hours: number; delay_hours: number };
  templates: number;
  maxedShare: number;
  thinkingShare: number;
  multiSampleShare: number;
  /** Share of sessions that are distillation; the rest is ordinary customer-like traffic. */
  distillationShare?: number;
  agentSteps?: [number, number];
  /** Image kinds: links instead of inline bytes, file sizes, and images sent again. */
  imageUrlShare?: number;
  imageKilobytes?: [number, number];
  imageResendShare?: number;
}

function campaign<K extends string, E extends z.ZodRawShape = {}>(kind: K, d: CampaignDefaults, contentOfKind: E = {} as E) {
  return z
    .object({
      kind: z.literal(kind).describe('campaign kind: cot_extraction, agentic_coding, proxy_network, stealth, image_harvest, computer_use, conversational_probing or multilingual_harvest'),
      name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lowercase letters, digits, "-" and "_"').describe('campaign id written to labels.jsonl'),
      accounts: count.describe('accounts at scale 1'),
      requests_per_account_day: positive.default(d.requests).describe('mean requests per account per active day'),
      volume_spread: z.number().min(0).nullable().default(null).describe('log-normal sigma of the accounts\' volumes around `requests_per_account_day` (null: 0.25, or 0.5 for distinct_residential)'),
      account_active_days: range('each account is used for this many days and then rotated out (null: the whole window)').nullable().default(d.activeDays),
      start_day: z.number().min(0).default(0).describe('day of the window the campaign starts'),
      end_day: z.number().positive().nullable().default(null).describe('day of the window the campaign stops (null: the end)'),
      schedule: z
        .enum(SCHEDULE_KINDS)
        .default(d.schedule)
        .describe('flat: round the clock; diurnal: a human working day in the account\'s time zone; shifts: synchronised windows shared by all accounts (load balancing); bursts: short bursts of requests (see `bursts_per_day`)'),
      shifts_per_day: z.number().int().min(1).max(12).default(3).describe('synchronised shifts per day (schedule: shifts)'),
      shift_hours: positive.default(6.5).describe('length of one shift in hours (schedule: shifts)'),
      bursts_per_day: positive.default(4).describe('bursts per account per day (schedule: bursts)'),
      burst_minutes: positive.default(15).describe('length of one burst in minutes (schedule: bursts)'),
      burst_sync: z.boolean().default(false).describe('true: every account bursts at the same times (a scheduler driving the whole campaign); false: each account at its own times (schedule: bursts)'),
      distillation_share: z
        .number()
        .min(0)
        .max(1)
        .default(d.distillationShare ?? 1)
        .describe('share of each account\'s sessions that are distillation; the rest is ordinary customer-like traffic mixed in (relayed customers, cover traffic)'),
      customer_tasks: weights(CUSTOMER_TASKS, 'what the ordinary traffic mixed into the accounts is').default({ chat: 0.6, coding_help: 0.3, tool_app: 0.1 }),
      new_model: newModel(d.newModel),
      infrastructure: z
        .object({
          network: z.enum(NETWORK_KINDS).default(d.network).describe('residential_proxy / datacenter_proxy / mixed_proxy: a rotating exit pool shared by the campaign; distinct_residential: one home connection per account, nothing shared'),
          pool_size: z.number().int().min(1).default(d.poolSize).describe('exit IPs in the proxy pool at scale 1 (scaled with the accounts)'),
          exit_provider: providerName
            .nullable()
            .default(null)
            .describe('name of an entry of `exit_providers`: the campaign rents its exits from that shared pool (with other campaigns and VPN users naming it) instead of its own; `network` and `pool_size` are then the provider\'s'),
          sticky_minutes: z.number().min(0).default(d.stickyMinutes).describe('minutes an exit IP is kept (0: a new exit per request)'),
          countries: countryWeights.optional().describe('exit and account countries; default: the built-in proxy-exit distribution'),
          payment_cards: count.default(d.paymentCards).describe('payment fingerprints shared by the campaign\'s paying accounts at scale 1 (0: a distinct card per account)'),
          signup_bursts: count.default(d.signupBursts).describe('accounts are created in this many bursts (0: spread over months like real users)'),
          signup_burst_minutes: positive.default(90).describe('length of one sign-up burst'),
          signup_days_before: range('bursts happen this many days before the campaign starts').default([2, 30]),
          email: z.enum(EMAIL_KINDS).default(d.email).describe('personal: free-mail name+digits addresses; catchall: a few cheap domains with many addresses; edu: university addresses (programme abuse)'),
          tiers: tierWeights(d.tiers),
          clients: weights(CLIENT_STACKS, 'client stacks (user agent and TLS fingerprint) the campaign\'s tooling uses').default(d.clients),
          shared_tooling_share: z
            .number()
            .min(0)
            .max(1)
            .nullable()
            .default(null)
            .describe('accounts that run the campaign\'s one build of each client stack; the others each have their own build (null: 0.85, or 0 for distinct_residential)'),
        })
        .strict()
        .default({}),
      content: z
        .object({
          tasks: weights(CAMPAIGN_TASKS, 'distillation task families and their weights').default(d.tasks),
          templates: z.number().int().min(1).default(d.templates).describe('shared prompt sketches (system prompt + instruction frame) the campaign rotates through'),
          system_prompts: z
            .number()
            .int()
            .min(0)
            .max(500)
            .nullable()
            .default(null)
            .describe('system prompts the campaign rotates through per task family (0: it sends none; null: the sketches\' built-in ones)'),
          prompt_styles: weights(PROMPT_STYLES, 'how instructions are worded: plain (the bare question or "Solve:", no reasoning request), elicit (explicit requests for reasoning, the sketches\' frames), paraphrase (reasoning, rationale, grading and rewrite requests in varied new wordings and output formats)')
            .nullable()
            .default(null),
          output_chars: range('length of a response in characters').default(d.outputChars),
          maxed_tokens_share: z.number().min(0).max(1).default(d.maxedShare).describe('requests whose max_tokens is the model\'s output limit'),
          max_tokens_choices: z
            .array(z.number().int().positive().nullable())
            .min(1)
            .nullable()
            .default(null)
            .describe('max_tokens values an account picks its habit from when not maxed; null in the list: left out where the API allows (null: [4096, 8192, 8192, 16384])'),
          thinking_share: z.number().min(0).max(1).default(d.thinkingShare).describe('requests with a thinking budget / high reasoning effort on reasoning models'),
          multi_sample_share: z.number().min(0).max(1).default(d.multiSampleShare).describe('chat-completions requests with n > 1'),
          agent_steps: range('requests per session: the steps of an agent loop, or a scripted burst of single-turn requests', 1).default(d.agentSteps ?? [2, 10]),
          image_url_share: z.number().min(0).max(1).default(d.imageUrlShare ?? 0).describe('images sent as https links rather than inline base64 (image tasks)'),
          image_kilobytes: range('size of an image file in KB, drawn log-uniform (image tasks; screenshots for computer_use)', 1).default(d.imageKilobytes ?? [20, 300]),
          image_resend_share: z.number().min(0).max(1).default(d.imageResendShare ?? 0).describe('image requests that send an image the campaign already sent (a retry, another instruction over the same image)'),
          ...contentOfKind,
        })
        .strict()
        // Every field has a default, the kind's own ones too; the generic shape hides that from the checker.
        .default({} as never),
    })
    .strict();
}

const cotExtraction = campaign('cot_extraction', {
  requests: 40,
  activeDays: [3, 8],
  schedule: 'flat',
  network: 'residential_proxy',
  poolSize: 3000,
  stickyMinutes: 0,
  paymentCards: 6,
  signupBursts: 6,
  email: 'edu',
  tiers: { education: 0.45, research: 0.2, standard: 0.35 },
  clients: { 'openai-python': 0.45, 'anthropic-python': 0.35, 'python-httpx': 0.2 },
  tasks: { cot: 0.45, rubric: 0.3, safe_rewrite: 0.25 },
  outputChars: [500, 1200],
  newModel: { share: 0.4, within_hours: 48, delay_hours: 2 },
  templates: 6,
  maxedShare: 0.75,
  thinkingShare: 0.7,
  multiSampleShare: 0.3,
});

const agenticCoding = campaign('agentic_coding', {
  requests: 100,
  activeDays: null,
  schedule: 'shifts',
  network: 'datacenter_proxy',
  poolSize: 600,
  stickyMinutes: 20,
  paymentCards: 30,
  signupBursts: 10,
  email: 'personal',
  tiers: { startup: 0.5, standard: 0.5 },
  clients: { 'anthropic-python': 0.5, 'openai-python': 0.35, 'python-httpx': 0.15 },
  tasks: { agentic_coding: 0.6, tool_orchestration: 0.25, data_analysis: 0.15 },
  outputChars: [400, 1000],
  newModel: { share: 0.5, within_hours: 24, delay_hours: 0 },
  templates: 3,
  maxedShare: 0.6,
  thinkingShare: 0.3,
  multiSampleShare: 0.05,
});

const proxyNetwork = campaign('proxy_network', {
  requests: 11,
  activeDays: [4, 14],
  schedule: 'flat',
  network: 'mixed_proxy',
  poolSize: 8000,
  stickyMinutes: 10,
  paymentCards: 300,
  signupBursts: 40,
  email: 'catchall',
  tiers: { standard: 0.7, free: 0.2, startup: 0.1 },
  clients: { 'openai-python': 0.3, 'go-http': 0.25, 'openai-node': 0.2, 'anthropic-python': 0.15, 'python-httpx': 0.1 },
  tasks: { cot: 0.3, agentic_coding: 0.3, tool_orchestration: 0.2, rubric: 0.1, data_analysis: 0.1 },
  outputChars: [400, 1100],
  newModel: { share: 0.3, within_hours: 72, delay_hours: 6 },
  templates: 8,
  maxedShare: 0.5,
  thinkingShare: 0.35,
  multiSampleShare: 0.15,
  distillationShare: 0.45,
});

const stealth = campaign('stealth', {
  requests: 15,
  activeDays: null,
  schedule: 'diurnal',
  network: 'distinct_residential',
  poolSize: 1,
  stickyMinutes: 0,
  paymentCards: 0,
  signupBursts: 0,
  email: 'personal',
  tiers: { standard: 0.7, free: 0.3 },
  clients: { 'openai-python': 0.3, 'anthropic-python': 0.25, 'openai-node': 0.15, 'anthropic-typescript': 0.1, 'python-requests': 0.1, curl: 0.1 },
  tasks: { cot: 0.45, agentic_coding: 0.2, rubric: 0.2, data_analysis: 0.15 },
  outputChars: [500, 1100],
  newModel: { share: 0.25, within_hours: 72, delay_hours: 12 },
  templates: 4,
  maxedShare: 0.35,
  thinkingShare: 0.4,
  multiSampleShare: 0.05,
});

const imageHarvest = campaign('image_harvest', {
  requests: 40,
  activeDays: [4, 12],
  schedule: 'flat',
  network: 'residential_proxy',
  poolSize: 2500,
  stickyMinutes: 5,
  paymentCards: 8,
  signupBursts: 6,
  email: 'personal',
  tiers: { standard: 0.6, startup: 0.25, free: 0.15 },
  clients: { 'openai-python': 0.45, 'anthropic-python': 0.35, 'python-aiohttp': 0.2 },
  tasks: { image_description: 0.3, transcription: 0.2, table_extraction: 0.2, chart_reading: 0.15, diagram_explanation: 0.15 },
  outputChars: [500, 1400],
  newModel: { share: 0.4, within_hours: 48, delay_hours: 4 },
  templates: 5,
  maxedShare: 0.5,
  thinkingShare: 0.25,
  multiSampleShare: 0.05,
  distillationShare: 0.9,
  agentSteps: [2, 8],
  imageUrlShare: 0.35,
  imageKilobytes: [20, 300],
  imageResendShare: 0.05,
});

const computerUse = campaign('computer_use', {
  requests: 120,
  activeDays: null,
  schedule: 'shifts',
  network: 'datacenter_proxy',
  poolSize: 400,
  stickyMinutes: 30,
  paymentCards: 12,
  signupBursts: 5,
  email: 'personal',
  tiers: { startup: 0.5, standard: 0.5 },
  clients: { 'anthropic-python': 0.55, 'openai-python': 0.3, 'python-httpx': 0.15 },
  tasks: { computer_use: 1 },
  outputChars: [300, 900],
  newModel: { share: 0.5, within_hours: 24, delay_hours: 0 },
  templates: 3,
  maxedShare: 0.4,
  thinkingShare: 0.3,
  multiSampleShare: 0,
  distillationShare: 0.92,
  agentSteps: [10, 40],
  imageKilobytes: [30, 180],
});

const conversationalProbing = campaign(
  'conversational_probing',
  {
    requests: 30,
    activeDays: [3, 10],
    schedule: 'flat',
    network: 'residential_proxy',
    poolSize: 2000,
    stickyMinutes: 30,
    paymentCards: 8,
    signupBursts: 5,
    email: 'personal',
    tiers: { standard: 0.6, free: 0.25, education: 0.15 },
    clients: { 'openai-python': 0.4, 'anthropic-python': 0.35, 'python-httpx': 0.15, 'openai-node': 0.1 },
    tasks: { cot: 0.8, rubric: 0.2 },
    outputChars: [400, 900],
    newModel: { share: 0.4, within_hours: 48, delay_hours: 2 },
    templates: 4,
    maxedShare: 0.3,
    thinkingShare: 0.5,
    multiSampleShare: 0.05,
  },
  {
    follow_ups: range('follow-up probes after the seed question of a probing session ("Why?", "Solve it with a different method"); each carries the whole conversation so far').default([2, 8]),
    probe_wordings: range('probe wordings each prompt sketch draws from the bank and repeats, as tooling does', 1).default([3, 8]),
  },
);

const multilingualHarvest = campaign(
  'multilingual_harvest',
  {
    requests: 45,
    activeDays: [4, 12],
    schedule: 'flat',
    network: 'mixed_proxy',
    poolSize: 2500,
    stickyMinutes: 0,
    paymentCards: 12,
    signupBursts: 8,
    email: 'catchall',
    tiers: { standard: 0.6, free: 0.25, startup: 0.15 },
    clients: { 'openai-python': 0.45, 'python-httpx': 0.25, 'anthropic-python': 0.2, 'go-http': 0.1 },
    tasks: { cot: 0.7, rubric: 0.3 },
    outputChars: [500, 1300],
    newModel: { share: 0.4, within_hours: 48, delay_hours: 4 },
    templates: 5,
    maxedShare: 0.6,
    thinkingShare: 0.6,
    multiSampleShare: 0.2,
  },
  {
    languages: weights(PROMPT_LANGUAGES, 'languages the harness is sent in, with their weights; problems come from the corpora\'s prompts in each language (MGSM, non-English chat prompts), instructions from native wordings').default({
      zh: 1,
      ja: 0.8,
      ko: 0.4,
      ru: 0.8,
      ar: 0.3,
      es: 0.8,
      fr: 0.6,
      de: 0.6,
      th: 0.3,
      sw: 0.2,
      bn: 0.3,
      te: 0.2,
    }),
    languages_per_account: range('languages one account sends in (the rest of the campaign covers the others)', 1).default([1, 3]),
  },
);

const campaignSchema = z.discriminatedUnion('kind', [cotExtraction, agenticCoding, proxyNetwork, stealth, imageHarvest, computerUse, conversationalProbing, multilingualHarvest]);

// ---------------------------------------------------------------------------------------------

const DEFAULT_MODELS = {
  'anthropic.messages': [
    { name: 'claude-sonnet-4-5-20250929', max_output_tokens: 64000, reasoning: true, weight: 6 },
    { name: 'claude-haiku-4-5-20251001', max_output_tokens: 64000, reasoning: true, weight: 3 },
    { name: 'claude-opus-4-1-20250805', max_output_tokens: 32000, reasoning: true, weight: 1 },
  ],
  'openai.chat_completions': [
    { name: 'gpt-4.1', max_output_tokens: 32768, reasoning: false, weight: 4 },
    { name: 'gpt-4.1-mini', max_output_tokens: 32768, reasoning: false, weight: 3 },
    { name: 'gpt-4o-mini', max_output_tokens: 16384, reasoning: false, weight: 2 },
    { name: 'o3', max_output_tokens: 100000, reasoning: true, weight: 1 },
  ],
  'openai.responses': [
    { name: 'gpt-4.1', max_output_tokens: 32768, reasoning: false, weight: 3 },
    { name: 'o4-mini', max_output_tokens: 100000, reasoning: true, weight: 2 },
    { name: 'o3', max_output_tokens: 100000, reasoning: true, weight: 2 },
  ],
};

const DEFAULT_RELEASE = {
  'anthropic.messages': { name: 'claude-opus-4-6', max_output_tokens: 128000, reasoning: true, weight: 1 },
  'openai.chat_completions': { name: 'gpt-5.2', max_output_tokens: 128000, reasoning: true, weight: 1 },
  'openai.responses': { name: 'gpt-5.2', max_output_tokens: 128000, reasoning: true, weight: 1 },
};

export const scenarioSchema = z
  .object({
    name: z.string().min(1).describe('scenario name, shown in the summary'),
    description: z.string().default('').describe('what the scenario models'),
    window: z
      .object({
        start: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00(?:\.000)?Z$/, 'expected a whole UTC hour such as 2026-02-02T00:00:00Z')
          .default('2026-02-02T00:00:00Z')
          .describe('start of the log window (a whole UTC hour)'),
        days: z.number().int().min(1).max(60).default(14).describe('length of the window in days'),
      })
      .strict()
      .default({}),
    release: z
      .object({
        at_day: z.number().positive().default(6.4).describe('when the new model appears, in days from the window start'),
        models: apiRecord(modelSpec).default(DEFAULT_RELEASE).describe('the released model, per API'),
      })
      .strict()
      .default({}),
    models: apiRecord(z.array(modelSpec).min(1)).default(DEFAULT_MODELS).describe('models available before the release, per API'),
    apis: weights(API_KINDS, 'share of accounts using each API (`--api` forces one)').default({ 'anthropic.messages': 0.45, 'openai.chat_completions': 0.4, 'openai.responses': 0.15 }),
    accounts: z
      .object({
        email_style: z.enum(['raw', 'hashed']).default('raw').describe('raw: `email`; hashed: `email_domain` + `email_local_hash`, for providers that keep no addresses'),
        min_per_group: z.number().int().min(1).default(3).describe('every persona and campaign keeps at least this many accounts at any scale'),
        dormant_share: z.number().min(0).max(0.5).default(0.04).describe('benign accounts that signed up but send nothing in the window'),
      })
      .strict()
      .default({}),
    traffic: z
      .object({
        rate_limited_share: z.number().min(0).max(0.5).default(0.004).describe('base share of 429 responses (grows with an account\'s request rate)'),
        server_error_share: z.number().min(0).max(0.5).default(0.0015).describe('share of 500 responses'),
        overload_share: z.number().min(0).max(0.5).default(0.03).describe('share of overload errors (529 / 503) right after the release'),
        overload_hours: z.number().min(0).default(10).describe('hours after the release during which overload errors occur'),
        ipv6_share: z.number().min(0).max(1).default(0.15).describe('residential connections that use IPv6'),
        stream_share: z.number().min(0).max(1).default(0.55).describe('interactive requests sent with stream: true'),
      })
      .strict()
      .default({}),
    corpora: z
      .object({
        dir: z.string().nullable().default(null).describe('prompt corpora directory (relative to the scenario file); null: `--corpora`, else data/corpora in the package'),
        max_prompt_chars: z.number().int().min(200).default(3000).describe('corpus prompts longer than this are not used'),
      })
      .strict()
      .default({}),
    output: z
      .object({
        block_exchanges: z.number().int().min(500).default(16000).describe('target exchanges per time block (one gzip member, one unit of parallel work)'),
      })
      .strict()
      .default({}),
    exit_providers: z
      .array(
        z
          .object({
            name: providerName.describe('what campaigns (`infrastructure.exit_provider`) and VPN users (`personas.chat_user.vpn_provider`) call it'),
            network: z.enum(PROVIDER_NETWORKS).describe('residential: home and mobile exits; datacenter: rented hosting and VPN blocks; mixed: both plus third-party clouds'),
            pool_size: z.number().int().min(1).describe('exit IPs at scale 1 (scaled like a campaign pool)'),
            countries: countryWeights.optional().describe('exit countries; default: the built-in proxy-exit distribution'),
          })
          .strict(),
      )
      .default([])
      .describe('commercial proxy and VPN exit pools that several campaigns (and VPN users) rent from at once'),
    personas: personas.default({}),
    campaigns: z.array(campaignSchema).min(1).describe('distillation campaigns'),
  })
  .strict()
  .superRefine((scenario, context) => {
    if (scenario.release.at_day >= scenario.window.days) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['release', 'at_day'], message: `expected a day inside the window (< window.days = ${scenario.window.days})` });
    }
    const providers = new Set<string>();
    scenario.exit_providers.forEach((provider, index) => {
      if (providers.has(provider.name)) context.addIssue({ code: z.ZodIssueCode.custom, path: ['exit_providers', index, 'name'], message: `expected a unique name; "${provider.name}" is used twice` });
      providers.add(provider.name);
    });
    const names = new Set<string>();
    scenario.campaigns.forEach((entry, index) => {
      if (names.has(entry.name)) context.addIssue({ code: z.ZodIssueCode.custom, path: ['campaigns', index, 'name'], message: `expected a unique name; "${entry.name}" is used twice` });
      names.add(entry.name);
      const end = entry.end_day ?? scenario.window.days;
      if (end > scenario.window.days) context.addIssue({ code: z.ZodIssueCode.custom, path: ['campaigns', index, 'end_day'], message: `expected at most window.days (${scenario.window.days})` });
      if (entry.start_day >= end) context.addIssue({ code: z.ZodIssueCode.custom, path: ['campaigns', index, 'start_day'], message: `expected a day before end_day (${end})` });
      if (entry.accounts < 1) context.addIssue({ code: z.ZodIssueCode.custom, path: ['campaigns', index, 'accounts'], message: 'expected at least 1 account' });
      if (entry.shifts_per_day * entry.shift_hours > 24) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ['campaigns', index, 'shift_hours'], message: `expected shifts_per_day × shift_hours <= 24 (found ${entry.shifts_per_day} × ${entry.shift_hours})` });
      }
      if (entry.bursts_per_day * entry.burst_minutes > 24 * 60) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ['campaigns', index, 'burst_minutes'], message: `expected bursts_per_day × burst_minutes <= 1440 (found ${entry.bursts_per_day} × ${entry.burst_minutes})` });
      }
      const provider = entry.infrastructure.exit_provider;
      if (provider !== null && !providers.has(provider)) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ['campaigns', index, 'infrastructure', 'exit_provider'], message: `expected the name of an exit_providers entry (${[...providers].join(', ') || 'none defined'}), found "${provider}"` });
      }
      if (provider !== null && entry.infrastructure.network === 'distinct_residential') {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ['campaigns', index, 'infrastructure', 'exit_provider'], message: 'expected null with network distinct_residential (home connections rent no exits)' });
      }
    });
    const vpn = scenario.personas.chat_user.vpn_provider;
    if (vpn !== null && !providers.has(vpn)) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['personas', 'chat_user', 'vpn_provider'], message: `expected the name of an exit_providers entry (${[...providers].join(', ') || 'none defined'}), found "${vpn}"` });
    }
    for (const api of API_KINDS) {
      const weightOfApi = scenario.apis[api] ?? 0;
      if (weightOfApi > 0 && !scenario.models[api].some((model) => model.weight > 0)) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ['models', api], message: 'expected at least one model with a positive weight' });
      }
    }
    const job = scenario.personas.batch_pipeline.job_hours;
    if (job[1] > 24) context.addIssue({ code: z.ZodIssueCode.custom, path: ['personas', 'batch_pipeline', 'job_hours'], message: 'expected local hours within [0, 24]' });
    const hours = scenario.personas.support_fleet.business_hours;
    if (hours[1] > 24 || hours[0] === hours[1]) context.addIssue({ code: z.ZodIssueCode.custom, path: ['personas', 'support_fleet', 'business_hours'], message: 'expected local hours within [0, 24] with start < end' });
    const documents = scenario.personas.document_pipeline;
    for (const key of ['job_hours', 'business_hours'] as const) {
      if (documents[key][1] > 24) context.addIssue({ code: z.ZodIssueCode.custom, path: ['personas', 'document_pipeline', key], message: 'expected local hours within [0, 24]' });
    }
    const office = scenario.personas.translation_agency.office_hours;
    if (office[1] > 24 || office[0] === office[1]) context.addIssue({ code: z.ZodIssueCode.custom, path: ['personas', 'translation_agency', 'office_hours'], message: 'expected local hours within [0, 24] with start < end' });
    const nightly = scenario.personas.synthetic_data_team.job_hours;
    if (nightly[1] > 24 || nightly[0] === nightly[1]) context.addIssue({ code: z.ZodIssueCode.custom, path: ['personas', 'synthetic_data_team', 'job_hours'], message: 'expected local hours within [0, 24] with start < end' });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type CampaignConfig = Scenario['campaigns'][number];
export type CampaignKind = CampaignConfig['kind'];
export type ModelSpec = z.infer<typeof modelSpec>;
export type NewModelPolicy = Scenario['personas']['chat_user']['new_model'];
export type PersonaConfigs = Scenario['personas'];
export type PersonaName = keyof PersonaConfigs;
export type ExitProvider = Scenario['exit_providers'][number];

export const PERSONA_NAMES = [
  'chat_user',
  'developer',
  'batch_pipeline',
  'eval_harness',
  'reseller',
  'classroom',
  'research_lab',
  'agent_platform',
  'support_fleet',
  'sampling_benchmark',
  'accessibility_app',
  'document_pipeline',
  'browser_automation',
  'tutoring_app',
  'translation_agency',
  'synthetic_data_team',
] as const satisfies readonly PersonaName[];
export const CAMPAIGN_KINDS = [
  'cot_extraction',
  'agentic_coding',
  'proxy_network',
  'stealth',
  'image_harvest',
  'computer_use',
  'conversational_probing',
  'multilingual_harvest',
] as const satisfies readonly CampaignKind[];
/** Kinds and personas that send images; a scenario may leave them out (0 units, no campaign). */
export const IMAGE_CAMPAIGN_KINDS = ['image_harvest', 'computer_use'] as const satisfies readonly CampaignKind[];
export const IMAGE_PERSONA_NAMES = ['accessibility_app', 'document_pipeline', 'browser_automation'] as const satisfies readonly PersonaName[];
/**
 * Text kinds added after the image kinds: their campaigns are built after every persona, from seeds of
 * their own, so that adding them left every earlier account's traffic as it was.
 */
export const LATER_CAMPAIGN_KINDS: readonly CampaignKind[] = ['conversational_probing', 'multilingual_harvest'];

export function modelsOf(scenario: Scenario, api: ApiKind): ModelSpec[] {
  return scenario.models[api];
}
