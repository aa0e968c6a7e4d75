import { parentPort, workerData } from 'node:worker_threads';
import type { LiveEngineModule } from '../service/engine/engine-contract.js';
import { decodeObservations } from '../service/engine/observation-codec.js';
import { lowerThisThreadPriority } from '../service/engine/thread-priority.js';
import type { ColumnValue } from '../store/exchange-columns.js';
import { readWorkerData } from '../util/worker-pool.js';
import { observationChunkOf, type ExchangeSource, type ObservationChunk, type ObservationSource, type ReplayedExchange } from './observation-source.js';
import { backtestFromInputs, backtestPolicyOf, backtestWithTraceCache, type BacktestInputs, type BacktestResult, type PortablePolicy, type TraceCacheEntry } from './policy-backtest.js';
import { readCachedTrace } from './trace-cache.js';

/** What the service sends: the start, the store's rows a chunk at a time, then the end. */
export type BacktestThreadTask =
  | {
      op: 'start';
      inputs: BacktestInputs;
      policies: PortablePolicy[];
      fromMs: number | null;
      toMs: number | null;
      stepMs: number;
      relinkIntervalMs: number;
      /** Where to look for the assessments of these exchanges and schedule, and to keep them. */
      traceCache: TraceCacheEntry | null;
    }
  | { op: 'rows'; rows: Uint8Array }
  /** The exchanges' questions only (`ReplayedExchange`s, encoded), when `start` answered that a kept trace decides. */
  | { op: 'questions'; exchanges: Uint8Array }
  | { op: 'finish' };

/** What `start` answers: whether the service may send questions instead of rows. */
export interface BacktestStarted {
  questionsOnly: boolean;
}

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

async function handle(task: BacktestThreadTask): Promise<unknown> {
  const { liveEngineModule } = await engineModule;
  if (task.op === 'start') {
    const options = {
      module: liveEngineModule,
      source: fedSource,
      exchangeSource: fedExchanges,
      policies: task.policies.map(backtestPolicyOf),
      fromMs: task.fromMs,
      toMs: task.toMs,
      stepMs: task.stepMs,
      relinkIntervalMs: task.relinkIntervalMs,
    };
    let started: BacktestStarted = { questionsOnly: false };
    if (task.traceCache === null) running = backtestFromInputs(task.inputs, options);
    else {
      // Read before the first rows come: a kept trace that decides needs only the questions.
      const cached = readCachedTrace(task.traceCache.dir, task.traceCache.key);
      started = { questionsOnly: cached.trace !== null };
      running = backtestWithTraceCache(task.inputs, options, task.traceCache, cached);
    }
    // Failures surface on the next task; this keeps an early one from going unhandled.
    running.catch(() => undefined);
    return started;
  }
  if (running === null) throw new Error('the backtest has not started');
  if (task.op === 'rows') {
    const rows = decodeObservations(task.rows) as ColumnValue[][];
    await Promise.race([offer(observationChunkOf(rows, liveEngineModule)), running]);
    return null;
  }
  if (task.op === 'questions') {
    await Promise.race([offer({ exchanges: decodeObservations(task.exchanges) as ReplayedExchange[], observations: [] }), running]);
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
