import type { DuckDbStore, SourceRecord, StagedFile } from '../../store/duckdb-store.js';
import { commitIngestUnit, QuarantineWriteError, resolveTimestampWindow, type ExchangeIdDeduplicator, type QuarantineRecord, type QuarantineWriter, type TextPolicy, type TimestampWindowSpec } from '../../ingest/index.js';
import type { Logger } from '../../util/log.js';
import { InputError, StoreError, errorMessage } from '../../util/errors.js';
import type { ExchangeBodyFormat } from './exchange-body-decoder.js';
import type { HttpBatchInput, HttpBatchResult, RecordError } from './http-batch-parser.js';
import { PayloadTooLargeError, RetryLaterError } from '../service-errors.js';
import type { StoreGate } from '../store-gate.js';

export interface IngestReceipt {
  /** Non-blank records in the body. */
  received: number;
  stored: number;
  /** Records whose id was already stored (or came twice): accepted, not stored again. */
  duplicates: number;
  quarantined: number;
  /** The first `MAX_LISTED_ERRORS` quarantined records; `quarantined` counts them all. */
  errors: RecordError[];
  errors_truncated: boolean;
}

/** Bounds the 202 body when a whole batch is bad; the quarantine file keeps every record. */
export const MAX_LISTED_ERRORS = 1000;

export interface IngestQueueStats {
  /** Batches accepted and not yet answered (parsing or waiting to commit). */
  batches: number;
  bytes: number;
}

export interface CommittedBatch {
  /** The engine's observations of the batch's rows, encoded (see `engine/observation-codec.ts`). */
  observations: Uint8Array;
  /** Rows of the batch not stored because their id was (duplicates): not to be observed. */
  skipRows: number[];
  orgs: [accountId: string, orgId: string][];
  receipt: IngestReceipt;
  quarantinedByReason: Record<string, number>;
}

export interface ExchangeIngestQueueOptions {
  store: DuckDbStore;
  gate: StoreGate;
  /** The store's exchange ids, opened once at start-up; the queue keeps it up to date. */
  ids: ExchangeIdDeduplicator;
  source: SourceRecord;
  parse: (input: HttpBatchInput) => Promise<HttpBatchResult>;
  stagingDirectory: string;
  textPolicy: TextPolicy;
  /** The exchange times accepted; each batch gets the window of a file ingest starting when it arrives. */
  timestampWindow: TimestampWindowSpec;
  /** The clock a batch's arrival is read from (default `Date.now`). */
  now?: () => number;
  maxDecompressedBytes: number;
  /** Longest record accepted, as `ingest --max-record-bytes`; a longer one is quarantined (`oversize`). */
  maxRecordBytes: number;
  /** Batches waiting or in progress at once; more get 503 with Retry-After. */
  maxQueuedBatches: number;
  /** Body bytes waiting or in progress at once. */
  maxQueuedBytes: number;
  /** Batches whose rows are committed in one transaction at most. */
  maxGroupBatches?: number;
  /** Rows a commit waits to gather while other batches are still being parsed (default 20,000). */
  groupRows?: number;
  /** Longest wait for more parsed batches before committing those ready (default 100 ms). */
  maxLingerMs?: number;
  quarantine: QuarantineWriter;
  logger: Logger;
  /** Called after each commit with what it stored, before the batches are answered. */
  onCommitted: (batches: CommittedBatch[], commitSeconds: number) => void;
}

export interface ExchangeIngestQueue {
  /** Resolves once the batch's rows are committed; rejects with a problem for the client. */
  submit(body: Uint8Array, format: ExchangeBodyFormat, gzip: boolean): Promise<IngestReceipt>;
  stats(): IngestQueueStats;
  /** Refuses new batches and resolves when every accepted batch is committed and answered. */
  drain(): Promise<void>;
}

interface Pending {
  batchId: number;
  bytes: number;
  parsed: HttpBatchResult | null;
  failure: Error | null;
  resolve: (receipt: IngestReceipt) => void;
  reject: (error: Error) => void;
}

/**
 * The HTTP ingest path: bounded admission, parsing on worker threads, and group commit. Parsed
 * batches are committed in arrival order, several per transaction when they queue up, and a
 * batch is answered only after the transaction holding its rows has committed — so a 202 means
 * the exchanges are on disk, and a crash before it means the client retries (ids make that safe).
 */
export function createExchangeIngestQueue(options: ExchangeIngestQueueOptions): ExchangeIngestQueue {
  const { store, gate, ids, logger } = options;
  const maxGroup = options.maxGroupBatches ?? 64;
  const groupRows = options.groupRows ?? 20_000;
  const maxLingerMs = options.maxLingerMs ?? 100;
  let lingerSince: number | null = null;
  let lingerTimer: NodeJS.Timeout | null = null;
  const queue: Pending[] = [];
  let queuedBytes = 0;
  let batchId = 0;
  let draining = false;
  let committing = false;
  const idleWaiters: (() => void)[] = [];
  const checkpoint: SourceRecord = { ...options.source, quarantineByReason: { ...options.source.quarantineByReason } };
  // Recent commit pace, to tell a refused client how long to wait.
  let secondsPerBatch = 0.05;

  // Takes a group out of the queue once, before its clients are answered, so the queue depth
  // a client sees after its answer never counts its own batch.
  const released = new WeakSet<Pending>();
  const release = (group: readonly Pending[]): void => {
    if (group.length === 0 || released.has(group[0]!)) return;
    for (const pending of group) {
      released.add(pending);
      queuedBytes -= pending.bytes;
    }
    queue.splice(0, group.length);
  };

  const retryAfter = (): number => Math.max(1, Math.ceil(queue.length * secondsPerBatch));

  const pump = (): void => {
    if (committing) return;
    const ready: Pending[] = [];
    let readyRows = 0;
    for (const pending of queue) {
      if (pending.parsed === null && pending.failure === null) break;
      ready.push(pending);
      readyRows += pending.parsed?.ok ? pending.parsed.rowCount : 0;
      if (ready.length >= maxGroup) break;
    }
    if (ready.length === 0) {
      lingerSince = null;
      if (queue.length === 0) for (const wake of idleWaiters.splice(0)) wake();
      return;
    }
    // A commit costs much less per row in large groups, so while more batches are still being
    // parsed and the group is small, wait a moment for them (never longer than `maxLingerMs`).
    // With nothing else in flight a batch commits at once.
    if (ready.length < queue.length && ready.length < maxGroup && readyRows < groupRows && !draining) {
      const now = performance.now();
      lingerSince ??= now;
      const left = maxLingerMs - (now - lingerSince);
      if (left > 0) {
        lingerTimer ??= setTimeout(() => {
          lingerTimer = null;
          pump();
        }, left);
        return;
      }
    }
    lingerSince = null;
    if (lingerTimer !== null) {
      clearTimeout(lingerTimer);
      lingerTimer = null;
    }
    committing = true;
    void commitGroup(ready)
      .catch((error: unknown) => {
        // A bug here must not leave clients waiting forever; settled promises ignore this.
        logger.error({ err: error }, 'unexpected failure in the ingest commit loop');
        for (const pending of ready) pending.reject(new StoreError('the batch could not be committed', { cause: error }));
      })
      .finally(() => {
        release(ready);
        committing = false;
        pump();
      });
  };

  const commitGroup = async (group: Pending[]): Promise<void> => {
    const started = performance.now();
    const staged: StagedFile[] = [];
    const screened: { pending: Pending; parsed: Extract<HttpBatchResult, { ok: true }>; duplicateRows: number[] }[] = [];
    for (const pending of group) {
      const parsed = pending.parsed;
      if (pending.failure !== null || parsed === null) {
        pending.reject(pending.failure ?? new StoreError('the batch could not be parsed'));
        continue;
      }
      if (!parsed.ok) {
        pending.reject(parsed.status === 413 ? new PayloadTooLargeError(parsed.message) : new InputError(parsed.message));
        continue;
      }
      const duplicateRows: number[] = [];
      ids.screen(parsed.keyHi, parsed.keyLo, parsed.rowCount, duplicateRows);
      if (parsed.stagedPath !== null) staged.push({ path: parsed.stagedPath, duplicateRows, longestRowBytes: parsed.longestRowBytes });
      screened.push({ pending, parsed, duplicateRows });
    }
    if (screened.length === 0) return;
    const committed: { pending: Pending; batch: CommittedBatch }[] = [];
    const next: SourceRecord = { ...checkpoint, quarantineByReason: { ...checkpoint.quarantineByReason } };
    try {
      await commitIngestUnit(
        { store, ids, quarantine: options.quarantine, access: gate.run },
        {
          staged,
          // Receipts are made once the store has confirmed the ids the filter could not clear.
          settleCounts: () => {
            const quarantine: QuarantineRecord[] = [];
            for (const { pending, parsed, duplicateRows } of screened) {
              const quarantinedByReason: Record<string, number> = {};
              parsed.errors.forEach((error, index) => {
                quarantinedByReason[error.reason] = (quarantinedByReason[error.reason] ?? 0) + 1;
                next.quarantineByReason[error.reason] = (next.quarantineByReason[error.reason] ?? 0) + 1;
                quarantine.push({
                  file: `http:${options.source.sourceId}:${pending.batchId}`,
                  line: error.index + 1,
                  reason: error.reason,
                  field: error.field,
                  message: error.message,
                  raw: parsed.rawExcerpts[index] ?? null,
                  raw_bytes: parsed.rawBytes[index] ?? 0,
                });
              });
              const receipt = receiptOf(parsed, duplicateRows.length);
              next.linesDone += parsed.records;
              next.stored += receipt.stored;
              next.duplicates += receipt.duplicates;
              next.quarantined += receipt.quarantined;
              committed.push({ pending, batch: { observations: parsed.observations, skipRows: duplicateRows, orgs: parsed.orgs, receipt, quarantinedByReason } });
            }
            return { checkpoint: next, quarantine };
          },
        },
      );
    } catch (error) {
      if (!(error instanceof QuarantineWriteError)) {
        logger.error({ error: errorMessage(error), batches: screened.length }, 'committing HTTP batches failed; they were not acknowledged');
        release(group);
        const failure = new RetryLaterError(`the store failed to commit the batch; nothing of it was acknowledged: ${errorMessage(error)}`, { status: 503, retryAfterSeconds: 2 });
        for (const { pending } of screened) pending.reject(failure);
        return;
      }
      // The rows are stored and answered for; only the record of the bad lines is short.
      logger.warn({ error: errorMessage(error.cause) }, error.message);
    }
    Object.assign(checkpoint, next);
    const seconds = (performance.now() - started) / 1000;
    secondsPerBatch = 0.8 * secondsPerBatch + 0.2 * (seconds / Math.max(1, committed.length));
    try {
      options.onCommitted(committed.map(({ batch }) => batch), seconds);
    } catch (error) {
      // Scoring must never turn a stored batch into a failed request: the rows are committed.
      logger.error({ err: error }, 'updating scores after a commit failed');
    }
    release(group);
    for (const { pending, batch } of committed) pending.resolve(batch.receipt);
  };

  return {
    submit(body, format, gzip) {
      if (draining) return Promise.reject(new RetryLaterError('the server is shutting down; send the batch again to the next instance', { status: 503, retryAfterSeconds: 5 }));
      if (queue.length >= options.maxQueuedBatches || (queue.length > 0 && queuedBytes + body.byteLength > options.maxQueuedBytes)) {
        return Promise.reject(
          new RetryLaterError(`the ingest queue is full (${queue.length} batches, ${queuedBytes} bytes waiting); retry after the delay given`, {
            status: 503,
            retryAfterSeconds: retryAfter(),
          }),
        );
      }
      return new Promise<IngestReceipt>((resolve, reject) => {
        const pending: Pending = { batchId: batchId++, bytes: body.byteLength, parsed: null, failure: null, resolve, reject };
        queue.push(pending);
        queuedBytes += pending.bytes;
        options
          .parse({
            body,
            format,
            gzip,
            maxDecompressedBytes: options.maxDecompressedBytes,
            maxRecordBytes: options.maxRecordBytes,
            sourceId: options.source.sourceId,
            batchId: pending.batchId,
            textPolicy: options.textPolicy,
            timestampWindow: resolveTimestampWindow(options.timestampWindow, (options.now ?? Date.now)()),
            stagingDirectory: options.stagingDirectory,
          })
          .then(
            (parsed) => (pending.parsed = parsed),
            (error: Error) => (pending.failure = error),
          )
          .finally(pump);
      });
    },
    stats: () => ({ batches: queue.length, bytes: queuedBytes }),
    drain() {
      draining = true;
      if (queue.length === 0 && !committing) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

function receiptOf(parsed: Extract<HttpBatchResult, { ok: true }>, duplicates: number): IngestReceipt {
  return {
    received: parsed.records,
    stored: parsed.rowCount - duplicates,
    duplicates,
    quarantined: parsed.errors.length,
    errors: parsed.errors.length > MAX_LISTED_ERRORS ? parsed.errors.slice(0, MAX_LISTED_ERRORS) : parsed.errors,
    errors_truncated: parsed.errors.length > MAX_LISTED_ERRORS,
  };
}
