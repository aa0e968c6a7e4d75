import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairTable } from './pair-table.js';

describe('PairTable', () => {
  it('maps unordered pairs like a Map keyed by the ordered pair, through growth and clearing (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2_000_000), fc.nat(2_000_000)), { maxLength: 3_000 }), (pairs) => {
        const table = new PairTable(4);
        const reference = new Map<string, number>();
        for (const [a, b] of pairs) {
          const key = a < b ? `${a},${b}` : `${b},${a}`;
          const expected = reference.get(key) ?? -1;
          if (expected < 0) reference.set(key, reference.size);
          expect(table.getOrSet(b, a, reference.size - (expected < 0 ? 1 : 0))).toBe(expected);
        }
        expect(table.size).toBe(reference.size);
        for (const [key, value] of reference) {
          const [a, b] = key.split(',').map(Number) as [number, number];
          expect(table.get(a, b)).toBe(value);
          expect(table.get(b, a)).toBe(value);
        }
        table.clear();
        expect(table.size).toBe(0);
        for (const [a, b] of pairs.slice(0, 50)) expect(table.get(a, b)).toBe(-1);
      }),
      { numRuns: 50 },
    );
  });
});
