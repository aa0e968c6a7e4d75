import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createBatchParserPool, createQuarantineWriter, ExchangeIdDeduplicator, type BatchParserPool, type QuarantineWriter } from '../ingest/index.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { ensureServiceTables, insertApiKey, insertLabel, listApiKeys, listLabels, revokeApiKey, type ApiKeyRecord, type ApiKeyRole, type KeyCommunity, type LabelRecord, type LabelTarget, type LabelVerdict } from '../store/service-tables.js';
import { createWorkerPool } from '../util/worker-pool.js';
import type { Logger } from '../util/log.js';
import { errorMessage } from '../util/errors.js';
import { createApiKeyRegistry, generateApiKey, type ApiKeyRegistry, type NewApiKey } from './api-keys.js';
import { DecisionBook } from './decisions/decision-book.js';
import { replayStoredRows } from './engine/engine-recovery.js';
import { readAccounts } from '../store/analysis-queries.js';
import { LIVE_ENGINE_MODULE_URL, liveEngineModule } from './engine/detection-engine-module.js';
import { createExchangeIngestQueue, type ExchangeIngestQueue } from './ingest/exchange-ingest-queue.js';
import { HttpBatchParser, type HttpBatchInput, type HttpBatchResult } from './ingest/http-batch-parser.js';
import type { LiveEngineModule, PartnerSightings } from './engine/engine-contract.js';
import { createInlineScoring, type LiveScoring } from './engine/inline-scoring.js';
import { createWorkerScoring } from './engine/threaded-scoring.js';
import { createPolicySource, type PolicySource } from './decisions/policy-source.js';
import { createRelinkScheduler, type RelinkScheduler, type RelinkStatus } from './engine/relink-scheduler.js';
import type { ServiceConfig } from './service-config.js';
import { createServiceMetrics, type ServiceMetrics } from './service-metrics.js';
import { createStoreGate } from './store-gate.js';
import { ingestAccounts, type AccountReceipt } from './ingest/account-ingest.js';
import type { ExchangeBodyFormat } from './ingest/exchange-body-decoder.js';
import { RetryLaterError } from './service-errors.js';
import { createAuditTrail, type AuditActor, type AuditTrail } from './audit-trail.js';

export interface ServiceCoreOptions {
  store: DuckDbStore;
  config: ServiceConfig;
  logger: Logger;
  /** The engine to run; defaults to the one in `engine/detection-engine-module.ts`. Its URL is what a relink worker loads. */
  engine?: { module: LiveEngineModule; moduleUrl: URL };
  metrics?: ServiceMetrics;
  now?: () => number;
  /**
   * What partners shared that matches accounts of the store (`readPartnerSightings` in
   * `src/intel`), read at start-up and before every relink, so indicators partners push to the
   * service count in its decisions as they do in `analyze`. None when not given.
   */
  partnerSightings?: (store: DuckDbStore) => Promise<PartnerSightings>;
}

export interface HealthReport {
  status: 'ok' | 'draining';
  engine: string;
  accounts: number;
  exchanges_recovered: number;
  /** Committed exchanges not yet folded into the scores. */
  scoring_backlog: number;
  policy_version: string;
  ingest_queue: { batches: number; bytes: number };
  relink: RelinkStatus;
  uptime_seconds: number;
}

/**
 * Everything the service does apart from HTTP: the store and its gate, the keys, the policy,
 * the engine with its decision book, the ingest queue and the relink schedule. Built once at
 * start-up, after recovering the state a previous run left in the store.
 */
export interface ServiceCore {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly keys: ApiKeyRegistry;
  readonly policy: PolicySource;
  readonly book: DecisionBook;
  /** The detection engine as the service drives it (on its own thread under `serve`). */
  readonly scoring: LiveScoring;
  readonly ingest: ExchangeIngestQueue;
  readonly relink: RelinkScheduler;
  /** The append-only record of verdicts, triage status and key changes. */
  readonly audit: AuditTrail;
  /** `actor` is who made the key, for the audit log. */
  createKey(input: { role: ApiKeyRole; name?: string | null; rateLimit?: number | null; communities?: readonly KeyCommunity[] }, actor?: AuditActor): Promise<NewApiKey>;
  /** Revokes a key; returns its record, or null when there is no such key. */
  revokeKey(keyId: string, actor?: AuditActor): Promise<ApiKeyRecord | null>;
  /** Runs a read on the store, queued behind commits like every other use of it. */
  readStore<T>(read: (store: DuckDbStore) => Promise<T>): Promise<T>;
  /** Stores account records (POST /v1/accounts) and hands them to the engine. */
  ingestAccounts(body: Uint8Array, format: ExchangeBodyFormat, gzip: boolean): Promise<AccountReceipt>;
  recordLabel(input: { target: LabelTarget; targetId: string; verdict: LabelVerdict; note: string | null; analyst: string }): Promise<LabelRecord>;
  labels(): readonly LabelRecord[];
  /** Resolves when every committed exchange so far is reflected in the decision book. */
  scoringIdle(): Promise<void>;
  /** The store as it is now, for a long read beside the live commits (see `DuckDbStore.snapshot`); close it when done. */
  snapshot(): Promise<DuckDbStore>;
  /** Runs short store work between the ingest's commits (routes from later stages write through here). */
  withStore<T>(work: (store: DuckDbStore) => Promise<T>): Promise<T>;
  /** The engine module the service runs, for a thread that must run the same engine. */
  readonly engineModuleUrl: URL;
  /** The Prometheus exposition text, gauges brought up to date. */
  renderMetrics(): Promise<string>;
  health(): HealthReport;
  /** Drains accepted batches, stops the schedule and workers, checkpoints and closes the store. */
  close(): Promise<void>;
}

export async function createServiceCore(options: ServiceCoreOptions): Promise<ServiceCore> {
  const { store, config, logger } = options;
  const now = options.now ?? Date.now;
  const started = now();
  const metrics = options.metrics ?? createServiceMetrics();
  const gate = createStoreGate();
  const engineChoice = options.engine ?? { module: liveEngineModule, moduleUrl: LIVE_ENGINE_MODULE_URL };

  await gate.run(() => ensureServiceTables(store));
  const keys = createApiKeyRegistry(await gate.run(() => listApiKeys(store)));
  const labelHistory = await gate.run(() => listLabels(store));
  const book = new DecisionBook();
  for (const label of labelHistory) book.applyLabel(label);
  const audit = await createAuditTrail(store, gate, keys, now);

  const policy = await createPolicySource({
    path: config.policyPath,
    logger,
    pollMs: config.policyPollMs,
    onReload: (outcome) => metrics.policyReloads.inc({ outcome }),
  });

  const closers: (() => Promise<void> | void)[] = [() => policy.close()];
  try {
    const engineModuleUrl = resolveModuleUrl(engineChoice.moduleUrl);
    const relinkPool = config.relinkInWorker
      ? createWorkerPool<unknown, unknown>(new URL('./engine/relink-thread.js', import.meta.url), 1, { engineModuleUrl: engineModuleUrl.href })
      : null;
    if (relinkPool) closers.push(() => relinkPool.close());
    const runRelink = relinkPool
      ? (input: unknown, transfer: ArrayBuffer[]) => relinkPool.run(input, transfer)
      : async (input: unknown) => engineChoice.module.relink(input);
    const scoring: LiveScoring = config.scoringInWorker
      ? await createWorkerScoring({ engineModuleUrl, book, runRelink, logger })
      : createInlineScoring({
          module: engineChoice.module,
          book,
          runRelink,
          onError: (error) => logger.error({ error: errorMessage(error) }, 'the engine failed on a committed batch; its accounts keep their previous assessment'),
        });
    closers.push(() => scoring.close());

    const readSightings = options.partnerSightings;
    const refreshPartnerSightings = async () => {
      if (readSightings === undefined) return;
      try {
        scoring.observePartnerSightings(await gate.run(() => readSightings(store)));
      } catch (error) {
        // Partner evidence is second-hand: without it the engine still judges what it sees.
        logger.warn({ error: errorMessage(error) }, 'could not read partner indicators; scores go on without them');
      }
    };
    const relink = createRelinkScheduler({
      intervalMs: config.relinkIntervalMs,
      relink: async () => {
        await refreshPartnerSightings();
        await scoring.relink();
      },
      isDirty: () => scoring.dirty,
      logger,
      onFinished: (seconds, ok) => {
        if (ok) {
          metrics.relinkSeconds.observe(seconds);
          metrics.relinkLastSuccess.set(Date.now() / 1000);
        } else {
          metrics.relinkFailures.inc();
        }
      },
    });
    closers.unshift(() => relink.stop());

    const recoveryStarted = performance.now();
    scoring.observeAccounts(await gate.run(() => readAccounts(store)));
    const recovered = await gate.run(() =>
      replayStoredRows(store, async (rows, orgs) => {
        scoring.observeRows(rows, orgs);
        // Bounded memory however large the store: read on once the engine has caught up.
        if (scoring.backlog > 50_000) await scoring.idle();
      }, engineChoice.module.observedColumns),
    );
    scoring.scoreReplayed();
    // Through the scheduler, so /healthz counts the start-up relink like every other.
    await relink.runNow();
    // The count /healthz reports: accounts with a recovered score, once every score has landed.
    await scoring.idle();
    logger.info({ exchanges: recovered, accounts: book.accountCount, engine: scoring.engineName, seconds: round((performance.now() - recoveryStarted) / 1000) }, 'recovered scores from the store');


    // Room for a large day of traffic on top of what is stored; the filter caps its own size.
    const ids = await gate.run(() => ExchangeIdDeduplicator.open(store, { expectedNewIds: 16_000_000 }));
    const source = await gate.run(() => store.createSource('http', 'http', `http:${new Date(started).toISOString()}:${randomBytes(4).toString('hex')}`));
    const stagingDirectory = store.path === ':memory:' ? join(tmpdir(), `distillguard-http-${process.pid}-${randomBytes(4).toString('hex')}`) : `${store.path}.http-staging`;
    // Files left by a killed run belong to batches that were never acknowledged.
    await rm(stagingDirectory, { recursive: true, force: true });
    await mkdir(stagingDirectory, { recursive: true });
    closers.push(() => rm(stagingDirectory, { recursive: true, force: true }));
    const parser = await createParser(config.ingestWorkers, engineChoice.module, resolveModuleUrl(engineChoice.moduleUrl));
    closers.push(() => parser.close());
    const quarantine: QuarantineWriter = createQuarantineWriter(config.quarantinePath);
    closers.push(() => quarantine.close());

    const ingest = createExchangeIngestQueue({
      store,
      gate,
      ids,
      source,
      parse: parser.parse,
      stagingDirectory,
      textPolicy: config.textPolicy,
      timestampWindow: config.timestampWindow,
      now,
      maxDecompressedBytes: config.maxDecompressedBytes,
      maxRecordBytes: config.maxRecordBytes,
      maxQueuedBatches: config.maxQueuedBatches,
      maxQueuedBytes: config.maxQueuedBytes,
      quarantine,
      logger,
      onCommitted: (batches, seconds) => {
        metrics.ingestCommitSeconds.observe(seconds);
        for (const batch of batches) {
          const { receipt, quarantinedByReason, observations } = batch;
          metrics.ingestBatches.inc({ outcome: 'committed' });
          metrics.ingestExchanges.inc({ outcome: 'stored' }, receipt.stored);
          if (receipt.duplicates > 0) metrics.ingestExchanges.inc({ outcome: 'duplicate' }, receipt.duplicates);
          if (receipt.quarantined > 0) metrics.ingestExchanges.inc({ outcome: 'quarantined' }, receipt.quarantined);
          for (const [reason, count] of Object.entries(quarantinedByReason)) metrics.ingestQuarantined.inc({ reason }, count);
          scoring.observeBatch(observations, receipt.stored + receipt.duplicates, batch.skipRows, batch.orgs);
        }
        metrics.accountsTracked.set(book.accountCount);
      },
    });
    metrics.accountsTracked.set(book.accountCount);
    relink.start();

    let draining = false;
    let accountBatches = 0;
    let closed: Promise<void> | null = null;
    return {
      config,
      logger,
      metrics,
      keys,
      policy,
      book,
      scoring,
      ingest,
      relink,
      audit,
      async createKey(input, actor = { keyId: 'cli' }) {
        const created = generateApiKey(input, now());
        await gate.run(() => insertApiKey(store, created.record));
        keys.put(created.record);
        await audit.record({ action: 'key_created', actor, target: 'key', targetId: created.record.keyId, value: created.record.role, previous: null, note: created.record.name });
        return created;
      },
      async revokeKey(keyId, actor = { keyId: 'cli' }) {
        const at = now();
        const found = await gate.run(() => revokeApiKey(store, keyId, at));
        if (!found) return null;
        const record = keys.get(keyId);
        if (record === undefined) return null;
        const revoked = { ...record, revokedAt: record.revokedAt ?? at };
        keys.put(revoked);
        await audit.record({ action: 'key_revoked', actor, target: 'key', targetId: keyId, value: 'revoked', previous: record.revokedAt === null ? record.role : 'revoked' });
        return revoked;
      },
      readStore: (read) => gate.run(() => read(store)),
      ingestAccounts(body, format, gzip) {
        if (draining) return Promise.reject(new RetryLaterError('the server is shutting down', { status: 503, retryAfterSeconds: 5 }));
        return ingestAccounts(
          {
            store,
            gate,
            quarantine,
            logger,
            sourceId: source.sourceId,
            batchName: `http-accounts:${source.sourceId}:${accountBatches++}`,
            textPolicy: config.textPolicy,
            maxDecompressedBytes: config.maxDecompressedBytes,
            maxRecordBytes: config.maxRecordBytes,
            onStored: (accounts) => scoring.observeAccounts(accounts),
          },
          body,
          format,
          gzip,
        );
      },
      async recordLabel(input) {
        const previous = book.verdictFor(input.target, input.targetId)?.verdict ?? null;
        const label = await gate.run(() => insertLabel(store, { ...input, createdAt: now() }));
        labelHistory.push(label);
        book.applyLabel(label);
        // Cluster ids change between relinks: the members at the time say whom the verdict meant.
        const members = input.target === 'cluster' ? (await scoring.clusters()).find((cluster) => cluster.cluster_id === input.targetId)?.accounts : undefined;
        await audit.record({
          action: 'verdict',
          actor: { keyId: input.analyst },
          target: input.target,
          targetId: input.targetId,
          value: input.verdict,
          previous,
          note: input.note,
          detail: { label_id: label.labelId, ...(members === undefined ? {} : { members }) },
        });
        return label;
      },
      labels: () => labelHistory,
      scoringIdle: () => scoring.idle(),
      snapshot: () => gate.run(() => store.snapshot()),
      withStore: (work) => gate.run(() => work(store)),
      engineModuleUrl,
      async renderMetrics() {
        const queue = ingest.stats();
        metrics.ingestQueueBatches.set(queue.batches);
        metrics.ingestQueueBytes.set(queue.bytes);
        metrics.accountsTracked.set(book.accountCount);
        return metrics.registry.metrics();
      },
      health: () => ({
        status: draining ? 'draining' : 'ok',
        engine: scoring.engineName,
        accounts: book.accountCount,
        exchanges_recovered: recovered,
        scoring_backlog: scoring.backlog,
        policy_version: policy.current().version,
        ingest_queue: ingest.stats(),
        relink: relink.status(),
        uptime_seconds: Math.round((now() - started) / 1000),
      }),
      close() {
        closed ??= (async () => {
          draining = true;
          const drained = await withTimeout(ingest.drain(), config.shutdownTimeoutMs);
          if (!drained) logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown: accepted batches did not finish in time; unacknowledged ones are lost, acknowledged ones are stored');
          await runClosers(closers, logger);
          try {
            await gate.run(() => store.checkpoint());
            store.close();
            logger.info('store checkpointed and closed');
          } catch (error) {
            // A store that failed while the service ran is reported where it failed; shutdown
            // still ends, and what was committed is in its write-ahead log for the next start.
            logger.error({ err: error }, 'shutdown: the store could not be checkpointed and closed');
          }
        })();
        return closed;
      },
    };
  } catch (error) {
    await runClosers(closers, logger);
    throw error;
  }
}

function createParser(workers: number, engineModule: LiveEngineModule, engineModuleUrl: URL): Promise<BatchParserPool<HttpBatchInput, HttpBatchResult>> {
  return createBatchParserPool<HttpBatchInput, HttpBatchResult>({
    workers,
    workerUrl: new URL('./ingest/batch-parse-thread.js', import.meta.url),
    workerData: { engineModuleUrl: engineModuleUrl.href },
    createInline: () => HttpBatchParser.create((row) => engineModule.observationOfRow(row)),
    bytesOf: (input) => input.body,
  });
}

/** A module URL that exists: source runs (tests, tsx) have `.ts` where the build has `.js`. */
function resolveModuleUrl(url: URL): URL {
  const path = fileURLToPath(url);
  if (path.endsWith('.js') && !existsSync(path) && existsSync(path.replace(/\.js$/, '.ts'))) return pathToFileURL(path.replace(/\.js$/, '.ts'));
  return url;
}

async function withTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runClosers(closers: readonly (() => Promise<void> | void)[], logger: Logger): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (error) {
      logger.warn({ err: error }, 'error while shutting down a service part');
    }
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
