import { DuckDBInstance, DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { existsSync } from 'node:fs';
import { createSecretKey } from '../util/keyed-hash.js';
import { Key64Set } from '../util/key64-set.js';
import { StoreError, errorMessage } from '../util/errors.js';
import { EXCHANGE_COLUMNS, sqlTypeOf, type ColumnKind, type ColumnValue } from './exchange-columns.js';
import type { Account } from '../model/account.js';
import { stagedCsvSource } from './staged-batch-writer.js';

/** Bumped whenever a table changes shape; an older store is refused with a clear message. */
export const STORE_SCHEMA_VERSION = 2;

export interface DuckDbStoreOptions {
  path: string;
  readOnly?: boolean;
  /** DuckDB's own buffer memory, e.g. `1GB`; the process uses some more on top. */
  memoryLimit?: string;
  threads?: number;
  /** Create the file and tables when missing (ingest); analysis refuses a missing store. */
  create?: boolean;
}

export interface SourceRecord {
  sourceId: number;
  kind: 'exchanges' | 'accounts' | 'http';
  path: string;
  identity: string;
  linesDone: number;
  lastLineHash: string | null;
  stored: number;
  duplicates: number;
  quarantined: number;
  blank: number;
  quarantineByReason: Record<string, number>;
  complete: boolean;
}

/** An account record as stored, with the source line it came from (the latest line wins). */
export interface StoredAccount {
  account: Account;
  sourceId: number;
  line: number;
}

export interface StagedFile {
  path: string;
  /** Row positions in the file (0-based) that are already stored and must be left out. */
  duplicateRows: number[];
  /** The file's longest row in bytes, which the reader must accept (`StagedRows`). */
  longestRowBytes: number;
}

export type SourceProgress = Pick<SourceRecord, 'linesDone' | 'lastLineHash' | 'stored' | 'duplicates' | 'quarantined' | 'blank' | 'quarantineByReason' | 'complete'>;

/**
 * The embedded DuckDB store: exchanges, accounts, ingest sources with their checkpoints, and a
 * per-store secret for keyed hashes. One process holds it read-write at a time (DuckDB's own
 * file lock), which is why the live service owns the store while it runs.
 */
export class DuckDbStore {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly secret: Buffer,
    /** False for a snapshot, which closes only its own connection. */
    private readonly ownsInstance = true,
  ) {}

  static async open({ path, readOnly = false, memoryLimit = '1GB', threads, create = false }: DuckDbStoreOptions): Promise<DuckDbStore> {
    if (path !== ':memory:' && !create && !existsSync(path)) {
      throw new StoreError(`no store at ${path}: run \`distillguard ingest ... --db ${path}\` first`);
    }
    let instance: DuckDBInstance;
    try {
      const config: Record<string, string> = { memory_limit: memoryLimit, preserve_insertion_order: 'false' };
      if (threads !== undefined) config.threads = String(threads);
      if (readOnly) config.access_mode = 'READ_ONLY';
      instance = await DuckDBInstance.create(path, config);
    } catch (error) {
      const message = errorMessage(error);
      if (/lock/i.test(message)) {
        throw new StoreError(`the store ${path} is in use by another process (a running \`distillguard serve\` or ingest holds it): ${message}`, { cause: error });
      }
      throw new StoreError(`cannot open the store ${path}: ${message}`, { cause: error });
    }
    const connection = await instance.connect();
    try {
      if (!readOnly) await createSchema(connection);
      const secret = await readOrCreateSecret(connection, readOnly);
      return new DuckDbStore(path, instance, connection, secret);
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw error;
    }
  }

  /** Key for keyed hashes of personal data in this store (e-mail local parts). */
  get hashKey(): Buffer {
    return this.secret;
  }

  async run(sql: string, values?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    await this.connection.run(sql, values);
  }

  /** Rows as plain JS objects (BIGINT as bigint, timestamps as DuckDB values). */
  async query<T = Record<string, unknown>>(sql: string, values?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, values);
    return reader.getRowObjectsJS() as T[];
  }

  async scalar<T = unknown>(sql: string, values?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<T> {
    const reader = await this.connection.runAndReadAll(sql, values);
    return reader.getRowsJS()[0]?.[0] as T;
  }

  async countExchanges(): Promise<number> {
    return Number(await this.scalar<bigint>('SELECT count(*) FROM exchanges'));
  }

  /** Visits every stored exchange-id key as its two 32-bit halves, streamed. */
  async forEachIdKey(visit: (hi: number, lo: number) => void): Promise<void> {
    await this.readIdKeys('SELECT (id_key >> 32)::UINTEGER AS hi, (id_key & 4294967295)::UINTEGER AS lo FROM exchanges', visit);
  }

  /**
   * Which of the given id keys are stored (committed, or inserted earlier in the caller's
   * transaction). One scan of the `id_key` column whatever the number of keys asked.
   */
  async findStoredIdKeys(his: ArrayLike<number>, los: ArrayLike<number>): Promise<Key64Set> {
    const found = new Key64Set(Math.max(16, his.length));
    if (his.length === 0) return found;
    await this.run('CREATE OR REPLACE TEMP TABLE asked_id_keys (id_key UBIGINT)');
    const appender = new RowAppender(await this.connection.createAppender('asked_id_keys', 'main', 'temp'), ['ubigint']);
    for (let i = 0; i < his.length; i++) appender.appendRow([(BigInt(his[i]! >>> 0) << 32n) | BigInt(los[i]! >>> 0)]);
    appender.close();
    await this.readIdKeys(
      `SELECT DISTINCT (id_key >> 32)::UINTEGER AS hi, (id_key & 4294967295)::UINTEGER AS lo FROM exchanges
       WHERE id_key IN (SELECT id_key FROM asked_id_keys)`,
      (hi, lo) => found.addParts(hi, lo),
    );
    await this.run('DROP TABLE asked_id_keys');
    return found;
  }

  private async readIdKeys(sql: string, visit: (hi: number, lo: number) => void): Promise<void> {
    const result = await this.connection.stream(sql);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const his = chunk.getColumnVector(0);
      const los = chunk.getColumnVector(1);
      for (let i = 0; i < chunk.rowCount; i++) visit(his.getItem(i) as number, los.getItem(i) as number);
    }
  }

  async findSource(kind: SourceRecord['kind'], identity: string): Promise<SourceRecord | null> {
    const rows = await this.query<Record<string, unknown>>(
      'SELECT * FROM ingest_sources WHERE kind = $kind AND identity = $identity ORDER BY source_id DESC LIMIT 1',
      { kind, identity },
    );
    return rows[0] ? toSourceRecord(rows[0]) : null;
  }

  async createSource(kind: SourceRecord['kind'], path: string, identity: string): Promise<SourceRecord> {
    const sourceId = Number(await this.scalar<number>("SELECT nextval('source_ids')"));
    await this.run(
      `INSERT INTO ingest_sources (source_id, kind, path, identity, lines_done, stored, duplicates, quarantined, blank, quarantine_by_reason, complete, first_seen, updated_at)
       VALUES ($sourceId, $kind, $path, $identity, 0, 0, 0, 0, 0, '{}', false, now(), now())`,
      { sourceId, kind, path, identity },
    );
    return {
      sourceId,
      kind,
      path,
      identity,
      linesDone: 0,
      lastLineHash: null,
      stored: 0,
      duplicates: 0,
      quarantined: 0,
      blank: 0,
      quarantineByReason: {},
      complete: false,
    };
  }

  /** Run inside the same transaction as the rows it accounts for. */
  async updateSource(sourceId: number, progress: SourceProgress): Promise<void> {
    await this.run(
      `UPDATE ingest_sources SET lines_done = $linesDone, last_line_hash = $lastLineHash, stored = $stored, duplicates = $duplicates,
         quarantined = $quarantined, blank = $blank, quarantine_by_reason = $byReason, complete = $complete, updated_at = now()
       WHERE source_id = $sourceId`,
      {
        sourceId,
        linesDone: progress.linesDone,
        lastLineHash: progress.lastLineHash,
        stored: progress.stored,
        duplicates: progress.duplicates,
        quarantined: progress.quarantined,
        blank: progress.blank,
        byReason: JSON.stringify(progress.quarantineByReason),
        complete: progress.complete,
      },
    );
  }

  async listSources(): Promise<SourceRecord[]> {
    return (await this.query<Record<string, unknown>>('SELECT * FROM ingest_sources ORDER BY source_id')).map(toSourceRecord);
  }

  /**
   * Inserts staged batch files (written by `StagedBatchWriter`), leaving out the rows listed as
   * duplicates. Runs in the caller's transaction.
   */
  async insertStagedExchanges(files: readonly StagedFile[]): Promise<void> {
    if (files.length === 0) return;
    const longestRowBytes = files.reduce((longest, file) => Math.max(longest, file.longestRowBytes), 0);
    const { from, select } = stagedCsvSource(files.map((file) => `'${file.path.replaceAll("'", "''")}'`).join(', '), longestRowBytes);
    const withDuplicates = files.filter((file) => file.duplicateRows.length > 0);
    if (withDuplicates.length === 0) {
      await this.run(`INSERT INTO exchanges SELECT ${select} FROM ${from} AS staged`);
      return;
    }
    await this.run('CREATE OR REPLACE TEMP TABLE staged_duplicates (filename VARCHAR, staged_row BIGINT)');
    const appender = new RowAppender(await this.connection.createAppender('staged_duplicates', 'main', 'temp'), ['varchar', 'integer']);
    for (const file of withDuplicates) for (const row of file.duplicateRows) appender.appendRow([file.path, row]);
    appender.close();
    await this.run(`INSERT INTO exchanges SELECT ${select} FROM ${from} AS staged ANTI JOIN staged_duplicates USING (filename, staged_row)`);
    await this.run('DROP TABLE staged_duplicates');
  }

  /** Upserts accounts; a later record for the same account replaces the earlier one. */
  async upsertAccounts(accounts: readonly StoredAccount[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.run('CREATE OR REPLACE TEMP TABLE accounts_staging AS SELECT * FROM accounts LIMIT 0');
    const appender = new RowAppender(await this.connection.createAppender('accounts_staging', 'main', 'temp'), ACCOUNT_COLUMN_KINDS);
    for (const { account, sourceId, line } of accounts) {
      appender.appendRow([
        account.accountId,
        account.orgId,
        account.createdAt,
        account.emailDomain,
        account.emailLocalHash,
        account.emailLocalShape,
        account.tier,
        account.country,
        account.paymentFingerprint,
        account.signupIp,
        account.verification.join(','),
        sourceId,
        line,
      ]);
    }
    appender.close();
    await this.run(`INSERT OR REPLACE INTO accounts
      SELECT * FROM accounts_staging QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY source_id DESC, source_line DESC) = 1`);
    await this.run('DROP TABLE accounts_staging');
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * The store as it is now, on a connection of its own inside one read transaction: a long read
   * there sees one consistent state and neither waits for nor holds up the transactions of this
   * connection (DuckDB keeps versions), so it can run beside a live service's commits. Close it
   * when done; the store itself stays open.
   */
  async snapshot(): Promise<DuckDbStore> {
    const connection = await this.instance.connect();
    try {
      await connection.run('BEGIN TRANSACTION');
      // DuckDB starts a transaction's view at its first read of the database, not at BEGIN.
      await connection.run('SELECT count(*) FROM exchanges');
    } catch (error) {
      connection.closeSync();
      throw error;
    }
    return new DuckDbStore(this.path, this.instance, connection, this.secret, false);
  }

  /** Writes the WAL into the database file so a copy of the file alone is complete. */
  async checkpoint(): Promise<void> {
    await this.run('CHECKPOINT');
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

const ACCOUNT_COLUMNS: readonly [string, ColumnKind][] = [
  ['account_id', 'varchar'],
  ['org_id', 'varchar'],
  ['created_at', 'timestamp_ms'],
  ['email_domain', 'varchar'],
  ['email_local_hash', 'varchar'],
  ['email_local_shape', 'varchar'],
  ['tier', 'varchar'],
  ['country', 'varchar'],
  ['payment_fingerprint', 'varchar'],
  ['signup_ip', 'varchar'],
  ['verification', 'varchar'],
  ['source_id', 'integer'],
  ['source_line', 'integer'],
];
const ACCOUNT_COLUMN_KINDS = ACCOUNT_COLUMNS.map(([, kind]) => kind);

async function createSchema(connection: DuckDBConnection): Promise<void> {
  await connection.run('CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
  let version = (await connection.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'")).getRowsJS()[0]?.[0];
  if (version !== undefined && Number(version) === 1) {
    // Version 2 added one feature column at the end of the table: old rows read it as null.
    await connection.run('ALTER TABLE exchanges ADD COLUMN IF NOT EXISTS prompt_language SMALLINT');
    await connection.run("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    version = '2';
  }
  if (version !== undefined && Number(version) !== STORE_SCHEMA_VERSION) {
    throw new StoreError(
      `this store has schema version ${String(version)} and this distillguard expects ${STORE_SCHEMA_VERSION}: ingest the logs into a new store`,
    );
  }
  const exchangeColumns = EXCHANGE_COLUMNS.map((column) => `${column.name} ${sqlTypeOf(column.kind)}`).join(',\n  ');
  await connection.run(`CREATE TABLE IF NOT EXISTS exchanges (\n  ${exchangeColumns}\n)`);
  const accountColumns = ACCOUNT_COLUMNS.map(([name, kind]) => `${name} ${sqlTypeOf(kind)}${name === 'account_id' ? ' PRIMARY KEY' : ''}`).join(', ');
  await connection.run(`CREATE TABLE IF NOT EXISTS accounts (${accountColumns})`);
  await connection.run('CREATE SEQUENCE IF NOT EXISTS source_ids START 1');
  await connection.run(`CREATE TABLE IF NOT EXISTS ingest_sources (
    source_id INTEGER PRIMARY KEY, kind VARCHAR, path VARCHAR, identity VARCHAR,
    lines_done BIGINT, last_line_hash VARCHAR, stored BIGINT, duplicates BIGINT, quarantined BIGINT, blank BIGINT,
    quarantine_by_reason VARCHAR, complete BOOLEAN, first_seen TIMESTAMP, updated_at TIMESTAMP)`);
  if (version === undefined) {
    await connection.run("INSERT INTO meta VALUES ('schema_version', $version)", { version: String(STORE_SCHEMA_VERSION) });
  }
}

async function readOrCreateSecret(connection: DuckDBConnection, readOnly: boolean): Promise<Buffer> {
  const existing = (await connection.runAndReadAll("SELECT value FROM meta WHERE key = 'hash_key'")).getRowsJS()[0]?.[0];
  if (typeof existing === 'string') return Buffer.from(existing, 'hex');
  if (readOnly) throw new StoreError('the store has no hash key; open it once read-write (ingest) first');
  const secret = createSecretKey();
  await connection.run("INSERT INTO meta VALUES ('hash_key', $value)", { value: secret.toString('hex') });
  return secret;
}

function toSourceRecord(row: Record<string, unknown>): SourceRecord {
  return {
    sourceId: Number(row.source_id),
    kind: row.kind as SourceRecord['kind'],
    path: String(row.path),
    identity: String(row.identity),
    linesDone: Number(row.lines_done),
    lastLineHash: (row.last_line_hash as string | null) ?? null,
    stored: Number(row.stored),
    duplicates: Number(row.duplicates),
    quarantined: Number(row.quarantined),
    blank: Number(row.blank),
    quarantineByReason: JSON.parse(String(row.quarantine_by_reason ?? '{}')) as Record<string, number>,
    complete: Boolean(row.complete),
  };
}

/**
 * Appends rows whose values are plain JS (see `ColumnValue`) through a DuckDB appender, with one
 * append call per value chosen by column kind up front: the per-row cost of the ingest hot path.
 */
export class RowAppender {
  constructor(
    private readonly appender: DuckDBAppender,
    private readonly kinds: readonly ColumnKind[],
  ) {}

  appendRow(values: readonly ColumnValue[]): void {
    const appender = this.appender;
    const kinds = this.kinds;
    for (let i = 0; i < kinds.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) {
        appender.appendNull();
        continue;
      }
      switch (kinds[i]) {
        case 'varchar':
          appender.appendVarchar(value as string);
          break;
        case 'integer':
          appender.appendInteger(value as number);
          break;
        case 'smallint':
          appender.appendSmallInt(value as number);
          break;
        case 'double':
          appender.appendDouble(value as number);
          break;
        case 'boolean':
          appender.appendBoolean(value as boolean);
          break;
        case 'timestamp_ms':
          appender.appendTimestamp(new DuckDBTimestampValue(BigInt(value as number) * 1000n));
          break;
        case 'ubigint':
          appender.appendUBigInt(value as bigint);
          break;
      }
    }
    appender.endRow();
  }

  flush(): void {
    this.appender.flushSync();
  }

  close(): void {
    this.appender.closeSync();
  }
}

