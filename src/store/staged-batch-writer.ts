import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { EXCHANGE_COLUMNS, sqlTypeOf, type ColumnValue } from './exchange-columns.js';
import { RowAppender } from './duckdb-store.js';

/**
 * Stages parsed exchange rows in a private in-memory DuckDB and writes each batch out as a
 * Parquet file that the store inserts natively. It runs inside each parser thread, so the
 * per-value appender calls are spread over the threads instead of queuing on the one thread
 * that owns the store; that thread only runs one INSERT per commit (`npm run bench:ingest`).
 */
export class StagedBatchWriter {
  private rowCount = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly appender: RowAppender,
  ) {}

  static async create(): Promise<StagedBatchWriter> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
    const connection = await instance.connect();
    const columns = EXCHANGE_COLUMNS.map((column) => `${column.name} ${sqlTypeOf(column.kind)}`).join(', ');
    await connection.run(`CREATE TABLE staged (${columns})`);
    const appender = new RowAppender(await connection.createAppender('staged'), EXCHANGE_COLUMNS.map((column) => column.kind));
    return new StagedBatchWriter(instance, connection, appender);
  }

  appendRow(row: readonly ColumnValue[]): void {
    this.appender.appendRow(row);
    this.rowCount++;
  }

  /** Writes the staged rows, in append order, to `path` and empties the stage. */
  async writeTo(path: string): Promise<number> {
    this.appender.flush();
    const rows = this.rowCount;
    await this.connection.run(`COPY staged TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION uncompressed)`);
    await this.connection.run('DELETE FROM staged');
    this.rowCount = 0;
    return rows;
  }

  close(): void {
    this.appender.close();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
