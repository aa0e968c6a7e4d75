import type { DuckDbStore } from '../../store/duckdb-store.js';
import { EXCHANGE_COLUMNS, EXCHANGE_COLUMN_INDEX, type ColumnValue } from '../../store/exchange-columns.js';

const TEXT_COLUMNS = new Set(['system_text', 'prompt_text', 'output_text']);
// Every column in row order, text left out (the engine never reads it) and times as epoch ms,
// so a row read back has the values the row builder gave it.
const ROW_SQL = `SELECT ${EXCHANGE_COLUMNS.map((column) =>
  TEXT_COLUMNS.has(column.name) ? `NULL AS ${column.name}` : column.kind === 'timestamp_ms' ? `epoch_ms(${column.name}) AS ${column.name}` : column.name,
).join(', ')}
FROM exchanges ORDER BY ts, id`;
const TIMESTAMP_INDEXES = EXCHANGE_COLUMNS.flatMap((column, index) => (column.kind === 'timestamp_ms' ? [index] : []));
const ACCOUNT_ID = EXCHANGE_COLUMN_INDEX.account_id;
const ORG_ID = EXCHANGE_COLUMN_INDEX.org_id;

/**
 * Replays every stored exchange, oldest first, in chunks of store rows: on start-up this
 * rebuilds the engine's state, so a restart (clean or after a kill) serves the same scores as
 * before it. Returns the number of exchanges replayed.
 */
export async function replayStoredRows(
  store: DuckDbStore,
  /** May return a promise: the next chunk is read once it settles (backpressure). */
  onChunk: (rows: ColumnValue[][], orgs: [accountId: string, orgId: string][]) => void | Promise<void>,
): Promise<number> {
  const result = await store.connection.stream(ROW_SQL);
  let total = 0;
  for await (const rows of result.yieldRowsJs()) {
    const orgs: [string, string][] = [];
    for (const row of rows) {
      for (const index of TIMESTAMP_INDEXES) if (row[index] !== null) row[index] = Number(row[index]);
      if (typeof row[ORG_ID] === 'string') orgs.push([row[ACCOUNT_ID] as string, row[ORG_ID]]);
    }
    total += rows.length;
    await onChunk(rows as ColumnValue[][], orgs);
  }
  return total;
}

