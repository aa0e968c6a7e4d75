import { parentPort, workerData } from 'node:worker_threads';
import { LIVE_ENGINE_MODULE_URL } from '../service/engine/detection-engine-module.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { readWorkerData } from '../util/worker-pool.js';
import { readerThreadObservationSource } from './observation-source.js';
import { backtestPolicyOf, runPolicyBacktest } from './policy-backtest.js';
import type { StoreBacktestMessage, StoreBacktestRequest } from './store-backtest.js';

// The CLI's backtest of a store file, on a thread of its own (`runStoreBacktestOnThread`): the
// replay's thread re-scores accounts all along, and a thread can be given the larger young
// generation that work wants, which the main thread only gets from a flag at Node's start.
const request = readWorkerData<StoreBacktestRequest>(workerData);
const post = (message: StoreBacktestMessage): void => parentPort!.postMessage(message);

void (async () => {
  const store = await DuckDbStore.open({ path: request.dbPath, readOnly: true, memoryLimit: request.memoryLimit });
  let result: Awaited<ReturnType<typeof runPolicyBacktest>>;
  try {
    result = await runPolicyBacktest(store, {
      policies: request.policies.map(backtestPolicyOf),
      labels: request.labels,
      fromMs: request.fromMs,
      toMs: request.toMs,
      stepMs: request.stepMs,
      relinkIntervalMs: request.relinkIntervalMs,
      topOrgs: request.topOrgs,
      source: readerThreadObservationSource({ dbPath: request.dbPath, memoryLimit: request.memoryLimit, toMs: request.toMs, engineModuleUrl: LIVE_ENGINE_MODULE_URL }),
      linkAheadModuleUrl: LIVE_ENGINE_MODULE_URL,
      traceCacheDir: request.traceCacheDir,
      onProgress: (rows, total, seconds) => post({ kind: 'progress', rows, total, seconds }),
    });
  } finally {
    store.close();
  }
  // Only once the store is closed: the caller ends this thread on the answer, and ending it
  // while DuckDB closes aborts the whole process.
  post({ kind: 'done', result });
})().catch((error: unknown) => {
  const failure = error instanceof Error ? error : new Error(String(error));
  post({ kind: 'failed', message: failure.message, stack: failure.stack });
});
