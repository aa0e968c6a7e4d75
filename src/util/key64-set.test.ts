import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Key64Set } from './key64-set.js';
import { hash64 } from './hash64.js';

describe('Key64Set', () => {
  it('behaves like a Set of (hi, lo) pairs through many resizes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(7), fc.nat(0xffff)), { maxLength: 3000 }), (pairs) => {
        const set = new Key64Set(4);
        const reference = new Set<string>();
        for (const [hi, lo] of pairs) {
          const fresh = !reference.has(`${hi}:${lo}`);
          reference.add(`${hi}:${lo}`);
          expect(set.addParts(hi, lo)).toBe(fresh);
        }
        expect(set.size).toBe(reference.size);
        for (const [hi, lo] of pairs) expect(set.hasParts(hi, lo)).toBe(true);
        expect(set.hasParts(99, 99)).toBe(false);
      }),
    );
  });

  it('holds the all-zero key', () => {
    const set = new Key64Set();
    expect(set.hasParts(0, 0)).toBe(false);
    expect(set.addParts(0, 0)).toBe(true);
    expect(set.addParts(0, 0)).toBe(false);
    expect(set.size).toBe(1);
  });
});

describe('hash64', () => {
  it('is stable and separates near-identical ids', () => {
    expect(hash64('req_01HZX')).toEqual(hash64('req_01HZX'));
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      const key = hash64(`req_${i}`);
      seen.add(`${key.hi}:${key.lo}`);
    }
    expect(seen.size).toBe(200_000);
  });
});
