import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from './duckdb-store.js';
import { EXCHANGE_COLUMNS, type ColumnValue } from './exchange-columns.js';
import { StagedBatchWriter } from './staged-batch-writer.js';

let directory: string;
let store: DuckDbStore;
let fileNumber = 0;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'distillguard-staged-'));
  store = await DuckDbStore.open({ path: ':memory:', create: true });
});

afterAll(() => {
  store.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A row with every column set to a value of its kind, `text` in every text column. */
function rowWith(id: string, text: string | null, seed: number): ColumnValue[] {
  return EXCHANGE_COLUMNS.map((column) => {
    if (column.name === 'id') return id;
    switch (column.kind) {
      case 'varchar':
        return text;
      case 'integer':
        return seed % 2 === 0 ? -2147483647 + seed : 2147483647 - seed;
      case 'smallint':
        return -32767 + seed;
      case 'double':
        return seed === 0 ? 1e-7 : seed / 3;
      case 'boolean':
        return seed % 2 === 0;
      case 'timestamp_ms':
        return 1_767_225_600_123 + seed;
      case 'ubigint':
        return seed === 0 ? 18446744073709551615n : BigInt(seed);
    }
  });
}

async function roundTrip(rows: ColumnValue[][], duplicateRows: number[] = []): Promise<ColumnValue[][]> {
  const writer = await StagedBatchWriter.create();
  for (const row of rows) writer.appendRow(row);
  const path = join(directory, `batch-${fileNumber++}.csv`);
  const staged = await writer.writeTo(path);
  expect(staged.rows).toBe(rows.length);
  writer.close();
  await store.run('DELETE FROM exchanges');
  await store.insertStagedExchanges([{ path, duplicateRows, longestRowBytes: staged.longestRowBytes }]);
  const names = EXCHANGE_COLUMNS.map((column) => (column.kind === 'timestamp_ms' ? `epoch_ms(${column.name}) AS ${column.name}` : column.name));
  const stored = await store.query<Record<string, unknown>>(`SELECT ${names.join(', ')} FROM exchanges ORDER BY id`);
  return stored.map((row) =>
    EXCHANGE_COLUMNS.map((column) => {
      const value = row[column.name];
      if (value === null || value === undefined) return null;
      if (column.kind === 'timestamp_ms') return Number(value);
      return value as ColumnValue;
    }),
  );
}

describe('StagedBatchWriter and insertStagedExchanges', () => {
  it('stores every kind of value as it was staged, text with quotes, newlines, NUL and emoji included', async () => {
    const texts = ['plain', 'with "quotes" ""', 'multi\nline\r\nand\rreturns', 'nul\u0000byte', '', 'tab\t, comma', 'emoji 😀 é ß', '\\n backslash', '"', null];
    const rows = texts.map((text, index) => rowWith(`id-${String(index).padStart(2, '0')}`, text, index));
    expect(await roundTrip(rows)).toEqual(rows);
  });

  it('keeps an empty string apart from NULL', async () => {
    const [empty, missing] = await roundTrip([rowWith('a', '', 1), rowWith('b', null, 2)]);
    const prompt = EXCHANGE_COLUMNS.findIndex((column) => column.name === 'prompt_text');
    expect(empty![prompt]).toBe('');
    expect(missing![prompt]).toBeNull();
  });

  it('leaves out the rows listed as duplicates, by their position in the file', async () => {
    const rows = ['a', 'b', 'c', 'd'].map((id, index) => rowWith(id, id, index));
    const stored = await roundTrip(rows, [1, 3]);
    expect(stored.map((row) => row[0])).toEqual(['a', 'c']);
  });

  it("reads back a row longer than DuckDB's default line limit, counted in bytes", async () => {
    const prompt = EXCHANGE_COLUMNS.findIndex((column) => column.name === 'prompt_text');
    const long = rowWith('b-long', 'short', 2);
    // 1.1 million characters, 2.2 MB of UTF-8: over the reader's default of 2,000,000 bytes.
    long[prompt] = 'é'.repeat(1_100_000);
    const rows = [rowWith('a', 'x', 1), long, rowWith('c', 'y', 3)];
    // DuckDB's error quotes the whole line; a shorter message keeps a failure readable.
    const stored = await roundTrip(rows).catch((error: Error) => {
      throw new Error(error.message.slice(0, 300));
    });
    expect(stored.map((row) => row[0])).toEqual(['a', 'b-long', 'c']);
    expect((stored[1]![prompt] as string).length).toBe(1_100_000);
  });

  it('takes a row longer than the given limit out again, and keeps the rows around it in order', async () => {
    const writer = await StagedBatchWriter.create();
    const prompt = EXCHANGE_COLUMNS.findIndex((column) => column.name === 'prompt_text');
    const long = rowWith('b', 'x', 2);
    long[prompt] = 'z'.repeat(10_000);
    expect(writer.appendRow(rowWith('a', 'x', 1), 5000)).toBeLessThanOrEqual(5000);
    expect(writer.appendRow(long, 5000)).toBeGreaterThan(10_000);
    expect(writer.appendRow(rowWith('c', 'x', 3), 5000)).toBeLessThanOrEqual(5000);
    const path = join(directory, `batch-${fileNumber++}.csv`);
    const staged = await writer.writeTo(path);
    expect(staged.rows).toBe(2);
    expect(staged.longestRowBytes).toBeLessThanOrEqual(5000);
    await store.run('DELETE FROM exchanges');
    // Row positions stay contiguous: leaving out position 1 leaves out 'c', the second row kept.
    await store.insertStagedExchanges([{ path, duplicateRows: [1], longestRowBytes: staged.longestRowBytes }]);
    expect(await store.query('SELECT id FROM exchanges')).toEqual([{ id: 'a' }]);
  });

  it('round-trips arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 60 }), { minLength: 1, maxLength: 20 }), async (texts) => {
        const rows = texts.map((text, index) => rowWith(`id-${String(index).padStart(3, '0')}`, text, index));
        expect(await roundTrip(rows)).toEqual(rows);
      }),
      { numRuns: 25 },
    );
  });
});
