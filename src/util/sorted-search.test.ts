import { describe, expect, it } from 'vitest';
import { firstAbove, firstAtOrAbove } from './sorted-search.js';

describe('sorted search', () => {
  it('finds the first value at or above, and the first above, a point, ties included', () => {
    const sorted = [1, 3, 3, 3, 7];
    expect([0, 1, 2, 3, 4, 7, 8].map((at) => firstAtOrAbove(sorted, at))).toEqual([0, 0, 1, 1, 4, 4, 5]);
    expect([0, 1, 2, 3, 4, 7, 8].map((at) => firstAbove(sorted, at))).toEqual([0, 1, 1, 4, 4, 5, 5]);
    expect(firstAtOrAbove(new Float64Array(0), 5)).toBe(0);
  });
});
