/** Lists up to this long are sorted by insertion; longer ones by `Array.prototype.sort`. */
const INSERTION_UP_TO = 16;

/**
 * Sorts `items` in place, stably, as `items.sort(compare)` does. V8's sort copies the list into a
 * work array first; a list of a handful of items sorted on a hot path (an account's evidence on
 * every re-score) is sorted by insertion instead, which allocates nothing.
 */
export function sortShortList<T>(items: T[], compare: (a: T, b: T) => number): void {
  if (items.length > INSERTION_UP_TO) {
    items.sort(compare);
    return;
  }
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let j = i;
    while (j > 0 && compare(items[j - 1]!, item) > 0) {
      items[j] = items[j - 1]!;
      j--;
    }
    items[j] = item;
  }
}
