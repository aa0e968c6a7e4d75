import { parentPort, workerData } from 'node:worker_threads';
import { readWorkerData } from '../../util/worker-pool.js';
import { HttpBatchParser, type HttpBatchInput } from './http-batch-parser.js';
import type { LiveEngineModule } from '../engine/engine-contract.js';
import { lowerThisThreadPriority } from '../engine/thread-priority.js';

lowerThisThreadPriority();

// One parser with its private staging database per thread, kept for the thread's life. The
// engine module (by URL, as the main thread runs it) turns each staged row into an observation.
const { engineModuleUrl } = readWorkerData<{ engineModuleUrl: string }>(workerData);
const parser = (import(engineModuleUrl) as Promise<{ liveEngineModule: LiveEngineModule }>).then(({ liveEngineModule }) =>
  HttpBatchParser.create((row) => liveEngineModule.observationOfRow(row)),
);

parentPort?.on('message', (input: HttpBatchInput) => {
  void parser
    .then((ready) => ready.parse(input))
    .then(
      (result) => {
        const transfer = result.ok ? [result.keyHi.buffer as ArrayBuffer, result.keyLo.buffer as ArrayBuffer, result.observations.buffer as ArrayBuffer] : [];
        parentPort!.postMessage({ ok: true, result }, transfer);
      },
      (error: Error) => parentPort!.postMessage({ ok: false, message: error.message, stack: error.stack }),
    );
});
