import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { replayWindowSql, type ReplayChunk } from '../store/replay-queries.js';
import { EXCHANGE_COLUMN_INDEX, type ColumnValue } from '../store/exchange-columns.js';
import { dictionaryJoinSql, readDictionaries } from '../store/dictionary-codes.js';
import { replayStoredRows } from '../service/engine/engine-recovery.js';
import type { LiveEngineModule } from '../service/engine/engine-contract.js';
import { decodeObservations, encodeObservations } from '../service/engine/observation-codec.js';
import { createWorkerPool } from '../util/worker-pool.js';

/** One exchange as the gateway asked about it: what `/v1/decide` would have been sent. */
export interface ReplayedExchange {
  id: string;
  ts: number;
  accountId: string;
  orgId: string | null;
  clientIp: string | null;
}

/**
 * Stored exchanges oldest first: what a decision is asked about, and what the engine observes,
 * one observation per exchange or, when the engine takes them (`columnsOfRows`), as columns.
 */
export type ObservationChunk =
  | { exchanges: readonly ReplayedExchange[]; observations: readonly unknown[] }
  | { exchanges: readonly ReplayedExchange[]; columns: unknown };

/**
 * Calls `onChunk` for each chunk in time order, waiting for each to settle; resolves when done.
 * `onRead` sees each chunk, in the same order, as soon as it is read: a source that reads ahead
 * calls it while the chunk before is still being worked on.
 */
export type ObservationSource = (onChunk: (chunk: ObservationChunk) => void | Promise<void>, onRead?: (chunk: ObservationChunk) => void) => Promise<void>;

/** Stored exchanges' questions only, oldest first, a chunk at a time, waiting for each to settle: what a replay from a recorded trace reads. */
export type ExchangeSource = (onExchanges: (exchanges: readonly ReplayedExchange[]) => void | Promise<void>) => Promise<void>;

const TS = EXCHANGE_COLUMN_INDEX.ts;
const ID = EXCHANGE_COLUMN_INDEX.id;
const ACCOUNT_ID = EXCHANGE_COLUMN_INDEX.account_id;
const ORG_ID = EXCHANGE_COLUMN_INDEX.org_id;
const CLIENT_IP = EXCHANGE_COLUMN_INDEX.client_ip;

class StopReading extends Error {}

/**
 * The store's exchanges as rows, oldest first, through the service's own start-up reader
 * (`replayStoredRows`, rows read back as the engine observes them after a restart), stopping at
 * `toMs`.
 */
export async function readStoredRows(store: DuckDbStore, toMs: number | null, onRows: (rows: ColumnValue[][]) => void | Promise<void>): Promise<void> {
  try {
    await replayStoredRows(store, async (rows) => {
      let end = rows.length;
      if (toMs !== null) {
        end = rows.findIndex((row) => (row[TS] as number) >= toMs);
        if (end === -1) end = rows.length;
      }
      if (end > 0) await onRows(end === rows.length ? rows : rows.slice(0, end));
      // The reader has no upper bound of its own; leaving it early spares reading the rest.
      if (end < rows.length) throw new StopReading();
    });
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
}

/** What the replay needs of a chunk of stored rows: the question each asks, and what the engine observes. */
export function observationChunkOf(rows: readonly ColumnValue[][], module: LiveEngineModule): ObservationChunk {
  return observationsOfRows(rows, module).chunk;
}

/** The same, with the buffers the chunk's columns live in, to hand it to another thread. */
export function observationsOfRows(rows: readonly ColumnValue[][], module: LiveEngineModule): { chunk: ObservationChunk; transfer: ArrayBuffer[] } {
  const exchanges = rows.map(exchangeOfRow);
  if (module.columnsOfRows === undefined) return { chunk: { exchanges, observations: rows.map((row) => module.observationOfRow(row)) }, transfer: [] };
  const { columns, transfer } = module.columnsOfRows(rows);
  return { chunk: { exchanges, columns }, transfer };
}

/** Rows per chunk: large enough that handing one to another thread costs nothing beside the work on it, small enough to keep both threads busy. */
export const CHUNK_ROWS = 16_384;

/**
 * The store's exchanges as the replay takes them, a chunk at a time: straight from the store's
 * columns when the engine reads them so (`columnsOfStore`), else from the start-up reader's rows.
 * `transfer` lists the buffers the chunk's columns live in, to hand it to another thread.
 */
export async function readObservationChunks(
  store: DuckDbStore,
  module: LiveEngineModule,
  toMs: number | null,
  onChunk: (chunk: ObservationChunk, transfer: ArrayBuffer[]) => void | Promise<void>,
): Promise<void> {
  if (module.columnsOfStore === undefined) {
    await readStoredRows(store, toMs, (rows) => {
      const { chunk, transfer } = observationsOfRows(rows, module);
      return onChunk(chunk, transfer);
    });
    return;
  }
  await module.columnsOfStore(store, { toMs, rowsPerChunk: CHUNK_ROWS }, (chunk, columns, transfer) => onChunk({ exchanges: questionsOf(chunk), columns }, transfer));
}

function questionsOf({ length, ids, batch, accounts, orgs, indicators }: ReplayChunk): ReplayedExchange[] {
  const ips = indicators.ip;
  return Array.from({ length }, (_, i) => ({
    id: ids[i]!,
    ts: batch.ts[i]!,
    accountId: accounts[batch.account[i]!]!,
    orgId: orgs.codes[i]! < 0 ? null : orgs.values[orgs.codes[i]!]!,
    clientIp: ips.codes[i]! < 0 ? null : ips.values[ips.codes[i]!]!,
  }));
}

function exchangeOfRow(row: readonly ColumnValue[]): ReplayedExchange {
  return {
    id: row[ID] as string,
    ts: row[TS] as number,
    accountId: row[ACCOUNT_ID] as string,
    orgId: (row[ORG_ID] as string | null) ?? null,
    clientIp: (row[CLIENT_IP] as string | null) ?? null,
  };
}

const QUESTION_CODED = ['account_id', 'org_id', 'client_ip'] as const;

/**
 * The questions of the store's exchanges (id, time, account, organisation, client IP) in the
 * replay's order, and nothing the engine would observe: five columns, the repeated ones read as
 * dictionary codes as in the start-up reader.
 */
export function storeExchangeSource(store: DuckDbStore, toMs: number | null): ExchangeSource {
  return async (onExchanges) => {
    const [accounts, orgs, ips] = (await readDictionaries(store, QUESTION_CODED)) as [string[], string[], string[]];
    const { withSql, joinSql } = dictionaryJoinSql(QUESTION_CODED);
    const window = replayWindowSql(toMs);
    const result = await store.connection.stream(
      `${withSql}SELECT e.id, epoch_ms(e.ts)::DOUBLE, d_account_id.code, d_org_id.code, d_client_ip.code FROM exchanges e ${joinSql}${window.sql}`,
      window.params,
    );
    for await (const rows of result.yieldRowsJs()) {
      await onExchanges(
        rows.map(([id, ts, account, org, ip]) => ({
          id: id as string,
          ts: ts as number,
          accountId: accounts[account as number]!,
          orgId: org === null ? null : orgs[org as number]!,
          clientIp: ip === null ? null : ips[ip as number]!,
        })),
      );
    }
  };
}

/**
 * Chunks asked of the reader thread ahead of the one being worked on (each 16,384 rows, a few
 * MB): the linking thread is fed each chunk as it arrives, so this is how far ahead of the replay
 * it can link (about 260,000 exchanges, a few days of a store like `default`).
 */
const READ_AHEAD_CHUNKS = 16;

/** On this thread, from an open store (the service's, when it runs a backtest). */
export function storeObservationSource(store: DuckDbStore, module: LiveEngineModule, toMs: number | null): ObservationSource {
  return (onChunk, onRead) =>
    readObservationChunks(store, module, toMs, (chunk) => {
      onRead?.(chunk);
      return onChunk(chunk);
    });
}

/** What the reader thread sends: a run of rows, the exchanges encoded with the service's observation codec. */
export interface EncodedChunk {
  rows: number;
  exchanges: Uint8Array;
  /** Encoded observations, or null when the engine takes columns. */
  observations: Uint8Array | null;
  columns: unknown;
  done: boolean;
}

export interface ReaderThreadOptions {
  dbPath: string;
  memoryLimit: string;
  toMs: number | null;
  engineModuleUrl: URL;
}

/**
 * Reading rows out of DuckDB into JavaScript values costs about as much as the engine's work on
 * them, so a thread of its own reads ahead (opening the store read-only itself), builds the
 * observations and hands them over encoded, as the service's ingest threads do, while this
 * thread observes, scores and decides.
 */
export function readerThreadObservationSource({ dbPath, memoryLimit, toMs, engineModuleUrl }: ReaderThreadOptions): ObservationSource {
  return async (onChunk, onRead) => {
    const pool = createWorkerPool<'next', EncodedChunk>(new URL('./observation-reader-worker.js', import.meta.url), 1, {
      dbPath,
      memoryLimit,
      toMs,
      engineModuleUrl: sourceOrBuiltUrl(engineModuleUrl).href,
    });
    // The next chunks are asked for before this one is worked on, and decoded as soon as they
    // come (the work on this one waits at times, for a relink), so `onRead` sees them early: a
    // thread linking ahead gets that far ahead.
    const decoded = (chunk: EncodedChunk): { chunk: ObservationChunk | null; done: boolean } => {
      if (chunk.rows === 0) return { chunk: null, done: chunk.done };
      const exchanges = decodeObservations(chunk.exchanges) as ReplayedExchange[];
      const observed: ObservationChunk = chunk.observations === null ? { exchanges, columns: chunk.columns } : { exchanges, observations: decodeObservations(chunk.observations) };
      onRead?.(observed);
      return { chunk: observed, done: chunk.done };
    };
    const request = () => {
      const asked = pool.run('next').then(decoded);
      // Awaited in turn; if the work on the chunk before fails first, this one is not.
      asked.catch(() => undefined);
      return asked;
    };
    try {
      const asked = Array.from({ length: READ_AHEAD_CHUNKS }, request);
      for (;;) {
        const { chunk, done } = await asked.shift()!;
        if (chunk !== null) await onChunk(chunk);
        if (done) return;
        asked.push(request());
      }
    } finally {
      await pool.close();
    }
  };
}

/** A module URL that exists: source runs (tests, tsx) have `.ts` where the build has `.js`. */
export function sourceOrBuiltUrl(url: URL): URL {
  const path = fileURLToPath(url);
  if (path.endsWith('.js') && !existsSync(path) && existsSync(path.replace(/\.js$/, '.ts'))) return pathToFileURL(path.replace(/\.js$/, '.ts'));
  return url;
}

/** A chunk as the reader thread sends it, with the buffers to transfer. */
export function encodeChunk(chunk: ObservationChunk, transfer: readonly ArrayBuffer[], done: boolean): { chunk: EncodedChunk; transfer: ArrayBuffer[] } {
  const exchanges = encodeObservations(chunk.exchanges);
  if ('columns' in chunk) return { chunk: { rows: chunk.exchanges.length, exchanges, observations: null, columns: chunk.columns, done }, transfer: [exchanges.buffer as ArrayBuffer, ...transfer] };
  const observations = encodeObservations(chunk.observations);
  return { chunk: { rows: chunk.exchanges.length, exchanges, observations, columns: null, done }, transfer: [exchanges.buffer as ArrayBuffer, observations.buffer as ArrayBuffer] };
}
