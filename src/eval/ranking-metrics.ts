/** Counts of a binary decision against binary truth. */
export interface ConfusionCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

export interface BinaryMetrics extends ConfusionCounts {
  /** TP / (TP + FP); null when nothing was flagged (undefined, not zero). */
  precision: number | null;
  /** TP / (TP + FN); null when there are no positives. */
  recall: number | null;
  /** Harmonic mean of precision and recall; null when either is null, 0 when both are 0. */
  f1: number | null;
  /** FP / (FP + TN); null when there are no negatives. */
  falsePositiveRate: number | null;
}

export interface ScoredOutcome {
  score: number;
  positive: boolean;
}

export function confusionCounts(outcomes: Iterable<{ flagged: boolean; positive: boolean }>): ConfusionCounts {
  const counts: ConfusionCounts = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  for (const { flagged, positive } of outcomes) {
    if (flagged && positive) counts.truePositives += 1;
    else if (flagged) counts.falsePositives += 1;
    else if (positive) counts.falseNegatives += 1;
    else counts.trueNegatives += 1;
  }
  return counts;
}

export function binaryMetrics(counts: ConfusionCounts): BinaryMetrics {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn } = counts;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...counts, precision, recall, f1, falsePositiveRate: ratio(fp, fp + tn) };
}

/**
 * Area under the precision-recall curve as average precision: Σ (Rₖ − Rₖ₋₁) · Pₖ over the
 * distinct score thresholds, highest first. Items with equal scores enter together at one
 * threshold, so the result does not depend on the order of tied items (the optimistic "positives
 * first" reading of a tie would reward a detector for giving everyone the same score). This is
 * the step-wise estimate scikit-learn's `average_precision_score` uses, not the trapezoid, which
 * overstates the area when precision falls steeply. Null when there are no positives.
 *
 * @example averagePrecision([{ score: 0.9, positive: true }, { score: 0.8, positive: false }, { score: 0.8, positive: true }]) // 0.5·1 + 0.5·⅔ = 0.833…
 */
export function averagePrecision(outcomes: readonly ScoredOutcome[]): number | null {
  const positives = outcomes.reduce((sum, outcome) => sum + (outcome.positive ? 1 : 0), 0);
  if (positives === 0) return null;
  const sorted = [...outcomes].sort((a, b) => b.score - a.score);
  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let area = 0;
  let i = 0;
  while (i < sorted.length) {
    const threshold = sorted[i]!.score;
    while (i < sorted.length && sorted[i]!.score === threshold) {
      if (sorted[i]!.positive) truePositives += 1;
      seen += 1;
      i += 1;
    }
    const recall = truePositives / positives;
    area += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
  }
  return area;
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
