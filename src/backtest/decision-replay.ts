import type { Account } from '../model/account.js';
import { DecisionBook, type Decision } from '../service/decisions/decision-book.js';
import type { DecisionPolicy } from '../service/decisions/decision-policy.js';
import type { LiveEngine, LiveEngineModule } from '../service/engine/engine-contract.js';
import { applyAssessments, clusterMemberships, flaggedClusterIds } from '../service/engine/inline-scoring.js';
import { AssessmentTraceRecorder, TracePlayer, type AssessmentTrace } from './assessment-trace.js';
import type { ExchangeSource, ObservationChunk, ObservationSource, ReplayedExchange } from './observation-source.js';
import { createReplayClock } from './replay-clock.js';
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
  /** Where each relink's links come from; by default the engine's own snapshot is linked on this thread. */
  linker?: ReplayLinker;
  /** Records what the engine tells the book, to decide the same exchanges again later with other policies (`replayTrace`). */
  recorder?: AssessmentTraceRecorder;
}

/** Links for a replay's relinks, made from the same exchanges elsewhere (`createLinkAhead`). */
export interface ReplayLinker {
  /** Every chunk the replay reads, in order, before it reads it. */
  feed(chunk: ObservationChunk): void;
  /** The links of the replay's n-th relink (0: the one at start-up). */
  links(n: number): Promise<unknown>;
  close(): Promise<void>;
}

export interface ReplayTimings {
  /** Waiting for the store's rows. */
  read: number;
  observe: number;
  score: number;
  decide: number;
  /** Making each relink's links (with a linker: waiting for them), applying them and re-scoring the accounts they moved. */
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
  const clock = createReplayClock(stepMs, relinkIntervalMs);
  const linker = options.linker;
  const engine: LiveEngine = module.createEngine();
  const decisionBook = new DecisionBook();
  const book = options.recorder?.recording(decisionBook) ?? decisionBook;
  const decider = createDecider(decisionBook, options);
  const timings: ReplayTimings = { read: 0, observe: 0, score: 0, decide: 0, relink: 0, total: 0 };
  const started = performance.now();
  const lap = createLap(timings, started);

  let dirty = false;
  const clusterMembers = new Map<string, string[]>();
  const relink = async (): Promise<void> => {
    dirty = false;
    const links = linker === undefined ? module.relink(engine.linkInput().input) : await linker.links(relinks);
    const changed = [...engine.applyLinks(links)];
    const clusters = clusterMemberships(engine);
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

  // What the step so far has sent: observed at the step's end, or at the end of a chunk when the
  // step runs on into the next one (the engine then holds it, but nothing is scored before the
  // step's end, so no decision of the step sees it).
  let pending: unknown[] = [];
  let pendingColumns: { columns: unknown; from: number } | null = null;
  let pendingOrgs: [string, string][] = [];
  const touched = new Set<string>();
  let steps = 0;
  let rowsRead = 0;

  /** Observes what the step has sent so far, up to row `to` of the chunk in columns. */
  const observePending = (to: number): void => {
    if (pendingColumns !== null && to > pendingColumns.from) {
      for (const accountId of engine.observeColumns!(pendingColumns.columns, pendingColumns.from, to)) touched.add(accountId);
      pendingColumns.from = to;
    } else if (pending.length > 0) {
      for (const accountId of engine.observe(pending)) touched.add(accountId);
      pending = [];
    }
  };

  const commit = (row: number): void => {
    observePending(row);
    if (touched.size === 0) return;
    for (const [accountId, orgId] of pendingOrgs) book.setOrg(accountId, orgId);
    lap('observe');
    applyAssessments(book, [...touched].map((accountId) => [accountId, engine.scoreAccount(accountId)]));
    lap('score');
    dirty = true;
    touched.clear();
    pendingOrgs = [];
  };

  lap('read');
  await source(async (chunk) => {
    lap('read');
    const { exchanges } = chunk;
    const columns = 'columns' in chunk && engine.observeColumns !== undefined ? chunk.columns : null;
    const observations = 'observations' in chunk ? chunk.observations : null;
    if (columns === null && observations === null) throw new Error(`the ${engine.name} engine does not observe columns`);
    pendingColumns = columns === null ? null : { columns, from: 0 };
    let i = 0;
    for (; i < exchanges.length; i++) {
      const exchange = exchanges[i]!;
      const ts = exchange.ts;
      if (toMs !== null && ts >= toMs) break;
      rowsRead++;
      if (clock.newStep(ts)) {
        options.recorder?.at(steps + 1);
        commit(i);
        steps++;
        decider.newStep();
        // A relink falls due once per interval of event time while there is new traffic, and
        // takes effect between two steps, as the service applies links between two batches.
        if (clock.enter(ts) && dirty) await relink();
        lap('decide');
      }
      if (fromMs === null || ts >= fromMs) decider.decide(exchange);
      if (observations !== null) pending.push(observations[i]);
      if (exchange.orgId !== null) pendingOrgs.push([exchange.accountId, exchange.orgId]);
    }
    lap('decide');
    // The chunk's last step may go on in the next chunk: its rows so far are observed now.
    observePending(i);
    pendingColumns = null;
    lap('observe');
    onProgress?.(rowsRead, (performance.now() - started) / 1000);
  }, linker === undefined ? undefined : (chunk) => linker.feed(chunk));
  // Every row read was observed at the end of its chunk: the last step is scored.
  options.recorder?.finish(relinks, clusterMembers);
  commit(0);
  timings.total = (performance.now() - started) / 1000;
  return { ...decider.result(), rowsRead, relinks, steps, clusterMembers, timings };
}

export type TraceReplayOptions = Pick<DecisionReplayOptions, 'policies' | 'stepMs' | 'relinkIntervalMs' | 'fromMs' | 'toMs' | 'keepTimesOf' | 'onDecision' | 'onProgress'>;

/**
 * The decisions of `replayDecisions` from a trace it recorded on the same exchanges, with the
 * same step and relink interval: the book is set at each step boundary as the engine set it
 * then, so every policy decides every exchange as it would have in the full replay, while
 * nothing is observed, scored or linked. Only the exchanges' questions are read.
 */
export async function replayTrace(source: ExchangeSource, trace: AssessmentTrace, options: TraceReplayOptions): Promise<DecisionReplay> {
  const { stepMs, relinkIntervalMs, fromMs = null, toMs = null, onProgress } = options;
  const clock = createReplayClock(stepMs, relinkIntervalMs);
  const book = new DecisionBook();
  const decider = createDecider(book, options);
  const player = new TracePlayer(trace);
  const timings: ReplayTimings = { read: 0, observe: 0, score: 0, decide: 0, relink: 0, total: 0 };
  const started = performance.now();
  const lap = createLap(timings, started);
  player.applyThrough(0, book);
  let pendingOrgs: [string, string][] = [];
  let steps = 0;
  let rowsRead = 0;
  lap('score');
  await source((exchanges) => {
    lap('read');
    for (const exchange of exchanges) {
      const ts = exchange.ts;
      if (toMs !== null && ts >= toMs) break;
      rowsRead++;
      if (clock.newStep(ts)) {
        clock.enter(ts);
        for (const [accountId, orgId] of pendingOrgs) book.setOrg(accountId, orgId);
        pendingOrgs = [];
        steps++;
        lap('decide');
        player.applyThrough(steps, book);
        lap('score');
        decider.newStep();
      }
      if (fromMs === null || ts >= fromMs) decider.decide(exchange);
      if (exchange.orgId !== null) pendingOrgs.push([exchange.accountId, exchange.orgId]);
    }
    lap('decide');
    onProgress?.(rowsRead, (performance.now() - started) / 1000);
  });
  timings.total = (performance.now() - started) / 1000;
  return { ...decider.result(), rowsRead, relinks: trace.relinks, steps, clusterMembers: trace.clusterMembers, timings };
}

function createLap(timings: ReplayTimings, started: number): (part: Exclude<keyof ReplayTimings, 'total'>) => void {
  let mark = started;
  return (part) => {
    const now = performance.now();
    timings[part] += (now - mark) / 1000;
    mark = now;
  };
}

/**
 * Every policy's decision on each exchange, from the book as it stands, tallied per account.
 * Decisions within a step depend only on the account, its organisation and (with IP lists) the
 * client IP, and the book does not change inside a step: each account's are made once, and
 * again only for an exchange that gives another organisation or, with IP lists, another IP.
 */
function createDecider(book: DecisionBook, options: Pick<DecisionReplayOptions, 'policies' | 'keepTimesOf' | 'onDecision'>) {
  const { policies, onDecision } = options;
  const tallies = policies.map(() => createPolicyTally(options.keepTimesOf));
  const needsIp = policies.some((policy) => policy.allowIps !== null || policy.denyIps !== null);
  let cache = new Map<string, { orgId: string | null; clientIp: string | null; decisions: Decision[] }>();
  let decided = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  return {
    newStep(): void {
      cache = new Map();
    },
    decide(exchange: ReplayedExchange): void {
      let asked = cache.get(exchange.accountId);
      if (asked === undefined || asked.orgId !== exchange.orgId || (needsIp && asked.clientIp !== exchange.clientIp)) {
        const query = { accountId: exchange.accountId, orgId: exchange.orgId, clientIp: exchange.clientIp };
        asked = { orgId: exchange.orgId, clientIp: exchange.clientIp, decisions: policies.map((policy) => book.decide(query, policy)) };
        cache.set(exchange.accountId, asked);
      }
      const decisions = asked.decisions;
      for (let p = 0; p < policies.length; p++) tallies[p]!.record(exchange.accountId, exchange.orgId, exchange.ts, decisions[p]!);
      onDecision?.(exchange, decisions);
      decided++;
      firstTs ??= exchange.ts;
      lastTs = exchange.ts;
    },
    result(): Pick<DecisionReplay, 'tallies' | 'decided' | 'firstTs' | 'lastTs'> {
      return { tallies, decided, firstTs, lastTs };
    },
  };
}
