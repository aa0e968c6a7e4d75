import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';

export interface WorkerPool<In, Out> {
  /** Runs one task on the next free worker; results may complete out of submission order. */
  run(input: In, transfer?: readonly TransferListItem[]): Promise<Out>;
  readonly size: number;
  close(): Promise<void>;
}

/** What a pool worker posts back for each task. */
export type WorkerReply<Out> = { ok: true; result: Out } | { ok: false; message: string; stack?: string };

interface Task<In, Out> {
  input: In;
  transfer: readonly TransferListItem[];
  resolve: (value: Out) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed pool of worker threads running one module. Source runs (tests, `tsx`) load the `.ts`
 * worker through tsx's loader; the built package loads the `.js` file beside the caller.
 *
 * @example
 * const pool = createWorkerPool<Batch, Parsed>(new URL('./parse-worker.js', import.meta.url), 2);
 */
export function createWorkerPool<In, Out>(workerUrl: URL, size: number, workerData?: unknown): WorkerPool<In, Out> {
  const script = resolveWorkerScript(workerUrl);
  const idle: Worker[] = [];
  const busy = new Map<Worker, Task<In, Out>>();
  const queue: Task<In, Out>[] = [];
  let failure: Error | null = null;

  const dispatch = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!;
      const task = queue.shift()!;
      busy.set(worker, task);
      worker.postMessage(task.input, task.transfer);
    }
  };

  const workers: Worker[] = [];
  for (let i = 0; i < size; i++) {
    const worker = startWorker(script, workerData);
    worker.on('message', (reply: WorkerReply<Out>) => {
      const task = busy.get(worker);
      busy.delete(worker);
      idle.push(worker);
      if (reply.ok) {
        task?.resolve(reply.result);
      } else {
        const error = new Error(reply.message);
        if (reply.stack) error.stack = reply.stack;
        task?.reject(error);
      }
      dispatch();
    });
    worker.on('error', (error) => {
      failure = error;
      busy.get(worker)?.reject(error);
      busy.delete(worker);
      for (const task of queue.splice(0)) task.reject(error);
    });
    worker.on('exit', (code) => {
      const task = busy.get(worker);
      if (task) {
        busy.delete(worker);
        task.reject(failure ?? new Error(`worker thread exited with code ${code} while working`));
      }
    });
    workers.push(worker);
    idle.push(worker);
  }

  return {
    size,
    run(input, transfer = []) {
      if (failure) return Promise.reject(failure);
      return new Promise<Out>((resolve, reject) => {
        queue.push({ input, transfer, resolve, reject });
        dispatch();
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

// Running from source (tests, tsx): register tsx's loader inside the worker, then load the .ts
// module. The worker's own code reads its data through `workerData.workerData` in that case, so
// `readWorkerData()` hides the difference.
const TS_WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.script); });
`;

/**
 * One worker thread running a module, for a conversation a pool's one-task-one-reply cannot
 * hold (a worker that streams results as it makes them); loaded as a pool's workers are.
 */
export function createWorkerThread(workerUrl: URL, workerData?: unknown, resourceLimits?: ResourceLimits): Worker {
  return startWorker(resolveWorkerScript(workerUrl), workerData, resourceLimits);
}

function startWorker(script: { kind: 'js' | 'ts'; url: URL }, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const limits = resourceLimits === undefined ? {} : { resourceLimits };
  return script.kind === 'js'
    ? new Worker(script.url, { workerData, ...limits })
    : new Worker(TS_WORKER_BOOTSTRAP, { eval: true, workerData: { script: script.url.href, workerData }, ...limits });
}

function resolveWorkerScript(workerUrl: URL): { kind: 'js' | 'ts'; url: URL } {
  const path = fileURLToPath(workerUrl);
  if (path.endsWith('.js') && !existsSync(path)) return { kind: 'ts', url: new URL(workerUrl.href.replace(/\.js$/, '.ts')) };
  return { kind: 'js', url: workerUrl };
}

/** The `workerData` a pool passed, whether the worker runs built or from source. */
export function readWorkerData<T>(data: unknown): T {
  if (data !== null && typeof data === 'object' && 'script' in data && 'workerData' in data) return (data as { workerData: T }).workerData;
  return data as T;
}
