import { parentPort, workerData } from 'node:worker_threads';
import type { Account } from '../model/account.js';
import type { LiveEngine, LiveEngineModule } from '../service/engine/engine-contract.js';
import { errorMessage } from '../util/errors.js';
import { readWorkerData } from '../util/worker-pool.js';
import type { LinkAheadChunk, LinkAheadMessage } from './link-ahead.js';
import { createReplayClock } from './replay-clock.js';

// An engine of its own that observes what the replay observes, in the same steps, and links it
// at the same rows; it never scores, so it runs ahead of the replay and each relink's links are
// ready, or nearly, when the replay reaches it.
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

const started = (async () => {
  const { liveEngineModule } = (await import(engineModuleUrl)) as { liveEngineModule: LiveEngineModule };
  const engine: LiveEngine = liveEngineModule.createEngine();
  if (engine.observeAccounts !== undefined && accounts.length > 0) engine.observeAccounts(accounts);
  const clock = createReplayClock(stepMs, relinkIntervalMs);
  let relinks = 0;
  let dirty = false;
  let stopped = false;
  const relink = (): void => {
    dirty = false;
    post({ n: relinks++, links: liveEngineModule.relink(engine.linkInput().input) });
  };
  relink();
  return (chunk: LinkAheadChunk): void => {
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
        if (clock.enter(ts[i]!) && dirty) relink();
      }
    }
    observe(i);
  };
})();

async function work(): Promise<void> {
  const take = await started;
  while (queue.length > 0) take(queue.shift()!);
  working = null;
}

parentPort?.on('message', (chunk: LinkAheadChunk) => {
  queue.push(chunk);
  working ??= work().catch((error: unknown) => post({ n: -1, error: errorMessage(error), stack: error instanceof Error ? error.stack : undefined }));
});
started.catch((error: unknown) => post({ n: -1, error: errorMessage(error), stack: error instanceof Error ? error.stack : undefined }));
