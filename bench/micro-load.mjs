// Why ingest stages rows as CSV in the parser threads instead of appending them on the store's
// thread (or staging them as Parquet through a private DuckDB): the store's thread is the one part
// of the pipeline that cannot be parallelised, so its cost per row bounds the whole ingest, and the
// staging cost in the parser threads is paid by every row. This measures both for three ways.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DATA, machine, simulatedTraffic } from './bench-support.mjs';
import { readLineBatches } from '../dist/ingest/line-batch-reader.js';
import { parseExchangeBatch } from '../dist/ingest/exchange-batch-parser.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbStore, RowAppender } from '../dist/store/duckdb-store.js';
import { StagedBatchWriter } from '../dist/store/staged-batch-writer.js';
import { EXCHANGE_COLUMNS, sqlTypeOf } from '../dist/store/exchange-columns.js';

const LIMIT = 100_000;
const traffic = await simulatedTraffic('smoke', 7);
const rows = [];
for await (const event of readLineBatches(traffic.exchanges, { maxRecordBytes: 1 << 20 })) {
  if (event.kind !== 'batch') continue;
  parseExchangeBatch({ firstLine: event.firstLine, bytes: event.bytes, sourceId: 1, textPolicy: 'excerpt', rawExcerptBytes: 0 }, (row) => rows.push(row));
  if (rows.length >= LIMIT) break;
}
console.log(`machine: ${machine()}; ${rows.length.toLocaleString('en-US')} parsed rows of ${traffic.exchanges}`);

async function freshStore(name) {
  const path = join(BENCH_DATA, name);
  rmSync(path, { force: true });
  rmSync(path + '.wal', { force: true });
  return DuckDbStore.open({ path, create: true });
}

// (a) One appender call per value, on the store's thread, committed in one transaction.
{
  const store = await freshStore('micro-load-appender.duckdb');
  const appender = new RowAppender(await store.connection.createAppender('exchanges'), EXCHANGE_COLUMNS.map((column) => column.kind));
  const started = performance.now();
  await store.run('BEGIN TRANSACTION');
  for (const row of rows) appender.appendRow(row);
  appender.flush();
  await store.run('COMMIT');
  const micros = ((performance.now() - started) * 1000) / rows.length;
  console.log(`appender on the store thread:     ${micros.toFixed(2)} µs per row on the store thread`);
  appender.close();
  store.close();
}

// (b) Appended to a private in-memory DuckDB (as a parser thread would), written as Parquet,
// inserted by one statement.
{
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE staged (${EXCHANGE_COLUMNS.map((column) => `${column.name} ${sqlTypeOf(column.kind)}`).join(', ')})`);
  const appender = new RowAppender(await connection.createAppender('staged'), EXCHANGE_COLUMNS.map((column) => column.kind));
  const paths = [];
  const stagingStarted = performance.now();
  for (let i = 0; i < rows.length; i++) {
    appender.appendRow(rows[i]);
    if ((i + 1) % 5000 === 0 || i === rows.length - 1) {
      appender.flush();
      const path = join(BENCH_DATA, `micro-load-${paths.length}.parquet`);
      await connection.run(`COPY staged TO '${path}' (FORMAT parquet, COMPRESSION uncompressed)`);
      await connection.run('DELETE FROM staged');
      paths.push(path);
    }
  }
  const stagingMicros = ((performance.now() - stagingStarted) * 1000) / rows.length;
  appender.close();
  connection.closeSync();
  instance.closeSync();
  const store = await freshStore('micro-load-parquet.duckdb');
  const started = performance.now();
  await store.run('BEGIN TRANSACTION');
  await store.run(`INSERT INTO exchanges SELECT * FROM read_parquet([${paths.map((path) => `'${path}'`).join(', ')}])`);
  await store.run('COMMIT');
  const micros = ((performance.now() - started) * 1000) / rows.length;
  console.log(`staged Parquet, one INSERT:       ${micros.toFixed(2)} µs per row on the store thread (+ ${stagingMicros.toFixed(2)} µs per row in the parser threads)`);
  store.close();
  for (const path of paths) rmSync(path, { force: true });
}

// (c) What ingest does: encoded as CSV in a parser thread, inserted by DuckDB's CSV reader.
{
  const writer = await StagedBatchWriter.create();
  const files = [];
  const stagingStarted = performance.now();
  for (let i = 0; i < rows.length; i++) {
    writer.appendRow(rows[i]);
    if ((i + 1) % 5000 === 0 || i === rows.length - 1) {
      const path = join(BENCH_DATA, `micro-load-${files.length}.csv`);
      await writer.writeTo(path);
      files.push({ path, duplicateRows: [] });
    }
  }
  const stagingMicros = ((performance.now() - stagingStarted) * 1000) / rows.length;
  writer.close();
  const store = await freshStore('micro-load-staged.duckdb');
  const started = performance.now();
  await store.run('BEGIN TRANSACTION');
  await store.insertStagedExchanges(files);
  await store.run('COMMIT');
  const micros = ((performance.now() - started) * 1000) / rows.length;
  console.log(`staged CSV, one INSERT:           ${micros.toFixed(2)} µs per row on the store thread (+ ${stagingMicros.toFixed(2)} µs per row in the parser threads)`);
  store.close();
  for (const file of files) rmSync(file.path, { force: true });
}
