import type { DuckDBDataChunk } from '@duckdb/node-api';
import { createExchangeBatch, type ExchangeBatch } from '../model/exchange-batch.js';
import { FEATURE_INT_COLUMNS, WORD_COLUMNS } from './analysis-queries.js';
import { dictionaryJoinSql, readDictionaries } from './dictionary-codes.js';
import type { DuckDbStore } from './duckdb-store.js';
import { float64Items, int32Items, wordItems } from './result-vectors.js';

/** The infrastructure columns of a replay chunk, by the name the behaviour stage gives each. */
export const REPLAY_INDICATOR_COLUMNS = {
  ip: 'client_ip',
  subnet: 'client_subnet',
  asn: 'client_asn',
  country: 'client_country',
  user_agent: 'user_agent',
  tls: 'tls_fingerprint',
  api_key: 'api_key_id',
} as const;
export type ReplayIndicator = keyof typeof REPLAY_INDICATOR_COLUMNS;

/** One text value per row, as a code into the chunk's own list of the values it holds (-1: none). */
export interface ChunkCodes {
  values: string[];
  codes: Int32Array;
}

/**
 * A run of stored exchanges in replay order, as columns: the batch the behaviour stage observes
 * (its `account` and `model` hold codes into `accounts` and `models`, not tracker indexes), and
 * the rest of what a replay asks about each exchange (its id and organisation).
 */
export interface ReplayChunk {
  length: number;
  ids: string[];
  batch: ExchangeBatch;
  accounts: string[];
  models: string[];
  orgs: ChunkCodes;
  indicators: Record<ReplayIndicator, ChunkCodes>;
}

export interface ReplayChunkOptions {
  /** Exchanges at or after this time are not read. */
  toMs: number | null;
  /** Rows per chunk handed over (the last may hold fewer). */
  rowsPerChunk: number;
}

const CODED = ['account_id', 'model', 'org_id', ...Object.values(REPLAY_INDICATOR_COLUMNS)] as const;

/**
 * The exchanges a replay reads, in the order it reads them (time, then id: the service's
 * start-up order), before `toMs`: SQL to follow `FROM exchanges e` and its joins, with its
 * parameters.
 */
export function replayWindowSql(toMs: number | null): { sql: string; params: { toMs: number } | undefined } {
  return toMs === null ? { sql: ' ORDER BY e.ts, e.id', params: undefined } : { sql: ' WHERE e.ts < epoch_ms($toMs::BIGINT) ORDER BY e.ts, e.id', params: { toMs } };
}

/**
 * Every stored exchange in the order a replay reads them (time, then id: the service's start-up
 * reader's order), read straight from DuckDB's result vectors as the batch analysis reads them:
 * numbers as they come, text columns as dictionary codes, so no value is boxed and no row object
 * is made. The same exchanges as `exchangeRecordFromRow` over the start-up reader's rows, at a
 * fraction of the cost (docs/performance.md, "policy backtest"). `onChunk` may return a promise:
 * the next chunk is read once it settles.
 */
export async function streamReplayChunks(store: DuckDbStore, { toMs, rowsPerChunk }: ReplayChunkOptions, onChunk: (chunk: ReplayChunk) => void | Promise<void>): Promise<number> {
  const values = await readDictionaries(store, CODED);
  const dictionaries = new Map(CODED.map((column, i) => [column, values[i]!]));
  const select = [
    'e.id',
    'epoch_ms(e.ts)::DOUBLE AS ts',
    ...CODED.map((column) => `coalesce(d_${column}.code, -1) AS ${column}`),
    ...FEATURE_INT_COLUMNS.map(([name, expression]) => `(${expression})::INTEGER AS ${name}`),
    ...WORD_COLUMNS.flatMap(([, columns]) => columns.map((column) => `coalesce(e.${column}, 0)::UBIGINT AS ${column}`)),
  ];
  const { withSql, joinSql } = dictionaryJoinSql(CODED);
  const window = replayWindowSql(toMs);
  const result = await store.connection.stream(`${withSql}SELECT ${select.join(', ')} FROM exchanges e ${joinSql}${window.sql}`, window.params);
  const position = new Map(result.columnNames().map((name, index) => [name, index]));
  const chunker = new ChunkBuilder(rowsPerChunk, dictionaries);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    let from = 0;
    while (from < chunk.rowCount) {
      from = chunker.take(chunk, position, from);
      if (chunker.full) await onChunk(chunker.flush());
    }
    rows += chunk.rowCount;
  }
  if (chunker.length > 0) await onChunk(chunker.flush());
  return rows;
}

/** Fills chunks of `capacity` rows from DuckDB's chunks, turning the store-wide codes into each chunk's own. */
class ChunkBuilder {
  private batch: ExchangeBatch;
  private ids: string[] = [];
  private coded: Map<string, { codes: Int32Array; values: string[]; local: Int32Array; used: number[] }>;
  length = 0;

  constructor(
    private readonly capacity: number,
    private readonly dictionaries: ReadonlyMap<string, string[]>,
  ) {
    this.batch = createExchangeBatch(capacity);
    this.coded = new Map(
      [...dictionaries].map(([column, values]) => [column, { codes: new Int32Array(capacity), values: [], local: new Int32Array(values.length).fill(-1), used: [] }]),
    );
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  /** Copies rows of `chunk` from `from` while there is room; returns the first row not taken. */
  take(chunk: DuckDBDataChunk, position: ReadonlyMap<string, number>, from: number): number {
    const count = Math.min(chunk.rowCount - from, this.capacity - this.length);
    const to = from + count;
    const at = this.length;
    const vector = (name: string) => chunk.getColumnVector(position.get(name)!);
    const batch = this.batch;
    const idVector = vector('id');
    for (let i = from; i < to; i++) this.ids.push(idVector.getItem(i) as string);
    batch.ts.set(float64Items(vector('ts'), to).subarray(from), at);
    for (const [name] of FEATURE_INT_COLUMNS) (batch[name] as Int32Array).set(int32Items(vector(name), to).subarray(from), at);
    for (const [name, columns] of WORD_COLUMNS) {
      columns.forEach((column, c) => {
        const target = Array.isArray(batch[name]) ? (batch[name] as readonly Uint32Array[])[c]! : (batch[name] as Uint32Array);
        target.set(wordItems(vector(column), to).subarray(2 * from), 2 * at);
      });
    }
    for (const [column, coded] of this.coded) {
      const global = int32Items(vector(column), to);
      const values = this.dictionaries.get(column)!;
      for (let i = from; i < to; i++) {
        const code = global[i]!;
        if (code < 0) {
          coded.codes[at + i - from] = -1;
          continue;
        }
        let local = coded.local[code]!;
        if (local < 0) {
          coded.local[code] = local = coded.values.length;
          coded.values.push(values[code]!);
          coded.used.push(code);
        }
        coded.codes[at + i - from] = local;
      }
    }
    this.length += count;
    return to;
  }

  /** The rows taken so far as a chunk of their own; the builder starts a new one. */
  flush(): ReplayChunk {
    const length = this.length;
    // A full chunk's columns are handed over as they are; only the last, shorter one is copied.
    const batch = length === this.capacity ? this.batch : trimmed(this.batch, length);
    const columns = new Map<string, ChunkCodes>();
    for (const [column, coded] of this.coded) {
      columns.set(column, { values: coded.values, codes: length === this.capacity ? coded.codes : coded.codes.slice(0, length) });
      coded.codes = new Int32Array(this.capacity);
      for (const code of coded.used) coded.local[code] = -1;
      coded.values = [];
      coded.used = [];
    }
    const chunk: ReplayChunk = {
      length,
      ids: this.ids,
      batch: { ...batch, length, account: columns.get('account_id')!.codes, model: columns.get('model')!.codes },
      accounts: columns.get('account_id')!.values,
      models: columns.get('model')!.values,
      orgs: columns.get('org_id')!,
      indicators: Object.fromEntries(Object.entries(REPLAY_INDICATOR_COLUMNS).map(([kind, column]) => [kind, columns.get(column)!])) as Record<ReplayIndicator, ChunkCodes>,
    };
    this.batch = createExchangeBatch(this.capacity);
    this.ids = [];
    this.length = 0;
    return chunk;
  }
}

/** The first `length` rows of a batch, each column in a buffer of its own, so a chunk can be transferred whole. */
function trimmed(batch: ExchangeBatch, length: number): ExchangeBatch {
  const out: Record<string, unknown> = { length };
  for (const [key, column] of Object.entries(batch)) {
    if (key === 'length') continue;
    // Word columns hold two 32-bit words per row.
    if (Array.isArray(column)) out[key] = (column as Uint32Array[]).map((words) => words.slice(0, 2 * length));
    else out[key] = (column as Int32Array | Float64Array | Uint32Array).slice(0, WORD_KEYS.has(key) ? 2 * length : length);
  }
  return out as unknown as ExchangeBatch;
}

const WORD_KEYS = new Set<string>(WORD_COLUMNS.map(([name]) => name));
