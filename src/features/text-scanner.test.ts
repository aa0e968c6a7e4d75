import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLOT_CODE, SLOT_NUM, SLOT_QUOTE, SLOT_URL, createTextScanner, displayTokens, wordHash } from './text-scanner.js';

function tokensOf(text: string, options = {}): number[] {
  const scan = createTextScanner(options).scan(text);
  return Array.from(scan.tokens.subarray(0, scan.count));
}

describe('text scanner', () => {
  it('lower-cases words and drops punctuation', () => {
    expect(tokensOf('Step-by-step, PLEASE!')).toEqual(['step', 'by', 'step', 'please'].map(wordHash));
  });

  it('masks numbers, quoted strings, code and URLs as slots', () => {
    const text = 'Solve 3.14 * 2 and "this quoted part" with `x = 1` then ```\ncode block\n``` see https://example.com/a?b=1 ok';
    expect(displayTokens(text)).toEqual(['solve', '<num>', '<num>', 'and', '<quote>', 'with', '<code>', 'then', '<code>', 'see', '<url>', 'ok']);
    expect(tokensOf(text)).toContain(SLOT_NUM);
    expect(tokensOf(text)).toContain(SLOT_QUOTE);
    expect(tokensOf(text)).toContain(SLOT_CODE);
    expect(tokensOf(text)).toContain(SLOT_URL);
  });

  it('treats a word with digits as a number and keeps 1,000 as one', () => {
    expect(displayTokens('gpt4 costs 1,000 dollars')).toEqual(['<num>', 'costs', '<num>', 'dollars']);
  });

  it('reads only the head and the tail of a long text and estimates its length', () => {
    const middle = 'filler '.repeat(2000);
    const scanner = createTextScanner({ headChars: 100, tailChars: 50 });
    const scan = scanner.scan(`start here ${middle} end here`);
    expect(scan.count).toBeLessThan(40);
    expect(scan.tokens[0]).toBe(wordHash('start'));
    expect(scan.tokens[scan.count - 1]).toBe(wordHash('here'));
    expect(scan.tokens[scan.count - 2]).toBe(wordHash('end'));
    expect(scan.estimatedTokens).toBeGreaterThan(1800);
    expect(scan.estimatedTokens).toBeLessThan(2200);
  });

  it('gives verbatim repeats the same raw hash and a changed number a different one', () => {
    const scanner = createTextScanner();
    const a = scanner.scan('What is 17 times 23?').rawHash;
    expect(scanner.scan('What is 17 times 23?').rawHash).toBe(a);
    expect(scanner.scan('What is 17 times 24?').rawHash).not.toBe(a);
    expect(scanner.scan('What is "x" times 23?').rawHash).not.toBe(scanner.scan('What is "y" times 23?').rawHash);
  });

  it('shows the same tokens as it hashes, for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const scanned = tokensOf(text, { headChars: 100_000, tailChars: 0, maxTokens: 100_000 });
        const shown = displayTokens(text, { headChars: 100_000, tailChars: 0 });
        expect(shown.length).toBe(scanned.length);
        shown.forEach((word, i) => {
          if (!word.startsWith('<')) expect(wordHash(word)).toBe(scanned[i]);
        });
      }),
      { numRuns: 300 },
    );
  });
});
