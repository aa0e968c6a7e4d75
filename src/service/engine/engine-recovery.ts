import type { DuckDbStore } from '../../store/duckdb-store.js';
import { dictionaryJoinSql, readDictionaries } from '../../store/dictionary-codes.js';
import { replayWindowSql } from '../../store/replay-queries.js';
import { EXCHANGE_COLUMNS, EXCHANGE_COLUMN_INDEX, type ColumnValue, type ExchangeColumnName } from '../../store/exchange-columns.js';

const TEXT_COLUMNS = new Set(['system_text', 'prompt_text', 'output_text']);

/**
 * Text columns read as a code into a dictionary of their distinct values: a string read back
 * costs far more than an integer, and the account, network, client and model columns repeat a
 * few thousand values over millions of rows. The request id, unique per row, is read as is.
 */
function dictionaryColumns(observed: ReadonlySet<string> | undefined): string[] {
  return EXCHANGE_COLUMNS.filter((column) => column.kind === 'varchar' && column.name !== 'id' && !TEXT_COLUMNS.has(column.name) && (observed === undefined || observed.has(column.name))).map(
    (column) => column.name,
  );
}

/**
 * Every column in row order, as epoch ms for times and as dictionary codes for the columns of
 * `coded`; text (the engine never reads it) and the columns the engine does not observe come
 * back null, so a row read back, once decoded, has the values the row builder gave it wherever
 * the engine looks.
 */
function rowSql(observed: ReadonlySet<string> | undefined, coded: readonly string[]): string {
  const codedSet = new Set(coded);
  const columns = EXCHANGE_COLUMNS.map((column) => {
    if (TEXT_COLUMNS.has(column.name) || (observed !== undefined && !observed.has(column.name))) return `NULL AS ${column.name}`;
    if (codedSet.has(column.name)) return `d_${column.name}.code AS ${column.name}`;
    return column.kind === 'timestamp_ms' ? `epoch_ms(e.${column.name}) AS ${column.name}` : `e.${column.name}`;
  });
  const { withSql, joinSql } = dictionaryJoinSql(coded);
  return `${withSql}SELECT ${columns.join(', ')} FROM exchanges e ${joinSql}${replayWindowSql(null).sql}`;
}
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
  /** The columns the engine reads (`LiveEngineModule.observedColumns`); all when absent. */
  observedColumns?: readonly ExchangeColumnName[],
): Promise<number> {
  // The organisations the replay reports are read whatever the engine observes.
  const observed = observedColumns === undefined ? undefined : new Set<string>([...observedColumns, 'ts', 'id', 'account_id', 'org_id']);
  const coded = dictionaryColumns(observed);
  const dictionaries = await readDictionaries(store, coded);
  const decoders = coded.map((column, i): [index: number, values: string[]] => [EXCHANGE_COLUMN_INDEX[column as ExchangeColumnName], dictionaries[i]!]);
  const result = await store.connection.stream(rowSql(observed, coded));
  let total = 0;
  for await (const rows of result.yieldRowsJs()) {
    const orgs: [string, string][] = [];
    for (const row of rows) {
      for (const [index, values] of decoders) {
        const code = row[index];
        if (code !== null) row[index] = values[code as number]!;
      }
      for (const index of TIMESTAMP_INDEXES) if (row[index] !== null) row[index] = Number(row[index]);
      if (typeof row[ORG_ID] === 'string') orgs.push([row[ACCOUNT_ID] as string, row[ORG_ID]]);
    }
    total += rows.length;
    await onChunk(rows as ColumnValue[][], orgs);
  }
  return total;
}

