import type { z } from 'zod';
import type { Evidence } from '../model/findings.js';

/**
 * The one shape every detector has: `(input, params) => { score, evidence }`. A detector looks
 * at one account (or one cluster), scores one signal in [0, 1] and says in words what it saw. It
 * never throws: a failure comes back as `error` with score 0, so one broken detector cannot stop
 * an analysis (the CLI reports the errors).
 */
export interface DetectorResult {
  score: number;
  evidence: Evidence[];
  error?: string;
  /**
   * For a cluster detector, the members the evidence is about (positions in the cluster's
   * member list): a member inherits a cluster's coordination evidence only for what it takes
   * part in (the card it shares, the exits it rotates through). Absent: every member.
   */
  members?: ReadonlySet<number>;
  /**
   * For a harness detector, the members among `members` that use two or more of the harness's
   * prompts: running the script, where one shared prompt can be a public frame met by chance.
   */
  rotating?: ReadonlySet<number>;
}

/** `traffic` detectors read requests and run on accounts and on clusters' pooled requests alike. */
export type DetectorLevel = 'traffic' | 'account' | 'cluster';

/**
 * How a detector's evidence is read. Value: what the traffic takes has training value
 * (elicited reasoning, graded answers, outputs maximised, dataset-like breadth, volume).
 * Coordination: accounts presented as unrelated are run together (shared cards, exit pools,
 * sign-up bursts, a shared harness). Mitigation: evidence of legitimate use, with a negative
 * weight (an evaluation re-sending its items deterministically). All three add up on one
 * log-odds scale (`evidence-scale.ts`); none is a veto.
 */
export type DetectorRole = 'value' | 'coordination' | 'mitigation';

export interface DetectorDefinition<Input, Params extends { weight: number }> {
  /** The evidence `signal` name; also the detector's key in the config file. */
  signal: string;
  level: DetectorLevel;
  role: DetectorRole;
  /**
   * Detectors of one family measure one habit and are not independent evidence: inside a
   * family the strongest counts fully, the next less (`scoring.family_decay`). An account's
   * family and its cluster's family of the same name are two views of the same thing, so the
   * stronger one counts.
   */
  family: string;
  description: string;
  /** Parameters with their defaults; `weight` is the most the detector adds to a score, in log-odds. */
  params: z.ZodType<Params, z.ZodTypeDef, Partial<Params> | undefined>;
  detect(input: Input, params: Params): DetectorResult;
}

/** What a detector answers when it finds nothing: shared and frozen, since most accounts give no evidence of most kinds. */
export const NOTHING_FOUND: DetectorResult = Object.freeze({ score: 0, evidence: Object.freeze([]) as unknown as Evidence[] });

/** Runs a detector and turns any exception into a returned error. */
export function runDetector<Input, Params extends { weight: number }>(definition: DetectorDefinition<Input, Params>, input: Input, params: Params): DetectorResult {
  try {
    const result = definition.detect(input, params);
    if (!Number.isFinite(result.score)) return { score: 0, evidence: [], error: `${definition.signal}: score is not a number` };
    if (result.score >= 0 && result.score <= 1) return result;
    return { ...result, score: Math.min(1, Math.max(0, result.score)) };
  } catch (error) {
    return { score: 0, evidence: [], error: `${definition.signal}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** 0 at or below `low`, 1 at or above `high`, linear in between. */
export function ramp(value: number, low: number, high: number): number {
  if (high <= low) return value >= high ? 1 : 0;
  return Math.min(1, Math.max(0, (value - low) / (high - low)));
}

/** Combines independent pieces of evidence: 1 − Π(1 − wᵢ). */
export function noisyOr(weights: Iterable<number>): number {
  let none = 1;
  for (const weight of weights) none *= 1 - Math.min(1, Math.max(0, weight));
  return 1 - none;
}

/** An evidence item whose weight (log-odds) is the detector's score times its configured weight. */
export function evidence(signal: string, score: number, weight: number, detail: string, value?: number, examples?: string[]): Evidence {
  const item: Evidence = { signal, weight: round(score * weight, 4), detail };
  if (value !== undefined) item.value = round(value, 4);
  if (examples !== undefined && examples.length > 0) item.examples = examples;
  return item;
}

/** A mitigation's result: its evidence lowers the log-odds, so the item's weight is negative. */
export function mitigationFound(score: number, item: Evidence): DetectorResult {
  return { score, evidence: [{ ...item, weight: -item.weight }] };
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** "12,345": the en-US grouping, written out because `toLocaleString` costs microseconds a call and evidence details are written for every account. */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  const digits = String(Math.abs(rounded));
  if (digits.length <= 3 || !Number.isFinite(rounded)) return String(rounded);
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let at = out.length; at < digits.length; at += 3) out += ',' + digits.slice(at, at + 3);
  return rounded < 0 ? '-' + out : out;
}

export function formatPercent(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 1) return '<1%';
  return `${Math.round(percent)}%`;
}

/** "412 of 430 requests (96%)". */
export function formatShare(part: number, whole: number, noun = 'requests'): string {
  return `${formatCount(part)} of ${formatCount(whole)} ${noun} (${formatPercent(whole === 0 ? 0 : part / whole)})`;
}

/** Truncates an excerpt for evidence examples (never longer than `max` characters). */
export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1) + '…';
}
