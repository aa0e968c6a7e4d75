import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortShortList } from './short-list-sort.js';

describe('sortShortList', () => {
  it('orders any list as the stable built-in sort does, ties kept in their order', () => {
    const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 40 }), (keys) => {
        const items = keys.map((key, at) => ({ key, at }));
        const expected = [...items].sort(byKey);
        sortShortList(items, byKey);
        expect(items).toEqual(expected);
      }),
    );
  });
});
