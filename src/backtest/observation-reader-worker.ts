import { parentPort, workerData } from 'node:worker_threads';
import { DuckDbStore } from '../store/duckdb-store.js';
import type { LiveEngineModule } from '../service/engine/engine-contract.js';
import { readWorkerData } from '../util/worker-pool.js';
import { encodeChunk, readObservationChunks, type EncodedChunk, type ObservationChunk } from './observation-source.js';

const { dbPath, memoryLimit, toMs, engineModuleUrl } = readWorkerData<{ dbPath: string; memoryLimit: string; toMs: number | null; engineModuleUrl: string }>(workerData);

/** Rows per message: large enough that messaging costs nothing, small enough to keep both threads busy. */
const BATCH_ROWS = 16_384;
/** Messages read ahead of the main thread: memory stays bounded however large the store. */
const READ_AHEAD = 4;

const ready: EncodedChunk[] = [];
const waiting: ((chunk: EncodedChunk) => void)[] = [];
let resume: (() => void) | null = null;
let failed: Error | null = null;

const hand = (chunk: EncodedChunk): void => {
  const next = waiting.shift();
  if (next === undefined) ready.push(chunk);
  else next(chunk);
};

void (async () => {
  const store = await DuckDbStore.open({ path: dbPath, readOnly: true, memoryLimit });
  try {
    const { liveEngineModule } = (await import(engineModuleUrl)) as { liveEngineModule: LiveEngineModule };
    let batch: ObservationChunk[] = [];
    let rows = 0;
    await readObservationChunks(store, liveEngineModule, toMs, async (chunk) => {
      batch.push(chunk);
      rows += chunk.exchanges.length;
      if (rows < BATCH_ROWS) return;
      hand(encodeChunk(batch, false));
      batch = [];
      rows = 0;
      if (ready.length >= READ_AHEAD) await new Promise<void>((resolve) => (resume = resolve));
    });
    hand(encodeChunk(batch, true));
  } finally {
    store.close();
  }
})().catch((error: Error) => {
  failed = error;
  for (const next of waiting.splice(0)) next(undefined as never);
});

parentPort?.on('message', () => {
  const reply = (chunk: EncodedChunk | undefined): void => {
    if (failed !== null || chunk === undefined) {
      parentPort!.postMessage({ ok: false, message: failed?.message ?? 'the reader stopped', stack: failed?.stack });
      return;
    }
    parentPort!.postMessage({ ok: true, result: chunk }, [chunk.exchanges.buffer as ArrayBuffer, chunk.observations.buffer as ArrayBuffer]);
  };
  const chunk = ready.shift();
  if (resume !== null && ready.length < READ_AHEAD) {
    const wake = resume;
    resume = null;
    wake();
  }
  if (chunk !== undefined) reply(chunk);
  else if (failed !== null) reply(undefined);
  else waiting.push(reply);
});
