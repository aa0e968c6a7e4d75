import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmix32, murmur32 } from './hash64.js';

/** MurmurHash3 x86_32 over UTF-16 code units, one `charCodeAt` at a time: the definition. */
function reference(text: string, seed: number): number {
  let h = seed >>> 0;
  let i = 0;
  for (; i + 1 < text.length; i += 2) {
    let k = (text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16)) >>> 0;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < text.length) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  return fmix32(h ^ text.length);
}

describe('murmur32', () => {
  it('gives the reference value for strings of every length, short and long, whatever their code units', () => {
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

  it('gives the reference value for an image-sized string, a slice of one, and a shorter one after it', () => {
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
  });
});
