import type { TextScan } from './text-scanner.js';

/**
 * The part of a text the template miner looks at: its first 8 and last 8 tokens, each reduced
 * to 16 bits, plus its length in tokens. Prompt templates put their fixed wording at the start
 * ("You are an expert ... Solve the following") or at the end ("... Think step by step and give
 * the final answer"), with the slot in between or at the other end, so these 16 positions carry
 * the template whatever its slot holds. Stored at ingest as four 64-bit words per text, which is
 * what lets `--text none` keep template mining.
 */

export const SHAPE_HEAD = 8;
export const SHAPE_TAIL = 8;
export const SHAPE_POSITIONS = SHAPE_HEAD + SHAPE_TAIL;
/** 32-bit words a packed shape takes (two positions per word). */
export const SHAPE_WORDS = SHAPE_POSITIONS / 2;
/** Position value of a slot the miner found (`<*>`); never produced by a token. */
export const WILDCARD = 0xffff;
/** Position value beyond the end of a short text. */
export const PAD = 0;

/** A token hash as a shape position: slots (1..15) keep their value, words land in 16..0xfffe. */
export function shapeToken(hash: number): number {
  const unsigned = hash >>> 0;
  if (unsigned < 16) return unsigned;
  const value = (unsigned ^ (unsigned >>> 16)) & 0xffff;
  return value < 16 ? value + 16 : value === WILDCARD ? WILDCARD - 1 : value;
}

/**
 * Fills `out` (16 positions) from a scan: texts of up to 16 tokens fill positions in order and
 * pad the rest; longer ones give their first 8 and last 8 tokens.
 */
export function shapeOfScan(scan: TextScan, out: Uint16Array): void {
  const count = scan.count;
  const tokens = scan.tokens;
  if (count <= SHAPE_POSITIONS) {
    for (let i = 0; i < SHAPE_POSITIONS; i++) out[i] = i < count ? shapeToken(tokens[i]!) : PAD;
    return;
  }
  for (let i = 0; i < SHAPE_HEAD; i++) out[i] = shapeToken(tokens[i]!);
  for (let i = 0; i < SHAPE_TAIL; i++) out[SHAPE_HEAD + i] = shapeToken(tokens[count - SHAPE_TAIL + i]!);
}

/** Packs 16 positions into 8 words (position 2k in the low half of word k). */
export function packShape(shape: ArrayLike<number>, out: Uint32Array, offset = 0): void {
  for (let w = 0; w < SHAPE_WORDS; w++) out[offset + w] = (shape[2 * w]! | (shape[2 * w + 1]! << 16)) >>> 0;
}

export function unpackShape(words: ArrayLike<number>, out: Uint16Array, offset = 0): void {
  for (let w = 0; w < SHAPE_WORDS; w++) {
    const word = words[offset + w]!;
    out[2 * w] = word & 0xffff;
    out[2 * w + 1] = word >>> 16;
  }
}
