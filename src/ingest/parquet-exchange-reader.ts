import { DuckDBInstance } from '@duckdb/node-api';
import { InputError } from '../util/errors.js';

/** Columns that hold a JSON body: text in most writers, a struct in DuckDB's and Spark's. */
const BODY_COLUMNS = new Set(['request', 'response']);

/**
 * Writes the rows of a Parquet file with the contract's columns (docs/input-formats.md) as
 * contract JSON Lines at `target`, one row a line in the file's order, so the rows go through
 * the same validation, quarantine and checkpoints as any log and a quarantined row's "line" is
 * its row number. DuckDB reads the file; times become RFC 3339 in UTC, and a body column stored as
 * JSON text becomes the object it holds (text that is not JSON stays text, and is quarantined).
 */
export async function writeParquetAsJsonLines(source: string, target: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    let columns: { name: string; type: string }[];
    try {
      const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(source)})`);
      columns = described.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    } catch (error) {
      throw new InputError(`cannot read ${source} as Parquet: ${(error as Error).message.split('\n')[0]}`);
    }
    const select = columns.map(({ name, type }) => `${columnExpression(name, type)} AS ${sqlIdentifier(name)}`).join(', ');
    await connection.run(`COPY (SELECT ${select} FROM read_parquet(${sqlString(source)})) TO ${sqlString(target)} (FORMAT json)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function columnExpression(name: string, type: string): string {
  const column = sqlIdentifier(name);
  if (type === 'TIMESTAMP WITH TIME ZONE') return `strftime(timezone('UTC', ${column}), '%Y-%m-%dT%H:%M:%S.%gZ')`;
  if (type.startsWith('TIMESTAMP')) return `strftime(${column}::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  if (BODY_COLUMNS.has(name) && (type === 'VARCHAR' || type === 'JSON')) return `CASE WHEN json_valid(${column}) THEN json(${column}) ELSE to_json(${column}) END`;
  return column;
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
