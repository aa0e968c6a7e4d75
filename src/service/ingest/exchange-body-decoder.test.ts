import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeExchangeBody, type BodyDecodeOptions, type BodyEvent } from './exchange-body-decoder.js';
import { gzipInPieces } from '../test-support/gzip-in-pieces.js';

const LIMIT = 10 * 1024 * 1024;

async function decode(body: string | Buffer, options: Partial<BodyDecodeOptions> = {}): Promise<BodyEvent[]> {
  const events: BodyEvent[] = [];
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  for await (const event of decodeExchangeBody(bytes, { format: 'json', gzip: false, maxDecompressedBytes: LIMIT, maxRecordBytes: LIMIT, batchBytes: 64, ...options })) {
    events.push(event);
  }
  return events;
}

/** The records of a decoded body by their position, or the refusal's message. */
function recordsOf(events: BodyEvent[]): string[] {
  const records: string[] = [];
  for (const event of events) {
    if (event.kind === 'refused') throw new Error(event.message);
    if (event.kind === 'oversize') {
      records[event.line - 1] = `<oversize ${event.size}>`;
      continue;
    }
    event.bytes
      .toString('utf8')
      .split('\n')
      .slice(0, -1)
      .forEach((text, i) => (records[event.firstLine - 1 + i] = text));
  }
  return records;
}

function refusalOf(events: BodyEvent[]): BodyEvent | undefined {
  return events.find((event) => event.kind === 'refused');
}

describe('decodeExchangeBody', () => {
  it('cuts any JSON array, compact or pretty-printed, into one line per element that parses to the element', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue(), { maxLength: 20 }), fc.boolean(), fc.integer({ min: 1, max: 50 }), async (elements, pretty, chunkBytes) => {
        const text = pretty ? JSON.stringify(elements, null, 2) : JSON.stringify(elements);
        // Gzip with a small batch size: the cutter sees the body in pieces that split tokens.
        const events = await decode(gzipSync(text, { chunkSize: 64 }), { gzip: true, batchBytes: chunkBytes });
        expect(recordsOf(events).map((line) => JSON.parse(line))).toEqual(JSON.parse(text));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps strings with brackets, commas, quotes and escapes intact', async () => {
    const elements = [{ a: 'x],[{"y' }, { b: 'back\\\\slash\\"quote' }, ['nested', [1, 2]], 'plain,comma'];
    expect(recordsOf(await decode(JSON.stringify(elements))).map((line) => JSON.parse(line))).toEqual(elements);
  });

  it('keeps a record with a raw line break on one (invalid) line so later records keep their index', async () => {
    const records = recordsOf(await decode('[{"a":1},{"b":"x\ny"},{"c":3}]'));
    expect(records).toHaveLength(3);
    expect(() => JSON.parse(records[1]!)).toThrow();
    expect(JSON.parse(records[2]!)).toEqual({ c: 3 });
  });

  it('takes a single object as a batch of one', async () => {
    expect(recordsOf(await decode(' {"a": [1, 2]}\n'))).toEqual(['{"a": [1, 2]}']);
  });

  it('refuses bodies whose outer structure is wrong, and nothing of them comes before the refusal that a caller must keep', async () => {
    expect(refusalOf(await decode(''))).toMatchObject({ status: 400, message: expect.stringMatching(/empty/) });
    expect(refusalOf(await decode('42'))).toMatchObject({ status: 400 });
    expect(refusalOf(await decode('[{"a":1}'))).toMatchObject({ message: expect.stringMatching(/not closed/) });
    expect(refusalOf(await decode('[{"a":1},]'))).toMatchObject({ message: expect.stringMatching(/element 1 .* empty/) });
    expect(refusalOf(await decode('[{"a":1}] [2]'))).toMatchObject({ message: expect.stringMatching(/after the closing/) });
    expect(refusalOf(await decode('{"a":1},{"b":2}'))).toMatchObject({ message: expect.stringMatching(/more after the object/) });
    const events = await decode(' [ ] ');
    expect(refusalOf(events)).toBeUndefined();
    expect(recordsOf(events)).toEqual([]);
  });

  it('gunzips within the limit and refuses what expands beyond it', async () => {
    const ndjson = '{"a":1}\n{"b":2}';
    expect(recordsOf(await decode(gzipSync(ndjson), { format: 'ndjson', gzip: true, maxDecompressedBytes: 1024 }))).toEqual(['{"a":1}', '{"b":2}']);
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    expect(refusalOf(await decode(bomb, { format: 'ndjson', gzip: true, maxDecompressedBytes: 1024 }))).toMatchObject({ status: 413 });
    expect(refusalOf(await decode(Buffer.from('nope'), { format: 'ndjson', gzip: true, maxDecompressedBytes: 1024 }))).toMatchObject({ status: 400, message: expect.stringMatching(/gzip/) });
  });

  it('reports a record over the limit by its position and size, with only its head, in both formats', async () => {
    const long = JSON.stringify({ pad: 'p'.repeat(5000) });
    for (const [format, body] of [
      ['ndjson', `{"a":1}\n${long}\n{"c":3}\n`],
      ['json', `[{"a":1}, ${long}, {"c":3}]`],
    ] as const) {
      const events = await decode(body, { format, maxRecordBytes: 1000 });
      expect(recordsOf(events), format).toEqual(['{"a":1}', `<oversize ${long.length}>`, '{"c":3}']);
      const oversize = events.find((event) => event.kind === 'oversize');
      expect(oversize?.kind === 'oversize' && oversize.excerpt.length).toBeLessThanOrEqual(4096);
    }
  });

  it('passes a 120 MiB record by while streaming, without holding it whole', async () => {
    const size = 120 * 1024 * 1024;
    const body = await gzipInPieces(['{"id":"a"}\n{"pad":"', ...Array<string>(120).fill('x'.repeat(1024 * 1024)), '"}\n{"id":"b"}\n']);
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const events: BodyEvent[] = [];
    for await (const event of decodeExchangeBody(body, { format: 'ndjson', gzip: true, maxDecompressedBytes: 2 * size, maxRecordBytes: 1024 * 1024 })) {
      events.push(event);
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }
    expect(recordsOf(events)).toEqual(['{"id":"a"}', `<oversize ${size + '{"pad":""}'.length}>`, '{"id":"b"}']);
    // Held whole, the record alone would be 120 MiB of buffers when it is reported; streamed,
    // what is counted is the chunks already read and not yet collected.
    expect(peak).toBeLessThan(96 * 1024 * 1024);
  });
});
