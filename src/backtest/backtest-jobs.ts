import { randomBytes } from 'node:crypto';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { encodeObservations } from '../service/engine/observation-codec.js';
import type { Logger } from '../util/log.js';
import { errorMessage } from '../util/errors.js';
import { createWorkerPool } from '../util/worker-pool.js';
import type { BacktestStarted, BacktestThreadTask } from './backtest-thread.js';
import { readStoredRows, storeExchangeSource } from './observation-source.js';
import { readBacktestInputs, type BacktestResult, type PortablePolicy } from './policy-backtest.js';
import { traceKey } from './trace-cache.js';

export interface BacktestRequest {
  policies: PortablePolicy[];
  fromMs: number | null;
  toMs: number | null;
  stepMs: number;
  relinkIntervalMs: number;
}

export interface BacktestJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  startedAt: number;
  finishedAt: number | null;
  /** Exchanges handed to the replay so far, and how many it will read. */
  rowsRead: number;
  rowsTotal: number | null;
  result: BacktestResult | null;
  error: string | null;
}

export interface BacktestJobs {
  /** Starts a backtest, or returns null while another is running (one at a time). */
  start(request: BacktestRequest): BacktestJob | null;
  get(id: string): BacktestJob | undefined;
  close(): Promise<void>;
}

/** Rows per message to the backtest's thread: large enough that messaging costs little, small enough to keep memory flat. */
const ROWS_PER_MESSAGE = 8_192;
/** Finished jobs kept for their results; older ones are forgotten first. */
const KEPT_JOBS = 20;

/**
 * Backtests run by the service: the rows come from a snapshot of the live store (its own
 * connection and read transaction, so ingest commits go on), and the replay runs on a thread of
 * its own at low priority, so `/v1/decide` never waits for it. Results stay in memory.
 */
export function createBacktestJobs({
  snapshot,
  engineModuleUrl,
  logger,
  traceCacheDir = null,
  now = Date.now,
}: {
  snapshot: () => Promise<DuckDbStore>;
  engineModuleUrl: URL;
  logger: Logger;
  /** Where assessment traces are kept and looked for (`trace-cache.ts`); null keeps none. */
  traceCacheDir?: string | null;
  now?: () => number;
}): BacktestJobs {
  const jobs = new Map<string, BacktestJob>();
  let running: Promise<void> | null = null;
  let closing = false;

  const run = async (job: BacktestJob, request: BacktestRequest): Promise<void> => {
    const store = await snapshot();
    const pool = createWorkerPool<BacktestThreadTask, unknown>(new URL('./backtest-thread.js', import.meta.url), 1, { engineModuleUrl: engineModuleUrl.href });
    try {
      const inputs = await readBacktestInputs(store, request.toMs);
      job.rowsTotal = inputs.total;
      // Keyed on the snapshot: a window that ends in the past keeps its key while traffic comes in.
      const traceCache = traceCacheDir === null ? null : { dir: traceCacheDir, key: await traceKey(store, { stepMs: request.stepMs, relinkIntervalMs: request.relinkIntervalMs, toMs: request.toMs }) };
      const { questionsOnly } = (await pool.run({ op: 'start', inputs, ...request, traceCache })) as BacktestStarted;
      let pending: unknown[] = [];
      const send = async (): Promise<void> => {
        const encoded = encodeObservations(pending);
        job.rowsRead += pending.length;
        pending = [];
        const task: BacktestThreadTask = questionsOnly ? { op: 'questions', exchanges: encoded } : { op: 'rows', rows: encoded };
        await pool.run(task, [encoded.buffer as ArrayBuffer]);
      };
      const collect = async (items: readonly unknown[]): Promise<void> => {
        if (closing) throw new Error('the service is shutting down');
        pending.push(...items);
        if (pending.length >= ROWS_PER_MESSAGE) await send();
      };
      // A kept trace decides: the thread needs the exchanges' questions, not the rows the engine would observe.
      if (questionsOnly) await storeExchangeSource(store, request.toMs)(collect);
      else await readStoredRows(store, request.toMs, collect);
      if (pending.length > 0) await send();
      job.result = (await pool.run({ op: 'finish' })) as BacktestResult;
      const { trace } = job.result.replay;
      if (trace.note !== null) logger.warn({ backtest: job.id, trace: trace.path }, trace.note);
    } finally {
      job.finishedAt = now();
      store.close();
      await pool.close();
    }
  };

  return {
    start(request) {
      if (running !== null) return null;
      const job: BacktestJob = { id: `bt_${randomBytes(6).toString('hex')}`, status: 'running', startedAt: now(), finishedAt: null, rowsRead: 0, rowsTotal: null, result: null, error: null };
      jobs.set(job.id, job);
      for (const id of jobs.keys()) if (jobs.size > KEPT_JOBS && jobs.get(id)!.status !== 'running') jobs.delete(id);
      logger.info({ backtest: job.id, policies: request.policies.map((policy) => policy.source) }, 'backtest started');
      // The job reads as finished only once its snapshot and thread are closed and the next one
      // may start: a client that polls until then and sends another is not turned away.
      running = run(job, request).then(
        () => {
          running = null;
          job.status = 'done';
          logger.info({ backtest: job.id, seconds: (now() - job.startedAt) / 1000, exchanges: job.rowsRead, trace: job.result?.replay.trace.use }, 'backtest finished');
        },
        (error: unknown) => {
          running = null;
          job.status = 'failed';
          job.error = errorMessage(error);
          logger.error({ backtest: job.id, error: job.error }, 'backtest failed');
        },
      );
      return job;
    },
    get: (id) => jobs.get(id),
    async close() {
      closing = true;
      await running;
    },
  };
}
