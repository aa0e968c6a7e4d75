import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordColumns } from '../behaviour/record-columns.js';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { validExchangeLine } from '../ingest/test-support/exchange-lines.js';
import { liveEngineModule } from '../service/engine/detection-engine-module.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { readObservationChunks, readStoredRows, observationChunkOf, type ObservationChunk, type ReplayedExchange } from './observation-source.js';

let dir: string;
let db: string;
const ROWS = 400;
const START = Date.UTC(2026, 1, 11);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'observation-source-'));
  db = join(dir, 'store.duckdb');
  // Accounts, organisations, networks and clients that repeat or are missing, request shapes of
  // every fixture, times out of order and tied (the id breaks the tie).
  const lines = Array.from({ length: ROWS }, (_, i) => {
    const line = JSON.parse(
      validExchangeLine({
        id: `ex_${(i * 37) % ROWS}`,
        accountId: `acct_${i % 19}`,
        ts: new Date(START + ((i * 7919) % 97) * 60_000).toISOString(),
        fixtureIndex: i,
        clientIp: i % 11 === 0 ? null : `198.51.${i % 3}.${i % 23}`,
      }),
    ) as Record<string, unknown>;
    line.org_id = i % 5 === 0 ? null : `org_${i % 4}`;
    line.client_asn = i % 13 === 0 ? null : 64500 + (i % 6);
    line.user_agent = i % 7 === 0 ? null : `client/${i % 5}`;
    line.api_key_id = `key_${i % 9}`;
    return JSON.stringify(line);
  });
  writeFileSync(join(dir, 'log.jsonl'), lines.join('\n') + '\n');
  const ingest = await runCli(['ingest', join(dir, 'log.jsonl'), '--db', db, '--no-progress']);
  expect(ingest.code, ingest.stderr).toBe(0);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every row of a chunk of columns, its names resolved: what the tracker observes for it. */
function columnRows(chunk: ObservationChunk) {
  const { batch, accounts, models, indicators } = (chunk as { columns: RecordColumns }).columns;
  return chunk.exchanges.map((_, i) => {
    const fields: Record<string, unknown> = {};
    for (const [key, column] of Object.entries(batch)) {
      // Templates mined ahead come with the store's columns only; the tracker's tests compare them.
      if (key === 'length' || key === 'account' || key === 'model' || key === 'promptTemplate' || key === 'systemTemplate') continue;
      if (Array.isArray(column)) fields[key] = (column as Uint32Array[]).map((words) => [words[2 * i], words[2 * i + 1]]);
      else if (key === 'promptHash' || key === 'idKey') fields[key] = [(column as Uint32Array)[2 * i], (column as Uint32Array)[2 * i + 1]];
      else fields[key] = (column as Int32Array | Float64Array)[i];
    }
    return {
      ...fields,
      account: accounts[batch.account[i]!],
      model: batch.model[i]! < 0 ? null : models[batch.model[i]!],
      indicators: indicators.map(({ values, codes }) => (codes[i]! < 0 ? null : values[codes[i]!])),
    };
  });
}

async function read(toMs: number | null, fromColumns: boolean) {
  const store = await DuckDbStore.open({ path: db, readOnly: true });
  const exchanges: ReplayedExchange[] = [];
  const rows: ReturnType<typeof columnRows> = [];
  const sizes: number[] = [];
  const take = (chunk: ObservationChunk) => {
    exchanges.push(...chunk.exchanges);
    rows.push(...columnRows(chunk));
    sizes.push(chunk.exchanges.length);
  };
  try {
    if (fromColumns) await liveEngineModule.columnsOfStore!(store, { toMs, rowsPerChunk: 64 }, (chunk, columns) => take({ exchanges: chunk.ids.map((id, i) => ({ id, ts: chunk.batch.ts[i]! }) as ReplayedExchange), columns }));
    else await readStoredRows(store, toMs, (stored) => take(observationChunkOf(stored, liveEngineModule)));
    const viaReader: ReplayedExchange[] = [];
    await readObservationChunks(store, liveEngineModule, toMs, (chunk) => void viaReader.push(...chunk.exchanges));
    return { exchanges, rows, sizes, viaReader };
  } finally {
    store.close();
  }
}

describe('stored exchanges read from their columns', () => {
  it('give the engine what the rows give it, row for row, in the same order', async () => {
    const columns = await read(null, true);
    const rows = await read(null, false);
    expect(columns.rows).toHaveLength(ROWS);
    expect(columns.rows).toEqual(rows.rows);
    expect(columns.exchanges.map(({ id, ts }) => [id, ts])).toEqual(rows.exchanges.map(({ id, ts }) => [id, ts]));
    // Chunks of the size asked for but the last, each naming only the values it holds.
    expect(columns.sizes).toEqual([...Array.from({ length: Math.floor(ROWS / 64) }, () => 64), ROWS % 64]);
    // The fixture varies what it should: missing IPs, organisations and clients, several of each.
    const seen = (k: number) => new Set(rows.rows.map((row) => row.indicators[k]));
    expect(seen(0).has(null) && seen(0).size > 3).toBe(true);
    expect(seen(2).has(null) && seen(2).size > 3).toBe(true);
  });

  it('ask the replay the questions the rows ask: id, time, account, organisation and client IP', async () => {
    const { viaReader, exchanges } = await read(null, false);
    expect(viaReader).toEqual(exchanges);
    expect(new Set(viaReader.map((exchange) => exchange.orgId))).toEqual(new Set([null, 'org_1', 'org_2', 'org_3', 'org_0']));
    expect(viaReader.some((exchange) => exchange.clientIp === null)).toBe(true);
  });

  it('stop before `toMs`, as the rows do', async () => {
    const toMs = START + 40 * 60_000;
    const columns = await read(toMs, true);
    const rows = await read(toMs, false);
    expect(columns.rows.length).toBeGreaterThan(0);
    expect(columns.rows.length).toBeLessThan(ROWS);
    expect(columns.rows).toEqual(rows.rows);
    expect(columns.viaReader).toEqual(rows.exchanges);
  });
});
