import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../ingest/test-support/cli-runner.js';
import { validExchangeLine } from '../../ingest/test-support/exchange-lines.js';
import { DuckDbStore } from '../../store/duckdb-store.js';
import { EXCHANGE_COLUMNS, type ColumnValue } from '../../store/exchange-columns.js';
import { replayStoredRows } from './engine-recovery.js';

const TEXT = new Set(['system_text', 'prompt_text', 'output_text']);

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'engine-recovery-'));
  db = join(dir, 'store.duckdb');
  // Accounts, networks and request shapes that repeat, a missing IP, times out of order.
  const lines = Array.from({ length: 300 }, (_, i) =>
    validExchangeLine({
      id: `ex_${i}`,
      accountId: `acct_${i % 17}`,
      ts: new Date(Date.UTC(2026, 1, 11) + ((i * 7919) % 300) * 60_000).toISOString(),
      fixtureIndex: i,
      clientIp: i % 11 === 0 ? null : `198.51.100.${i % 23}`,
    }),
  );
  writeFileSync(join(dir, 'log.jsonl'), lines.join('\n') + '\n');
  const ingest = await runCli(['ingest', join(dir, 'log.jsonl'), '--db', db, '--no-progress']);
  expect(ingest.code, ingest.stderr).toBe(0);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function replay(observed?: (typeof EXCHANGE_COLUMNS)[number]['name'][]) {
  const store = await DuckDbStore.open({ path: db, readOnly: true });
  try {
    const rows: ColumnValue[][] = [];
    const orgs: [string, string][] = [];
    await replayStoredRows(
      store,
      (chunk, chunkOrgs) => {
        rows.push(...chunk);
        orgs.push(...chunkOrgs);
      },
      observed,
    );
    const select = EXCHANGE_COLUMNS.map((column) => (TEXT.has(column.name) ? `NULL AS ${column.name}` : column.kind === 'timestamp_ms' ? `epoch_ms(${column.name}) AS ${column.name}` : column.name));
    const direct = (await store.connection.runAndReadAll(`SELECT ${select.join(', ')} FROM exchanges ORDER BY ts, id`)).getRowsJS() as ColumnValue[][];
    return { rows, orgs, direct: direct.map((row) => row.map((value, index) => (EXCHANGE_COLUMNS[index]!.kind === 'timestamp_ms' && value !== null ? Number(value) : value))) };
  } finally {
    store.close();
  }
}

describe('replayStoredRows', () => {
  it('reads back every stored row, oldest first, as a plain query gives it (text left out)', async () => {
    const { rows, orgs, direct } = await replay();
    expect(rows).toHaveLength(300);
    expect(rows).toEqual(direct);
    expect(orgs).toHaveLength(300);
    expect(new Set(orgs.map(([accountId]) => accountId)).size).toBe(17);
  });

  it('reads only the columns an engine observes, and nulls the rest', async () => {
    const observed = ['ts', 'account_id', 'client_ip', 'model', 'input_tokens'] as const;
    const { rows, direct } = await replay([...observed]);
    const kept = new Set<string>([...observed, 'id', 'org_id']);
    const expected = direct.map((row) => row.map((value, index) => (kept.has(EXCHANGE_COLUMNS[index]!.name) ? value : null)));
    expect(rows).toEqual(expected);
    // Some of what was left out held values.
    expect(direct.some((row, i) => row.some((value, index) => value !== null && rows[i]![index] === null))).toBe(true);
  });
});
