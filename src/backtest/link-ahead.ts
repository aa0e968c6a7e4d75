import type { Account } from '../model/account.js';
import { createWorkerThread } from '../util/worker-pool.js';
import type { ReplayLinker } from './decision-replay.js';
import { sourceOrBuiltUrl, type ObservationChunk } from './observation-source.js';

/** A chunk as the linking thread takes it: the exchanges' times, and what the engine observes. */
export interface LinkAheadChunk {
  ts: Float64Array;
  columns: unknown;
  observations: readonly unknown[] | null;
}

/** What the linking thread posts: each relink's links in order, or why it stopped. */
export type LinkAheadMessage = { n: number; links: unknown } | { n: -1; error: string; stack?: string };

export interface LinkAheadOptions {
  /** The engine module (`LIVE_ENGINE_MODULE_URL`), loaded by the thread as the service's workers load it. */
  engineModuleUrl: URL;
  accounts: readonly Account[];
  stepMs: number;
  relinkIntervalMs: number;
  toMs: number | null;
}

/**
 * Links a replay's relinks on a thread of its own, ahead of the replay. Relinking is most of a
 * backtest's work at the service's hourly interval, and the replay cannot go past a relink until
 * it has its links; the thread keeps a second engine fed with the same exchanges (observing them
 * costs a fraction of linking) and links it at the same rows (`createReplayClock`), so its links
 * are those the replay's own engine would make, while the replay observes, scores and decides.
 */
export function createLinkAhead({ engineModuleUrl, accounts, stepMs, relinkIntervalMs, toMs }: LinkAheadOptions): ReplayLinker {
  const worker = createWorkerThread(new URL('./link-ahead-worker.js', import.meta.url), {
    engineModuleUrl: sourceOrBuiltUrl(engineModuleUrl).href,
    accounts,
    stepMs,
    relinkIntervalMs,
    toMs,
  });
  const ready = new Map<number, unknown>();
  const waiting = new Map<number, { resolve: (links: unknown) => void; reject: (error: Error) => void }>();
  let failure: Error | null = null;
  let closed = false;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const waiter of waiting.values()) waiter.reject(failure);
    waiting.clear();
  };
  worker.on('message', (message: LinkAheadMessage) => {
    if ('error' in message) {
      const error = new Error(`the linking thread failed: ${message.error}`);
      if (message.stack !== undefined) error.stack = message.stack;
      fail(error);
      return;
    }
    const waiter = waiting.get(message.n);
    if (waiter === undefined) ready.set(message.n, message.links);
    else {
      waiting.delete(message.n);
      waiter.resolve(message.links);
    }
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!closed) fail(new Error(`the linking thread exited with code ${code}`));
  });

  return {
    feed(chunk: ObservationChunk) {
      const ts = Float64Array.from(chunk.exchanges, (exchange) => exchange.ts);
      const message: LinkAheadChunk = 'columns' in chunk ? { ts, columns: chunk.columns, observations: null } : { ts, columns: null, observations: chunk.observations };
      worker.postMessage(message, [ts.buffer]);
    },
    links(n) {
      if (ready.has(n)) {
        const links = ready.get(n);
        ready.delete(n);
        return Promise.resolve(links);
      }
      if (failure !== null) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiting.set(n, { resolve, reject }));
    },
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}
