import { parentPort, workerData } from 'node:worker_threads';
import { DuckDbStore } from '../store/duckdb-store.js';
import type { ColumnValue } from '../store/exchange-columns.js';
import type { LiveEngineModule } from '../service/engine/engine-contract.js';
import { readWorkerData } from '../util/worker-pool.js';
import { CHUNK_ROWS, encodeChunk, observationsOfRows, readObservationChunks, readStoredRows, type EncodedChunk, type ObservationChunk } from './observation-source.js';

const { dbPath, memoryLimit, toMs, engineModuleUrl } = readWorkerData<{ dbPath: string; memoryLimit: string; toMs: number | null; engineModuleUrl: string }>(workerData);

/** Messages read ahead of the main thread: memory stays bounded however large the store. */
const READ_AHEAD = 4;

type Message = { chunk: EncodedChunk; transfer: ArrayBuffer[] };
const ready: Message[] = [];
const waiting: ((message: Message) => void)[] = [];
let resume: (() => void) | null = null;
let failed: Error | null = null;

const hand = (message: Message): void => {
  const next = waiting.shift();
  if (next === undefined) ready.push(message);
  else next(message);
};

void (async () => {
  const store = await DuckDbStore.open({ path: dbPath, readOnly: true, memoryLimit });
  let last: Message;
  try {
    const { liveEngineModule } = (await import(engineModuleUrl)) as { liveEngineModule: LiveEngineModule };
    // Chunks of the store's own size, or, read as rows (which come a few thousand at a time),
    // gathered to that size, so messaging costs nothing beside the work on each.
    let batch: ColumnValue[][] = [];
    const gathered = async (chunk: ObservationChunk, transfer: ArrayBuffer[]): Promise<void> => {
      hand(encodeChunk(chunk, transfer, false));
      if (ready.length >= READ_AHEAD) await new Promise<void>((resolve) => (resume = resolve));
    };
    if (liveEngineModule.columnsOfStore !== undefined) await readObservationChunks(store, liveEngineModule, toMs, gathered);
    else
      await readStoredRows(store, toMs, async (rows) => {
        for (const row of rows) batch.push(row);
        if (batch.length < CHUNK_ROWS) return;
        const { chunk, transfer } = observationsOfRows(batch, liveEngineModule);
        batch = [];
        await gathered(chunk, transfer);
      });
    const { chunk, transfer } = observationsOfRows(batch, liveEngineModule);
    last = encodeChunk(chunk, transfer, true);
  } finally {
    store.close();
  }
  // The last chunk only once the store is closed: the reader is ended as soon as it has the
  // last chunk, and ending this thread while DuckDB closes aborts the whole process.
  hand(last);
})().catch((error: Error) => {
  failed = error;
  for (const next of waiting.splice(0)) next(undefined as never);
});

parentPort?.on('message', () => {
  const reply = (message: Message | undefined): void => {
    if (failed !== null || message === undefined) {
      parentPort!.postMessage({ ok: false, message: failed?.message ?? 'the reader stopped', stack: failed?.stack });
      return;
    }
    parentPort!.postMessage({ ok: true, result: message.chunk }, message.transfer);
  };
  const message = ready.shift();
  if (resume !== null && ready.length < READ_AHEAD) {
    const wake = resume;
    resume = null;
    wake();
  }
  if (message !== undefined) reply(message);
  else if (failed !== null) reply(undefined);
  else waiting.push(reply);
});
