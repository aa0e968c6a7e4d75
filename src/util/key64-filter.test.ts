import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Key64Filter } from './key64-filter.js';
import { hash64 } from './hash64.js';

describe('Key64Filter', () => {
  it('never forgets a key it was given (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 32, max: 4096 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2000 }), (bytes, keys) => {
        const filter = new Key64Filter(bytes);
        for (const [hi, lo] of keys) {
          const answer = filter.mayContain(hi, lo);
          expect(filter.add(hi, lo)).toBe(answer);
        }
        for (const [hi, lo] of keys) expect(filter.mayContain(hi, lo)).toBe(true);
      }),
    );
  });

  it('keeps its size whatever it holds, and its false positives near the rate it predicts', () => {
    const filter = new Key64Filter(256 * 1024);
    expect(filter.byteLength).toBe(256 * 1024);
    const keys = 200_000; // about 10.5 bits a key
    for (let i = 0; i < keys; i++) {
      const key = hash64(`stored-${i}`);
      filter.add(key.hi, key.lo);
    }
    expect(filter.byteLength).toBe(256 * 1024);
    let falsePositives = 0;
    const lookups = 400_000;
    for (let i = 0; i < lookups; i++) {
      const key = hash64(`other-${i}`);
      if (filter.mayContain(key.hi, key.lo)) falsePositives++;
    }
    const expected = filter.expectedFalsePositiveRate();
    expect(expected).toBeGreaterThan(0.005);
    expect(expected).toBeLessThan(0.02);
    expect(falsePositives / lookups).toBeGreaterThan(expected * 0.8);
    expect(falsePositives / lookups).toBeLessThan(expected * 1.2);
  });

  it('spreads structured keys (small integers) over its blocks', () => {
    const filter = new Key64Filter(64 * 1024);
    for (let i = 0; i < 16_000; i++) filter.add(0, i);
    let falsePositives = 0;
    for (let i = 16_000; i < 116_000; i++) if (filter.mayContain(0, i)) falsePositives++;
    expect(falsePositives / 100_000).toBeLessThan(filter.expectedFalsePositiveRate() * 2);
  });

  it('rounds its size down to whole blocks, at least one', () => {
    expect(new Key64Filter(0).byteLength).toBe(32);
    expect(new Key64Filter(100).byteLength).toBe(64);
    expect(new Key64Filter(1024 * 1024 + 5).byteLength).toBe(1024 * 1024);
  });
});
