import type { FastifyInstance } from 'fastify';
import { DuckDbStore } from '../../store/duckdb-store.js';
import type { Logger } from '../../util/log.js';
import type { LiveEngineModule } from '../engine/engine-contract.js';
import type { ServiceConfig } from '../service-config.js';
import type { ServiceCore, ServiceCoreOptions } from '../service-core.js';
import { openServiceCore } from '../start-service.js';
import { createCallerIdentifier } from './caller-identity.js';
import { createExchangeRecorder, type ExchangeRecorder, type RecordSink } from './exchange-recorder.js';
import { createProxyApp } from './proxy-app.js';
import type { ProxyConfig } from './proxy-config.js';
import { closeAcceptedRequests, listenOrRelease } from '../listen.js';

export interface LiveProxy {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly core: ServiceCore;
  readonly store: DuckDbStore;
  readonly recorder: ExchangeRecorder;
  close(): Promise<void>;
}

export interface StartProxyOptions {
  service: ServiceConfig;
  proxy: ProxyConfig;
  logger: Logger;
  /** The engine to run, as for `createServiceCore`; tests script one. */
  engine?: { module: LiveEngineModule; moduleUrl: URL };
  /** What partners shared that matches the store's accounts, as for `createServiceCore`. */
  partnerSightings?: ServiceCoreOptions['partnerSightings'];
  /** Where recorded exchanges go; the service's ingest queue unless a test says otherwise. */
  sink?: (core: ServiceCore) => RecordSink;
}

/**
 * Opens the store, builds the service core (engine, decisions, ingest) and puts the proxy in
 * front of it: one process that decides on, forwards and records every request.
 */
export async function startProxy(options: StartProxyOptions): Promise<LiveProxy> {
  const { service: config, logger } = options;
  const { store, core } = await openServiceCore(config, logger, { ...(options.engine ? { engine: options.engine } : {}), ...(options.partnerSightings ? { partnerSightings: options.partnerSightings } : {}) });
  const ingest = core.ingest;
  const recorder = createExchangeRecorder({
    sink: options.sink?.(core) ?? ((body) => ingest.submit(body, 'ndjson', false)),
    maxQueued: options.proxy.recordQueue,
    batchRecords: options.proxy.recordBatch,
    lingerMs: options.proxy.recordLingerMs,
    logger,
    registry: core.metrics.registry,
  });
  const app = await createProxyApp({
    config: options.proxy,
    decide: (query) => core.book.decide(query, core.policy.current()),
    recorder,
    identify: createCallerIdentifier({ ...options.proxy, hashKey: store.hashKey }),
    registry: core.metrics.registry,
    logger,
    bodyLimit: config.maxBodyBytes,
  });
  const url = await listenOrRelease(app, config, () => core.close());
  let closing: Promise<void> | null = null;
  return {
    url,
    app,
    core,
    store,
    recorder,
    close() {
      closing ??= (async () => {
        await closeAcceptedRequests(app, config.shutdownTimeoutMs);
        await recorder.close(config.shutdownTimeoutMs);
        await core.close();
      })();
      return closing;
    },
  };
}
