import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeExchangeBody } from './exchange-body-decoder.js';

const LIMIT = 10 * 1024 * 1024;

function decodeJson(text: string) {
  return decodeExchangeBody(Buffer.from(text), { format: 'json', gzip: false, maxDecompressedBytes: LIMIT });
}

function linesOf(result: ReturnType<typeof decodeJson>): string[] {
  if (!result.ok) throw new Error(result.message);
  const text = result.lines.toString('utf8');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

describe('decodeExchangeBody', () => {
  it('cuts any JSON array, compact or pretty-printed, into one line per element that parses to the element', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 20 }), fc.boolean(), (elements, pretty) => {
        const text = pretty ? JSON.stringify(elements, null, 2) : JSON.stringify(elements);
        const lines = linesOf(decodeJson(text));
        expect(lines.map((line) => JSON.parse(line))).toEqual(JSON.parse(text));
      }),
    );
  });

  it('keeps strings with brackets, commas, quotes and escapes intact', () => {
    const elements = [{ a: 'x],[{"y' }, { b: 'back\\\\slash\\"quote' }, ['nested', [1, 2]], 'plain,comma'];
    expect(linesOf(decodeJson(JSON.stringify(elements))).map((line) => JSON.parse(line))).toEqual(elements);
  });

  it('keeps a record with a raw line break on one (invalid) line so later records keep their index', () => {
    const lines = linesOf(decodeJson('[{"a":1},{"b":"x\ny"},{"c":3}]'));
    expect(lines).toHaveLength(3);
    expect(() => JSON.parse(lines[1]!)).toThrow();
    expect(JSON.parse(lines[2]!)).toEqual({ c: 3 });
  });

  it('refuses bodies whose outer structure is wrong', () => {
    expect(decodeJson('')).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/empty/) });
    expect(decodeJson('42')).toMatchObject({ ok: false, status: 400 });
    expect(decodeJson('[{"a":1}')).toMatchObject({ ok: false, message: expect.stringMatching(/not closed/) });
    expect(decodeJson('[{"a":1},]')).toMatchObject({ ok: false, message: expect.stringMatching(/element 1 .* empty/) });
    expect(decodeJson('[{"a":1}] [2]')).toMatchObject({ ok: false, message: expect.stringMatching(/after the closing/) });
    expect(linesOf(decodeJson(' [ ] '))).toEqual([]);
  });

  it('gunzips within the limit and refuses what expands beyond it', () => {
    const ndjson = '{"a":1}\n{"b":2}';
    const ok = decodeExchangeBody(gzipSync(ndjson), { format: 'ndjson', gzip: true, maxDecompressedBytes: 1024 });
    expect(ok.ok && ok.lines.toString()).toBe(ndjson + '\n');
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    expect(decodeExchangeBody(bomb, { format: 'ndjson', gzip: true, maxDecompressedBytes: 1024 })).toMatchObject({ ok: false, status: 413 });
    expect(decodeExchangeBody(Buffer.from('nope'), { format: 'ndjson', gzip: true, maxDecompressedBytes: 1024 })).toMatchObject({ ok: false, status: 400 });
  });
});
