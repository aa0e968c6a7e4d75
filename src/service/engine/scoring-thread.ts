import { parentPort, workerData } from 'node:worker_threads';
import { readWorkerData } from '../../util/worker-pool.js';
import type { AccountAssessment, LiveEngine, LiveEngineModule } from './engine-contract.js';
import { clusterMemberships, flaggedClusterIds } from './inline-scoring.js';
import { decodeObservations } from './observation-codec.js';
import type { ScoringTask } from './threaded-scoring.js';
import { lowerThisThreadPriority } from './thread-priority.js';

lowerThisThreadPriority();

// The engine's whole state lives on this thread; the main thread sends it committed batches
// and questions one at a time (a pool of one) and keeps only the decision book.
const { engineModuleUrl } = readWorkerData<{ engineModuleUrl: string }>(workerData);
const ready = (import(engineModuleUrl) as Promise<{ liveEngineModule: LiveEngineModule }>).then(({ liveEngineModule }) => ({
  module: liveEngineModule,
  engine: liveEngineModule.createEngine() as LiveEngine,
}));

type Updates = [string, AccountAssessment | null][];

// Accounts of start-up rows, scored once the replay is read (`scoreReplayed`).
const replayed = new Set<string>();

function scoreAll(engine: LiveEngine, accountIds: Iterable<string>): Updates {
  const updates: Updates = [];
  for (const accountId of accountIds) updates.push([accountId, engine.scoreAccount(accountId)]);
  return updates;
}

function handle({ module, engine }: { module: LiveEngineModule; engine: LiveEngine }, task: ScoringTask): { result: unknown; transfer?: ArrayBuffer[] } {
  switch (task.op) {
    case 'observe': {
      // Batches in commit order; each account they touch is re-scored once, after all of them.
      const touched = new Set<string>();
      for (const { encoded, skipRows } of task.batches) for (const accountId of engine.observe(decodeObservations(encoded, skipRows))) touched.add(accountId);
      return { result: { updates: scoreAll(engine, touched), accountCount: engine.accountCount } };
    }
    case 'rows':
      for (const accountId of engine.observe(task.rows.map((row) => module.observationOfRow(row)))) replayed.add(accountId);
      return { result: { updates: [], accountCount: engine.accountCount } };
    case 'scoreReplayed': {
      // Every replayed account is scored, or a restarted service would answer "no traffic" for
      // every account no relink happens to touch.
      const updates = scoreAll(engine, replayed);
      replayed.clear();
      return { result: { updates, accountCount: engine.accountCount } };
    }
    case 'accounts':
      engine.observeAccounts?.(task.accounts);
      return { result: { updates: scoreAll(engine, task.accounts.map((account) => account.accountId)), accountCount: engine.accountCount } };
    case 'partners':
      return { result: { updates: scoreAll(engine, engine.observePartnerSightings?.(task.sightings) ?? []), accountCount: engine.accountCount } };
    case 'scoreAll':
      return { result: { updates: scoreAll(engine, task.accountIds), accountCount: engine.accountCount } };
    case 'linkInput': {
      const { input, transfer } = engine.linkInput();
      return { result: input, transfer };
    }
    case 'applyLinks': {
      const changed = [...engine.applyLinks(task.links)];
      return { result: { updates: scoreAll(engine, changed), flaggedClusters: flaggedClusterIds(clusterMemberships(engine)), accountCount: engine.accountCount } };
    }
    case 'account':
      return { result: engine.account(task.accountId) };
    case 'clusters':
      return { result: engine.clusters() };
    case 'templateShapes':
      return { result: engine.templateShapes?.(task.names) ?? task.names.map(() => null) };
    case 'name':
      return { result: engine.name };
  }
}

parentPort?.on('message', (task: ScoringTask) => {
  void ready
    .then((state) => handle(state, task))
    .then(
      ({ result, transfer = [] }) => parentPort!.postMessage({ ok: true, result }, transfer),
      (error: Error) => parentPort!.postMessage({ ok: false, message: error.message, stack: error.stack }),
    );
});
