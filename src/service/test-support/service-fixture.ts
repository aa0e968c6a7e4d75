import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DuckDbStore } from '../../store/duckdb-store.js';
import type { ApiKeyRole } from '../../store/service-tables.js';
import { createSilentLogger, type Logger } from '../../util/log.js';
import type { LiveEngineModule } from '../engine/engine-contract.js';
import { createServiceApp, type ServiceRoutes } from '../http/http-app.js';
import { readServiceConfig, type ServiceConfigInput } from '../service-config.js';
import { createServiceCore, type ServiceCore } from '../service-core.js';
import { createScriptedEngineModule, type EngineScript } from './scripted-engine.js';

export interface TestService {
  core: ServiceCore;
  app: FastifyInstance;
  store: DuckDbStore;
  dir: string;
  script: EngineScript;
  /** One live key per role. */
  keys: Record<ApiKeyRole, string>;
  auth(role: ApiKeyRole): { authorization: string };
  close(): Promise<void>;
}

export interface TestServiceOptions {
  config?: Partial<ServiceConfigInput>;
  /** Policy YAML written to a file the service watches. */
  policy?: string;
  dbPath?: string;
  /** The engine, and the URL its threads load it from (the scripted engine's by default). */
  engine?: { module: LiveEngineModule; script: EngineScript; moduleUrl?: URL };
  /** Routes from later stages, as `serve` adds them. */
  routes?: readonly ServiceRoutes[];
  logger?: Logger;
  /** DuckDB's buffer memory; a whole analysis (an intel export) needs more than the default. */
  memoryLimit?: string;
}

/** A whole service (real store, inline parser and relink, scripted engine) for `app.inject()`. */
export async function createTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), 'service-'));
  let policyPath: string | null = null;
  if (options.policy !== undefined) {
    policyPath = join(dir, 'policy.yaml');
    writeFileSync(policyPath, options.policy);
  }
  const dbPath = options.dbPath ?? join(dir, 'store.duckdb');
  const store = await DuckDbStore.open({ path: dbPath, create: true, memoryLimit: options.memoryLimit ?? '256MB' });
  const config = readServiceConfig({
    db: dbPath,
    policyPath,
    policyPollMs: 50,
    ingestWorkers: 0,
    relinkInWorker: false,
    scoringInWorker: false,
    relinkIntervalMs: 3_600_000,
    ...options.config,
  });
  const engine = options.engine ?? createScriptedEngineModule();
  const core = await createServiceCore({
    store,
    config,
    logger: options.logger ?? createSilentLogger(),
    engine: { module: engine.module, moduleUrl: options.engine?.moduleUrl ?? new URL('./scripted-engine.js', import.meta.url) },
  });
  const app = await createServiceApp(core, { routes: options.routes });
  const keys = {} as Record<ApiKeyRole, string>;
  for (const role of ['ingest', 'decide', 'analyst', 'admin'] as const) keys[role] = (await core.createKey({ role, name: `test ${role}` })).key;
  keys.partner = (await core.createKey({ role: 'partner', name: 'test partner', communities: [{ community: 'test', canRead: true, canWrite: true }] })).key;
  return {
    core,
    app,
    store,
    dir,
    script: engine.script,
    keys,
    auth: (role) => ({ authorization: `Bearer ${keys[role]}` }),
    async close() {
      await app.close();
      await core.close();
    },
  };
}
