import { createWorkerPool } from '../util/worker-pool.js';

/** Parses and stages batches on worker threads, or on the calling thread when asked for none. */
export interface BatchParserPool<In, Out> {
  parse(input: In): Promise<Out>;
  /** Batches parsed at once. */
  readonly parallelism: number;
  close(): Promise<void>;
}

export interface BatchParserPoolOptions<In, Out> {
  /** Worker threads; 0 parses on the calling thread. */
  workers: number;
  /** The worker module, which answers each input with a result (see `createWorkerPool`). */
  workerUrl: URL;
  workerData?: unknown;
  /** The parser the calling thread uses when there are no workers. */
  createInline: () => Promise<{ parse(input: In): Promise<Out>; close(): void }>;
  /** The batch's bytes, moved to the worker rather than copied when they own their buffer. */
  bytesOf: (input: In) => Uint8Array;
}

/**
 * The one way the file ingest and the HTTP ingest run their batch parsers. A parser stages rows
 * in its own database, so the inline parser takes batches one after another, as a worker does.
 */
export async function createBatchParserPool<In, Out>(options: BatchParserPoolOptions<In, Out>): Promise<BatchParserPool<In, Out>> {
  if (options.workers === 0) {
    const inline = await options.createInline();
    let queue: Promise<unknown> = Promise.resolve();
    return {
      parse(input) {
        const result = queue.then(() => inline.parse(input));
        queue = result.catch(() => undefined);
        return result;
      },
      parallelism: 1,
      async close() {
        await queue;
        inline.close();
      },
    };
  }
  const pool = createWorkerPool<In, Out>(options.workerUrl, options.workers, options.workerData);
  return {
    parse(input) {
      const bytes = options.bytesOf(input);
      // The producer lets go of a batch once it is handed over, so an owned buffer can move.
      return pool.run(input, ownsBuffer(bytes) ? [bytes.buffer as ArrayBuffer] : []);
    },
    parallelism: options.workers,
    close: () => pool.close(),
  };
}

function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer);
}
