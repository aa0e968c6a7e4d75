import type { Logger } from '../../util/log.js';
import { errorMessage } from '../../util/errors.js';

export interface RelinkStatus {
  runs: number;
  failures: number;
  running: boolean;
  lastFinishedAt: number | null;
  lastSeconds: number | null;
  lastError: string | null;
}

export interface RelinkSchedulerOptions {
  intervalMs: number;
  /** One whole relink: snapshot, run off the main thread, apply. */
  relink: () => Promise<void>;
  /** Whether anything was observed since the last relink; an idle server does not relink. */
  isDirty: () => boolean;
  logger: Logger;
  onFinished?: (seconds: number, ok: boolean) => void;
}

export interface RelinkScheduler {
  start(): void;
  /** Relinks now (or waits for the run in progress, then runs again if there is new traffic). */
  runNow(): Promise<void>;
  status(): RelinkStatus;
  /** Calls `listener` after each successful relink; returns the function that stops it. */
  onRelinked(listener: () => void): () => void;
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Re-links on a fixed schedule, one run at a time: a run that takes longer than the interval
 * delays the next one instead of piling up behind it. Decisions keep being answered from the
 * previous links while a run is in progress.
 */
export function createRelinkScheduler({ intervalMs, relink, isDirty, logger, onFinished }: RelinkSchedulerOptions): RelinkScheduler {
  const status: RelinkStatus = { runs: 0, failures: 0, running: false, lastFinishedAt: null, lastSeconds: null, lastError: null };
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;
  const listeners = new Set<() => void>();

  const runOnce = async (): Promise<void> => {
    status.running = true;
    const started = performance.now();
    let ok = true;
    try {
      await relink();
      status.lastError = null;
    } catch (error) {
      ok = false;
      status.failures++;
      status.lastError = errorMessage(error);
      logger.error({ error: status.lastError }, 'relink failed; decisions keep the previous links');
    } finally {
      const seconds = (performance.now() - started) / 1000;
      status.runs++;
      status.running = false;
      status.lastSeconds = seconds;
      status.lastFinishedAt = Date.now();
      onFinished?.(seconds, ok);
      logger.debug({ seconds }, 'relinked');
      if (ok) for (const listener of listeners) listener();
    }
  };

  const run = (): Promise<void> => {
    current ??= runOnce().finally(() => (current = null));
    return current;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void (isDirty() ? run() : Promise.resolve()).finally(schedule);
    }, intervalMs);
    timer.unref();
  };

  return {
    start: schedule,
    async runNow() {
      if (current) await current;
      await run();
    },
    status: () => ({ ...status }),
    onRelinked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current;
    },
  };
}
