import { parentPort, workerData } from 'node:worker_threads';
import { readWorkerData } from '../../util/worker-pool.js';
import type { LiveEngineModule } from './engine-contract.js';
import { lowerThisThreadPriority } from './thread-priority.js';

// The engine module is named by URL so the worker runs whichever engine the service was built
// with; it exports `relink`, which is pure, so running it here changes nothing on the main thread.
// The service's relinks yield to its request path; a backtest's, which the replay waits on, need not.
const { engineModuleUrl, yieldToOthers = true } = readWorkerData<{ engineModuleUrl: string; yieldToOthers?: boolean }>(workerData);
if (yieldToOthers) lowerThisThreadPriority();
const engineModule = import(engineModuleUrl) as Promise<{ liveEngineModule: LiveEngineModule }>;

parentPort?.on('message', (input: unknown) => {
  void engineModule
    .then(({ liveEngineModule }) => liveEngineModule.relink(input))
    .then(
      (result) => parentPort!.postMessage({ ok: true, result }),
      (error: Error) => parentPort!.postMessage({ ok: false, message: error.message, stack: error.stack }),
    );
});
