import type { AccountLabel } from '../eval/labels-parser.js';
import type { Account } from '../model/account.js';
import { readAccounts } from '../store/analysis-queries.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { listLabels, type LabelRecord } from '../store/service-tables.js';
import type { Decision } from '../service/decisions/decision-book.js';
import { compilePolicy, type DecisionPolicy, type PolicyDocument } from '../service/decisions/decision-policy.js';
import { liveEngineModule } from '../service/engine/detection-engine-module.js';
import type { LiveEngineModule } from '../service/engine/engine-contract.js';
import { buildPolicyReport, comparePolicies, type AccountFacts, type PolicyComparison, type PolicyReport } from './backtest-report.js';
import { buildTruth, type TruthSummary } from './backtest-truth.js';
import { AssessmentTraceRecorder, type AssessmentTrace } from './assessment-trace.js';
import { replayDecisions, replayTrace, type DecisionReplay, type ReplayTimings } from './decision-replay.js';
import { createLinkAhead } from './link-ahead.js';
import { storeExchangeSource, storeObservationSource, type ExchangeSource, type ObservationSource, type ReplayedExchange } from './observation-source.js';
import { readCachedTrace, traceKey, writeCachedTrace, type CachedTrace } from './trace-cache.js';

/** A policy to try, as the report names it. */
export interface BacktestPolicy {
  name: string;
  /** The file it came from, or `default`. */
  source: string;
  policy: DecisionPolicy;
}

/** A backtest policy as it crosses to another thread: its document, since a compiled policy does not cross. */
export interface PortablePolicy {
  name: string;
  source: string;
  document: PolicyDocument;
  version: string;
}

export function portablePolicy({ name, source, policy }: BacktestPolicy): PortablePolicy {
  return { name, source, document: policy.document, version: policy.version };
}

/** The policy `portablePolicy` sent, compiled again on the thread that runs the backtest. */
export function backtestPolicyOf({ name, source, document, version }: PortablePolicy): BacktestPolicy {
  return { name, source, policy: compilePolicy(document, version) };
}

export interface BacktestOptions {
  /** The candidate first; with a second, the report compares the candidate with it. */
  policies: readonly BacktestPolicy[];
  /** A labels file's records, read only to judge the decisions. */
  labels?: readonly AccountLabel[];
  fromMs?: number | null;
  toMs?: number | null;
  /** Event time between refreshes of the decision book, like the service's commits. */
  stepMs?: number;
  /** Event time between relinks, as `serve --relink-interval`. */
  relinkIntervalMs?: number;
  topOrgs?: number;
  /** The engine; defaults to the one `serve` runs. */
  module?: LiveEngineModule;
  /** Where the exchanges come from; by default read from `store` on this thread. */
  source?: ObservationSource;
  /**
   * The engine module's URL (`LIVE_ENGINE_MODULE_URL`) to link on a thread of its own, ahead of
   * the replay (`createLinkAhead`); by default relinks run on the replay's thread.
   */
  linkAheadModuleUrl?: URL;
  onProgress?: (rowsRead: number, total: number, seconds: number) => void;
  onDecision?: (exchange: ReplayedExchange, decisions: readonly Decision[]) => void;
  /**
   * A directory of recorded traces (`trace-cache.ts`): a backtest of exchanges and a schedule
   * already replayed decides from the trace, without the engine's work; otherwise the replay
   * records one there. None by default.
   */
  traceCacheDir?: string | null;
  /** Where the exchanges' questions come from for a replay from a trace; by default read from `store`. */
  exchangeSource?: ExchangeSource;
}

/** Whether the engine's work was done, or read from a trace an earlier backtest recorded. */
export interface TraceUse {
  /** `recorded`: replayed through the engine and kept; `reused`: decided from a kept trace; `off`: no cache directory. */
  use: 'recorded' | 'reused' | 'off';
  path: string | null;
  /** Why a trace could not be read or kept, when that happened. */
  note: string | null;
}

export const DEFAULT_BACKTEST_STEP_MS = 60_000;
export const DEFAULT_BACKTEST_RELINK_INTERVAL_MS = 3_600_000;

export interface BacktestResult {
  window: { from: string | null; to: string | null; first_exchange_at: string | null; last_exchange_at: string | null };
  replay: {
    step_ms: number;
    relink_interval_ms: number;
    /** Exchanges read, those before the window (which build the engine's state) included. */
    exchanges_read: number;
    exchanges_decided: number;
    accounts_decided: number;
    steps: number;
    relinks: number;
    /** Seconds per part of the replay. */
    seconds: ReplayTimings;
    trace: TraceUse;
  };
  truth: TruthSummary;
  policies: PolicyReport[];
  /** The candidate (first policy) against the second, when there is one. */
  comparison: PolicyComparison | null;
}

/**
 * What one or two policies would have done over a store's history: the stored exchanges are
 * replayed in time order through the engine `serve` runs, each is decided by every policy as it
 * comes, and the decisions are judged against the store's verdicts and an optional labels file.
 * The store is only read, so this can run on a copy or read-only handle beside a live service.
 *
 * @example
 * const store = await DuckDbStore.open({ path: 'store.duckdb', readOnly: true });
 * const result = await runPolicyBacktest(store, { policies: [{ name: 'candidate', source: 'strict.yaml', policy }] });
 */
export async function runPolicyBacktest(store: DuckDbStore, options: BacktestOptions): Promise<BacktestResult> {
  const toMs = options.toMs ?? null;
  const inputs = await readBacktestInputs(store, toMs);
  const module = options.module ?? liveEngineModule;
  const source = options.source ?? storeObservationSource(store, module, toMs);
  const dir = options.traceCacheDir ?? null;
  if (dir === null) return backtestFromInputs(inputs, { ...options, source });

  const schedule = { stepMs: options.stepMs ?? DEFAULT_BACKTEST_STEP_MS, relinkIntervalMs: options.relinkIntervalMs ?? DEFAULT_BACKTEST_RELINK_INTERVAL_MS, toMs };
  const key = await traceKey(store, schedule);
  return backtestWithTraceCache(inputs, { ...options, source, exchangeSource: options.exchangeSource ?? storeExchangeSource(store, toMs) }, { dir, key });
}

/** A trace cache directory and the key of the exchanges and schedule at hand (`traceKey`). */
export interface TraceCacheEntry {
  dir: string;
  key: string;
}

/**
 * The backtest decided from the trace kept under `entry` when there is a readable one, or else
 * replayed through the engine and its trace kept there (a trace that cannot be read or written
 * is said in `replay.trace.note`, never fatal).
 */
export async function backtestWithTraceCache(
  inputs: BacktestInputs,
  options: BacktestOptions & { source: ObservationSource; exchangeSource: ExchangeSource },
  entry: TraceCacheEntry,
  /** The kept trace, when the caller has read it already. */
  cached: CachedTrace = readCachedTrace(entry.dir, entry.key),
): Promise<BacktestResult> {
  if (cached.trace !== null) return backtestFromTrace(inputs, cached.trace, options, { use: 'reused', path: cached.path, note: null });
  const recorder = new AssessmentTraceRecorder();
  const result = await backtestFromInputs(inputs, { ...options, recorder });
  let trace: TraceUse;
  try {
    trace = { use: 'recorded', path: writeCachedTrace(entry.dir, entry.key, recorder.trace), note: null };
  } catch (error) {
    trace = { use: 'off', path: null, note: `the trace could not be kept in ${entry.dir}: ${(error as Error).message}` };
  }
  // A trace that was there but could not be read is said, whether or not a new one was kept.
  const note = [cached.problem, trace.note].filter((problem) => problem !== null).join('; ');
  return { ...result, replay: { ...result.replay, trace: { ...trace, note: note === '' ? null : note } } };
}

/** What a backtest reads of the store besides the exchanges themselves. */
export interface BacktestInputs {
  accounts: Account[];
  verdicts: LabelRecord[];
  /** Exchanges the replay will read (before `toMs`), for progress. */
  total: number;
}

export async function readBacktestInputs(store: DuckDbStore, toMs: number | null): Promise<BacktestInputs> {
  const accounts = await readAccounts(store);
  const verdicts = await readVerdicts(store);
  const total = Number(await store.scalar<bigint>(toMs === null ? 'SELECT count(*) FROM exchanges' : 'SELECT count(*) FROM exchanges WHERE ts < epoch_ms($toMs::BIGINT)', toMs === null ? undefined : { toMs }));
  return { accounts, verdicts, total };
}

/** The backtest once its inputs are read: what runs on a thread of its own under `serve`. */
export async function backtestFromInputs(
  inputs: BacktestInputs,
  options: BacktestOptions & { source: ObservationSource; recorder?: AssessmentTraceRecorder },
): Promise<BacktestResult> {
  const { policies, fromMs = null, toMs = null, stepMs = DEFAULT_BACKTEST_STEP_MS, relinkIntervalMs = DEFAULT_BACKTEST_RELINK_INTERVAL_MS } = options;
  checkPolicyCount(policies);
  const { accounts, total } = inputs;
  const keepTimesOf = campaignAccountsToTime(inputs, options.labels);
  const module = options.module ?? liveEngineModule;
  const linker =
    options.linkAheadModuleUrl === undefined ? undefined : createLinkAhead({ engineModuleUrl: options.linkAheadModuleUrl, accounts, stepMs, relinkIntervalMs, toMs });
  let replay;
  try {
    replay = await replayDecisions(options.source, {
      module,
      accounts,
      policies: policies.map((entry) => entry.policy),
      stepMs,
      relinkIntervalMs,
      fromMs,
      toMs,
      keepTimesOf,
      linker,
      recorder: options.recorder,
      onDecision: options.onDecision,
      onProgress: options.onProgress === undefined ? undefined : (rows, seconds) => options.onProgress!(rows, total, seconds),
    });
  } finally {
    await linker?.close();
  }
  return reportOf(inputs, options, replay, { use: 'off', path: null, note: null });
}

/** The backtest decided from a trace `backtestFromInputs` recorded on the same exchanges and schedule. */
export async function backtestFromTrace(
  inputs: BacktestInputs,
  trace: AssessmentTrace,
  options: BacktestOptions & { exchangeSource: ExchangeSource },
  traceUse: TraceUse,
): Promise<BacktestResult> {
  const { policies, fromMs = null, toMs = null, stepMs = DEFAULT_BACKTEST_STEP_MS, relinkIntervalMs = DEFAULT_BACKTEST_RELINK_INTERVAL_MS } = options;
  checkPolicyCount(policies);
  const replay = await replayTrace(options.exchangeSource, trace, {
    policies: policies.map((entry) => entry.policy),
    stepMs,
    relinkIntervalMs,
    fromMs,
    toMs,
    keepTimesOf: campaignAccountsToTime(inputs, options.labels),
    onDecision: options.onDecision,
    onProgress: options.onProgress === undefined ? undefined : (rows, seconds) => options.onProgress!(rows, inputs.total, seconds),
  });
  return reportOf(inputs, options, replay, traceUse);
}

function checkPolicyCount(policies: readonly BacktestPolicy[]): void {
  if (policies.length < 1 || policies.length > 2) throw new RangeError('a backtest takes one policy, or two to compare');
}

/** Accounts whose decided exchanges' times are kept: those of known campaigns (all, when a cluster verdict may make any account one). */
function campaignAccountsToTime({ verdicts }: BacktestInputs, labels: readonly AccountLabel[] | undefined): ReadonlySet<string> | 'all' {
  if (verdicts.some((verdict) => verdict.target === 'cluster' && verdict.verdict === 'confirmed')) return 'all';
  const knownBefore = buildTruth({ verdicts, clusterMembers: new Map(), labels });
  return new Set([...knownBefore.truth].filter(([, known]) => known.positive && known.campaign !== null).map(([accountId]) => accountId));
}

function reportOf({ accounts, verdicts }: BacktestInputs, options: BacktestOptions, replay: DecisionReplay, traceUse: TraceUse): BacktestResult {
  const { policies, fromMs = null, toMs = null, stepMs = DEFAULT_BACKTEST_STEP_MS, relinkIntervalMs = DEFAULT_BACKTEST_RELINK_INTERVAL_MS } = options;
  const { truth, summary } = buildTruth({ verdicts, clusterMembers: replay.clusterMembers, labels: options.labels });
  const facts = new Map<string, AccountFacts>(accounts.map((account) => [account.accountId, { orgId: account.orgId, tier: account.tier }]));
  const reports = policies.map((entry, index) =>
    buildPolicyReport({ name: entry.name, source: entry.source, version: entry.policy.version, outcomes: replay.tallies[index]!.accounts }, truth, facts, { topOrgs: options.topOrgs }),
  );
  const iso = (ts: number | null) => (ts === null ? null : new Date(ts).toISOString());
  return {
    window: { from: iso(fromMs), to: iso(toMs), first_exchange_at: iso(replay.firstTs), last_exchange_at: iso(replay.lastTs) },
    replay: {
      step_ms: stepMs,
      relink_interval_ms: relinkIntervalMs,
      exchanges_read: replay.rowsRead,
      exchanges_decided: replay.decided,
      accounts_decided: replay.tallies[0]!.accounts.size,
      steps: replay.steps,
      relinks: replay.relinks,
      seconds: roundTimings(replay.timings),
      trace: traceUse,
    },
    truth: summary,
    policies: reports,
    comparison: policies.length === 2 ? comparePolicies(replay.tallies[1]!.accounts, replay.tallies[0]!.accounts, truth, facts) : null,
  };
}

/** The store's verdicts; a store `serve` never opened has none. */
async function readVerdicts(store: DuckDbStore): Promise<LabelRecord[]> {
  const tables = Number(await store.scalar<bigint>("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'service_labels'"));
  return tables === 0 ? [] : listLabels(store);
}

function roundTimings(timings: ReplayTimings): ReplayTimings {
  return Object.fromEntries(Object.entries(timings).map(([part, seconds]) => [part, Math.round(seconds * 100) / 100])) as unknown as ReplayTimings;
}
