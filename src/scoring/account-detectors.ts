import { z } from 'zod';
import type { AccountInfo, AccountState } from '../behaviour/account-state.js';
import type { AccountSummary, PopulationContext, TemplateUse } from '../behaviour/account-summary.js';
import { evidence, formatCount, formatPercent, formatShare, ramp, type DetectorDefinition } from './detector.js';

/**
 * Detectors that read one account's behaviour. Each weighs one signal against the legitimate
 * customers that share it: students ask for step-by-step answers now and then, batch pipelines
 * fill one template all day, evaluation harnesses re-run benchmarks on every new model. So most
 * of these are shares of traffic with a ramp between a low share (what normal use shows) and a
 * high one, and all of them are capped by their weight: an account's own evidence alone rarely
 * reaches the flag; it is coordination with other accounts (cluster detectors) that does.
 */

export interface AccountDetectorInput {
  accountId: string;
  state: AccountState;
  summary: AccountSummary;
  info: AccountInfo | null;
  context: PopulationContext;
  /** The analyst-facing name of a template, e.g. `P17` (prompt) or `S4` (system prompt). */
  templateName(use: Pick<TemplateUse, 'kind' | 'templateId'>): string;
}

type AccountDetector<P extends { weight: number }> = DetectorDefinition<AccountDetectorInput, P>;

const shareParams = (weight: number, low: number, high: number, minExchanges = 20) =>
  z
    .object({
      weight: z.number().min(0).max(1).default(weight),
      low: z.number().min(0).max(1).default(low),
      high: z.number().min(0).max(1).default(high),
      min_exchanges: z.number().int().min(1).default(minExchanges),
    })
    .strict()
    .refine((p) => p.low <= p.high, { message: 'low must not exceed high' })
    .default({});

type ShareParams = { weight: number; low: number; high: number; min_exchanges: number };

function shareDetector(
  signal: string,
  description: string,
  defaults: [number, number, number],
  share: (input: AccountDetectorInput) => number,
  phrase: (input: AccountDetectorInput, share: number) => string,
): AccountDetector<ShareParams> {
  return {
    signal,
    level: 'account',
    role: 'value',
    description,
    params: shareParams(...defaults),
    detect(input, params) {
      const n = input.summary.exchanges;
      if (n < params.min_exchanges) return { score: 0, evidence: [] };
      const value = share(input);
      const score = ramp(value, params.low, params.high);
      if (score === 0) return { score, evidence: [] };
      return { score, evidence: [evidence(signal, score, params.weight, phrase(input, value), value)] };
    },
  };
}

const requests = (input: AccountDetectorInput, share: number) => formatShare(share * input.summary.exchanges, input.summary.exchanges);

export const cotElicitationDetector = shareDetector(
  'cot_elicitation',
  'Share of requests that ask for step-by-step reasoning, a worked solution or the thought process (chain-of-thought elicitation), in the prompt or the system prompt.',
  [0.45, 0.1, 0.5],
  (input) => Math.max(input.summary.shares.cot, input.summary.shares.systemCot),
  (input, share) =>
    `asks for step-by-step reasoning in ${formatPercent(share)} of ${formatCount(input.summary.exchanges)} requests` +
    (input.summary.shares.systemCot > input.summary.shares.cot ? ' (through its system prompt)' : ''),
);

export const rubricGradingDetector = shareDetector(
  'rubric_grading',
  'Share of requests that use the model as a grader: rubrics, scoring a response, judging which answer is better (the model as a reward model).',
  [0.45, 0.03, 0.25],
  (input) => input.summary.shares.rubric,
  (input, share) => `uses the model to grade answers against a rubric in ${requests(input, share)}`,
);

export const explainAnswerDetector = shareDetector(
  'explain_answer',
  'Share of requests that give a finished answer and ask for the reasoning behind it (rationales for a training set).',
  [0.45, 0.03, 0.25],
  (input) => input.summary.shares.explainAnswer,
  (input, share) => `gives a finished answer and asks for the reasoning behind it in ${requests(input, share)}`,
);

export const safeRewriteDetector = shareDetector(
  'safe_rewrite',
  'Share of requests that ask for a sensitive question to be rewritten into a safe, harmless or policy-compliant one.',
  [0.45, 0.02, 0.2],
  (input) => input.summary.shares.safeRewrite,
  (input, share) => `asks for "safe" rewrites of sensitive questions in ${requests(input, share)}`,
);

export const maxedTokensDetector = shareDetector(
  'maxed_tokens',
  "Share of requests that set max_tokens at (95% of) the model's output limit: asking for as much output as the model gives.",
  [0.25, 0.15, 0.6],
  (input) => input.summary.shares.maxedTokens,
  (input, share) => `sets max_tokens at the model's output limit in ${requests(input, share)}`,
);

export const thinkingBudgetDetector = shareDetector(
  'thinking_budget',
  'Share of requests with an extended-thinking budget or high reasoning effort (reasoning traces are the prize of a distiller).',
  [0.2, 0.25, 0.75],
  (input) => input.summary.shares.thinking,
  (input, share) => `requests extended thinking or high reasoning effort in ${requests(input, share)}`,
);

export const multiSampleDetector = shareDetector(
  'multi_sample',
  'Share of requests asking for several completions at once (n > 1).',
  [0.15, 0.05, 0.3],
  (input) => input.summary.shares.multiSample,
  (input, share) => `asks for several completions per request (n > 1) in ${requests(input, share)}`,
);

export const longOutputsDetector: AccountDetector<ShareParams & { min_tokens: number }> = {
  signal: 'long_outputs',
  level: 'account',
  role: 'value',
  description: 'Share of responses of at least `min_tokens` output tokens (long answers carry more training signal).',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.15),
      low: z.number().min(0).max(1).default(0.3),
      high: z.number().min(0).max(1).default(0.8),
      min_exchanges: z.number().int().min(1).default(20),
      min_tokens: z.number().int().min(1).default(256),
    })
    .strict()
    .default({}),
  detect(input, params) {
    const n = input.summary.exchanges;
    if (n < params.min_exchanges) return { score: 0, evidence: [] };
    const bucket = Math.ceil(Math.log2(params.min_tokens)) + 1;
    let long = 0;
    for (let b = bucket; b < input.state.outputHistogram.length; b++) long += input.state.outputHistogram[b]!;
    const share = long / n;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    return {
      score,
      evidence: [evidence('long_outputs', score, params.weight, `${formatShare(long, n, 'responses')} are ${formatCount(params.min_tokens)} output tokens or longer`, share)],
    };
  },
};

export const sharedTemplatesDetector: AccountDetector<ShareParams & { min_other_accounts: number }> = {
  signal: 'shared_templates',
  level: 'account',
  role: 'value',
  description: 'Share of requests that fill a prompt template (or system-prompt template) other accounts fill too: systematic, scripted variation of one prompt.',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.3),
      low: z.number().min(0).max(1).default(0.3),
      high: z.number().min(0).max(1).default(0.8),
      min_exchanges: z.number().int().min(1).default(20),
      min_other_accounts: z.number().int().min(1).default(2),
    })
    .strict()
    .default({}),
  detect(input, params) {
    const { summary } = input;
    if (summary.exchanges < params.min_exchanges) return { score: 0, evidence: [] };
    const shared = summary.templates.filter((use) => use.otherAccounts >= params.min_other_accounts);
    const byKind = { prompt: 0, system: 0 };
    for (const use of shared) byKind[use.kind] += use.exchanges;
    const share = Math.min(1, Math.max(byKind.prompt, byKind.system) / summary.exchanges);
    const score = ramp(share, params.low, params.high);
    if (score === 0 || shared.length === 0) return { score: 0, evidence: [] };
    const top = shared[0]!;
    const rest = shared.length > 1 ? ` (and ${shared.length - 1} more shared template${shared.length > 2 ? 's' : ''})` : '';
    return {
      score,
      evidence: [
        evidence(
          'shared_templates',
          score,
          params.weight,
          `${formatShare(top.exchanges, summary.exchanges)} fill ${top.kind === 'system' ? 'system-prompt ' : ''}template ${input.templateName(top)}, which ${formatCount(top.otherAccounts)} other account${top.otherAccounts === 1 ? '' : 's'} also fill${rest}`,
          share,
        ),
      ],
    };
  },
};

const TARGET_CAPABILITIES = ['coding', 'math', 'reasoning', 'agentic', 'data_analysis', 'computer_use', 'vision'];

export const capabilityFocusDetector: AccountDetector<{ weight: number; low: number; high: number; min_exchanges: number }> = {
  signal: 'capability_focus',
  level: 'account',
  role: 'value',
  description: 'Share of a heavy account\'s traffic in the capabilities distillers target (coding, math, reasoning, agentic tool use, data analysis, computer use, vision).',
  params: shareParams(0.1, 0.7, 0.95, 100),
  detect(input, params) {
    const { summary } = input;
    if (summary.exchanges < params.min_exchanges) return { score: 0, evidence: [] };
    const targeted = Object.entries(summary.capabilities)
      .filter(([name]) => TARGET_CAPABILITIES.includes(name))
      .sort((a, b) => b[1] - a[1]);
    const share = targeted.reduce((sum, [, s]) => sum + s, 0);
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    const mix = targeted.slice(0, 3).map(([name, s]) => `${name.replace('_', ' ')} ${formatPercent(s)}`).join(', ');
    return { score, evidence: [evidence('capability_focus', score, params.weight, `${formatPercent(share)} of ${formatCount(summary.exchanges)} requests target ${mix}`, share)] };
  },
};

export const heavyVolumeDetector: AccountDetector<{ weight: number; low: number; high: number }> = {
  signal: 'heavy_volume',
  level: 'account',
  role: 'value',
  description: 'Requests per active day, between a low (a busy person) and a high (a harvesting script) rate.',
  params: z
    .object({ weight: z.number().min(0).max(1).default(0.1), low: z.number().min(0).default(60), high: z.number().min(0).default(400) })
    .strict()
    .default({}),
  detect(input, params) {
    const perDay = input.summary.perActiveDay;
    const score = ramp(perDay, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    return {
      score,
      evidence: [
        evidence('heavy_volume', score, params.weight, `${formatCount(input.summary.exchanges)} requests over ${formatCount(input.summary.activeDays)} active days (${formatCount(perDay)} a day)`, perDay),
      ],
    };
  },
};

export const roundTheClockDetector: AccountDetector<{ weight: number; low: number; high: number; min_exchanges: number }> = {
  signal: 'round_the_clock',
  level: 'account',
  role: 'value',
  description: 'Traffic spread evenly over the hours of the day (normalised entropy of the hour-of-day histogram): scripts do not sleep.',
  params: shareParams(0.08, 0.85, 0.97, 100),
  detect(input, params) {
    const { summary } = input;
    if (summary.exchanges < params.min_exchanges) return { score: 0, evidence: [] };
    const score = ramp(summary.hourEntropy, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    return {
      score,
      evidence: [evidence('round_the_clock', score, params.weight, `active round the clock: ${summary.busyHoursOfDay} of 24 hours of the day each carry at least 2% of its requests`, summary.hourEntropy)],
    };
  },
};

export const newModelRushDetector: AccountDetector<{ weight: number; low: number; high: number; min_exchanges: number }> = {
  signal: 'new_model_rush',
  level: 'account',
  role: 'value',
  description: 'Share of the account\'s traffic moved to a newly released model within 24 hours of its first appearance.',
  params: shareParams(0.12, 0.3, 0.7, 20),
  detect(input, params) {
    const move = input.summary.newModel;
    if (move === null || input.summary.exchanges < params.min_exchanges) return { score: 0, evidence: [] };
    const score = ramp(move.share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    return {
      score,
      evidence: [
        evidence(
          'new_model_rush',
          score,
          params.weight,
          `moved ${formatPercent(move.share)} of its traffic to ${move.name} in the 24 hours after it appeared (first use ${move.hoursAfterRelease.toFixed(1)} h after)`,
          move.share,
        ),
      ],
    };
  },
};

export const freshAccountDetector: AccountDetector<{ weight: number; max_age_days: number; min_exchanges: number }> = {
  signal: 'fresh_account',
  level: 'account',
  role: 'value',
  description: 'Heavy traffic from an account that started sending within days of signing up.',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.08),
      max_age_days: z.number().min(0).default(7),
      min_exchanges: z.number().int().min(1).default(200),
    })
    .strict()
    .default({}),
  detect(input, params) {
    const age = input.summary.ageAtFirstUseDays;
    if (age === null || age > params.max_age_days || input.summary.exchanges < params.min_exchanges) return { score: 0, evidence: [] };
    const score = 1 - Math.max(0, age) / Math.max(1e-9, params.max_age_days) / 2;
    return {
      score,
      evidence: [evidence('fresh_account', score, params.weight, `first request ${age.toFixed(1)} days after sign-up, ${formatCount(input.summary.exchanges)} requests since`, age)],
    };
  },
};

export const programmeTierDetector: AccountDetector<{ weight: number; tiers: string[]; min_exchanges: number }> = {
  signal: 'programme_tier',
  level: 'account',
  role: 'value',
  description: 'A heavy account on a programme tier (education, research, start-up): the pathways the public reports say were abused.',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.05),
      tiers: z.array(z.string()).default(['education', 'research', 'startup']),
      min_exchanges: z.number().int().min(1).default(200),
    })
    .strict()
    .default({}),
  detect(input, params) {
    const tier = input.info?.tier;
    if (!tier || !params.tiers.includes(tier) || input.summary.exchanges < params.min_exchanges) return { score: 0, evidence: [] };
    return { score: 1, evidence: [evidence('programme_tier', 1, params.weight, `on the ${tier} tier with ${formatCount(input.summary.exchanges)} requests`)] };
  },
};

export const verbatimRepeatsDetector: AccountDetector<{ weight: number; low: number; high: number; min_prompts: number }> = {
  signal: 'verbatim_repeats',
  level: 'account',
  role: 'mitigation',
  description:
    'Mitigation: share of single-turn prompts the account had already sent word for word. Evaluation harnesses and regression suites re-send fixed items (on every model, every run); a harvester gets nothing from paying for the same answer twice.',
  params: z
    .object({
      weight: z.number().min(0).max(1).default(0.7),
      low: z.number().min(0).max(1).default(0.05),
      high: z.number().min(0).max(1).default(0.25),
      min_prompts: z.number().int().min(1).default(30),
    })
    .strict()
    .default({}),
  detect(input, params) {
    const { summary } = input;
    if (summary.singleTurnPrompts < params.min_prompts) return { score: 0, evidence: [] };
    const share = summary.shares.verbatimRepeats;
    const score = ramp(share, params.low, params.high);
    if (score === 0) return { score, evidence: [] };
    const repeats = Math.round(share * summary.singleTurnPrompts);
    return {
      score,
      evidence: [
        {
          ...evidence('verbatim_repeats', score, params.weight, `re-sent ${formatShare(repeats, summary.singleTurnPrompts, 'single-turn prompts')} word for word, as evaluation and regression runs do`, share),
          weight: -Math.round(score * params.weight * 10_000) / 10_000,
        },
      ],
    };
  },
};

export const ACCOUNT_DETECTORS = [
  cotElicitationDetector,
  rubricGradingDetector,
  explainAnswerDetector,
  safeRewriteDetector,
  maxedTokensDetector,
  thinkingBudgetDetector,
  multiSampleDetector,
  longOutputsDetector,
  sharedTemplatesDetector,
  capabilityFocusDetector,
  heavyVolumeDetector,
  roundTheClockDetector,
  newModelRushDetector,
  freshAccountDetector,
  programmeTierDetector,
  verbatimRepeatsDetector,
] as const;
