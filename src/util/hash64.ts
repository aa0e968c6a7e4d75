/**
 * Fast non-cryptographic hashing of strings over their UTF-16 code units (no encoding to UTF-8;
 * a long string is copied out as those units), used on hot paths: exchange-id deduplication,
 * content shingles and image keys. Two MurmurHash3-style 32-bit lanes with different seeds and
 * finalisers give a 64-bit key.
 *
 * Not for secrets: keyed hashes that leave the machine use HMAC (see `keyed-hash.ts`).
 */

/** MurmurHash3 (x86, 32-bit) over UTF-16 code units, two units per 32-bit block. */
export function murmur32(text: string, seed = 0): number {
  return text.length >= WIDE_FROM && LITTLE_ENDIAN ? murmur32Wide(text, seed) : murmur32ByCodeUnit(text, seed);
}

/** `murmur32` read one `charCodeAt` per code unit: the definition, and the way short strings go. */
export function murmur32ByCodeUnit(text: string, seed = 0): number {
  let h = seed >>> 0;
  const pairs = text.length & ~1;
  for (let i = 0; i < pairs; i += 2) h = mixBlock(h, (text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16)) >>> 0);
  return finish(text, pairs, h);
}

// A long string (a base64 image runs to hundreds of thousands of characters) is hashed from a
// copy of its code units, read a 32-bit block at a time: `charCodeAt` costs more per unit than
// the copy (native, UTF-16LE, which on a little-endian machine puts units i and i + 1 into one
// block exactly as the loop above pairs them), so the value is the same and the hash about four
// times faster; below `WIDE_FROM` units the copy's fixed cost outweighs that
// (`npm run bench:hotpaths -- --only hashing`).
const WIDE_FROM = 256;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
// The copy is made into one buffer per thread, grown as needed up to `KEPT_BYTES`; a longer
// string gets a buffer of its own, so one huge record does not hold its size for the thread's life.
const KEPT_BYTES = 8 * 2 ** 20;
let wideBytes = Buffer.alloc(0);
let wideBlocks = new Uint32Array(0);

function murmur32Wide(text: string, seed: number): number {
  const length = text.length;
  let bytes = wideBytes;
  let blocks = wideBlocks;
  if (bytes.length < length * 2) {
    const buffer = new ArrayBuffer(Math.min(Math.max(length * 2 + 2, bytes.length * 2, 1 << 16), Math.max(KEPT_BYTES, length * 2 + 2)) & ~3);
    bytes = Buffer.from(buffer);
    blocks = new Uint32Array(buffer);
    if (buffer.byteLength <= KEPT_BYTES) {
      wideBytes = bytes;
      wideBlocks = blocks;
    }
  }
  bytes.write(text, 0, length * 2, 'utf16le');
  const pairs = length >>> 1;
  let h = seed >>> 0;
  for (let b = 0; b < pairs; b++) h = mixBlock(h, blocks[b]!);
  return finish(text, pairs * 2, h);
}

function scramble(block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, 0x1b873593);
}

function mixBlock(hash: number, block: number): number {
  let h = hash ^ scramble(block);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The odd last code unit, if any (at `i`), the length and the finaliser. */
function finish(text: string, i: number, hash: number): number {
  const h = i < text.length ? hash ^ scramble(text.charCodeAt(i)) : hash;
  return fmix32(h ^ text.length);
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
