import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount } from './detector.js';

describe('formatCount', () => {
  it('groups the digits of a count exactly as en-US does (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), (value) => {
        expect(formatCount(value)).toBe(Math.round(value).toLocaleString('en-US'));
      }),
    );
    for (const value of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 0.4, 2 ** 53]) expect(formatCount(value)).toBe(Math.round(value).toLocaleString('en-US'));
  });
});
