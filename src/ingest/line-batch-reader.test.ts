import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLineBatches, type LineBatchEvent } from './line-batch-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'line-reader-'));

async function collect(path: string, options: Partial<Parameters<typeof readLineBatches>[1]> = {}): Promise<LineBatchEvent[]> {
  const events: LineBatchEvent[] = [];
  for await (const event of readLineBatches(path, { maxRecordBytes: 1024, batchBytes: 64, ...options })) events.push(event);
  return events;
}

function linesOf(events: LineBatchEvent[]): [number, string][] {
  const lines: [number, string][] = [];
  for (const event of events) {
    if (event.kind !== 'batch') continue;
    const texts = event.bytes.toString('utf8').split('\n').slice(0, -1);
    expect(texts.length).toBe(event.lineCount);
    texts.forEach((text, i) => lines.push([event.firstLine + i, text]));
  }
  return lines;
}

describe('readLineBatches', () => {
  it('numbers every line, blank ones too, and keeps a last line without a newline', async () => {
    const path = join(dir, 'plain.jsonl');
    writeFileSync(path, 'a\n\nb\r\nc');
    expect(linesOf(await collect(path))).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b\r'],
      [4, 'c'],
    ]);
  });

  it('reads gzip files by their magic bytes, whatever their name', async () => {
    const path = join(dir, 'compressed.log');
    writeFileSync(path, gzipSync(Buffer.from('x\ny\n')));
    expect(linesOf(await collect(path))).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  it('reports an over-size line with its head and size, without buffering it, and goes on', async () => {
    const path = join(dir, 'oversize.jsonl.gz');
    const huge = 'z'.repeat(5 * 1024 * 1024);
    await pipeline(Readable.from([`first\n${huge}\nlast\n`]), createGzip(), createWriteStream(path));
    const events = await collect(path, { maxRecordBytes: 1024 });
    const oversize = events.find((event) => event.kind === 'oversize');
    expect(oversize).toMatchObject({ kind: 'oversize', line: 2, size: huge.length });
    expect(oversize && 'excerpt' in oversize && oversize.excerpt.length).toBe(4096);
    expect(linesOf(events)).toEqual([
      [1, 'first'],
      [3, 'last'],
    ]);
  });

  it('stops cleanly at a truncated gzip stream and reports the partial line', async () => {
    const path = join(dir, 'truncated.jsonl.gz');
    const text = Array.from({ length: 2000 }, (_, i) => `{"line":${i + 1},"pad":"${'p'.repeat(40)}"}`).join('\n') + '\n';
    const compressed = gzipSync(Buffer.from(text));
    writeFileSync(path, compressed.subarray(0, Math.floor(compressed.length / 2)));
    const events = await collect(path, { batchBytes: 4096 });
    const lines = linesOf(events);
    const truncated = events.at(-1)!;
    expect(truncated.kind).toBe('truncated');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.length).toBeLessThan(2000);
    for (const [number, content] of lines) expect(JSON.parse(content).line).toBe(number);
    expect(truncated.kind === 'truncated' && truncated.line).toBe(lines.length + 1);
    expect(truncated.kind === 'truncated' && truncated.message).toMatch(/ends early/);
  });

  it('skips the lines an earlier run committed and hands over the last one to check', async () => {
    const path = join(dir, 'resume.jsonl');
    writeFileSync(path, 'l1\nl2\nl3\nl4\n');
    let lastSkipped: string | null = 'unset';
    const events = await collect(path, { skipLines: 2, onSkipEnd: (line) => (lastSkipped = line?.toString('utf8') ?? null) });
    expect(lastSkipped).toBe('l2\n');
    expect(linesOf(events)).toEqual([
      [3, 'l3'],
      [4, 'l4'],
    ]);
  });

  it('hands over null when the file is shorter than the checkpoint', async () => {
    const path = join(dir, 'short.jsonl');
    writeFileSync(path, 'l1\n');
    let lastSkipped: Buffer | null | undefined;
    await collect(path, { skipLines: 5, onSkipEnd: (line) => (lastSkipped = line) });
    expect(lastSkipped).toBeNull();
  });

  it('keeps batches near the target size and each a contiguous run of lines', async () => {
    const path = join(dir, 'many.jsonl');
    writeFileSync(path, Array.from({ length: 500 }, (_, i) => `line-${i + 1}`).join('\n') + '\n');
    const events = await collect(path, { batchBytes: 256 });
    const batches = events.filter((event) => event.kind === 'batch');
    expect(batches.length).toBeGreaterThan(10);
    for (const batch of batches) expect(batch.kind === 'batch' && batch.bytes.length).toBeLessThan(256 + 20);
    expect(linesOf(events).map(([number]) => number)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });
});
