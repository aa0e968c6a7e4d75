import type { LevelMeasure, ShareMeasure } from '../behaviour/account-summary.js';
import { SHARE_PSEUDO_COUNT, type Reference } from '../behaviour/population-reference.js';
import { sortShortList } from '../util/short-list-sort.js';

/**
 * The one evidence scale: log-odds. Every detector adds a signed weight (its most is its
 * configured `weight`); positive evidence and mitigations add up; a score is the logistic of
 * the prior plus the sum. Evidence of one habit is not independent (a harness that maxes
 * `max_tokens` usually asks for thinking too), so detectors come in families and, inside a
 * family, the strongest counts fully and each next one `decay` times the one before.
 */

export function logistic(logOdds: number): number {
  return 1 / (1 + Math.exp(-logOdds));
}

export function logOddsOf(probability: number): number {
  const p = Math.min(1 - 1e-9, Math.max(1e-9, probability));
  return Math.log(p / (1 - p));
}

/**
 * Combines the weights of one family: sorted by size, each next one counts `decay` times the
 * one before. Positive and negative weights combine separately (a family is either evidence or
 * mitigation in practice).
 *
 * @example combineFamily([1, 2], 0.5) // 2 + 0.5 × 1 = 2.5
 */
export function combineFamily(weights: readonly number[], decay: number): number {
  // Scored once per family of every assessment: the weights are sorted in arrays kept for the
  // purpose (a family holds a handful) rather than filtered and sorted into new ones.
  const positive = positiveScratch;
  const negative = negativeScratch;
  positive.length = 0;
  negative.length = 0;
  for (const w of weights) {
    if (w > 0) positive.push(w);
    else if (w < 0) negative.push(w);
  }
  sortShortList(positive, largestFirst);
  sortShortList(negative, smallestFirst);
  let total = 0;
  let factor = 1;
  for (const w of positive) {
    total += w * factor;
    factor *= decay;
  }
  factor = 1;
  for (const w of negative) {
    total += w * factor;
    factor *= decay;
  }
  return total;
}

const positiveScratch: number[] = [];
const negativeScratch: number[] = [];
const largestFirst = (a: number, b: number): number => b - a;
const smallestFirst = (a: number, b: number): number => a - b;

/**
 * How far a measure stands above the population, in standard deviations: (value − centre) over
 * the population's spread and the measure's own noise combined, so a share measured on a few
 * requests, or a measure most accounts barely vary on, needs a larger difference. `minSpread`
 * is the smallest difference in the measure's units that says a habit rather than chance;
 * below it, two accounts are not told apart even where most of the population agrees exactly.
 */
export interface Standing {
  /** The account's value (a share after shrinking toward the centre, or the level). */
  value: number;
  center: number;
  /** Standard deviations above the centre (negative below). */
  z: number;
}

/**
 * A share of `count` of `total` requests against the population rate. The share is shrunk toward
 * the centre by `pseudoCount` requests at the centre's rate, so one request proves little.
 */
export function shareStanding(measure: ShareMeasure, reference: Reference, minSpread: number, pseudoCount = SHARE_PSEUDO_COUNT): Standing {
  return { value: shrunkShare(measure, reference.center, pseudoCount), center: reference.center, z: shareZ(measure, reference, minSpread, pseudoCount) };
}

/** `shareStanding(...).z` alone, without the object: detectors ask it of every account on every re-score. */
export function shareZ(measure: ShareMeasure, reference: Reference, minSpread: number, pseudoCount = SHARE_PSEUDO_COUNT): number {
  const center = reference.center;
  const shrunk = shrunkShare(measure, center, pseudoCount);
  const noise = (shrunk * (1 - shrunk)) / (measure.total + pseudoCount);
  const spread = Math.max(reference.spread, minSpread);
  return (shrunk - center) / Math.sqrt(spread * spread + noise);
}

function shrunkShare(measure: ShareMeasure, center: number, pseudoCount: number): number {
  return (measure.count + pseudoCount * center) / (measure.total + pseudoCount);
}

/** A level (a log ratio, a rate) against the population's centre and spread. */
export function levelStanding(measure: LevelMeasure, reference: Reference, minSpread: number): Standing {
  return { value: measure.value, center: reference.center, z: levelZ(measure, reference, minSpread) };
}

/** `levelStanding(...).z` alone, as `shareZ`. */
export function levelZ(measure: LevelMeasure, reference: Reference, minSpread: number): number {
  const spread = Math.max(reference.spread, minSpread);
  return (measure.value - reference.center) / Math.sqrt(spread * spread + measure.noise * measure.noise);
}

/** 0 up to `low` standard deviations, 1 from `high`, linear between. */
export function outlierStrength(z: number, low: number, high: number): number {
  if (!Number.isFinite(z)) return 0;
  if (high <= low) return z >= high ? 1 : 0;
  return Math.min(1, Math.max(0, (z - low) / (high - low)));
}
