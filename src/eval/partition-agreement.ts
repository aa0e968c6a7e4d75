/**
 * How well a detected clustering matches a true grouping of the same items. Both partitions are
 * given per item as a pair (true class, detected cluster); the contingency table counts the items
 * of each class in each cluster. Keys are strings, so callers decide what a class or a cluster
 * is (e.g. a singleton key per unclustered account).
 */
export interface ContingencyTable {
  /** Items counted. */
  total: number;
  /** class → cluster → items in both. */
  cells: Map<string, Map<string, number>>;
  classSizes: Map<string, number>;
  clusterSizes: Map<string, number>;
}

export function contingencyTable(assignments: Iterable<{ truth: string; predicted: string }>): ContingencyTable {
  const cells = new Map<string, Map<string, number>>();
  const classSizes = new Map<string, number>();
  const clusterSizes = new Map<string, number>();
  let total = 0;
  for (const { truth, predicted } of assignments) {
    let row = cells.get(truth);
    if (row === undefined) cells.set(truth, (row = new Map()));
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
    classSizes.set(truth, (classSizes.get(truth) ?? 0) + 1);
    clusterSizes.set(predicted, (clusterSizes.get(predicted) ?? 0) + 1);
    total += 1;
  }
  return { total, cells, classSizes, clusterSizes };
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Adjusted Rand index (Hubert and Arabie, 1985) from the contingency table: the share of item
 * pairs on which the two partitions agree (together in both, apart in both), corrected for the
 * agreement expected by chance with the same cluster sizes. 1 for identical partitions, about 0
 * for a random assignment, negative when worse than chance.
 *
 *   ARI = (Σᵢⱼ C(nᵢⱼ,2) − E) / (½(Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)) − E),   E = Σᵢ C(aᵢ,2) · Σⱼ C(bⱼ,2) / C(n,2)
 *
 * The denominator is 0 only when both partitions are all singletons or both one block, i.e.
 * identical, so those cases (and fewer than two items) give 1, as in scikit-learn. Pair counts
 * stay exact in doubles up to ~10⁸ items.
 */
export function adjustedRandIndex(table: ContingencyTable): number {
  if (table.total < 2) return 1;
  let index = 0;
  for (const row of table.cells.values()) for (const count of row.values()) index += pairs(count);
  let classPairs = 0;
  for (const size of table.classSizes.values()) classPairs += pairs(size);
  let clusterPairs = 0;
  for (const size of table.clusterSizes.values()) clusterPairs += pairs(size);
  const expected = (classPairs * clusterPairs) / pairs(table.total);
  const maximum = (classPairs + clusterPairs) / 2;
  if (maximum === expected) return 1;
  return (index - expected) / (maximum - expected);
}

/**
 * Purity: each cluster is credited with its most common true class, and purity is the share of
 * items that belong to the credited class of their cluster, Σⱼ maxᵢ nᵢⱼ / n. 1 when no cluster
 * mixes classes; it does not penalise splitting a class over many clusters (ARI does). Null for
 * an empty table.
 */
export function purity(table: ContingencyTable): number | null {
  if (table.total === 0) return null;
  const majority = new Map<string, number>();
  for (const row of table.cells.values()) {
    for (const [cluster, count] of row) majority.set(cluster, Math.max(majority.get(cluster) ?? 0, count));
  }
  let credited = 0;
  for (const count of majority.values()) credited += count;
  return credited / table.total;
}

/** Unadjusted Rand index: the share of item pairs on which the partitions agree. */
export function randIndex(table: ContingencyTable): number {
  if (table.total < 2) return 1;
  let index = 0;
  for (const row of table.cells.values()) for (const count of row.values()) index += pairs(count);
  let classPairs = 0;
  for (const size of table.classSizes.values()) classPairs += pairs(size);
  let clusterPairs = 0;
  for (const size of table.clusterSizes.values()) clusterPairs += pairs(size);
  const all = pairs(table.total);
  // Agreements = pairs together in both + pairs apart in both.
  return (index + (all - classPairs - clusterPairs + index)) / all;
}
