/** Binary searches over numbers sorted ascending. */

/** The first index whose value is `at` or more (`sorted.length` when none is). */
export function firstAtOrAbove(sorted: ArrayLike<number>, at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index whose value is more than `at` (`sorted.length` when none is). */
export function firstAbove(sorted: ArrayLike<number>, at: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}
