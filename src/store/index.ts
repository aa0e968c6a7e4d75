export { DuckDbStore, STORE_SCHEMA_VERSION } from './duckdb-store.js';
export type { DuckDbStoreOptions, SourceRecord, StagedFile } from './duckdb-store.js';
export { EXCHANGE_COLUMNS } from './exchange-columns.js';
export type { ColumnKind, ColumnSpec, ColumnValue, ExchangeColumnName } from './exchange-columns.js';
