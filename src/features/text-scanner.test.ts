import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLOT_BREAK, SLOT_CODE, SLOT_NUM, SLOT_QUOTE, SLOT_SENTENCE, SLOT_URL, WORD_FIELD, createTextScanner, displayTokens, wordHash } from './text-scanner.js';

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

describe('text scanner: the detection stream', () => {
  const wordsOf = (text: string, detectionChars = 0, options = {}) => {
    const scan = createTextScanner(options).scan(text, detectionChars);
    return Array.from(scan.words.subarray(0, scan.wordCount));
  };
  const hashes = (text: string) => text.split(' ').map((word) => (word === '.' ? SLOT_SENTENCE : word === '|' ? SLOT_BREAK : word === '#' ? SLOT_NUM : wordHash(word)));

  it('reads quoted and code text as words, while the template masks them as slots', () => {
    const text = 'Please "think step by step" and ```\nexplain your reasoning\n``` or `show work`';
    expect(displayTokens(text)).toEqual(['please', '<quote>', 'and', '<code>', 'or', '<code>']);
    expect(wordsOf(text)).toEqual(hashes('please think step by step and . explain your reasoning . or show work'));
  });

  it('gives an obfuscated text the same words as the clean one', () => {
    const clean = wordsOf('Think step by step and show your work.');
    expect(wordsOf('Thі\u200bnk ѕtep by ｓｔｅｐ and s\u00adhow yоur wоrk.')).toEqual(clean);
    expect(wordsOf('𝐓𝐡𝐢𝐧𝐤 step by step and show your work.')).toEqual(clean);
  });

  it('keeps the template tokens and verbatim hash of ASCII text whatever the detection budget', () => {
    const text = `Solve this. ${'filler words here '.repeat(200)} Then "quote" it, see https://x.io/a and end.`;
    const a = createTextScanner({ headChars: 100, tailChars: 60 }).scan(text);
    const tokens = Array.from(a.tokens.subarray(0, a.count));
    const raw = a.rawHash;
    const b = createTextScanner({ headChars: 100, tailChars: 60 }).scan(text, 2000);
    expect(Array.from(b.tokens.subarray(0, b.count))).toEqual(tokens);
    expect(b.rawHash).toBe(raw);
    expect(b.wordCount).toBeGreaterThan(a.wordCount + 200);
  });

  it('samples windows of a long middle up to the budget, with breaks between them', () => {
    const text = `head words ${'x '.repeat(20_000)}tail words`;
    const scan = createTextScanner({ headChars: 100, tailChars: 50 }).scan(text, 3000);
    expect(scan.detectionChars).toBeGreaterThan(2500);
    expect(scan.detectionChars).toBeLessThan(3500);
    const breaks = Array.from(scan.words.subarray(0, scan.wordCount)).filter((token) => token === SLOT_BREAK).length;
    expect(breaks).toBeGreaterThanOrEqual(10);
  });

  it('finds an ask hidden anywhere in a padded middle in some windows, in proportion to the budget', () => {
    const ask = wordHash('zebracorn');
    let found = 0;
    for (let pad = 0; pad < 200; pad++) {
      const text = `${'a '.repeat(1000 + pad * 37)}zebracorn ${'b '.repeat(5000 - pad * 11)}`;
      const scan = createTextScanner({ headChars: 100, tailChars: 50 }).scan(text, 2000);
      if (scan.words.subarray(0, scan.wordCount).includes(ask)) found++;
    }
    // About 1,850 of the ~11,000 middle characters are read: expect some, not all.
    expect(found).toBeGreaterThan(10);
    expect(found).toBeLessThan(100);
  });

  it('marks field labels: `Reasoning:`, JSON keys and tags', () => {
    const scan = createTextScanner().scan('Reasoning: here {"score": 3} <answer>x</answer> time 10:30');
    const fields = [];
    for (let i = 0; i < scan.wordCount; i++) if (scan.wordFlags[i]! & WORD_FIELD) fields.push(scan.words[i]);
    expect(fields).toEqual([wordHash('reasoning'), wordHash('score'), wordHash('answer'), wordHash('answer')]);
  });

  it('ends sentences at full stops before a space, line ends and question marks, not inside file names', () => {
    expect(wordsOf('Read file.txt now. Why?\nOk')).toEqual(hashes('read file txt now . why . ok'));
  });

  it('reads Han, kana and Hangul one character a token, and Latin words as before', () => {
    expect(displayTokens('请一步一步思考 step by step')).toEqual(['请', '一', '步', '一', '步', '思', '考', 'step', 'by', 'step']);
    expect(displayTokens('단계별로 설명')).toEqual(['단', '계', '별', '로', '설', '명']);
    expect(displayTokens('ステップで')).toEqual(['ス', 'テ', 'ッ', 'プ', 'で']);
  });
});

describe('text scanner: a text that is one code block', () => {
  it('reads a text wrapped whole in a fence as its content, and keeps a fence inside other text a slot', () => {
    expect(displayTokens('```\nThink step by step about x.\n```')).toEqual(['think', 'step', 'by', 'step', 'about', 'x']);
    expect(displayTokens('  ```text\nSolve it.\n```  ')).toEqual(['solve', 'it']);
    expect(displayTokens('Fix this:\n```js\nconst x = 1\n```')).toEqual(['fix', 'this', '<code>']);
    expect(displayTokens('```a``` and ```b```')).toEqual(['<code>', 'and', '<code>']);
    // Code when the fence names a language, prose in a bare fence not.
    expect(createTextScanner({}).scan('```python\nprint(1)\n```').codeBlocks).toBe(1);
    expect(createTextScanner({}).scan('```\nThink step by step.\n```').codeBlocks).toBe(0);
    expect(createTextScanner({}).scan('```Think step by step.```').codeBlocks).toBe(0);
    // A prompt in a code block that holds code blocks of its own is still one prompt in a code block.
    const inner = 'Fix this:\n```js\nconst x = 1\n```\nThanks.';
    expect(displayTokens(`\`\`\`\n${inner}\n\`\`\``)).toEqual(displayTokens(inner));
  });
});

describe('text scanner: a text that is one quotation', () => {
  it('reads a text wrapped whole in quotes as its content, and keeps quotations inside other text slots', () => {
    expect(displayTokens('"Think step by step about the answer."')).toEqual(['think', 'step', 'by', 'step', 'about', 'the', 'answer']);
    expect(displayTokens(' \u201cSolve it carefully.\u201d ')).toEqual(['solve', 'it', 'carefully']);
    expect(displayTokens('\u00abExplique pas à pas.\u00bb')).toEqual(['explique', 'pas', 'a', 'pas']);
    expect(displayTokens('Translate "good morning" now')).toEqual(['translate', '<quote>', 'now']);
    expect(displayTokens('"a" and "b"')).toEqual(['<quote>', 'and', '<quote>']);
    // A prompt in quotes that quotes words or holds JSON is still one prompt in quotes.
    expect(displayTokens('"He said "hi" to me"')).toEqual(['he', 'said', '<quote>', 'to', 'me']);
    expect(displayTokens('"Return JSON {"name": "x"} now"')).toEqual(displayTokens('Return JSON {"name": "x"} now'));
    expect(displayTokens('"a" then "b" and "c"')).toEqual(['<quote>', 'then', '<quote>', 'and', '<quote>']);
  });

  it('gives a prompt in quotes the template shape of the same prompt without them', () => {
    const plain = createTextScanner({}).scan('You are a tutor. Solve the problem below and show every step of the work.');
    const shape = Array.from(plain.tokens.subarray(0, plain.count));
    const quoted = createTextScanner({}).scan('"You are a tutor. Solve the problem below and show every step of the work."');
    expect(Array.from(quoted.tokens.subarray(0, quoted.count))).toEqual(shape);
  });
});

describe('text scanner: a budget that covers the text', () => {
  it('reads every word of a text no longer than the budget, wherever the windows fall', () => {
    for (let pad = 0; pad < 120; pad++) {
      const text = `${'word '.repeat(100 + pad)}zebracorn ${'more '.repeat(80)}`;
      const scan = createTextScanner({ headChars: 100, tailChars: 50 }).scan(text, text.length);
      expect(scan.detectionChars).toBe(text.length);
      expect(scan.words.subarray(0, scan.wordCount).includes(wordHash('zebracorn'))).toBe(true);
    }
  });
});
