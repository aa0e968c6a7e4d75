import { z } from 'zod';
import type { LevelMeasureName, Measures, PopulationContext, ShareMeasureName } from '../behaviour/account-summary.js';
import { evidence, formatCount, formatPercent, formatShare, mitigationFound, ramp, type DetectorDefinition, type DetectorResult, NOTHING_FOUND } from './detector.js';
import { levelStanding, levelZ, outlierStrength, shareStanding, shareZ, type Standing } from './evidence-scale.js';

/**
 * Detectors of what traffic takes from the model, run on one account's requests and on a
 * cluster's requests pooled (`subject`). Each compares a measure with the store's own population
 * (`PopulationContext.references`): how many standard deviations above the usual account it
 * stands, from `z_low` (no evidence) to `z_high` (the detector's full weight). So "asks for
 * step-by-step reasoning" weighs little in a store where most accounts do, and a large
 * `max_tokens` is large for its model, not against a constant. Confidence grows with the
 * requests measured (a share measured on five requests needs a far larger difference than one
 * measured on five hundred); there is no minimum volume that switches a detector off.
 */

export interface TrafficInput {
  subject: 'account' | 'cluster';
  measures: Measures;
  exchanges: number;
  /** Accounts behind the traffic: 1 for an account. */
  accounts: number;
  context: PopulationContext;
}

export type TrafficDetector<P extends { weight: number }> = DetectorDefinition<TrafficInput, P>;

export interface OutlierParams {
  weight: number;
  /** Standard deviations above the population where evidence starts... */
  z_low: number;
  /** ...and where it is full. */
  z_high: number;
  /** The smallest difference, in the measure's units, that is told apart from chance. */
  min_spread: number;
}

const outlierParams = (weight: number, minSpread: number) =>
  z
    .object({
      weight: z.number().min(0).max(10).default(weight),
      z_low: z.number().min(0).default(2),
      z_high: z.number().min(0).default(6),
      min_spread: z.number().positive().default(minSpread),
    })
    .strict()
    .refine((p) => p.z_low <= p.z_high, { message: 'z_low must not exceed z_high' })
    .default({});

// Why these spreads: a share must differ by a twentieth of all requests (one in twenty) before
// two accounts read as different habits; max_tokens and output lengths by half a doubling (log2
// units); volume by a factor of two (log10 0.3); the spread over the hours of the day by a
// tenth of its range.
const SHARE_SPREAD = 0.05;
const LOG2_SPREAD = 0.5;
const LOG10_SPREAD = 0.3;
const ENTROPY_SPREAD = 0.1;

function whose(input: TrafficInput): string {
  return input.subject === 'account' ? '' : ` from ${formatCount(input.accounts)} accounts`;
}

function typical(standing: Standing, asPercent: boolean): string {
  return asPercent ? `typical account ${formatPercent(standing.center)}` : `typical account ${standing.center.toFixed(2)}`;
}

/**
 * Evidence of `strength` > 0. Callers return `NOTHING_FOUND` first when there is none, so the
 * detail is only written (and its closure only made) for evidence given: most accounts give none,
 * on every re-score of the live path.
 */
function found(signal: string, strength: number, params: OutlierParams, detail: string, value: number): DetectorResult {
  return { score: strength, evidence: [evidence(signal, strength, params.weight, detail, value)] };
}

function shareDetector(
  signal: string,
  family: string,
  measure: ShareMeasureName,
  description: string,
  weight: number,
  phrase: (input: TrafficInput, count: number, total: number) => string,
): TrafficDetector<OutlierParams> {
  return {
    signal,
    level: 'traffic',
    role: 'value',
    family,
    description,
    params: outlierParams(weight, SHARE_SPREAD),
    detect(input, params) {
      const m = input.measures[measure];
      if (m.total === 0) return NOTHING_FOUND;
      const reference = input.context.references[measure];
      const strength = outlierStrength(shareZ(m, reference, params.min_spread), params.z_low, params.z_high);
      if (strength <= 0) return NOTHING_FOUND;
      const standing = shareStanding(m, reference, params.min_spread);
      return found(signal, strength, params, `${phrase(input, m.count, m.total)} (${typical(standing, true)}; ${standing.z.toFixed(1)} SD above)`, m.count / m.total);
    },
  };
}

function levelDetector(
  signal: string,
  family: string,
  measure: LevelMeasureName,
  description: string,
  weight: number,
  minSpread: number,
  phrase: (input: TrafficInput, value: number, standing: Standing) => string,
  direction: 'above' | 'below' = 'above',
): TrafficDetector<OutlierParams> {
  return {
    signal,
    level: 'traffic',
    role: 'value',
    family,
    description,
    params: outlierParams(weight, minSpread),
    detect(input, params) {
      const m = input.measures[measure];
      if (m === null) return NOTHING_FOUND;
      const reference = input.context.references[measure];
      const above = levelZ(m, reference, params.min_spread);
      const z = direction === 'above' ? above : -above;
      const strength = outlierStrength(z, params.z_low, params.z_high);
      if (strength <= 0) return NOTHING_FOUND;
      const standing = levelStanding(m, reference, params.min_spread);
      return found(signal, strength, params, `${phrase(input, m.value, standing)} (${z.toFixed(1)} SD ${direction} the typical account)`, m.value);
    },
  };
}

const requestsOf = (input: TrafficInput, count: number, total: number) => `${formatShare(count, total)}${whose(input)}`;

export const cotElicitationDetector = shareDetector(
  'cot_elicitation',
  'elicitation',
  'cot',
  'Requests that ask for step-by-step reasoning, a worked solution or the thought process (chain-of-thought elicitation), in the prompt or the system prompt, against the population\'s rate.',
  2,
  (input, count, total) => `asks for step-by-step reasoning in ${requestsOf(input, count, total)}`,
);

export const rubricGradingDetector = shareDetector(
  'rubric_grading',
  'elicitation',
  'rubric',
  'Requests that use the model as a grader (rubrics, scoring a response, judging which answer is better: the model as a reward model), against the population\'s rate.',
  2,
  (input, count, total) => `uses the model to grade answers in ${requestsOf(input, count, total)}`,
);

export const explainAnswerDetector = shareDetector(
  'explain_answer',
  'elicitation',
  'explainAnswer',
  'Requests that give a finished answer and ask for the reasoning behind it (rationales for a training set), against the population\'s rate.',
  2,
  (input, count, total) => `gives a finished answer and asks for the reasoning behind it in ${requestsOf(input, count, total)}`,
);

export const safeRewriteDetector = shareDetector(
  'safe_rewrite',
  'elicitation',
  'safeRewrite',
  'Requests that ask for a sensitive question to be rewritten into a safe, harmless or policy-compliant one, against the population\'s rate.',
  2,
  (input, count, total) => `asks for "safe" rewrites of sensitive questions in ${requestsOf(input, count, total)}`,
);

export const followUpProbesDetector = shareDetector(
  'follow_up_probes',
  'elicitation',
  'followUpProbes',
  'Conversations whose follow-ups probe the answer before them (why, justify it, another method, a harder variant, the assumptions, are you sure): reasoning harvested one conversation at a time, against the population\'s rate among requests that carry a conversation.',
  2,
  (input, count, total) => `follows an answer with a probe of it (why, another method, a harder variant) in ${formatShare(count, total, 'conversation requests')}${whose(input)}`,
);

export const highMaxTokensDetector = levelDetector(
  'high_max_tokens',
  'output',
  'maxTokens',
  'How far the max_tokens an account asks for sits above what the typical account asks of the same models (log2 ratio, per model): asking for as much output as the model gives.',
  1.5,
  LOG2_SPREAD,
  (input, value) => `asks for max_tokens ${(2 ** value).toFixed(1)}× what the typical account asks of the same models${whose(input)}`,
);

export const longOutputsDetector = levelDetector(
  'long_outputs',
  'output',
  'outputLength',
  'How much longer its answers are than the typical account gets from the same models (log2 ratio, per model): long answers carry more training signal.',
  1.5,
  LOG2_SPREAD,
  (input, value) => `gets answers ${(2 ** value).toFixed(1)}× as long as the typical account gets from the same models${whose(input)}`,
);

export const thinkingBudgetDetector = shareDetector(
  'thinking_budget',
  'output',
  'thinking',
  'Requests with an extended-thinking budget or high reasoning effort (reasoning traces are the prize of a distiller), against the population\'s rate.',
  1.5,
  (input, count, total) => `requests extended thinking or high reasoning effort in ${requestsOf(input, count, total)}`,
);

export const multiSampleDetector = shareDetector(
  'multi_sample',
  'output',
  'multiSample',
  'Requests asking for several completions at once (n > 1), against the population\'s rate.',
  1,
  (input, count, total) => `asks for several completions per request (n > 1) in ${requestsOf(input, count, total)}`,
);

export const freshSingleTurnDetector = shareDetector(
  'dataset_like',
  'harvest',
  'freshSingleTurn',
  'Requests that are one-shot prompts never sent before by the account (no conversation, no follow-up, no re-run): how a dataset is pushed through a model, against the population\'s rate.',
  1,
  (input, count, total) => `sends a new one-shot prompt in ${requestsOf(input, count, total)}, with no conversation around it`,
);

export const capabilityFocusDetector = shareDetector(
  'capability_focus',
  'harvest',
  'targetedCapability',
  'Requests in the capabilities the public reports name as distillation targets (coding, math, reasoning, agentic tool use, data analysis, computer use, vision), against the population\'s rate.',
  0.5,
  (input, count, total) => `targets coding, math, reasoning, agents, data analysis, computer use or vision in ${requestsOf(input, count, total)}`,
);

export const heavyVolumeDetector = levelDetector(
  'heavy_volume',
  'automation',
  'volume',
  'Requests per active day (log10), against the population: a harvesting script sends far more than a person.',
  1.2,
  LOG10_SPREAD,
  (input, value) => `${formatCount(10 ** value)} requests per active day${input.subject === 'cluster' ? ` across ${formatCount(input.accounts)} accounts` : ''}`,
);

export const roundTheClockDetector = levelDetector(
  'round_the_clock',
  'automation',
  'hourSpread',
  'Traffic spread evenly over the hours of the day (normalised entropy of the hour-of-day histogram), against the population: scripts do not sleep.',
  0.8,
  ENTROPY_SPREAD,
  (input, value) => `traffic spread over the hours of the day with entropy ${value.toFixed(2)} of 1${whose(input)}`,
);

export const newModelRushDetector = shareDetector(
  'new_model_rush',
  'timing',
  'newModelEarly',
  'Share of the traffic moved to a newly released model within 24 hours of its first appearance, against the population.',
  0.5,
  (input, count, total) => `moved ${formatShare(count, total)} to a newly released model in its first 24 hours${whose(input)}`,
);

export const youngAccountsDetector = levelDetector(
  'young_accounts',
  'account',
  'accountAge',
  'How soon after sign-up the traffic started (log2 days), against the population: campaigns run on accounts created for them, days or weeks before, where most customers have been around for months.',
  1,
  1,
  (input, value) => `first request ${formatCount(2 ** value - 1)} days after sign-up${input.subject === 'cluster' ? ' (typical member)' : ''}`,
  'below',
);

export interface RepeatParams {
  weight: number;
  low: number;
  high: number;
  /** Single-turn prompts at which the share is half believed. */
  half_count: number;
}

export const evaluationRepeatsDetector: TrafficDetector<RepeatParams> = {
  signal: 'evaluation_repeats',
  level: 'traffic',
  role: 'mitigation',
  family: 'evaluation',
  description:
    'Mitigation: single-turn prompts re-sent word for word deterministically (temperature 0-0.2, one completion), the way evaluation and regression runs re-run their items. Holds only for those re-sends: a deterministic re-send buys the same answer again, which a harvester gains nothing from, while sampling a prompt again (temperature on or unset, n > 1) or sending it to another model is how a harvester collects varied answers, and counts for nothing here.',
  params: z
    .object({
      weight: z.number().min(0).max(10).default(4),
      // One item in twenty re-run is already more than a person re-asks; a quarter is a re-run suite.
      low: z.number().min(0).max(1).default(0.05),
      high: z.number().min(0).max(1).default(0.25),
      half_count: z.number().positive().default(20),
    })
    .strict()
    .refine((p) => p.low <= p.high, { message: 'low must not exceed high' })
    .default({}),
  detect(input, params) {
    const m = input.measures.evaluationRepeats;
    if (m.total === 0 || m.count === 0) return NOTHING_FOUND;
    const share = m.count / m.total;
    const score = ramp(share, params.low, params.high) * (m.total / (m.total + params.half_count));
    if (score <= 0) return NOTHING_FOUND;
    const item = evidence(
      'evaluation_repeats',
      score,
      params.weight,
      `re-sent ${formatShare(m.count, m.total, 'single-turn prompts')}${whose(input)} word for word at temperature 0, as evaluation runs do`,
      share,
    );
    return mitigationFound(score, item);
  },
};

export interface VerifiedParams {
  weight: number;
  /** Share of accounts verified where the mitigation starts and where it is full. */
  low: number;
  high: number;
}

export const identityVerifiedDetector: TrafficDetector<VerifiedParams> = {
  signal: 'identity_verified',
  level: 'traffic',
  role: 'mitigation',
  family: 'identity',
  description:
    'Mitigation: accounts whose holder had an identity document checked (`verification` includes id_document or kyc). Holds for the accounts verified: a campaign of thousands of accounts cannot put a real identity behind each.',
  params: z
    .object({
      weight: z.number().min(0).max(10).default(3),
      low: z.number().min(0).max(1).default(0.3),
      high: z.number().min(0).max(1).default(0.8),
    })
    .strict()
    .refine((p) => p.low <= p.high, { message: 'low must not exceed high' })
    .default({}),
  detect(input, params) {
    const m = input.measures.identityVerified;
    if (m.total === 0 || m.count === 0) return NOTHING_FOUND;
    const share = m.count / m.total;
    const score = input.subject === 'account' ? 1 : ramp(share, params.low, params.high);
    if (score <= 0) return NOTHING_FOUND;
    const detail = input.subject === 'account' ? 'the holder had an identity document checked' : `${formatShare(m.count, m.total, 'accounts')} had an identity document checked`;
    const item = evidence('identity_verified', score, params.weight, detail, share);
    return mitigationFound(score, item);
  },
};

export const TRAFFIC_DETECTORS = [
  cotElicitationDetector,
  rubricGradingDetector,
  explainAnswerDetector,
  safeRewriteDetector,
  followUpProbesDetector,
  highMaxTokensDetector,
  longOutputsDetector,
  thinkingBudgetDetector,
  multiSampleDetector,
  freshSingleTurnDetector,
  capabilityFocusDetector,
  heavyVolumeDetector,
  roundTheClockDetector,
  newModelRushDetector,
  youngAccountsDetector,
  evaluationRepeatsDetector,
  identityVerifiedDetector,
] as const;
