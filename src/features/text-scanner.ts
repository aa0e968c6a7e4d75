import { fmix32 } from '../util/hash64.js';
import { CHANGES_LENGTH, CHAR_UNSPACED, CHAR_CLASS, CHAR_KIND_MASK, NEEDS_NORMALIZATION, SCRIPT_COUNT, normalizeForDetection, type NormalizationStats } from './text-normalizer.js';

/**
 * One pass over a text that turns it into 32-bit token hashes, the input of every content
 * feature (sketch, template shape, phrase detectors, capability). It runs in the ingest parser
 * threads on every exchange, so it allocates nothing per token on ASCII text: hashes go into
 * buffers owned by the scanner and letters are lower-cased by table. Text with other characters
 * is normalised first, one window at a time (`text-normalizer.ts`), so that look-alike letters,
 * invisible characters and full-width forms give the words they imitate.
 *
 * Two token streams come out of one pass:
 * - the *template* stream (`tokens`), read from the head and the tail of the text (the
 *   instruction of a prompt sits there; the middle is pasted material), with slots masked as
 *   they are read so templates match whatever fills them: numbers (and words with digits) become
 *   `<num>`, quoted strings `<quote>`, code blocks and inline code `<code>`, URLs `<url>`;
 * - the *detection* stream (`words`), what the elicitation detectors read: the same windows plus
 *   sampled windows of a long middle when a larger budget is given, with quoted and code text read
 *   as words (an instruction in quotes or in a code block is still an instruction), and
 *   `SLOT_BREAK` between windows that do not touch.
 */

export const SLOT_NUM = 1;
export const SLOT_QUOTE = 2;
export const SLOT_CODE = 3;
export const SLOT_URL = 4;
/** Detection stream only: a gap between two windows, so no phrase matches across unread text. */
export const SLOT_BREAK = 5;
/** Detection stream only: the end of a sentence or a line, so paraphrase rules pair words within one. */
export const SLOT_SENTENCE = 6;
/** Hashes below this value are reserved for slots; word hashes are moved above it. */
export const FIRST_WORD_HASH = 16;

export const SLOT_NAMES: Readonly<Record<number, string>> = { [SLOT_NUM]: '<num>', [SLOT_QUOTE]: '<quote>', [SLOT_CODE]: '<code>', [SLOT_URL]: '<url>' };

/** `wordFlags` bit: the word is a field label, followed by `:` (`Reasoning:`, `"score":`) or written as a tag (`<reasoning>`). */
export const WORD_FIELD = 1;

export interface TextScannerOptions {
  /** Characters read from the start of the text. */
  headChars?: number;
  /** Characters read from the end of the text when it is longer than head + tail. */
  tailChars?: number;
  /** Template tokens kept; later ones are counted but not stored. */
  maxTokens?: number;
  /** Whether to fill the template stream (`tokens`); without it only `words` is filled. */
  template?: boolean;
  /** Detection tokens kept. */
  maxWords?: number;
  /** Seeds where the sampled windows of a long middle fall. */
  sampleSeed?: number;
}

/** What one scan found. The arrays belong to the scanner and are overwritten by the next scan. */
export interface TextScan {
  /** Template token hashes in reading order: the head, then the tail. Valid up to `count`. */
  readonly tokens: Int32Array;
  count: number;
  /** Template tokens taken from the head; the rest came from the tail. */
  headCount: number;
  /** Estimated tokens in the whole text (the template windows' share extrapolated to its length). */
  estimatedTokens: number;
  /** Characters of the whole text. */
  length: number;
  /** A hash of every character of the template windows (numbers and quoted text included), for verbatim repeats. */
  rawHash: number;
  /** Arithmetic characters (`=`, `+`, `^`, `*`, `/`, `<`, `>`) outside code and quotes: a hint of mathematics. */
  mathChars: number;
  /** Code blocks (fenced or inline) seen in the template windows. */
  codeBlocks: number;
  /** Tokens in the template windows, including any past `maxTokens`. */
  scannedTokens: number;
  /** Detection token hashes: every window, quoted and code text as words. Valid up to `wordCount`. */
  readonly words: Int32Array;
  /** `WORD_FIELD` per detection token. */
  readonly wordFlags: Uint8Array;
  wordCount: number;
  /** Characters read for the detection stream. */
  detectionChars: number;
  /** What normalisation found in the windows it read, or in the whole text when a long one was normalised whole (zero for ASCII text). */
  readonly normalization: NormalizationStats;
  /** The text the windows were placed in: the one given, unwrapped from a whole quotation or code block, and normalised when it was normalised whole. */
  text: string;
  /** Detection tokens read from the head window. */
  headWordCount: number;
  /** The first detection token of the tail window (`wordCount` when the text was read as one window). */
  tailWordStart: number;
  /**
   * Where sentences begin in the detection stream, valid up to `sentenceCount`: the token index
   * (`sentenceWords`) and the offset in `text` (`sentenceChars`), which is -1 where a window
   * begins inside the text and no sentence start is known.
   */
  readonly sentenceWords: Int32Array;
  readonly sentenceChars: Int32Array;
  sentenceCount: number;
}

export interface TextScanner extends TextScan {
  /**
   * Scans `text`. `detectionChars` is the characters the detection stream may read: the
   * template windows always, and up to this many in all (head, tail and sampled middle windows)
   * for a text longer than them.
   */
  scan(text: string, detectionChars?: number): TextScan;
}

// For ASCII: 0 = separator, 1 = digit, otherwise the lower-case letter (`_` counts as a letter).
// Everything from U+0080 up is classed by `CHAR_CLASS` (text-normalizer.ts).
const ASCII = new Uint8Array(128);
// Separators that need a look: 1 backtick, 2 double quote, 3 arithmetic, 4 colon (URLs, fields).
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
for (const c of '.!?;\n') SPECIAL[c.charCodeAt(0)] = 5;

function isSeparator(c: number): boolean {
  return c < 128 ? ASCII[c] === 0 : (CHAR_CLASS[c]! & CHAR_KIND_MASK) === 0;
}

const FNV_PRIME = 0x01000193;
const FNV_OFFSET = 0x811c9dc5 | 0;
const QUOTE_LIMIT = 400;
const INLINE_CODE_LIMIT = 160;
/** Length of one sampled window of a long middle. */
const SAMPLE_CHARS = 192;
/**
 * The longest text normalised whole before its windows are placed (UTF-16 code units): it bounds
 * what one text can cost. Past it, windows are placed in the text as sent.
 */
const WHOLE_NORMALIZATION_LIMIT = 65536;
const HTTP = wordHash('http');
const HTTPS = wordHash('https');

/** Finishes a word hash so that it never collides with a slot value. */
export function finishWordHash(h: number, length: number): number {
  const value = fmix32((h ^ length) >>> 0) | 0;
  return value >>> 0 < FIRST_WORD_HASH ? value + FIRST_WORD_HASH : value;
}

// Window plan of one scan: [start, end) ranges in reading order, and whether each feeds the
// template stream. At most head + samples + tail.
const MAX_WINDOWS = 64;

interface ScanState extends TextScanner {
  raw: number;
  /**
   * How much normalising the template windows changed their length: the verbatim hash takes the
   * text's length as it reads, so invisible characters inserted into a repeat leave it a repeat.
   */
  lengthChange: number;
  template: boolean;
  maxTokens: number;
  maxWords: number;
  /** Whether the window being read is normalised text (no more normalisation needed). */
  normalized: boolean;
  /** Whether the whole text was normalised before its windows were planned. */
  normalizedWhole: boolean;
  /** Added to offsets within the string being read to give offsets in `text` (a window normalised alone is read as a string of its own). */
  offsetBase: number;
}

/**
 * Creates a scanner with its own buffers. Not re-entrant: one per thread.
 *
 * @example
 * const scanner = createTextScanner();
 * const scan = scanner.scan('Solve 3x + 5 = 11 step by step.');
 * // scan.tokens[0..scan.count) = hashes of: solve <num> <num> <num> step by step
 */
export function createTextScanner({
  headChars = 800,
  tailChars = 300,
  maxTokens = 1024,
  template = true,
  maxWords = Math.max(maxTokens, 1024),
  sampleSeed = 0x2545f491,
}: TextScannerOptions = {}): TextScanner {
  const windowStart = new Int32Array(MAX_WINDOWS);
  const windowEnd = new Int32Array(MAX_WINDOWS);
  const windowTemplate = new Uint8Array(MAX_WINDOWS);
  const state: ScanState = {
    tokens: new Int32Array(template ? maxTokens : 0),
    count: 0,
    headCount: 0,
    estimatedTokens: 0,
    length: 0,
    rawHash: 0,
    mathChars: 0,
    codeBlocks: 0,
    scannedTokens: 0,
    words: new Int32Array(maxWords),
    wordFlags: new Uint8Array(maxWords),
    wordCount: 0,
    detectionChars: 0,
    normalization: { hiddenInWords: 0, lookAlikesInWords: 0, scripts: new Int32Array(SCRIPT_COUNT) },
    raw: 0,
    lengthChange: 0,
    template,
    maxTokens: template ? maxTokens : 0,
    maxWords,
    normalized: false,
    normalizedWhole: false,
    offsetBase: 0,
    text: '',
    headWordCount: 0,
    tailWordStart: 0,
    sentenceWords: new Int32Array(maxWords),
    sentenceChars: new Int32Array(maxWords),
    sentenceCount: 0,
    scan(whole: string, detectionChars = 0): TextScan {
      const unfenced = unwrapWholeFence(whole);
      let text = unwrapWholeQuote(unfenced);
      state.count = 0;
      state.headCount = 0;
      state.mathChars = 0;
      state.codeBlocks = 0;
      state.scannedTokens = 0;
      state.wordCount = 0;
      state.sentenceCount = 0;
      state.detectionChars = 0;
      const stats = state.normalization;
      stats.hiddenInWords = 0;
      stats.lookAlikesInWords = 0;
      stats.scripts.fill(0);
      // Windows are placed in characters: in a text longer than they read, invisible characters
      // or letters written as two code units would move their edges, so such a text is
      // normalised whole first and its windows placed in the normal form.
      state.normalizedWhole = text.length > Math.min(headChars + tailChars, detectionChars > 0 ? detectionChars : Infinity) && text.length <= WHOLE_NORMALIZATION_LIMIT && changesLength(text);
      if (state.normalizedWhole) text = normalizeForDetection(text, stats);
      state.text = text;
      const length = text.length;
      state.length = length;
      state.raw = FNV_OFFSET;
      state.lengthChange = 0;
      const windows = planWindows(text, headChars, tailChars, detectionChars, sampleSeed, template, windowStart, windowEnd, windowTemplate);
      let seen = 0;
      let previousEnd = 0;
      for (let w = 0; w < windows; w++) {
        const start = windowStart[w]!;
        const end = windowEnd[w]!;
        const inTemplate = windowTemplate[w] === 1;
        if (w > 0 && start > previousEnd) pushWord(state, SLOT_BREAK, 0);
        if (w === windows - 1 && w > 0) state.tailWordStart = state.wordCount;
        markSentence(state, state.wordCount, w === 0 ? 0 : -1);
        scanWindow(text, start, end, inTemplate, state);
        if (w === 0) {
          state.headCount = state.count;
          state.headWordCount = state.wordCount;
          state.tailWordStart = state.wordCount;
        }
        if (inTemplate) seen += end - start;
        state.detectionChars += end - start;
        previousEnd = end;
      }
      // A text sent whole in a code block is read as its content; it counts as code when the
      // fence names a language (```python), not when a bare fence wraps prose.
      if (unfenced !== whole && fenceNamesLanguage(whole)) state.codeBlocks++;
      state.rawHash = fmix32((state.raw ^ (length + state.lengthChange)) >>> 0);
      state.estimatedTokens = seen > 0 ? Math.round((state.scannedTokens * length) / seen) : 0;
      return state;
    },
  };
  return state;
}

/** Whether normalising `text` may move a position in it (a character removed, expanded or joined). */
function changesLength(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 && (CHAR_CLASS[c]! & CHANGES_LENGTH) !== 0) return true;
  }
  return false;
}

/** Opening and closing marks of a quotation that may wrap a whole text. */
export const WHOLE_QUOTES: readonly (readonly [number, number])[] = [
  [0x22, 0x22], // "…"
  [0x201c, 0x201d], // “…”
  [0xab, 0xbb], // «…»
];

/**
 * A text that is nothing but one quotation is read as its content, for the reason a whole code
 * block is: masked as a `<quote>` slot, a prompt sent in quotes would have no template and no
 * sketch. A quotation inside other text stays a slot.
 */
function unwrapWholeQuote(text: string): string {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end - start < 3) return text;
  const open = text.charCodeAt(start);
  const close = text.charCodeAt(end - 1);
  for (const [opening, closing] of WHOLE_QUOTES) {
    if (open !== opening || close !== closing) continue;
    return quotesPairUp(text, start + 1, end - 1, opening, closing) ? text.slice(start + 1, end - 1) : text;
  }
  return text;
}

/**
 * Whether the quotation marks between `from` and `to` pair up among themselves, so that marks at
 * both ends wrap the whole text: "a" and "b" is two quotations (the mark after a closes the
 * first), a prompt sent in quotes may quote words or hold JSON inside. A straight mark opens
 * after a space or an opening bracket, colon, comma or equals sign, and closes anywhere else.
 */
function quotesPairUp(text: string, from: number, to: number, opening: number, closing: number): boolean {
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== opening && c !== closing) continue;
    const opens = opening === closing ? i === from || opensQuote(text.charCodeAt(i - 1)) : c === opening;
    if (opens) depth++;
    else if (depth-- === 0) return false;
  }
  return depth === 0;
}

function opensQuote(before: number): boolean {
  return isSpace(before) || before === 40 || before === 91 || before === 123 || before === 58 || before === 44 || before === 61;
}

/**
 * A text that is nothing but one fenced code block is read as its content: masking it as a
 * `<code>` slot would leave it no words, so a prompt wrapped whole in a fence would have no
 * template and no sketch. A fence inside other text stays a slot.
 */
function unwrapWholeFence(text: string): string {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  if (text.charCodeAt(start) !== 96 || !text.startsWith('```', start)) return text;
  let end = text.length;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end - start < 6 || !text.endsWith('```', end) || !innerFencesPairUp(text, start + 3, end - 3)) return text;
  // Skip the opening fence's line (it may name a language), and the line break before the closing one.
  const lineEnd = text.indexOf('\n', start + 3);
  let contentEnd = end - 3;
  while (contentEnd > start + 3 && isSpace(text.charCodeAt(contentEnd - 1))) contentEnd--;
  return lineEnd === -1 || lineEnd >= contentEnd ? text.slice(start + 3, contentEnd) : text.slice(lineEnd + 1, contentEnd);
}

/**
 * Whether the fences between `from` and `to` pair up among themselves, each at the start of a
 * line, so that the fences at both ends wrap the whole text: a prompt sent in a code block may
 * hold code blocks of its own, but ```a``` and ```b``` is two blocks.
 */
function innerFencesPairUp(text: string, from: number, to: number): boolean {
  let fences = 0;
  for (let at = text.indexOf('```', from); at !== -1 && at < to; at = text.indexOf('```', at + 3)) {
    let lineStart = at;
    while (lineStart > from && (text.charCodeAt(lineStart - 1) === 32 || text.charCodeAt(lineStart - 1) === 9)) lineStart--;
    if (lineStart > from && text.charCodeAt(lineStart - 1) !== 10) return false;
    fences++;
  }
  return fences % 2 === 0;
}

/** Whether the opening fence of a text that starts with one names a language: one word alone on its line (```ts). */
function fenceNamesLanguage(text: string): boolean {
  const fence = text.indexOf('```');
  const lineEnd = text.indexOf('\n', fence + 3);
  if (lineEnd === -1) return false;
  const tag = text.slice(fence + 3, lineEnd).trim();
  return tag.length > 0 && !/\s/.test(tag);
}

/**
 * Chooses the windows of one scan. The template windows are the head and the tail (the whole
 * text when it is short); the detection stream reads them and, up to `detectionChars` in all,
 * sampled windows of the middle, one in each of equal strata at a pseudo-random offset so
 * that padding cannot predict the gaps. Returns the number of windows.
 */
function planWindows(
  text: string,
  headChars: number,
  tailChars: number,
  detectionChars: number,
  seed: number,
  template: boolean,
  starts: Int32Array,
  ends: Int32Array,
  templates: Uint8Array,
): number {
  const length = text.length;
  let head = headChars;
  let tail = tailChars;
  if (!template && detectionChars > 0 && detectionChars < head + tail) {
    head = Math.floor((detectionChars * headChars) / (headChars + tailChars));
    tail = detectionChars - head;
  }
  const budget = Math.max(detectionChars, head + tail);
  const flag = template ? 1 : 0;
  if (length <= head + tail) {
    starts[0] = 0;
    ends[0] = length;
    templates[0] = flag;
    return 1;
  }
  let headEnd = head;
  // Finish the word the head boundary cuts (within reason: a 10 kB "word" is not one).
  while (headEnd < length && headEnd < head + 64 && !isSeparator(text.charCodeAt(headEnd))) headEnd++;
  let tailStart = length - tail;
  // Start the tail at a word boundary so it does not begin with half a word.
  while (tailStart < length && !isSeparator(text.charCodeAt(tailStart - 1))) tailStart++;
  starts[0] = 0;
  ends[0] = headEnd;
  templates[0] = flag;
  let n = 1;
  if (tailStart <= headEnd) {
    ends[0] = length;
    return 1;
  }
  const middle = tailStart - headEnd;
  // Measured on the windows as placed (word boundaries move them a little), so a budget that
  // covers the text reads all of it.
  const extra = budget - headEnd - (length - tailStart);
  if (extra >= middle) {
    starts[n] = headEnd;
    ends[n] = tailStart;
    templates[n] = 0;
    n++;
  } else if (extra >= SAMPLE_CHARS / 2) {
    const samples = Math.min(MAX_WINDOWS - 2, Math.max(1, Math.floor(extra / SAMPLE_CHARS)));
    const size = Math.floor(extra / samples);
    const stratum = middle / samples;
    let random = (Math.imul(length, 0x9e3779b1) ^ seed) | 1;
    let lastEnd = headEnd;
    for (let k = 0; k < samples; k++) {
      random ^= random << 13;
      random ^= random >>> 17;
      random ^= random << 5;
      const room = Math.max(0, stratum - size);
      let start = Math.max(lastEnd, Math.floor(headEnd + k * stratum + ((random >>> 0) % (room + 1))));
      // Start after a separator so the window does not begin with half a word.
      while (start < tailStart && start > 0 && !isSeparator(text.charCodeAt(start - 1))) start++;
      let end = Math.min(tailStart, start + size);
      while (end < tailStart && end < start + size + 64 && !isSeparator(text.charCodeAt(end))) end++;
      if (end <= start) continue;
      starts[n] = start;
      ends[n] = end;
      templates[n] = 0;
      n++;
      lastEnd = end;
    }
  }
  starts[n] = tailStart;
  ends[n] = length;
  templates[n] = flag;
  return n + 1;
}

/** Reads one window, normalising it first when it holds characters that need it. */
function scanWindow(text: string, start: number, end: number, inTemplate: boolean, state: ScanState): void {
  const count = state.count;
  const wordCount = state.wordCount;
  const scannedTokens = state.scannedTokens;
  const mathChars = state.mathChars;
  const codeBlocks = state.codeBlocks;
  const raw = state.raw;
  const sentenceCount = state.sentenceCount;
  state.normalized = state.normalizedWhole;
  if (!scanRange(text, start, end, inTemplate, state)) {
    // A character that needs normalising: undo what this window emitted and read its normal form.
    state.count = count;
    state.wordCount = wordCount;
    state.sentenceCount = sentenceCount;
    state.scannedTokens = scannedTokens;
    state.mathChars = mathChars;
    state.codeBlocks = codeBlocks;
    state.raw = raw;
    state.normalized = true;
    const normalized = normalizeForDetection(text.slice(start, end), state.normalization);
    // Its characters fold one for one (a text of up to 65,536 where they do not was normalised
    // whole), so an offset in the window's normal form is the same offset in the text.
    state.offsetBase = start;
    scanRange(normalized, 0, normalized.length, inTemplate, state);
    state.offsetBase = 0;
    if (inTemplate) state.lengthChange += normalized.length - (end - start);
  }
  if (!inTemplate) {
    // Windows outside the template feed neither the verbatim hash, the token estimate nor the
    // hints the capability reads (code blocks, arithmetic): those stay what the template windows say.
    state.mathChars = mathChars;
    state.codeBlocks = codeBlocks;
  }
}

/**
 * An ASCII capital as its lower case, for the verbatim hash of quoted text, code and URLs: a
 * window that needs normalising is read lower-cased, and the hash must not depend on which
 * windows did (a zero-width space elsewhere in the text).
 */
function caseless(c: number): number {
  return c < 128 && ASCII[c]! > 1 ? ASCII[c]! : c;
}

/** Records that a sentence begins at token `word`, at `offset` in the text (-1: not known). */
function markSentence(state: ScanState, word: number, offset: number): void {
  const n = state.sentenceCount;
  if (n > 0 && state.sentenceWords[n - 1] === word) {
    // A window that begins where a sentence ended: the sentence start is the better-known one.
    if (state.sentenceChars[n - 1] === -1 || offset === -1) state.sentenceChars[n - 1] = Math.max(state.sentenceChars[n - 1]!, offset);
    return;
  }
  if (n < state.sentenceWords.length) {
    state.sentenceWords[n] = word;
    state.sentenceChars[n] = offset;
    state.sentenceCount = n + 1;
  }
}

function pushWord(state: ScanState, token: number, flags: number): void {
  if (state.wordCount < state.maxWords) {
    state.wordFlags[state.wordCount] = flags;
    state.words[state.wordCount++] = token;
  }
}

const BAIL = false;

// The verbatim hash (`raw`) is fed per token rather than per character: a word's hash, a
// number's digits, a quotation's characters. That keeps the per-character loop to one table
// look-up and one multiply, which is most of the scanner's cost. Returns false, having read part
// of the window, when it meets a character that needs normalising (raw text only).
function scanRange(text: string, start: number, end: number, inTemplate: boolean, state: ScanState): boolean {
  const tokens = state.tokens;
  const words = state.words;
  const wordFlags = state.wordFlags;
  const normalized = state.normalized;
  const maxTokens = inTemplate ? state.maxTokens : 0;
  const maxWords = state.maxWords;
  let count = state.count;
  let wordCount = state.wordCount;
  let total = 0;
  let raw = state.raw;
  let h = FNV_OFFSET;
  let digits = 0;
  let wordLength = 0;
  let hasDigit = false;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    let v: number;
    if (c < 128) {
      v = ASCII[c]!;
    } else {
      const cls = CHAR_CLASS[c]!;
      if (!normalized && (cls & NEEDS_NORMALIZATION) !== 0) return BAIL;
      v = cls & CHAR_KIND_MASK;
      if (v === CHAR_UNSPACED) {
        // Scripts written without spaces between words (Han, kana, Hangul, Thai, ...): each
        // character is a token, so a phrase of several characters matches inside a run of text.
        if (wordLength > 0) {
          total++;
          if (hasDigit) {
            raw = Math.imul(raw ^ digits ^ h, FNV_PRIME);
            if (count < maxTokens) tokens[count++] = SLOT_NUM;
            if (wordCount < maxWords) (wordFlags[wordCount] = 0), (words[wordCount++] = SLOT_NUM);
          } else {
            const word = finishWordHash(h, wordLength);
            raw = Math.imul(raw ^ word, FNV_PRIME);
            if (count < maxTokens) tokens[count++] = word;
            if (wordCount < maxWords) (wordFlags[wordCount] = 0), (words[wordCount++] = word);
          }
          h = FNV_OFFSET;
          digits = 0;
          wordLength = 0;
          hasDigit = false;
        }
        const single = finishWordHash(Math.imul(FNV_OFFSET ^ c, FNV_PRIME), 1);
        total++;
        raw = Math.imul(raw ^ single, FNV_PRIME);
        if (count < maxTokens) tokens[count++] = single;
        if (wordCount < maxWords) (wordFlags[wordCount] = 0), (words[wordCount++] = single);
        i++;
        continue;
      }
    }
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
        if (wordCount < maxWords) (wordFlags[wordCount] = 0), (words[wordCount++] = SLOT_NUM);
      } else {
        const word = finishWordHash(h, wordLength);
        raw = Math.imul(raw ^ word, FNV_PRIME);
        if (count < maxTokens) tokens[count++] = word;
        if (wordCount < maxWords) {
          wordFlags[wordCount] = c === 58 || (c === 62 && isTagName(text, i, wordLength)) ? WORD_FIELD : 0;
          words[wordCount++] = word;
        }
      }
      h = FNV_OFFSET;
      digits = 0;
      wordLength = 0;
      hasDigit = false;
    }
    const special = c < 128 ? SPECIAL[c]! : c === 0x201c ? 2 : c === 0x3002 ? 5 : 0;
    if (special === 0) {
      i++;
      continue;
    }
    if (special === 5) {
      // A full stop ends a sentence only before a space (`file.txt`, `e.g.x` go on).
      if (wordCount > 0 && words[wordCount - 1]! !== SLOT_SENTENCE && words[wordCount - 1]! !== SLOT_BREAK && (c !== 46 || i + 1 >= end || isSpace(text.charCodeAt(i + 1)))) {
        if (wordCount < maxWords) {
          wordFlags[wordCount] = 0;
          words[wordCount++] = SLOT_SENTENCE;
          markSentence(state, wordCount, state.offsetBase + i + 1);
        }
      }
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
        state.wordCount = wordCount;
        if (!scanWordsOnly(text, i + 3, Math.min(next, close === -1 ? end : close), state)) return BAIL;
        wordCount = state.wordCount;
        i = next;
        continue;
      }
      const close = text.indexOf('`', i + 1);
      if (close !== -1 && close - i <= INLINE_CODE_LIMIT && close < end) {
        for (let j = i + 1; j < close; j++) raw = Math.imul(raw ^ caseless(text.charCodeAt(j)), FNV_PRIME);
        total++;
        state.codeBlocks++;
        if (count < maxTokens) tokens[count++] = SLOT_CODE;
        state.wordCount = wordCount;
        if (!scanWordsOnly(text, i + 1, close, state)) return BAIL;
        wordCount = state.wordCount;
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
        r = Math.imul(r ^ caseless(d), FNV_PRIME);
        j++;
      }
      if (j < limit) {
        raw = r;
        total++;
        if (count < maxTokens) tokens[count++] = SLOT_QUOTE;
        state.wordCount = wordCount;
        if (!scanWordsOnly(text, i + 1, j, state, true)) return BAIL;
        wordCount = state.wordCount;
        // `"reasoning": ...` names a field.
        if (text.charCodeAt(j + 1) === 58 && wordCount > 0 && j > i + 1 && !isSeparator(text.charCodeAt(j - 1))) wordFlags[wordCount - 1] = WORD_FIELD;
        i = j + 1;
        continue;
      }
    } else if (special === 3) {
      state.mathChars++;
    } else if (special === 4 && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47 && wordCount > 0 && (words[wordCount - 1] === HTTP || words[wordCount - 1] === HTTPS)) {
      // `http://...`: the scheme was just emitted as a word; the URL replaces it.
      let j = i + 3;
      while (j < end && !isSpace(text.charCodeAt(j))) j++;
      for (let k = i; k < j; k++) raw = Math.imul(raw ^ caseless(text.charCodeAt(k)), FNV_PRIME);
      if (count > 0 && (tokens[count - 1] === HTTP || tokens[count - 1] === HTTPS)) tokens[count - 1] = SLOT_URL;
      words[wordCount - 1] = SLOT_URL;
      wordFlags[wordCount - 1] = 0;
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
      if (wordCount < maxWords) (wordFlags[wordCount] = 0), (words[wordCount++] = SLOT_NUM);
    } else {
      const word = finishWordHash(h, wordLength);
      raw = Math.imul(raw ^ word, FNV_PRIME);
      if (count < maxTokens) tokens[count++] = word;
      if (wordCount < maxWords) (wordFlags[wordCount] = 0), (words[wordCount++] = word);
    }
  }
  state.count = count;
  state.wordCount = wordCount;
  if (inTemplate) {
    state.scannedTokens += total;
    state.raw = raw;
  }
  return true;
}

/**
 * Words of quoted or code text, for the detection stream only: no slots, no verbatim hash, no
 * template tokens. Returns false when the text needs normalising first. With `sentences`, the
 * sentences a quotation holds are marked as the text's own are: a request sent in quotes
 * between filler is still a request to find.
 */
function scanWordsOnly(text: string, start: number, end: number, state: ScanState, sentences = false): boolean {
  const words = state.words;
  const wordFlags = state.wordFlags;
  const maxWords = state.maxWords;
  const normalized = state.normalized;
  let wordCount = state.wordCount;
  let h = FNV_OFFSET;
  let wordLength = 0;
  let hasDigit = false;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 32;
    let v: number;
    if (c < 128) {
      v = ASCII[c]!;
    } else {
      const cls = CHAR_CLASS[c]!;
      if (!normalized && (cls & NEEDS_NORMALIZATION) !== 0) return false;
      v = cls & CHAR_KIND_MASK;
    }
    if (v > 1 && v !== CHAR_UNSPACED) {
      h = Math.imul(h ^ (v === 2 ? c : v), FNV_PRIME);
      wordLength++;
      continue;
    }
    if (v === 1) {
      hasDigit = true;
      wordLength++;
      continue;
    }
    if (hasDigit && (c === 46 || c === 44) && i + 1 < end && isAsciiDigit(text.charCodeAt(i + 1))) continue;
    if (wordLength > 0 && wordCount < maxWords) {
      wordFlags[wordCount] = !hasDigit && (c === 58 || (c === 62 && isTagName(text, i, wordLength))) ? WORD_FIELD : 0;
      words[wordCount++] = hasDigit ? SLOT_NUM : finishWordHash(h, wordLength);
    }
    h = FNV_OFFSET;
    wordLength = 0;
    hasDigit = false;
    if (c < 128 && SPECIAL[c] === 5 && wordCount > 0 && words[wordCount - 1]! !== SLOT_SENTENCE && wordCount < maxWords && (c !== 46 || isSpace(text.charCodeAt(i + 1)))) {
      wordFlags[wordCount] = 0;
      words[wordCount++] = SLOT_SENTENCE;
      if (sentences) markSentence(state, wordCount, state.offsetBase + i + 1);
    }
    if (v === CHAR_UNSPACED && wordCount < maxWords) {
      wordFlags[wordCount] = 0;
      words[wordCount++] = finishWordHash(Math.imul(FNV_OFFSET ^ c, FNV_PRIME), 1);
    }
  }
  state.wordCount = wordCount;
  return true;
}

/** Whether the word that ends at `end` (a `>`) is written as a tag, `<word>` or `</word>`. */
function isTagName(text: string, end: number, wordLength: number): boolean {
  const before = text.charCodeAt(end - wordLength - 1);
  return before === 60 || (before === 47 && text.charCodeAt(end - wordLength - 2) === 60);
}

function isAsciiDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A space, tab or line break (ASCII). */
export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** The hash a single word gets from the scanner (for phrase tables and tests); normalised like the text. */
export function wordHash(word: string): number {
  const text = isAscii(word) ? word : normalizeForDetection(word);
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ (c < 128 ? ASCII[c]! : c), FNV_PRIME);
  }
  return finishWordHash(h, text.length);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

/**
 * The scanner's template tokenisation as strings, for showing templates: the same words,
 * normalised and lower-cased, with the same slots. Slow (allocates per token); used only at
 * analysis time on stored text.
 */
export function displayTokens(text: string, options: TextScannerOptions = {}): string[] {
  const scanner = createTextScanner({ ...options, maxTokens: options.maxTokens ?? 4096 });
  const scan = scanner.scan(text);
  const words = new Map<number, string>();
  const source = isAscii(text) ? text : normalizeForDetection(text);
  let start = -1;
  for (let i = 0; i <= source.length; i++) {
    const c = i === source.length ? 32 : source.charCodeAt(i);
    const unspaced = c >= 128 && (CHAR_CLASS[c]! & CHAR_KIND_MASK) === CHAR_UNSPACED;
    const separator = unspaced || isSeparator(c);
    if (!separator && start === -1) start = i;
    if (separator && start !== -1) {
      const word = source.slice(start, i);
      if (!/[0-9]/.test(word)) words.set(wordHash(word), lowerAscii(word));
      start = -1;
    }
    if (unspaced) words.set(wordHash(source[i]!), source[i]!);
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
    out += String.fromCharCode(caseless(c));
  }
  return out;
}
