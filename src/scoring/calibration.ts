import type { Evidence } from '../model/findings.js';
import { logOddsOf, logistic } from './evidence-scale.js';
import { round } from './detector.js';

/**
 * What a threshold would do on this store: the distribution of scores, how often each detector
 * fires, and the thresholds two rules would pick from the population itself. A threshold fitted
 * to one simulated world does not carry over to another provider's logs; these let an operator
 * see where theirs falls and pick one (`analyze --threshold auto` or `rate:P%`).
 */

export interface ScoreDistribution {
  /** Counts per bin of width 1/bins over [0, 1]; the last bin includes 1. */
  bins: number[];
  /** Scored items (accounts with traffic, or clusters). */
  total: number;
  /** Items at or above the threshold in force. */
  flagged: number;
  threshold: number;
}

export interface DetectorBaseRate {
  signal: string;
  level: 'account' | 'cluster';
  /** Items where the detector gave any evidence. */
  firing: number;
  /** Items where it gave at least half its weight. */
  strong: number;
  /** firing / items. */
  share: number;
}

export interface AlertRateThreshold {
  /** Share of accounts with traffic that would be flagged. */
  rate: number;
  /** The score at which that share is flagged. */
  score: number;
}

export interface Calibration {
  accounts: ScoreDistribution;
  clusters: ScoreDistribution;
  /** Log-odds of accounts with traffic at these quantiles. */
  log_odds_quantiles: Record<string, number>;
  detectors: DetectorBaseRate[];
  suggested: {
    /**
     * Tukey's far-out fence on the accounts' log-odds (upper quartile + 3 × the interquartile
     * range), never below the configured threshold: the score past which an account is an
     * outlier even among this store's noisiest bulk.
     */
    outlier_rule: number;
    alert_rates: AlertRateThreshold[];
  };
  /** Where the thresholds in force came from: `config`, `auto` (the outlier rule) or `rate:P`. */
  threshold_source: string;
}

export interface ScoredItem {
  score: number;
  evidence: readonly Evidence[];
}

export const CALIBRATION_BINS = 20;
export const ALERT_RATES = [0.001, 0.005, 0.01, 0.02, 0.05] as const;
const QUANTILES = [0.5, 0.75, 0.9, 0.99, 0.999] as const;

export function scoreDistribution(scores: readonly number[], threshold: number, bins = CALIBRATION_BINS): ScoreDistribution {
  const counts = new Array<number>(bins).fill(0);
  let flagged = 0;
  for (const score of scores) {
    counts[Math.min(bins - 1, Math.max(0, Math.floor(score * bins)))]!++;
    if (score >= threshold) flagged++;
  }
  return { bins: counts, total: scores.length, flagged, threshold };
}

/** The value at quantile `q` of ascending `sorted` (linear between neighbours). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** The far-out fence on log-odds, as a score, floored at `floor`. */
export function outlierThreshold(scores: readonly number[], floor: number): number {
  const logOdds = scores.map(logOddsOf).sort((a, b) => a - b);
  if (logOdds.length === 0) return floor;
  const q1 = quantile(logOdds, 0.25);
  const q3 = quantile(logOdds, 0.75);
  return Math.max(floor, round(logistic(q3 + 3 * (q3 - q1)), 4));
}

/** The lowest score that flags at most `rate` of the items (at least one item above it). */
export function alertRateThreshold(scores: readonly number[], rate: number): number {
  if (scores.length === 0) return 1;
  const sorted = [...scores].sort((a, b) => b - a);
  const allowed = Math.max(1, Math.floor(rate * sorted.length));
  if (allowed >= sorted.length) return sorted[sorted.length - 1]!;
  // Just above the first score that would take the count past `allowed` (ties move together).
  const cut = sorted[allowed]!;
  return round(Math.min(1, cut + 1e-4), 4);
}

function baseRates(items: readonly ScoredItem[], level: 'account' | 'cluster', weights: ReadonlyMap<string, number>): DetectorBaseRate[] {
  const firing = new Map<string, number>();
  const strong = new Map<string, number>();
  for (const item of items) {
    if (item.evidence.length === 0) continue;
    const seen = new Set<string>();
    for (const evidence of item.evidence) {
      const weight = weights.get(evidence.signal);
      if (weight === undefined || evidence.weight === 0 || seen.has(evidence.signal)) continue;
      seen.add(evidence.signal);
      firing.set(evidence.signal, (firing.get(evidence.signal) ?? 0) + 1);
      if (Math.abs(evidence.weight) >= weight / 2) strong.set(evidence.signal, (strong.get(evidence.signal) ?? 0) + 1);
    }
  }
  return [...weights.keys()].map((signal) => ({
    signal,
    level,
    firing: firing.get(signal) ?? 0,
    strong: strong.get(signal) ?? 0,
    share: items.length === 0 ? 0 : round((firing.get(signal) ?? 0) / items.length, 4),
  }));
}

export interface CalibrationInput {
  /** Accounts with traffic. */
  accounts: readonly ScoredItem[];
  clusters: readonly ScoredItem[];
  thresholds: { account: number; cluster: number };
  /** Detector weights by signal: account-level (traffic and account detectors) and cluster-level. */
  accountDetectors: ReadonlyMap<string, number>;
  clusterDetectors: ReadonlyMap<string, number>;
  thresholdSource: string;
  /** The configured account threshold, the floor of the outlier rule. */
  configuredThreshold: number;
}

export function calibrate(input: CalibrationInput): Calibration {
  const scores = input.accounts.map((account) => account.score);
  const logOdds = scores.map(logOddsOf).sort((a, b) => a - b);
  return {
    accounts: scoreDistribution(scores, input.thresholds.account),
    clusters: scoreDistribution(
      input.clusters.map((cluster) => cluster.score),
      input.thresholds.cluster,
    ),
    log_odds_quantiles: Object.fromEntries(QUANTILES.map((q) => [`p${q * 100}`, round(quantile(logOdds, q), 3)])),
    detectors: [...baseRates(input.accounts, 'account', input.accountDetectors), ...baseRates(input.clusters, 'cluster', input.clusterDetectors)],
    suggested: {
      outlier_rule: outlierThreshold(scores, input.configuredThreshold),
      alert_rates: ALERT_RATES.map((rate) => ({ rate, score: alertRateThreshold(scores, rate) })),
    },
    threshold_source: input.thresholdSource,
  };
}

/**
 * Parses `--threshold`: a score (0..1), `auto` (the outlier rule) or `rate:P` (flag at most P
 * of the accounts, `rate:1%` or `rate:0.01`).
 */
export type ThresholdChoice = { kind: 'score'; score: number } | { kind: 'auto' } | { kind: 'rate'; rate: number };

export function parseThresholdChoice(text: string): ThresholdChoice | null {
  const trimmed = text.trim();
  if (trimmed === 'auto') return { kind: 'auto' };
  const rate = /^rate:([0-9.]+)(%?)$/.exec(trimmed);
  if (rate !== null) {
    const value = Number(rate[1]) / (rate[2] === '%' ? 100 : 1);
    return Number.isFinite(value) && value > 0 && value < 1 ? { kind: 'rate', rate: value } : null;
  }
  const score = Number(trimmed);
  return trimmed !== '' && Number.isFinite(score) && score >= 0 && score <= 1 ? { kind: 'score', score } : null;
}

/** The account threshold a choice gives on these scores. */
export function resolveThreshold(choice: ThresholdChoice, scores: readonly number[], configured: number): number {
  if (choice.kind === 'score') return choice.score;
  if (choice.kind === 'auto') return outlierThreshold(scores, configured);
  return alertRateThreshold(scores, choice.rate);
}
