import type { Account } from '../model/account.js';
import { DecisionBook, type Decision } from '../service/decisions/decision-book.js';
import type { DecisionPolicy } from '../service/decisions/decision-policy.js';
import type { LiveEngine, LiveEngineModule } from '../service/engine/engine-contract.js';
import { applyAssessments, flaggedClusterIds } from '../service/engine/inline-scoring.js';
import type { ObservationSource, ReplayedExchange } from './observation-source.js';
import { createPolicyTally, type PolicyTally } from './policy-tally.js';

export interface DecisionReplayOptions {
  module: LiveEngineModule;
  /** The provider's account records, given to the engine before any traffic, as `serve` does at start-up. */
  accounts: readonly Account[];
  policies: readonly DecisionPolicy[];
  /**
   * Event time between two refreshes of the decision book: the exchanges of a step are decided
   * on the state as of the step's start and folded in at its end, like a batch the service commits.
   */
  stepMs: number;
  /** Event time between relinks, as `serve --relink-interval` in wall-clock time. */
  relinkIntervalMs: number;
  /** Exchanges before this are folded in (the service would have seen them) but not decided. */
  fromMs?: number | null;
  /** Exchanges at or after this are not read. */
  toMs?: number | null;
  /** Accounts whose decided exchanges' times are kept (campaign accounts, for volume before a stop). */
  keepTimesOf?: ReadonlySet<string> | 'all';
  /** Every decision, one per policy, in policy order; for tests and decision logs. */
  onDecision?: (exchange: ReplayedExchange, decisions: readonly Decision[]) => void;
  onProgress?: (rowsRead: number, seconds: number) => void;
  /** Runs a relink's pure half; defaults to the module's, on this thread. */
  runRelink?: (input: unknown) => unknown | Promise<unknown>;
}

export interface ReplayTimings {
  /** Waiting for the store's rows. */
  read: number;
  observe: number;
  score: number;
  decide: number;
  relink: number;
  total: number;
}

export interface DecisionReplay {
  tallies: PolicyTally[];
  /** Rows read, warm-up included. */
  rowsRead: number;
  /** Exchanges decided (inside the window). */
  decided: number;
  relinks: number;
  steps: number;
  firstTs: number | null;
  lastTs: number | null;
  /** Each cluster id any relink made, with its members as of the last relink that made it: what a verdict on a cluster is about. */
  clusterMembers: Map<string, string[]>;
  /** Seconds per part of the work. */
  timings: ReplayTimings;
}

/**
 * Replays stored exchanges in time order through the live engine and a decision book, the way
 * `serve` drives them (observe a committed batch, re-score the accounts it touched, relink on a
 * schedule and re-score the accounts whose links changed), with the clock taken from the
 * exchanges. Each exchange is decided by every policy before it is folded in, as a gateway asks
 * `/v1/decide` before it forwards a request. Nothing is written anywhere: the engine and the
 * book are this replay's own.
 */
export async function replayDecisions(source: ObservationSource, options: DecisionReplayOptions): Promise<DecisionReplay> {
  const { module, policies, stepMs, relinkIntervalMs, fromMs = null, toMs = null, onDecision, onProgress } = options;
  if (!(stepMs > 0) || !(relinkIntervalMs > 0)) throw new RangeError('stepMs and relinkIntervalMs must be positive');
  const runRelink = options.runRelink ?? ((input: unknown) => module.relink(input));
  const engine: LiveEngine = module.createEngine();
  const book = new DecisionBook();
  const tallies = policies.map(() => createPolicyTally(options.keepTimesOf));
  const timings: ReplayTimings = { read: 0, observe: 0, score: 0, decide: 0, relink: 0, total: 0 };
  const started = performance.now();
  let mark = started;
  const lap = (part: Exclude<keyof ReplayTimings, 'total'>): void => {
    const now = performance.now();
    timings[part] += (now - mark) / 1000;
    mark = now;
  };

  let dirty = false;
  const clusterMembers = new Map<string, string[]>();
  const relink = async (): Promise<void> => {
    dirty = false;
    const links = await runRelink(engine.linkInput().input);
    const changed = [...engine.applyLinks(links)];
    const clusters = engine.clusters();
    book.setFlaggedClusters(flaggedClusterIds(clusters));
    for (const cluster of clusters) clusterMembers.set(cluster.cluster_id, cluster.accounts);
    applyAssessments(book, changed.map((accountId) => [accountId, engine.scoreAccount(accountId)]));
    relinks++;
    lap('relink');
  };

  // Start-up as in `serve`: account records first (re-scored, which finds no traffic yet), then a relink.
  if (engine.observeAccounts !== undefined && options.accounts.length > 0) {
    engine.observeAccounts(options.accounts);
    applyAssessments(book, options.accounts.map((account) => [account.accountId, engine.scoreAccount(account.accountId)]));
  }
  let relinks = 0;
  await relink();

  let pending: unknown[] = [];
  let pendingOrgs: [string, string][] = [];
  let step = Number.NEGATIVE_INFINITY;
  let relinkSlot = Number.NEGATIVE_INFINITY;
  let steps = 0;
  let rowsRead = 0;
  let decided = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  // Decisions within a step depend only on the account, its organisation and (with IP lists) the
  // client IP, and the book does not change inside a step: ask it once per distinct question.
  const needsIp = policies.map((policy) => policy.allowIps !== null || policy.denyIps !== null);
  let cache = new Map<string, Decision>();

  const commit = (): void => {
    if (pending.length === 0) return;
    const touched = new Set<string>();
    for (const accountId of engine.observe(pending)) touched.add(accountId);
    for (const [accountId, orgId] of pendingOrgs) book.setOrg(accountId, orgId);
    lap('observe');
    applyAssessments(book, [...touched].map((accountId) => [accountId, engine.scoreAccount(accountId)]));
    lap('score');
    dirty = true;
    pending = [];
    pendingOrgs = [];
  };

  const decide = (exchange: ReplayedExchange): void => {
    const decisions: Decision[] = [];
    for (let p = 0; p < policies.length; p++) {
      const key = `${p}\u0000${exchange.accountId}\u0000${exchange.orgId ?? ''}${needsIp[p] ? `\u0000${exchange.clientIp ?? ''}` : ''}`;
      let decision = cache.get(key);
      if (decision === undefined) {
        decision = book.decide({ accountId: exchange.accountId, orgId: exchange.orgId, clientIp: exchange.clientIp }, policies[p]!);
        cache.set(key, decision);
      }
      tallies[p]!.record(exchange.accountId, exchange.orgId, exchange.ts, decision);
      decisions.push(decision);
    }
    onDecision?.(exchange, decisions);
    decided++;
    firstTs ??= exchange.ts;
    lastTs = exchange.ts;
  };

  lap('read');
  await source(async ({ exchanges, observations }) => {
    lap('read');
    for (let i = 0; i < exchanges.length; i++) {
      const exchange = exchanges[i]!;
      const ts = exchange.ts;
      if (toMs !== null && ts >= toMs) break;
      rowsRead++;
      const rowStep = Math.floor(ts / stepMs);
      if (rowStep !== step) {
        commit();
        step = rowStep;
        steps++;
        cache = new Map();
        // A relink falls due once per interval of event time while there is new traffic, and
        // takes effect between two steps, as the service applies links between two batches.
        const slot = Math.floor((rowStep * stepMs) / relinkIntervalMs);
        if (slot !== relinkSlot) {
          if (dirty && relinkSlot !== Number.NEGATIVE_INFINITY) await relink();
          relinkSlot = slot;
        }
        lap('decide');
      }
      if (fromMs === null || ts >= fromMs) decide(exchange);
      pending.push(observations[i]);
      if (exchange.orgId !== null) pendingOrgs.push([exchange.accountId, exchange.orgId]);
    }
    lap('decide');
    onProgress?.(rowsRead, (performance.now() - started) / 1000);
  });
  commit();
  timings.total = (performance.now() - started) / 1000;
  return { tallies, rowsRead, decided, relinks, steps, firstTs, lastTs, clusterMembers, timings };
}
