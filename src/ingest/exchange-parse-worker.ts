import { parentPort } from 'node:worker_threads';
import { StagedBatchParser, type StagedBatchInput } from './staged-batch-parser.js';

// One parser and one private staging database per thread, kept for the thread's life.
const parser = StagedBatchParser.create();

parentPort?.on('message', (input: StagedBatchInput) => {
  void parser
    .then((ready) => ready.parse(input))
    .then(
      (result) => parentPort!.postMessage({ ok: true, result }, [result.keyHi.buffer as ArrayBuffer, result.keyLo.buffer as ArrayBuffer]),
      (error: Error) => parentPort!.postMessage({ ok: false, message: error.message, stack: error.stack }),
    );
});
