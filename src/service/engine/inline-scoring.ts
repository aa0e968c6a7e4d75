import type { Account } from '../../model/account.js';
import type { AccountFinding, ClusterFinding } from '../../model/findings.js';
import type { ColumnValue } from '../../store/exchange-columns.js';
import type { AssessmentSink, AccountAssessment, ClusterMembership, LiveEngine, LiveEngineModule, PartnerSightings, TemplateShape } from './engine-contract.js';
import { decodeObservations } from './observation-codec.js';

/**
 * The engine as the service drives it, wherever it runs, keeping the decision book in step:
 * after each committed batch the accounts it touched are re-scored, and after each relink every
 * account whose links changed is. Two implementations: the engine in a worker thread of its own
 * (`createWorkerScoring`, what `serve` runs, so no engine step ever delays a decision), and in
 * this thread in small slices (`createInlineScoring`, for tests and embedding).
 */
export interface LiveScoring {
  readonly engineName: string;
  /** Accounts the engine holds state for, as of its last report. */
  readonly accountCount: number;
  /** A committed batch: its encoded observations of `rowCount` rows, the rows not stored (duplicates), the accounts' organisations. */
  observeBatch(encoded: Uint8Array, rowCount: number, skipRows: readonly number[], orgs: readonly (readonly [string, string])[]): void;
  /**
   * Store rows read back at start-up (`EXCHANGE_COLUMNS` order), oldest first. Their accounts
   * are scored by `scoreReplayed`, once, not after every chunk: a replay of a large store would
   * otherwise score its busy accounts thousands of times, each against a population still
   * being read.
   */
  observeRows(rows: ColumnValue[][], orgs: readonly (readonly [string, string])[]): void;
  /** Scores every account seen in `observeRows` since the last call (once the replay is read). */
  scoreReplayed(): void;
  /** Account records (sign-up facts, payment) for linking; their accounts are re-scored. */
  observeAccounts(accounts: readonly Account[]): void;
  /** Partner sightings, replacing the last; the accounts whose sightings changed are re-scored. */
  observePartnerSightings(sightings: PartnerSightings): void;
  /** Snapshot, link off the main thread, apply; resolves once the book is refreshed. */
  relink(): Promise<void>;
  /** Resolves when everything queued so far is reflected in the decision book. */
  idle(): Promise<void>;
  account(accountId: string): Promise<AccountFinding | null>;
  clusters(): Promise<readonly ClusterFinding[]>;
  /** Templates by name (`P12`), as the engine holds them now; null for one it does not know. */
  templateShapes(names: readonly string[]): Promise<(TemplateShape | null)[]>;
  /** Whether anything was observed since the last relink began. */
  readonly dirty: boolean;
  /** Observations queued and not yet applied. */
  readonly backlog: number;
  close(): Promise<void>;
}

export type RunRelink = (input: unknown, transfer: ArrayBuffer[]) => Promise<unknown>;
type Orgs = readonly (readonly [string, string])[];

export interface InlineScoringOptions {
  module: LiveEngineModule;
  book: AssessmentSink;
  runRelink: RunRelink;
  /** Observations applied per slice. */
  observeSlice?: number;
  /** Accounts re-scored per slice. */
  scoreSlice?: number;
  /** An engine failure on a batch: the batch is dropped, its accounts keep their assessment. */
  onError?: (error: unknown) => void;
}

type Task = { kind: 'observe'; observations: readonly unknown[]; orgs: Orgs; replay: boolean } | { kind: 'score'; accounts: string[] } | { kind: 'call'; run: () => void };

/**
 * The engine on this thread, which also answers decisions: its work is cut into slices (a few
 * hundred observations, or a few dozen account scores) that yield to the event loop between
 * them, so a decision waits at most one slice. `linkInput` and `applyLinks` run whole.
 */
export function createInlineScoring({ module, book, runRelink, observeSlice = 250, scoreSlice = 50, onError = () => undefined }: InlineScoringOptions): LiveScoring {
  const engine: LiveEngine = module.createEngine();
  let dirty = false;
  let backlog = 0;
  const tasks: Task[] = [];
  let scheduled = false;
  const idleWaiters: (() => void)[] = [];
  // Accounts touched and not yet re-scored: scored once however many slices touched them.
  const toScore = new Set<string>();
  // Accounts of start-up rows, scored when the replay is read (`scoreReplayed`).
  const replayed = new Set<string>();

  const step = (): void => {
    scheduled = false;
    const task = tasks[0];
    if (task === undefined) {
      for (const wake of idleWaiters.splice(0)) wake();
      return;
    }
    try {
      runSlice(task);
    } catch (error) {
      // Runs outside any request: a throw here would end the process.
      if (tasks[0] === task) tasks.shift();
      if (task.kind === 'observe') backlog -= task.observations.length;
      toScore.clear();
      onError(error);
    }
    schedule();
  };

  const runSlice = (task: Task): void => {
    if (task.kind === 'observe') {
      const slice = task.observations.length <= observeSlice ? task.observations : task.observations.slice(0, observeSlice);
      const touched = task.replay ? replayed : toScore;
      for (const accountId of engine.observe(slice)) touched.add(accountId);
      backlog -= slice.length;
      if (slice.length === task.observations.length) {
        tasks.shift();
        for (const [accountId, orgId] of task.orgs) book.setOrg(accountId, orgId);
        // Re-score once the batch is in, before the next batch's observations.
        if (toScore.size > 0) tasks.unshift({ kind: 'score', accounts: [...toScore] });
        toScore.clear();
      } else {
        task.observations = task.observations.slice(observeSlice);
      }
    } else if (task.kind === 'score') {
      applyAssessments(book, task.accounts.splice(0, scoreSlice).map((accountId) => [accountId, engine.scoreAccount(accountId)]));
      if (task.accounts.length === 0) tasks.shift();
    } else {
      tasks.shift();
      task.run();
    }
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(step);
  };

  /** Runs `work` in turn with the queued slices, so the engine is never used by two at once. */
  const inTurn = <T>(work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      tasks.push({
        kind: 'call',
        run: () => {
          try {
            resolve(work());
          } catch (error) {
            reject(error);
          }
        },
      });
      schedule();
    });

  const queueObservations = (observations: readonly unknown[], orgs: Orgs, replay = false): void => {
    if (observations.length === 0) return;
    dirty = true;
    backlog += observations.length;
    tasks.push({ kind: 'observe', observations, orgs, replay });
    schedule();
  };

  return {
    engineName: engine.name,
    get accountCount() {
      return engine.accountCount;
    },
    observeBatch: (encoded, rowCount, skipRows, orgs) => {
      if (rowCount > skipRows.length) queueObservations(decodeObservations(encoded, skipRows), orgs);
    },
    observeRows: (rows, orgs) => queueObservations(rows.map((row) => module.observationOfRow(row)), orgs, true),
    scoreReplayed() {
      tasks.push({
        kind: 'call',
        run: () => {
          if (replayed.size > 0) tasks.push({ kind: 'score', accounts: [...replayed] });
          replayed.clear();
        },
      });
      schedule();
    },
    observeAccounts(accounts) {
      if (accounts.length === 0 || engine.observeAccounts === undefined) return;
      dirty = true;
      tasks.push({ kind: 'call', run: () => engine.observeAccounts!(accounts) });
      tasks.push({ kind: 'score', accounts: accounts.map((account) => account.accountId) });
      schedule();
    },
    observePartnerSightings(sightings) {
      if (engine.observePartnerSightings === undefined) return;
      tasks.push({
        kind: 'call',
        run: () => {
          const changed = [...engine.observePartnerSightings!(sightings)];
          if (changed.length > 0) tasks.push({ kind: 'score', accounts: changed });
        },
      });
      schedule();
    },
    async relink() {
      dirty = false;
      // Taken in turn with queued observations: the snapshot holds everything queued before
      // the relink began; what arrives while the worker links waits for the next relink.
      const { input, transfer = [] } = await inTurn(() => engine.linkInput());
      const links = await runRelink(input, transfer);
      const changed = await inTurn(() => {
        const accounts = [...engine.applyLinks(links)];
        book.setFlaggedClusters(flaggedClusterIds(clusterMemberships(engine)));
        return accounts;
      });
      if (changed.length > 0) {
        tasks.push({ kind: 'score', accounts: changed });
        await inTurn(() => undefined);
      }
    },
    idle() {
      if (tasks.length === 0 && !scheduled) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    account: (accountId) => inTurn(() => engine.account(accountId)),
    clusters: () => inTurn(() => engine.clusters()),
    templateShapes: (names) => inTurn(() => engine.templateShapes?.(names) ?? names.map(() => null)),
    get dirty() {
      return dirty;
    },
    get backlog() {
      return backlog;
    },
    close: async () => undefined,
  };
}

export function applyAssessments(book: AssessmentSink, updates: readonly (readonly [string, AccountAssessment | null])[]): void {
  for (const [accountId, assessment] of updates) if (assessment !== null) book.setAccount(accountId, assessment);
}

/** The engine's clusters as decisions need them, without evidence when the engine can leave it out. */
export function clusterMemberships(engine: LiveEngine): readonly ClusterMembership[] {
  return engine.clusterMemberships?.() ?? engine.clusters();
}

export function flaggedClusterIds(clusters: readonly ClusterMembership[]): string[] {
  return clusters.filter((cluster) => cluster.flagged).map((cluster) => cluster.cluster_id);
}
