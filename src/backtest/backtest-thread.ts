import { parentPort, workerData } from 'node:worker_threads';
import { compilePolicy, type PolicyDocument } from '../service/decisions/decision-policy.js';
import type { LiveEngineModule } from '../service/engine/engine-contract.js';
import { decodeObservations } from '../service/engine/observation-codec.js';
import { lowerThisThreadPriority } from '../service/engine/thread-priority.js';
import type { ColumnValue } from '../store/exchange-columns.js';
import { readWorkerData } from '../util/worker-pool.js';
import { observationChunkOf, questionsOfRows, type ExchangeSource, type ObservationChunk, type ObservationSource } from './observation-source.js';
import { backtestFromInputs, backtestWithTraceCache, type BacktestInputs, type BacktestResult, type TraceCacheEntry } from './policy-backtest.js';
import { readCachedTrace } from './trace-cache.js';

/** What the service sends: the start, the store's rows a chunk at a time, then the end. */
export type BacktestThreadTask =
  | {
      op: 'start';
      inputs: BacktestInputs;
      policies: { name: string; source: string; document: PolicyDocument; version: string }[];
      fromMs: number | null;
      toMs: number | null;
      stepMs: number;
      relinkIntervalMs: number;
      /** Where to look for the assessments of these exchanges and schedule, and to keep them. */
      traceCache: TraceCacheEntry | null;
    }
  | { op: 'rows'; rows: Uint8Array }
  | { op: 'finish' };

// A backtest is a report, not a decision: the service's own threads go first.
lowerThisThreadPriority();

const { engineModuleUrl } = readWorkerData<{ engineModuleUrl: string }>(workerData);
const engineModule = import(engineModuleUrl) as Promise<{ liveEngineModule: LiveEngineModule }>;

interface Offered {
  chunk: ObservationChunk | null;
  taken: () => void;
}
let offered: Offered | null = null;
let taker: ((item: Offered) => void) | null = null;
let running: Promise<BacktestResult> | null = null;

/** Hands a chunk (null: no more) to the replay; resolves once the replay is done with it. */
function offer(chunk: ObservationChunk | null): Promise<void> {
  return new Promise((taken) => {
    const item = { chunk, taken };
    if (taker === null) offered = item;
    else {
      const take = taker;
      taker = null;
      take(item);
    }
  });
}

function take(): Promise<Offered> {
  if (offered !== null) {
    const item = offered;
    offered = null;
    return Promise.resolve(item);
  }
  return new Promise((resolve) => (taker = resolve));
}

const fedSource: ObservationSource = async (onChunk, onRead) => {
  for (;;) {
    const { chunk, taken } = await take();
    try {
      if (chunk === null) return;
      onRead?.(chunk);
      await onChunk(chunk);
    } finally {
      taken();
    }
  }
};

/** The questions of the chunks fed, for a backtest decided from a kept trace. */
const fedExchanges: ExchangeSource = (onExchanges) => fedSource((chunk) => onExchanges(chunk.exchanges));

/** Whether the rows fed are only asked about (a kept trace decides), so the engine's columns need not be built. */
let questionsOnly = false;

async function handle(task: BacktestThreadTask): Promise<unknown> {
  const { liveEngineModule } = await engineModule;
  if (task.op === 'start') {
    const options = {
      module: liveEngineModule,
      source: fedSource,
      exchangeSource: fedExchanges,
      policies: task.policies.map(({ name, source, document, version }) => ({ name, source, policy: compilePolicy(document, version) })),
      fromMs: task.fromMs,
      toMs: task.toMs,
      stepMs: task.stepMs,
      relinkIntervalMs: task.relinkIntervalMs,
    };
    if (task.traceCache === null) running = backtestFromInputs(task.inputs, options);
    else {
      // Read before the first rows come: they are fed as questions only when a kept trace decides.
      const cached = readCachedTrace(task.traceCache.dir, task.traceCache.key);
      questionsOnly = cached.trace !== null;
      running = backtestWithTraceCache(task.inputs, options, task.traceCache, cached);
    }
    // Failures surface on the next task; this keeps an early one from going unhandled.
    running.catch(() => undefined);
    return null;
  }
  if (running === null) throw new Error('the backtest has not started');
  if (task.op === 'rows') {
    const rows = decodeObservations(task.rows) as ColumnValue[][];
    await Promise.race([offer(questionsOnly ? { exchanges: questionsOfRows(rows), observations: [] } : observationChunkOf(rows, liveEngineModule)), running]);
    return null;
  }
  await Promise.race([offer(null), running]);
  return running;
}

parentPort?.on('message', (task: BacktestThreadTask) => {
  void handle(task).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (error: Error) => parentPort!.postMessage({ ok: false, message: error.message, stack: error.stack }),
  );
});
