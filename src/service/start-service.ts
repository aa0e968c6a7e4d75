import type { FastifyInstance } from 'fastify';
import { DuckDbStore } from '../store/duckdb-store.js';
import type { Logger } from '../util/log.js';
import { createServiceApp, type ServiceRoutes } from './http/http-app.js';
import { closeAcceptedRequests, listenOrRelease } from './listen.js';
import type { ServiceConfig } from './service-config.js';
import { createServiceCore, type ServiceCore, type ServiceCoreOptions } from './service-core.js';

export interface LiveService {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly core: ServiceCore;
  /**
   * Graceful shutdown: stop accepting connections, finish the requests in flight (each ingest
   * request ends when its batch is committed), drain the queue, checkpoint and close the store.
   */
  close(): Promise<void>;
}

/**
 * How much write-ahead log DuckDB gathers before it checkpoints. Each checkpoint re-compresses
 * the row group being filled, so at DuckDB's default of 16 MB, with commits of a few thousand
 * rows, every row group was compressed about eight times over and compression took a fifth of
 * the server's CPU under ingest. Commits stay durable either way (the log is synced at each
 * commit); a larger log only makes the replay after a crash take a little longer.
 */
const CHECKPOINT_THRESHOLD = '256MB';

/**
 * Opens the store (creating it when missing) with the settings a long-running writer wants and
 * builds the service core on it, recovering what the last run left; closes the store again if
 * that fails. `serve` and `proxy` both start here.
 */
export async function openServiceCore(
  config: ServiceConfig,
  logger: Logger,
  options: Pick<ServiceCoreOptions, 'engine' | 'partnerSightings'> = {},
): Promise<{ store: DuckDbStore; core: ServiceCore }> {
  const store = await DuckDbStore.open({ path: config.db, create: true, memoryLimit: config.memoryLimit });
  try {
    await store.run(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD}'`);
    const core = await createServiceCore({ store, config, logger, ...options });
    return { store, core };
  } catch (error) {
    store.close();
    throw error;
  }
}

export interface LiveServiceOptions extends Pick<ServiceCoreOptions, 'partnerSightings'> {
  /** Routes of other parts (TAXII, policy backtests) registered on the app. */
  routes?: readonly ServiceRoutes[];
}

/** Opens the store, recovers, and listens. */
export async function startLiveService(config: ServiceConfig, logger: Logger, { routes = [], ...coreOptions }: LiveServiceOptions = {}): Promise<LiveService> {
  const { core } = await openServiceCore(config, logger, coreOptions);
  const app = await createServiceApp(core, { routes });
  const url = await listenOrRelease(app, config, () => core.close());
  let closing: Promise<void> | null = null;
  return {
    url,
    app,
    core,
    close() {
      closing ??= (async () => {
        logger.info('shutting down: no new connections; finishing accepted batches');
        await closeAcceptedRequests(app, config.shutdownTimeoutMs);
        await core.close();
      })();
      return closing;
    },
  };
}
