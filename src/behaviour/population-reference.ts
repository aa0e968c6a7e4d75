/**
 * Robust statistics of a store's own population: what "usual" means for a measure, so that
 * evidence says how far an account stands from the accounts around it rather than whether it
 * crosses a constant that fits one simulated world.
 *
 * Two choices make them hard to push around. The centre is a weighted median and the spread a
 * weighted median absolute deviation, which hold while less than half of the weight is unusual
 * (a campaign of thousands of accounts does not become "usual" unless it is most of the store).
 * Each account weighs the square root of its exchanges, up to a thousand: a flood of tiny junk
 * accounts moves the reference no more than a few ordinary ones, and a few huge accounts do not
 * own it.
 */

export interface Reference {
  /** Weighted median of the measure. */
  center: number;
  /** 1.4826 × the weighted median absolute deviation: the standard deviation, were the bulk normal. */
  spread: number;
  /** Accounts that took part. */
  accounts: number;
}

export const EMPTY_REFERENCE: Reference = { center: 0, spread: 0, accounts: 0 };

/**
 * The weighted median of `values` (ties between the two middle values resolved low): walking the
 * values in ascending order, equal values by index, the first at which the weight seen reaches
 * half the total. O(n log n).
 *
 * The order is had from a native sort of the distinct values and, per value, its indexes in
 * order, rather than from sorting indexes through a comparator (several times slower, and run on
 * every measure of every relink); the weights are added one by one in the same order either way,
 * so the result is the same to the bit (`weightedMedianByComparator` in the tests).
 *
 * @example weightedMedian([1, 2, 100], [1, 1, 1]) // 2
 */
export function weightedMedian(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  // Indexes per distinct value, in index order: a lone index as a number, more as an array.
  const indexes = new Map<number, number | number[]>();
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    if (Number.isNaN(value)) return weightedMedianWithNaN(values, weights, total);
    const held = indexes.get(value);
    if (held === undefined) indexes.set(value, i);
    else if (typeof held === 'number') indexes.set(value, [held, i]);
    else held.push(i);
  }
  const distinct = Float64Array.from(indexes.keys()).sort();
  // With no weight, the middle element in that order.
  const middle = Math.floor((n - 1) / 2);
  let seen = 0;
  let position = 0;
  let last = -1;
  for (let d = 0; d < distinct.length; d++) {
    const held = indexes.get(distinct[d]!)!;
    for (const i of typeof held === 'number' ? [held] : held) {
      if (total <= 0) {
        if (position++ === middle) return values[i]!;
        continue;
      }
      seen += weights[i]!;
      if (seen * 2 >= total) return values[i]!;
      last = i;
    }
  }
  return values[last]!;
}

/** The comparator's order when a value is NaN (the native sort and a map key treat NaN apart). */
function weightedMedianWithNaN(values: ArrayLike<number>, weights: ArrayLike<number>, total: number): number {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  if (total <= 0) return values[order[Math.floor((n - 1) / 2)]!]!;
  let seen = 0;
  for (const i of order) {
    seen += weights[i]!;
    if (seen * 2 >= total) return values[i]!;
  }
  return values[order[n - 1]!]!;
}

/** The weighted median of `deviations` from a centre, scaled to a standard deviation (were the bulk normal). */
function scaledMedianDeviation(deviations: ArrayLike<number>, weights: ArrayLike<number>): number {
  return 1.4826 * weightedMedian(deviations, weights);
}

/** Median and scaled median absolute deviation of `values` under `weights`. */
export function robustReference(values: ArrayLike<number>, weights: ArrayLike<number>): Reference {
  const n = values.length;
  if (n === 0) return EMPTY_REFERENCE;
  const center = weightedMedian(values, weights);
  const deviations = new Float64Array(n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs(values[i]! - center);
  return { center, spread: scaledMedianDeviation(deviations, weights), accounts: n };
}

/**
 * Exchanges past which an account's measured shares are as precise as they need to be: the
 * standard error of a share is at most 0.5 / √n, 1.6 points at a thousand, below the spread
 * between ordinary accounts, so more volume adds no information about what is usual.
 */
const PRECISE_EXCHANGES = 1_000;

/**
 * How much an account of `exchanges` counts in a reference: the square root of its volume, up to
 * a thousand exchanges. Without the cap, forty accounts sending 20,000 junk requests each would
 * outweigh a store of three hundred ordinary customers and become "usual".
 */
export function referenceWeight(exchanges: number): number {
  return Math.sqrt(Math.min(PRECISE_EXCHANGES, Math.max(0, exchanges)));
}

/**
 * Requests' worth of the population's usual share that an account's own share is read with
 * (`(count + k × centre) / (total + k)`): a share measured on a handful of requests says little.
 */
export const SHARE_PSEUDO_COUNT = 2;

/**
 * The reference of a share measure: its centre is the weighted median of the accounts' shares,
 * its spread measured on the shares as an account's standing reads them, drawn toward the centre
 * by `SHARE_PSEUDO_COUNT` requests. Raw shares of accounts with three conversation requests are
 * 0, 1/3, 2/3 or 1 whatever their habit; their spread is sampling noise, which the standing
 * already adds for the account it judges, and counting it twice would let a population of light
 * accounts hide a heavy one whose share is measured to the point.
 */
export function shareReference(counts: ArrayLike<number>, totals: ArrayLike<number>, weights: ArrayLike<number>): Reference {
  const n = counts.length;
  if (n === 0) return EMPTY_REFERENCE;
  const shares = new Float64Array(n);
  for (let i = 0; i < n; i++) shares[i] = counts[i]! / totals[i]!;
  const center = weightedMedian(shares, weights);
  const deviations = new Float64Array(n);
  for (let i = 0; i < n; i++) deviations[i] = Math.abs((counts[i]! + SHARE_PSEUDO_COUNT * center) / (totals[i]! + SHARE_PSEUDO_COUNT) - center);
  return { center, spread: scaledMedianDeviation(deviations, weights), accounts: n };
}

/**
 * Collects one measure over accounts and reduces it to a reference.
 *
 * @example
 * const builder = new ReferenceBuilder();
 * for (const summary of summaries) builder.add(summary.volume.value, summary.exchanges);
 * builder.build(); // { center, spread, accounts }
 */
export class ReferenceBuilder {
  private values: number[] = [];
  private weights: number[] = [];

  add(value: number, exchanges: number): void {
    if (!Number.isFinite(value) || exchanges <= 0) return;
    this.values.push(value);
    this.weights.push(referenceWeight(exchanges));
  }

  build(): Reference {
    return robustReference(this.values, this.weights);
  }
}

/** Collects one share measure (count of total requests) over accounts: `shareReference`. */
export class ShareReferenceBuilder {
  private counts: number[] = [];
  private totals: number[] = [];
  private weights: number[] = [];

  add(count: number, total: number): void {
    if (!(total > 0) || !Number.isFinite(count)) return;
    this.counts.push(count);
    this.totals.push(total);
    this.weights.push(referenceWeight(total));
  }

  build(): Reference {
    return shareReference(this.counts, this.totals, this.weights);
  }
}
