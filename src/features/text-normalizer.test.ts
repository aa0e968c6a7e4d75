import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAR_CLASS, NEEDS_NORMALIZATION, SCRIPTS, normalizeForDetection, type NormalizationStats } from './text-normalizer.js';
import { obfuscateText, TEXT_OBFUSCATIONS } from './test-support/obfuscation.js';

function stats(): NormalizationStats {
  return { hiddenInWords: 0, lookAlikesInWords: 0, scripts: new Int32Array(SCRIPTS.length) };
}

describe('text normalizer', () => {
  it.each([
    ['zero-width and joiner characters inside words', 'st\u200bep by st\u200dep', 'step by step'],
    ['a soft hyphen and a word joiner', 'rea\u00adso\u2060ning', 'reasoning'],
    ['bidi controls', 'show \u202eyour\u202c work', 'show your work'],
    ['tag characters and variation selectors', 's\u{e0073}tep\ufe0f by step', 'step by step'],
    ['Cyrillic and Greek look-alike letters', 'ѕhοw уоur wоrk', 'show your work'],
    ['upper-case look-alikes', 'ЅТЕР', 'step'],
    ['upper-case look-alikes whose lower case reads as another letter (Greek Υ, υ)', 'ΥΟU. Υоu', 'you. you'],
    ['full-width letters', 'ｓｔｅｐ ｂｙ ｓｔｅｐ', 'step by step'],
    ['mathematical bold letters', '𝐞𝐱𝐩𝐥𝐚𝐢𝐧 𝐲𝐨𝐮𝐫 𝐫𝐞𝐚𝐬𝐨𝐧𝐢𝐧𝐠', 'explain your reasoning'],
    ['ligatures', 'ﬁnal answer', 'final answer'],
    ['accents and combining marks on Latin letters', 'étape par étape, s\u0308tep', 'etape par etape, step'],
    ['German sharp s', 'Schritt für Schritt, gemäß', 'schritt fur schritt, gemass'],
    ['Arabic vowel signs and tatweel', 'خطوةً بخطـوة', 'خطوه بخطوه'],
  ])('folds %s', (_name, text, expected) => {
    // Arabic letters are themselves partly folded (heh looks like o): compare normal forms.
    expect(normalizeForDetection(text)).toBe(normalizeForDetection(expected));
    if (/^[\x00-\x7f]*$/.test(expected)) expect(normalizeForDetection(text)).toBe(expected);
  });

  it('keeps CJK, Hangul, emoji and digits as they are', () => {
    expect(normalizeForDetection('一步一步 단계별로 👍🏽 42')).toBe('一步一步 단계별로 👍🏽 42');
  });

  it('never turns a letter into a digit (Cyrillic з is not the number 3)', () => {
    expect(normalizeForDetection('за')).not.toMatch(/[0-9]/);
  });

  it('counts hidden characters and look-alikes inside Latin words, not inside words of another script', () => {
    const hidden = stats();
    normalizeForDetection('th\u200bink step', hidden);
    expect(hidden.hiddenInWords).toBe(1);
    const mixed = stats();
    normalizeForDetection('stеp by stеp', mixed);
    expect(mixed.lookAlikesInWords).toBe(2);
    const russian = stats();
    normalizeForDetection('объясни своё рассуждение', russian);
    expect(russian.lookAlikesInWords).toBe(0);
    expect(russian.hiddenInWords).toBe(0);
    expect(russian.scripts[SCRIPTS.indexOf('cyrillic')]).toBeGreaterThan(15);
  });

  it('counts letters per script before folding', () => {
    const counted = stats();
    normalizeForDetection('Hello 你好 こんにちは 안녕 مرحبا', counted);
    const of = (script: (typeof SCRIPTS)[number]) => counted.scripts[SCRIPTS.indexOf(script)];
    expect([of('latin'), of('han'), of('kana'), of('hangul'), of('arabic')]).toEqual([5, 2, 5, 2, 5]);
  });

  it('marks ASCII-safe punctuation and emoji as needing no normalisation, letters and invisibles as needing it', () => {
    for (const c of ['\u00a0', '\u2019', '\u201c', '\u2014', '\u2026', '\ud83d']) expect(CHAR_CLASS[c.charCodeAt(0)]! & NEEDS_NORMALIZATION, c).toBe(0);
    for (const c of ['é', 'а', '\u200b', '\u00ad', '\ufeff', '一', 'ｓ', '\ud835']) expect(CHAR_CLASS[c.charCodeAt(0)]! & NEEDS_NORMALIZATION, c).not.toBe(0);
  });

  it('is idempotent on any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const once = normalizeForDetection(text);
        expect(normalizeForDetection(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('reads any English text the same under every spelling trick, whatever its case (property)', () => {
    const spellings = TEXT_OBFUSCATIONS.filter((kind) => kind !== 'quoted' && kind !== 'code_fenced');
    const word = fc.stringMatching(/^[A-Za-z]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), fc.constantFrom(...spellings), fc.integer({ min: 1, max: 1000 }), (words, kind, seed) => {
        const text = words.join(' ');
        expect(normalizeForDetection(obfuscateText(text, kind, seed))).toBe(normalizeForDetection(text));
      }),
      { numRuns: 400 },
    );
  });
});
