import type { AccountLabel } from '../eval/index.js';
import { createWorkerThread } from '../util/worker-pool.js';
import type { BacktestResult, PortablePolicy } from './policy-backtest.js';

/** A backtest of a store file, as the CLI runs it (`policy backtest`). */
export interface StoreBacktestRequest {
  dbPath: string;
  memoryLimit: string;
  /** The candidate first; documents, since compiled policies do not cross threads. */
  policies: PortablePolicy[];
  labels?: AccountLabel[];
  fromMs: number | null;
  toMs: number | null;
  stepMs: number;
  relinkIntervalMs: number;
  topOrgs: number;
  traceCacheDir: string | null;
}

export type StoreBacktestMessage =
  | { kind: 'progress'; rows: number; total: number; seconds: number }
  | { kind: 'done'; result: BacktestResult }
  | { kind: 'failed'; message: string; stack?: string };

/**
 * The young generation of the replay's thread, in MB (V8's `maxYoungGenerationSizeMb`).
 * Re-scoring makes a few kilobytes per account and step that die within a step or two; with V8's
 * default many of them are still alive when the young generation fills, so they are promoted and
 * the old generation's collections grow. What sizes were tried and what each gave:
 * docs/performance.md, policy backtest.
 */
const REPLAY_YOUNG_GENERATION_MB = 384;

/**
 * Runs the backtest on a thread of its own with a young generation sized for re-scoring
 * (`REPLAY_YOUNG_GENERATION_MB`); `onProgress` hears how far the replay has read.
 */
export function runStoreBacktestOnThread(request: StoreBacktestRequest, onProgress?: (rows: number, total: number, seconds: number) => void): Promise<BacktestResult> {
  return new Promise((resolve, reject) => {
    const worker = createWorkerThread(new URL('./store-backtest-thread.js', import.meta.url), request, { maxYoungGenerationSizeMb: REPLAY_YOUNG_GENERATION_MB });
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      finish();
      void worker.terminate();
    };
    worker.on('message', (message: StoreBacktestMessage) => {
      if (message.kind === 'progress') onProgress?.(message.rows, message.total, message.seconds);
      else if (message.kind === 'done') settle(() => resolve(message.result));
      else
        settle(() => {
          const error = new Error(message.message);
          if (message.stack !== undefined) error.stack = message.stack;
          reject(error);
        });
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the backtest thread exited with code ${code} before it finished`))));
  });
}
