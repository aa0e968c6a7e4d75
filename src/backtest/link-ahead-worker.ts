import { parentPort, workerData } from 'node:worker_threads';
import type { Account } from '../model/account.js';
import type { LiveEngine, LiveEngineModule } from '../service/engine/engine-contract.js';
import { errorMessage } from '../util/errors.js';
import { createWorkerPool, readWorkerData } from '../util/worker-pool.js';
import type { LinkAheadChunk, LinkAheadMessage } from './link-ahead.js';
import { createReplayClock } from './replay-clock.js';

// An engine of its own that observes what the replay observes, in the same steps, and snapshots
// it at the same rows for linking on another thread; it never scores, so it runs ahead of the
// replay and each relink's links are ready, or nearly, when the replay reaches it.
const { engineModuleUrl, accounts, stepMs, relinkIntervalMs, toMs } = readWorkerData<{
  engineModuleUrl: string;
  accounts: Account[];
  stepMs: number;
  relinkIntervalMs: number;
  toMs: number | null;
}>(workerData);

const post = (message: LinkAheadMessage): void => parentPort!.postMessage(message);
const queue: LinkAheadChunk[] = [];
let working: Promise<void> | null = null;

/**
 * Snapshots whose links are being made at once, at most: linking runs on a thread of its own
 * while this one observes on to the next relink, and a bound keeps the snapshots waiting for it
 * from piling up in memory when it falls behind.
 */
const MAX_LINKING = 2;

const started = (async () => {
  const { liveEngineModule } = (await import(engineModuleUrl)) as { liveEngineModule: LiveEngineModule };
  const engine: LiveEngine = liveEngineModule.createEngine();
  if (engine.observeAccounts !== undefined && accounts.length > 0) engine.observeAccounts(accounts);
  // The service's relink thread, which runs the engine's pure `relink` on a snapshot: one thread,
  // taking snapshots in turn, so the links come back in the replay's order.
  const linker = createWorkerPool<unknown, unknown>(new URL('../service/engine/relink-thread.js', import.meta.url), 1, { engineModuleUrl, yieldToOthers: false });
  const linking = new Set<Promise<void>>();
  const clock = createReplayClock(stepMs, relinkIntervalMs);
  let relinks = 0;
  let dirty = false;
  let stopped = false;
  const relink = async (): Promise<void> => {
    dirty = false;
    const n = relinks++;
    const { input, transfer } = engine.linkInput();
    const done: Promise<void> = linker
      .run(input, transfer)
      .then(
        (links) => post({ n, links }),
        (error: unknown) => post({ n: -1, error: errorMessage(error), stack: error instanceof Error ? error.stack : undefined }),
      )
      .finally(() => linking.delete(done));
    linking.add(done);
    while (linking.size >= MAX_LINKING) await Promise.race(linking);
  };
  await relink();
  return async (chunk: LinkAheadChunk): Promise<void> => {
    if (stopped) return;
    let from = 0;
    const observe = (to: number): void => {
      if (to <= from) return;
      const touched = chunk.columns !== null ? engine.observeColumns!(chunk.columns, from, to) : engine.observe(chunk.observations!.slice(from, to));
      for (const _ of touched) {
        dirty = true;
        break;
      }
      from = to;
    };
    const { ts } = chunk;
    let i = 0;
    for (; i < ts.length; i++) {
      if (toMs !== null && ts[i]! >= toMs) {
        stopped = true;
        break;
      }
      if (clock.newStep(ts[i]!)) {
        observe(i);
        if (clock.enter(ts[i]!) && dirty) await relink();
      }
    }
    observe(i);
  };
})();

async function work(): Promise<void> {
  const take = await started;
  while (queue.length > 0) await take(queue.shift()!);
  working = null;
}

parentPort?.on('message', (chunk: LinkAheadChunk) => {
  queue.push(chunk);
  working ??= work().catch((error: unknown) => post({ n: -1, error: errorMessage(error), stack: error instanceof Error ? error.stack : undefined }));
});
started.catch((error: unknown) => post({ n: -1, error: errorMessage(error), stack: error instanceof Error ? error.stack : undefined }));
