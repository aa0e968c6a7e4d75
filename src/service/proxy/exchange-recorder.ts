import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../util/log.js';
import { errorMessage } from '../../util/errors.js';

/** Submits a batch of contract records (NDJSON) to the store's ingest path; resolves once committed. */
export type RecordSink = (ndjson: Uint8Array) => Promise<unknown>;

export interface ExchangeRecorder {
  /** Queues one exchange (a contract record); never waits and never throws. */
  record(exchange: Record<string, unknown>): void;
  /** False after a batch failed to commit, until one commits again. */
  readonly healthy: boolean;
  readonly queued: number;
  /** Sends what is queued and waits for the batches in flight. */
  flush(): Promise<void>;
  /** Flushes for at most `timeoutMs`, then drops (and counts) what is left; records nothing after. */
  close(timeoutMs?: number): Promise<void>;
}

export interface ExchangeRecorderOptions {
  sink: RecordSink;
  maxQueued: number;
  batchRecords: number;
  lingerMs: number;
  logger: Logger;
  registry: Registry;
}

/**
 * Records the proxy's exchanges through the service's ingest path (the same validation, store
 * commit and engine update as POST /v1/exchanges), off every response's path: a request only
 * appends to a bounded queue, and one batch at a time goes to the store. When the store is slow
 * or gone the queue fills and further exchanges are dropped and counted, never waited for.
 */
export function createExchangeRecorder(options: ExchangeRecorderOptions): ExchangeRecorder {
  const records = new Counter({
    name: 'distillguard_proxy_records_total',
    help: 'Exchanges the proxy recorded, by outcome: committed, or dropped because the queue was full or the store failed',
    labelNames: ['outcome'] as const,
    registers: [options.registry],
  });
  const queueGauge = new Gauge({ name: 'distillguard_proxy_record_queue', help: 'Exchanges waiting to be recorded', registers: [options.registry] });
  let queue: string[] = [];
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let healthy = true;
  let closed = false;

  const send = (): void => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (inFlight !== null || queue.length === 0) return;
    const batch = queue.length <= options.batchRecords ? queue : queue.slice(0, options.batchRecords);
    queue = queue.length <= options.batchRecords ? [] : queue.slice(options.batchRecords);
    queueGauge.set(queue.length);
    const body = Buffer.from(batch.join('\n') + '\n');
    inFlight = (async () => {
      try {
        await options.sink(body);
        records.inc({ outcome: 'committed' }, batch.length);
        healthy = true;
      } catch (error) {
        records.inc({ outcome: 'dropped_store' }, batch.length);
        if (healthy) options.logger.error({ error: errorMessage(error), dropped: batch.length }, 'the store did not take a batch of proxied exchanges; they are dropped and requests go on');
        healthy = false;
      } finally {
        inFlight = null;
      }
      if (queue.length >= options.batchRecords) send();
      else schedule();
    })();
  };
  const schedule = (): void => {
    if (timer === null && queue.length > 0 && !closed) {
      timer = setTimeout(send, options.lingerMs);
      timer.unref();
    }
  };

  return {
    record(exchange) {
      if (queue.length >= options.maxQueued || closed) {
        records.inc({ outcome: 'dropped_full' });
        return;
      }
      queue.push(JSON.stringify(exchange));
      queueGauge.set(queue.length);
      if (queue.length >= options.batchRecords) send();
      else schedule();
    },
    get healthy() {
      return healthy;
    },
    get queued() {
      return queue.length;
    },
    async flush() {
      while (queue.length > 0 || inFlight !== null) {
        send();
        await inFlight;
      }
    },
    async close(timeoutMs = 10_000) {
      let deadline: NodeJS.Timeout | undefined;
      const flushed = await Promise.race([this.flush().then(() => true), new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(false), timeoutMs)))]);
      clearTimeout(deadline);
      closed = true;
      if (timer !== null) clearTimeout(timer);
      if (!flushed) {
        records.inc({ outcome: 'dropped_store' }, queue.length);
        options.logger.error({ dropped: queue.length }, 'the store did not take the last proxied exchanges before the shutdown deadline; they are dropped');
        queue = [];
      }
    },
  };
}
