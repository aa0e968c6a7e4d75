import { fmix32 } from '../util/hash64.js';

/**
 * One pass over a prompt that turns it into 32-bit token hashes, the input of every content
 * feature (sketch, template shape, phrase detectors, capability). It runs in the ingest parser
 * threads on every exchange, so it allocates nothing per token: hashes go into a buffer owned by
 * the scanner, letters are lower-cased by table, and long texts are read only at the head and
 * the tail (the instruction of a prompt sits there; the middle is pasted material).
 *
 * Slots are masked as they are read, so templates match whatever fills them: numbers (and words
 * with digits) become `<num>`, quoted strings `<quote>`, code blocks and inline code `<code>`,
 * URLs `<url>`.
 */

export const SLOT_NUM = 1;
export const SLOT_QUOTE = 2;
export const SLOT_CODE = 3;
export const SLOT_URL = 4;
/** Hashes below this value are reserved for slots; word hashes are moved above it. */
export const FIRST_WORD_HASH = 16;

export const SLOT_NAMES: Readonly<Record<number, string>> = { [SLOT_NUM]: '<num>', [SLOT_QUOTE]: '<quote>', [SLOT_CODE]: '<code>', [SLOT_URL]: '<url>' };

export interface TextScannerOptions {
  /** Characters read from the start of the text. */
  headChars?: number;
  /** Characters read from the end of the text when it is longer than head + tail. */
  tailChars?: number;
  /** Tokens kept; later ones are counted but not stored. */
  maxTokens?: number;
}

/** What one scan found. The arrays belong to the scanner and are overwritten by the next scan. */
export interface TextScan {
  /** Token hashes in reading order: the head, then the tail. Valid up to `count`. */
  readonly tokens: Int32Array;
  count: number;
  /** Tokens taken from the head; the rest came from the tail. */
  headCount: number;
  /** Estimated tokens in the whole text (the scanned share extrapolated to its length). */
  estimatedTokens: number;
  /** Characters of the whole text. */
  length: number;
  /** A hash of every character read (numbers and quoted text included), for verbatim repeats. */
  rawHash: number;
  /** Arithmetic characters (`=`, `+`, `^`, `*`, `/`, `<`, `>`) outside code: a hint of mathematics. */
  mathChars: number;
  /** Code blocks (fenced or inline) seen. */
  codeBlocks: number;
  /** Tokens in the scanned parts, including any past `maxTokens`. */
  scannedTokens: number;
}

export interface TextScanner extends TextScan {
  scan(text: string): TextScan;
}

// For ASCII: 0 = separator, 1 = digit, otherwise the lower-case letter (`_` counts as a letter).
// Everything from U+0080 up is a letter except the punctuation and space blocks in
// `isNonAsciiSeparator` (so CJK, Cyrillic and accented words stay words).
const ASCII = new Uint8Array(128);
// Separators that need a look: 1 backtick, 2 double quote, 3 arithmetic, 4 colon (URLs).
const SPECIAL = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 65 && c <= 90) ASCII[c] = c + 32;
  else if ((c >= 97 && c <= 122) || c === 95) ASCII[c] = c;
  else if (c >= 48 && c <= 57) ASCII[c] = 1;
}
SPECIAL[96] = 1;
SPECIAL[34] = 2;
for (const c of '=+^*/<>') SPECIAL[c.charCodeAt(0)] = 3;
SPECIAL[58] = 4;

function isNonAsciiSeparator(c: number): boolean {
  return c === 0xa0 || (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xff0f) || c === 0xfeff;
}

function isSeparator(c: number): boolean {
  return c < 128 ? ASCII[c] === 0 : isNonAsciiSeparator(c);
}

const FNV_PRIME = 0x01000193;
const FNV_OFFSET = 0x811c9dc5 | 0;
const QUOTE_LIMIT = 400;
const INLINE_CODE_LIMIT = 160;
const HTTP = wordHash('http');
const HTTPS = wordHash('https');

/** Finishes a word hash so that it never collides with a slot value. */
export function finishWordHash(h: number, length: number): number {
  const value = fmix32((h ^ length) >>> 0) | 0;
  return value >>> 0 < FIRST_WORD_HASH ? value + FIRST_WORD_HASH : value;
}

/**
 * Creates a scanner with its own buffers. Not re-entrant: one per thread.
 *
 * @example
 * const scanner = createTextScanner();
 * const scan = scanner.scan('Solve 3x + 5 = 11 step by step.');
 * // scan.tokens[0..scan.count) = hashes of: solve <num> <num> <num> step by step
 */
export function createTextScanner({ headChars = 800, tailChars = 300, maxTokens = 1024 }: TextScannerOptions = {}): TextScanner {
  const tokens = new Int32Array(maxTokens);
  const state: TextScanner = {
    tokens,
    count: 0,
    headCount: 0,
    estimatedTokens: 0,
    length: 0,
    rawHash: 0,
    mathChars: 0,
    codeBlocks: 0,
    scannedTokens: 0,
    scan(text: string): TextScan {
      state.count = 0;
      state.mathChars = 0;
      state.codeBlocks = 0;
      state.scannedTokens = 0;
      const length = text.length;
      state.length = length;
      let raw = FNV_OFFSET;
      let seen = length;
      if (length <= headChars + tailChars) {
        raw = scanRange(text, 0, length, state, maxTokens, raw);
        state.headCount = state.count;
      } else {
        let headEnd = headChars;
        // Finish the word the head boundary cuts (within reason: a 10 kB "word" is not one).
        while (headEnd < length && headEnd < headChars + 64 && !isSeparator(text.charCodeAt(headEnd))) headEnd++;
        raw = scanRange(text, 0, headEnd, state, maxTokens, raw);
        state.headCount = state.count;
        let tailStart = length - tailChars;
        // Start the tail at a word boundary so it does not begin with half a word.
        while (tailStart < length && !isSeparator(text.charCodeAt(tailStart - 1))) tailStart++;
        raw = scanRange(text, tailStart, length, state, maxTokens, raw);
        seen = headEnd + (length - tailStart);
      }
      state.rawHash = fmix32((raw ^ length) >>> 0);
      state.estimatedTokens = seen > 0 ? Math.round((state.scannedTokens * length) / seen) : 0;
      return state;
    },
  };
  return state;
}

// The verbatim hash (`raw`) is fed per token rather than per character: a word's hash, a
// number's digits, a quotation's characters. That keeps the per-character loop to one table
// look-up and one multiply, which is most of the scanner's cost.
function scanRange(text: string, start: number, end: number, state: TextScan, maxTokens: number, rawIn: number): number {
  const tokens = state.tokens;
  let count = state.count;
  let total = 0;
  let raw = rawIn;
  let h = FNV_OFFSET;
  let digits = 0;
  let wordLength = 0;
  let hasDigit = false;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? ASCII[c]! : isNonAsciiSeparator(c) ? 0 : 2;
    if (v > 1) {
      h = Math.imul(h ^ (v === 2 ? c : v), FNV_PRIME);
      wordLength++;
      i++;
      continue;
    }
    if (v === 1) {
      hasDigit = true;
      digits = Math.imul(digits ^ c, FNV_PRIME);
      wordLength++;
      i++;
      continue;
    }
    // A separator; but `1,000` and `3.14` stay one number.
    if (hasDigit && (c === 46 || c === 44) && i + 1 < end && isAsciiDigit(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    if (wordLength > 0) {
      total++;
      if (hasDigit) {
        raw = Math.imul(raw ^ digits ^ h, FNV_PRIME);
        if (count < maxTokens) tokens[count++] = SLOT_NUM;
      } else {
        const word = finishWordHash(h, wordLength);
        raw = Math.imul(raw ^ word, FNV_PRIME);
        if (count < maxTokens) tokens[count++] = word;
      }
      h = FNV_OFFSET;
      digits = 0;
      wordLength = 0;
      hasDigit = false;
    }
    const special = c < 128 ? SPECIAL[c]! : c === 0x201c ? 2 : 0;
    if (special === 0) {
      i++;
      continue;
    }
    if (special === 1) {
      if (text.charCodeAt(i + 1) === 96 && text.charCodeAt(i + 2) === 96) {
        const close = text.indexOf('```', i + 3);
        const next = close === -1 ? end : Math.min(end, close + 3);
        raw = Math.imul(raw ^ (next - i), FNV_PRIME);
        total++;
        state.codeBlocks++;
        if (count < maxTokens) tokens[count++] = SLOT_CODE;
        i = next;
        continue;
      }
      const close = text.indexOf('`', i + 1);
      if (close !== -1 && close - i <= INLINE_CODE_LIMIT && close < end) {
        for (let j = i + 1; j < close; j++) raw = Math.imul(raw ^ text.charCodeAt(j), FNV_PRIME);
        total++;
        state.codeBlocks++;
        if (count < maxTokens) tokens[count++] = SLOT_CODE;
        i = close + 1;
        continue;
      }
    } else if (special === 2) {
      const closer = c === 34 ? 34 : 0x201d;
      const limit = Math.min(end, i + QUOTE_LIMIT);
      let j = i + 1;
      let r = raw;
      while (j < limit) {
        const d = text.charCodeAt(j);
        if (d === closer || (closer === 0x201d && d === 34)) break;
        if (d === 10 && text.charCodeAt(j + 1) === 10) {
          j = limit; // a blank line ends any quotation: this quote mark opened none
          break;
        }
        r = Math.imul(r ^ d, FNV_PRIME);
        j++;
      }
      if (j < limit) {
        raw = r;
        total++;
        if (count < maxTokens) tokens[count++] = SLOT_QUOTE;
        i = j + 1;
        continue;
      }
    } else if (special === 3) {
      state.mathChars++;
    } else if (special === 4 && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47 && count > 0 && (tokens[count - 1] === HTTP || tokens[count - 1] === HTTPS)) {
      // `http://...`: the scheme was just emitted as a word; the URL replaces it.
      let j = i + 3;
      while (j < end && !isSpace(text.charCodeAt(j))) j++;
      for (let k = i; k < j; k++) raw = Math.imul(raw ^ text.charCodeAt(k), FNV_PRIME);
      tokens[count - 1] = SLOT_URL;
      i = j;
      continue;
    }
    i++;
  }
  if (wordLength > 0) {
    total++;
    if (hasDigit) {
      raw = Math.imul(raw ^ digits ^ h, FNV_PRIME);
      if (count < maxTokens) tokens[count++] = SLOT_NUM;
    } else {
      const word = finishWordHash(h, wordLength);
      raw = Math.imul(raw ^ word, FNV_PRIME);
      if (count < maxTokens) tokens[count++] = word;
    }
  }
  state.count = count;
  state.scannedTokens += total;
  return raw;
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** The hash a single lower-case word gets from the scanner (for phrase tables and tests). */
export function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    h = Math.imul(h ^ (c < 128 ? ASCII[c]! : c), FNV_PRIME);
  }
  return finishWordHash(h, word.length);
}

/**
 * The scanner's tokenisation as strings, for showing templates: the same words, lower-cased,
 * with the same slots. Slow (allocates per token); used only at analysis time on stored text.
 */
export function displayTokens(text: string, options: TextScannerOptions = {}): string[] {
  const scanner = createTextScanner({ ...options, maxTokens: options.maxTokens ?? 4096 });
  const scan = scanner.scan(text);
  const words = new Map<number, string>();
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const separator = i === text.length || isSeparator(text.charCodeAt(i));
    if (!separator && start === -1) start = i;
    if (separator && start !== -1) {
      const word = text.slice(start, i);
      if (!/[0-9]/.test(word)) words.set(wordHash(word), lowerAscii(word));
      start = -1;
    }
  }
  const out: string[] = [];
  for (let i = 0; i < scan.count; i++) {
    const token = scan.tokens[i]!;
    out.push(SLOT_NAMES[token] ?? words.get(token) ?? '<?>');
  }
  return out;
}

function lowerAscii(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    out += String.fromCharCode(c < 128 && ASCII[c]! > 1 ? ASCII[c]! : c);
  }
  return out;
}
