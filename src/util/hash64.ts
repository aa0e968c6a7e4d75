/**
 * Fast non-cryptographic hashing of strings over their UTF-16 code units (no encoding step),
 * used on hot paths: exchange-id deduplication and content shingles. Two MurmurHash3-style
 * 32-bit lanes with different seeds and finalisers give a 64-bit key.
 *
 * Not for secrets: keyed hashes that leave the machine use HMAC (see `keyed-hash.ts`).
 */

/** MurmurHash3 (x86, 32-bit) over UTF-16 code units, two units per 32-bit block. */
export function murmur32(text: string, seed = 0): number {
  if (text.length >= WIDE_FROM && LITTLE_ENDIAN) return murmur32Wide(text, seed);
  let h = seed >>> 0;
  const length = text.length;
  const pairs = length & ~1;
  let i = 0;
  for (; i < pairs; i += 2) {
    let k = (text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16)) >>> 0;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return murmurTail(text, i, h);
}

// A long string (a base64 image runs to hundreds of thousands of characters) is hashed from a
// copy of its code units, read a 32-bit block at a time: `charCodeAt` costs more per unit than
// the copy (native, UTF-16LE, which on a little-endian machine puts units i and i + 1 into one
// block exactly as the loop above pairs them), so the value is the same and the hash about four
// times faster; below `WIDE_FROM` units the copy's fixed cost outweighs that
// (`npm run bench:hotpaths -- --only hashing`).
const WIDE_FROM = 256;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
let wideBytes = Buffer.alloc(0);
let wideBlocks = new Uint32Array(0);

function murmur32Wide(text: string, seed: number): number {
  const length = text.length;
  if (wideBytes.length < length * 2) {
    const buffer = new ArrayBuffer(Math.max(length * 2 + 2, wideBytes.length * 2, 1 << 16) & ~3);
    wideBytes = Buffer.from(buffer);
    wideBlocks = new Uint32Array(buffer);
  }
  wideBytes.write(text, 0, length * 2, 'utf16le');
  const blocks = wideBlocks;
  const pairs = length >>> 1;
  let h = seed >>> 0;
  for (let b = 0; b < pairs; b++) {
    let k = blocks[b]!;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return murmurTail(text, pairs * 2, h);
}

/** The odd last code unit, if any, and the finaliser. */
function murmurTail(text: string, i: number, hash: number): number {
  let h = hash;
  const length = text.length;
  if (i < length) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= length;
  return fmix32(h);
}

export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HIGH_SEED = 0x9747b28c;
const LOW_SEED = 0x5bd1e995;

/** A 64-bit key as two unsigned 32-bit halves; avoids BigInt on the hot path. */
export interface Key64 {
  hi: number;
  lo: number;
}

export function hash64(text: string): Key64 {
  return { hi: murmur32(text, HIGH_SEED), lo: murmur32(text, LOW_SEED) };
}

export function key64ToBigInt(key: Key64): bigint {
  return (BigInt(key.hi) << 32n) | BigInt(key.lo);
}

export function bigIntToKey64(value: bigint): Key64 {
  return { hi: Number((value >> 32n) & 0xffffffffn), lo: Number(value & 0xffffffffn) };
}

/** Sixteen lowercase hex digits, for ids and sketches that must be readable in JSON. */
export function key64ToHex(key: Key64): string {
  return key.hi.toString(16).padStart(8, '0') + key.lo.toString(16).padStart(8, '0');
}
