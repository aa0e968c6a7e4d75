import type { DuckDbStore } from './duckdb-store.js';

/**
 * Text columns read back as codes into a dictionary of their distinct values: a string read out
 * of DuckDB costs far more than an integer, and the account, network, client and model columns
 * repeat a few thousand values over millions of rows.
 */

/** A column's distinct values in the order its codes number them. */
export function dictionarySql(column: string): string {
  return `SELECT DISTINCT ${column} AS value FROM exchanges WHERE ${column} IS NOT NULL ORDER BY value`;
}

/** A common table named `d_<column>` of a column's distinct values and their codes, in `dictionarySql` order. */
function dictionaryTableSql(column: string): string {
  return `d_${column} AS (SELECT value, (row_number() OVER (ORDER BY value) - 1)::INTEGER AS code FROM (${dictionarySql(column)}))`;
}

/** A column's dictionary: the value of each code, as text (numbers, such as an ASN, as their decimal digits). */
async function readDictionary(store: DuckDbStore, column: string): Promise<string[]> {
  return (await store.connection.runAndReadAll(dictionarySql(column))).getRowsJS().map((row) => String(row[0]));
}

/** The dictionaries of `columns`, in order. */
export async function readDictionaries(store: DuckDbStore, columns: readonly string[]): Promise<string[][]> {
  const dictionaries: string[][] = [];
  for (const column of columns) dictionaries.push(await readDictionary(store, column));
  return dictionaries;
}

/**
 * What codes `columns` in a query over the exchanges `e`: the common tables of their
 * dictionaries (`WITH ...`, empty for none) and the joins, after which column c's code is
 * `d_c.code` (null where the column is).
 */
export function dictionaryJoinSql(columns: readonly string[]): { withSql: string; joinSql: string } {
  return {
    withSql: columns.length === 0 ? '' : `WITH ${columns.map(dictionaryTableSql).join(', ')} `,
    joinSql: columns.map((column) => `LEFT JOIN d_${column} ON d_${column}.value = e.${column}`).join(' '),
  };
}
