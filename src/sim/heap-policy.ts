import { setFlagsFromString } from 'node:v8';

/**
 * Old-generation growth allowed after a full collection, in percent of the live heap. Block
 * generation promotes a steady trickle of short-lived session data; with V8's default policy
 * on a machine with plenty of memory, each thread lets its old generation grow to about four
 * times its live heap before collecting (with the world as JS objects, about 1 GB per worker
 * at seed scale, 2.9 GB for the process). Half again the live heap keeps a worker near 1.5
 * times its live data, for about one more full collection every ten blocks.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Applies the growth bound. V8 flags are process-wide and this one is read at every full
 * collection, so it takes effect at once, for the calling thread and every worker.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
