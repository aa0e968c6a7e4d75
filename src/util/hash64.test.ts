import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { murmur32, murmur32ByCodeUnit as reference } from './hash64.js';

describe('murmur32', () => {
  // The code-unit loop is the definition; long strings take a copy read a block at a time.
  it('gives the code-unit loop\'s value for strings of every length, short and long, whatever their code units', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 600 }),
          fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='), minLength: 200, maxLength: 5000 }),
          // Lone surrogates and code units above 0xff, which a byte copy must keep as they are.
          fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 250, maxLength: 1200 }).map((units) => String.fromCharCode(...units)),
        ),
        fc.nat(),
        (text, seed) => {
          expect(murmur32(text, seed)).toBe(reference(text, seed));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives the code-unit loop\'s value for an image-sized string, a slice of one, and a shorter one after it', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let data = '';
    for (let i = 0; i < 300_001; i++) data += alphabet[(i * 7919 + (i >>> 5)) % 64];
    const dataUrl = `data:image/png;base64,${data}`;
    const sliced = dataUrl.slice(dataUrl.indexOf(',') + 1);
    expect(murmur32(data, 0x696d6167)).toBe(reference(data, 0x696d6167));
    expect(murmur32(sliced, 0x696d6167)).toBe(murmur32(data, 0x696d6167));
    // A shorter string after a long one must not read the longer one's leftover units.
    expect(murmur32(data.slice(0, 301), 1)).toBe(reference(data.slice(0, 301), 1));
    expect(murmur32(data.slice(0, 300), 1)).toBe(reference(data.slice(0, 300), 1));
    // Longer than the copy buffer a thread keeps (8 MiB, 4 Mi code units): a buffer of its own.
    const huge = data.repeat(15);
    expect(murmur32(huge, 2)).toBe(reference(huge, 2));
    expect(murmur32(data, 3)).toBe(reference(data, 3));
  });

  // Exchange-id filters and stored prompt keys hold these values: a change to the hash would
  // make a store's old rows and new rows disagree.
  it('keeps the values stores already hold', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const long = Array.from({ length: 1000 }, (_, i) => alphabet[(i * 7919 + (i >>> 5)) % 64]).join('');
    expect(murmur32('', 0)).toBe(0);
    expect(murmur32('a', 0)).toBe(1009084850);
    expect(murmur32('ab', 0x9747b28c)).toBe(1395310093);
    expect(murmur32('exchange-0001', 0x5bd1e995)).toBe(4230898888);
    expect(murmur32('h\u00e9llo w\u00f6rld \ud83d\ude00', 7)).toBe(3252400666);
    expect(murmur32(long, 0x696d6167)).toBe(2476835446);
    expect(murmur32(long.slice(0, 999), 1)).toBe(1205152682);
  });
});
