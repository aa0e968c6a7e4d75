import { parentPort, workerData } from 'node:worker_threads';
import { compilePolicy, type PolicyDocument } from '../service/decisions/decision-policy.js';
import type { LiveEngineModule } from '../service/engine/engine-contract.js';
import { decodeObservations } from '../service/engine/observation-codec.js';
import { lowerThisThreadPriority } from '../service/engine/thread-priority.js';
import type { ColumnValue } from '../store/exchange-columns.js';
import { readWorkerData } from '../util/worker-pool.js';
import { observationChunkOf, type ObservationChunk, type ObservationSource } from './observation-source.js';
import { backtestFromInputs, type BacktestInputs, type BacktestResult } from './policy-backtest.js';

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

async function handle(task: BacktestThreadTask): Promise<unknown> {
  const { liveEngineModule } = await engineModule;
  if (task.op === 'start') {
    running = backtestFromInputs(task.inputs, {
      module: liveEngineModule,
      source: fedSource,
      policies: task.policies.map(({ name, source, document, version }) => ({ name, source, policy: compilePolicy(document, version) })),
      fromMs: task.fromMs,
      toMs: task.toMs,
      stepMs: task.stepMs,
      relinkIntervalMs: task.relinkIntervalMs,
    });
    // Failures surface on the next task; this keeps an early one from going unhandled.
    running.catch(() => undefined);
    return null;
  }
  if (running === null) throw new Error('the backtest has not started');
  if (task.op === 'rows') {
    const rows = decodeObservations(task.rows) as ColumnValue[][];
    await Promise.race([offer(observationChunkOf(rows, liveEngineModule)), running]);
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
