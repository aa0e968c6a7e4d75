import { createRequire } from 'node:module';

/**
 * Normalisation of prompt text before detection, so that spelling tricks do not change the words
 * the detectors see: Unicode NFKC (full-width and mathematical letters, ligatures), lower case,
 * removal of invisible and format characters (zero-width spaces and joiners, bidi controls, the
 * soft hyphen, tag characters, variation selectors), look-alike letters of other scripts folded
 * to the Latin letters they imitate (Unicode's confusables data, UTS #39, through the
 * `unhomoglyph` package), accents on Latin letters dropped, and Arabic vowel signs and tatweel
 * removed.
 *
 * Only text with characters outside ASCII pays for it: the scanner reads ASCII text as it is and
 * calls `normalizeForDetection` on a window only when it meets a character whose class has
 * `NEEDS_NORMALIZATION` set (any letter, mark or format character outside ASCII; common
 * punctuation, spaces and emoji do not need it).
 */

/** Character classes of UTF-16 code units, for the scanner (the low two bits). */
export const CHAR_SEPARATOR = 0;
export const CHAR_LETTER = 2;
/** A character of a script written without spaces between words (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar): a token of its own. */
export const CHAR_UNSPACED = 3;
export const CHAR_KIND_MASK = 3;
/** Set on code units that `normalizeForDetection` may change or remove. */
export const NEEDS_NORMALIZATION = 4;
/**
 * Set on code units whose normal form may not be one character: removed, expanded, or joined
 * with the character before them (a combining mark), or half of a pair that folds into one. In a
 * text holding one, a position counted in the text as sent is not the same position in its
 * normal form.
 */
export const CHANGES_LENGTH = 8;

/**
 * Class of every UTF-16 code unit from 0x80 up (ASCII is classed by the scanner's own table).
 * Low surrogates are letters: the high surrogate before them decides whether to normalise.
 */
export const CHAR_CLASS = new Uint8Array(65536);

// What a code unit becomes in the normalised text. 0: kept; REMOVE: dropped; MARK: dropped
// after an ASCII letter (a combining accent on a Latin letter), kept after anything else;
// otherwise the index + FIRST_REPLACEMENT of its replacement in REPLACEMENTS.
const KEEP = 0;
const REMOVE = 1;
const MARK = 2;
const FIRST_REPLACEMENT = 3;
const FOLD = new Uint16Array(65536);
const REPLACEMENTS: string[] = [];
/** Replacements that count as a look-alike (not an accent or a compatibility form). */
const LOOK_ALIKE = new Uint8Array(65536);
/**
 * Upper-case look-alikes are marked before the text is lower-cased: lower-cased first, Greek Υ
 * (which reads as Y) would become υ, which reads as u. Each is replaced by a private-use
 * character (`UPPER_MARK[c]`, 0 for none) that lower-casing leaves alone and `FOLD` folds into the
 * letter it imitates, counted as its own script and as a look-alike. A text that already holds
 * characters of that range (an icon font's) is not marked, so they keep their meaning.
 */
const UPPER_MARK = new Uint16Array(65536);
const FIRST_MARK = 0xe000;
let markCount = 0;

/** Scripts counted while normalising (`NormalizationStats.scripts` is indexed by these). */
export const SCRIPTS = ['none', 'latin', 'cyrillic', 'greek', 'arabic', 'hebrew', 'han', 'kana', 'hangul', 'devanagari', 'thai', 'other'] as const;
export type Script = (typeof SCRIPTS)[number];
export const SCRIPT_COUNT = SCRIPTS.length;
const SCRIPT_OF = new Uint8Array(65536);

/** What normalising one piece of text found, for the content flags and the language guess. */
export interface NormalizationStats {
  /** Invisible or format characters between two Latin letters (inside a word). */
  hiddenInWords: number;
  /** Look-alike letters of another script next to a Latin letter (inside a Latin word). */
  lookAlikesInWords: number;
  /** Letters read per script (index into `SCRIPTS`), before look-alikes are folded. */
  scripts: Int32Array;
}

const requireJson = createRequire(import.meta.url);
let MAX_REPLACEMENT = 1;

/**
 * The text as the detectors read it. Idempotent: normalising the result again changes nothing,
 * which is what lets phrase tables be compiled through the same scanner as the prompts.
 *
 * @example
 * normalizeForDetection('Thіnk ѕtep\u200b by ｓｔｅｐ') // 'think step by step' (Cyrillic і and ѕ, a zero-width space, full-width letters)
 */
export function normalizeForDetection(text: string, stats?: NormalizationStats): string {
  const source = markUpperCaseLookAlikes(text.normalize('NFKC')).toLowerCase();
  const length = source.length;
  if (buffer.length < length * MAX_REPLACEMENT) buffer = new Uint16Array(length * MAX_REPLACEMENT * 2);
  const out = buffer;
  // Characters are copied only once the first one changes: text that NFKC and lower-casing
  // already made final (most CJK and Hangul text) is returned as it is.
  let changed = false;
  let n = 0;
  // Whether the last character kept came from an ASCII letter of the text (not from a fold).
  let afterAsciiLetter = false;
  for (let i = 0; i < length; i++) {
    const c = source.charCodeAt(i);
    if (c < 128) {
      if (changed) out[n] = c;
      n++;
      afterAsciiLetter = c >= 97 && c <= 122;
      if (stats !== undefined && afterAsciiLetter) stats.scripts[LATIN]!++;
      continue;
    }
    if (stats !== undefined) stats.scripts[SCRIPT_OF[c]!]!++;
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = source.charCodeAt(i + 1);
      // Plane 14 (tag characters, variation selectors supplement) and the few other
      // supplementary format controls are invisible: drop the pair.
      if (c === 0xdb40 || (c === 0xd82f && low >= 0xdca0 && low <= 0xdca3) || (c === 0xd834 && low >= 0xdd73 && low <= 0xdd7a)) {
        if (stats !== undefined && afterAsciiLetter && isAsciiLetter(source.charCodeAt(i + 2))) stats.hiddenInWords++;
        if (!changed) changed = startCopy(source, out, n);
        i++;
        continue;
      }
      if (changed) out[n] = c;
      n++;
      afterAsciiLetter = false;
      continue;
    }
    const fold = FOLD[c]!;
    if (fold === KEEP) {
      if (changed) out[n] = c;
      n++;
      afterAsciiLetter = false;
      continue;
    }
    if (!changed) changed = startCopy(source, out, n);
    if (fold === REMOVE) {
      if (stats !== undefined && afterAsciiLetter && isAsciiLetter(nextKept(source, i + 1))) stats.hiddenInWords++;
    } else if (fold === MARK) {
      if (!isAsciiLetter(out[n - 1])) out[n++] = c;
    } else {
      const replacement = REPLACEMENTS[fold - FIRST_REPLACEMENT]!;
      if (stats !== undefined && LOOK_ALIKE[c] === 1 && (afterAsciiLetter || isAsciiLetter(source.charCodeAt(i + 1)))) stats.lookAlikesInWords++;
      for (let k = 0; k < replacement.length; k++) out[n++] = replacement.charCodeAt(k);
      afterAsciiLetter = false;
    }
  }
  return changed ? decodeUtf16(out, n) : source;
}

/** Replaces each upper-case look-alike with its private-use mark (`UPPER_MARK`). */
function markUpperCaseLookAlikes(text: string): string {
  let marked = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) continue;
    if (c >= FIRST_MARK && c < FIRST_MARK + markCount) return text;
    if (UPPER_MARK[c] !== 0) marked = true;
  }
  if (!marked) return text;
  if (buffer.length < text.length) buffer = new Uint16Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    buffer[i] = c >= 128 && UPPER_MARK[c] !== 0 ? UPPER_MARK[c]! : c;
  }
  return decodeUtf16(buffer, text.length);
}

/** Copies the unchanged prefix into the output buffer; returns true. */
function startCopy(source: string, out: Uint16Array, n: number): boolean {
  for (let k = 0; k < n; k++) out[k] = source.charCodeAt(k);
  return true;
}

let buffer = new Uint16Array(4096);

const LATIN = 1;

/** Whether a code unit is an ASCII letter (false past the end of a text). */
export function isAsciiLetter(c: number | undefined): boolean {
  return c !== undefined && ((c >= 97 && c <= 122) || (c >= 65 && c <= 90));
}

// The next code unit that normalisation keeps, past invisible ones (`a\u200b\u200bb` hides two).
function nextKept(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 && FOLD[c] === REMOVE) continue;
    return c;
  }
  return -1;
}

const utf16 = new TextDecoder('utf-16le');

function decodeUtf16(units: Uint16Array, length: number): string {
  return utf16.decode(units.subarray(0, length));
}

function replacementIndex(text: string): number {
  let index = REPLACEMENTS.indexOf(text);
  if (index === -1) index = REPLACEMENTS.push(text) - 1;
  return index + FIRST_REPLACEMENT;
}

/** Latin letters with no decomposition that readers take for the plain letter. */
const EXTRA_LATIN: Readonly<Record<string, string>> = { ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ħ: 'h', ŧ: 't', œ: 'oe', æ: 'ae', ı: 'i', ĸ: 'k', ſ: 's' };

function buildTables(): void {
  // Every BMP code unit from 0x80 in one string, so each Unicode property is found in one
  // native regular-expression pass instead of 65k calls.
  const all = new Uint16Array(65536 - 128);
  for (let c = 128; c < 65536; c++) all[c - 128] = c >= 0xd800 && c <= 0xdfff ? 0x20 : c;
  const text = decodeUtf16(all, all.length);
  // Patterns match runs (`[...]+`): characters of a property come in long ranges, so a run per
  // match keeps start-up to a few thousand matches instead of one per character.
  const each = (pattern: RegExp, apply: (c: number) => void) => {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      for (let k = 0; k < match[0].length; k++) apply(start + 128 + k);
    }
  };
  const fill = (pattern: RegExp, table: Uint8Array, value: number) => {
    for (const match of text.matchAll(pattern)) table.fill(value, match.index + 128, match.index + 128 + match[0].length);
  };

  for (let c = 128; c < 65536; c++) CHAR_CLASS[c] = CHAR_SEPARATOR | NEEDS_NORMALIZATION;
  fill(/[\p{L}\p{M}\p{N}\p{Sk}\p{So}\p{Sc}\p{Sm}]+/gu, CHAR_CLASS, CHAR_LETTER | NEEDS_NORMALIZATION);
  // Separators the scanner has always used; the invisible ones among them are still normalised.
  const separator = (from: number, to: number) => {
    for (let c = from; c <= to; c++) CHAR_CLASS[c] = CHAR_SEPARATOR;
  };
  separator(0xa0, 0xa0);
  separator(0x2000, 0x206f);
  separator(0x3000, 0x303f);
  separator(0xff00, 0xff0f);
  separator(0xfeff, 0xfeff);
  // Emoji (high surrogates of the pictograph planes) and every low surrogate read as they are.
  for (let c = 0xd800; c <= 0xdfff; c++) CHAR_CLASS[c] = c >= 0xdc00 || (c >= 0xd83c && c <= 0xd83e) ? CHAR_LETTER : CHAR_LETTER | NEEDS_NORMALIZATION;
  const unspaced = (from: number, to: number) => {
    for (let c = from; c <= to; c++) CHAR_CLASS[c] = CHAR_UNSPACED | NEEDS_NORMALIZATION;
  };
  unspaced(0x1100, 0x11ff); // Hangul jamo
  unspaced(0x3040, 0x30ff); // hiragana, katakana
  unspaced(0x3130, 0x318f); // Hangul compatibility jamo
  unspaced(0x31f0, 0x31ff); // katakana extensions
  unspaced(0x3400, 0x4dbf); // Han extension A
  unspaced(0x4e00, 0x9fff); // Han
  unspaced(0xac00, 0xd7a3); // Hangul syllables
  unspaced(0xf900, 0xfaff); // Han compatibility
  unspaced(0xff66, 0xff9f); // half-width katakana (NFKC makes them full-width)
  // Thai, Lao, Khmer and Myanmar write no spaces between words either: letters, vowel signs and
  // tone marks each a token (digits and punctuation of these blocks stay as they are).
  unspaced(0x0e01, 0x0e3a); // Thai
  unspaced(0x0e40, 0x0e4e);
  unspaced(0x0e81, 0x0ebe); // Lao
  unspaced(0x0ec0, 0x0ece);
  unspaced(0x1000, 0x103f); // Myanmar
  unspaced(0x1780, 0x17d3); // Khmer

  const other = SCRIPTS.indexOf('other');
  fill(/\p{L}+/gu, SCRIPT_OF, other);
  const scriptPatterns: [Script, RegExp][] = [
    ['latin', /\p{Script=Latin}+/gu],
    ['cyrillic', /\p{Script=Cyrillic}+/gu],
    ['greek', /\p{Script=Greek}+/gu],
    ['arabic', /\p{Script=Arabic}+/gu],
    ['hebrew', /\p{Script=Hebrew}+/gu],
    ['han', /\p{Script=Han}+/gu],
    ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]+/gu],
    ['hangul', /\p{Script=Hangul}+/gu],
    ['devanagari', /\p{Script=Devanagari}+/gu],
    ['thai', /\p{Script=Thai}+/gu],
  ];
  for (const [script, pattern] of scriptPatterns) fill(pattern, SCRIPT_OF, SCRIPTS.indexOf(script));
  // Supplementary Han (extensions B and later) by its high surrogates.
  for (let c = 0xd840; c <= 0xd87f; c++) SCRIPT_OF[c] = SCRIPTS.indexOf('han');

  each(/[\p{Default_Ignorable_Code_Point}\p{Cf}]+/gu, (c) => {
    FOLD[c] = REMOVE;
    CHAR_CLASS[c] = CHAR_SEPARATOR | NEEDS_NORMALIZATION;
  });
  for (let c = 0x80; c <= 0x9f; c++) FOLD[c] = replacementIndex(' ');
  each(/[\p{Mn}\p{Me}]+/gu, (c) => {
    if (FOLD[c] === KEEP) FOLD[c] = MARK;
  });
  // Arabic vowel signs and tatweel: optional in writing, so an evader can sprinkle them freely.
  for (let c = 0x064b; c <= 0x065f; c++) FOLD[c] = REMOVE;
  FOLD[0x0670] = REMOVE;
  FOLD[0x0640] = REMOVE;

  // Look-alikes: a letter whose confusables prototype is made of ASCII letters becomes those
  // letters (lower-case sources here, applied to lower-cased text; upper-case ones below). The
  // prototypes write `l` for l, I and 1, `O` for O and 0, `rn` for m.
  const confusables = requireJson('unhomoglyph/data.json') as Record<string, string>;
  const letter = /^\p{L}$/u;
  const latinLetter = /^[a-z]+$/;
  const upperCase: [number, string][] = [];
  for (const [source, prototype] of Object.entries(confusables)) {
    if (source.length !== 1) continue;
    const c = source.charCodeAt(0);
    if (c < 128 || !letter.test(source)) continue;
    const target = prototype === 'rn' ? 'm' : prototype.replace(/O/g, 'o').toLowerCase();
    if (!latinLetter.test(target)) continue;
    if (source.toLowerCase() !== source) {
      upperCase.push([c, target]);
      continue;
    }
    FOLD[c] = replacementIndex(target);
    LOOK_ALIKE[c] = 1;
  }
  // An upper-case look-alike (Cyrillic Т for T) is marked before the text is lower-cased, and its
  // mark folds into the lower case of the letter it imitates (a prototype `l` is a capital I).
  // Its lower-case form (т), which may look like nothing Latin, folds as its capital would when
  // it has no fold of its own.
  for (const [c, target] of upperCase) {
    const mark = FIRST_MARK + markCount++;
    UPPER_MARK[c] = mark;
    FOLD[mark] = replacementIndex(target === 'l' ? 'i' : target);
    LOOK_ALIKE[mark] = 1;
    SCRIPT_OF[mark] = SCRIPT_OF[c]!;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length !== 1) continue;
    const l = lower.charCodeAt(0);
    if (l < 128 || FOLD[l] !== KEEP) continue;
    FOLD[l] = replacementIndex(target === 'l' ? 'i' : target);
    LOOK_ALIKE[l] = 1;
  }
  // Accented Latin letters lose their accents: `étape` and `etape` are one word to a detector.
  for (let c = 0xc0; c <= 0x24f; c++) accentFold(c);
  for (let c = 0x1e00; c <= 0x1eff; c++) accentFold(c);
  for (const [source, target] of Object.entries(EXTRA_LATIN)) FOLD[source.charCodeAt(0)] = replacementIndex(target);
  // Letters often written one for the other: Russian ё as е, Arabic alef with or without hamza
  // or madda, alef maksura as yeh, teh marbuta as heh.
  const sameAs = (source: number, target: number) => (FOLD[source] = FOLD[target] === KEEP ? replacementIndex(String.fromCharCode(target)) : FOLD[target]!);
  sameAs(0x0451, 0x0435);
  for (const alef of [0x0622, 0x0623, 0x0625, 0x0671]) sameAs(alef, 0x0627);
  sameAs(0x0649, 0x064a);
  sameAs(0x0629, 0x0647);

  // Code units whose normal form may not be one character. Combining marks and conjoining
  // Hangul jamo may compose with what comes before; the high surrogates that need normalising
  // start a pair that folds into one letter (mathematical letters) or into nothing (tags).
  const changesLength = (c: number) => {
    CHAR_CLASS[c] = CHAR_CLASS[c]! | CHANGES_LENGTH;
  };
  for (let c = 0xd800; c <= 0xdbff; c++) if ((CHAR_CLASS[c]! & NEEDS_NORMALIZATION) !== 0) changesLength(c);
  for (let c = 0x1100; c <= 0x11ff; c++) changesLength(c);
  each(/\p{M}+/gu, changesLength);
  // Then every other code unit whose compatibility form, lower-cased and folded, is not one character.
  const foldedLength = (folded: string) => {
    let length = 0;
    for (let k = 0; k < folded.length; k++) {
      const fold = FOLD[folded.charCodeAt(k)]!;
      length += fold === REMOVE ? 0 : fold < FIRST_REPLACEMENT ? 1 : REPLACEMENTS[fold - FIRST_REPLACEMENT]!.length;
    }
    return length;
  };
  for (let c = 128; c < 65536; c++) if (FOLD[c] !== KEEP && foldedLength(String.fromCharCode(c)) !== 1) changesLength(c);
  each(/\p{Changes_When_NFKC_Casefolded}+/gu, (c) => {
    if (foldedLength(String.fromCharCode(c).normalize('NFKC').toLowerCase()) !== 1) changesLength(c);
  });
}

function accentFold(c: number): void {
  const source = String.fromCharCode(c);
  if (source.toLowerCase() !== source) return;
  const decomposed = source.normalize('NFD');
  if (decomposed.length < 2 || !/^[a-z]\p{M}+$/u.test(decomposed)) return;
  FOLD[c] = replacementIndex(decomposed[0]!);
}

buildTables();
MAX_REPLACEMENT = Math.max(1, ...REPLACEMENTS.map((text) => text.length));
