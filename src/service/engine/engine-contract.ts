import type { Account } from '../../model/account.js';
import type { AccountFinding, ClusterFinding, Evidence } from '../../model/findings.js';
import type { PartnerSighting, TemplateShape } from '../../scoring/index.js';
export type { TemplateShape } from '../../scoring/index.js';
import { EXCHANGE_COLUMNS, type ColumnKind, type ColumnValue, type ExchangeColumnName } from '../../store/exchange-columns.js';
import type { DuckDbStore } from '../../store/duckdb-store.js';
import type { ReplayChunk, ReplayChunkOptions } from '../../store/replay-queries.js';

/** Per account, what partners shared that it matches (`readPartnerSightings` in `src/intel`). */
export type PartnerSightings = ReadonlyMap<string, readonly PartnerSighting[]>;

/**
 * What the service needs from the detection engine, kept to one small interface so the HTTP
 * side, the ingest queue and the relink schedule do not depend on how detection works.
 *
 * The engine's state lives on the main thread: `observe` and `scoreAccount` are incremental
 * and cheap. Re-linking is the expensive step, so it is split in three: `linkInput` takes a
 * structured-cloneable snapshot on the main thread, a pure `relink` (see `LiveEngineModule`)
 * runs on it in a worker thread, and `applyLinks` folds the result back in. Observations that
 * arrive while a relink runs are kept; the next relink sees them.
 */
export interface LiveEngine<Observation = unknown, Link = unknown, Links = unknown> {
  /** A name for /healthz and the logs. */
  readonly name: string;
  /** Account records (tier, payment fingerprint, sign-up facts) from the store, given once at start-up. */
  observeAccounts?(accounts: readonly Account[]): void;
  /**
   * What partners shared that matches accounts of the store, as a whole (it replaces the last);
   * returns the accounts whose sightings changed, to be re-scored.
   */
  observePartnerSightings?(sightings: PartnerSightings): Iterable<string>;
  /** Folds stored exchanges (oldest first) into per-account state; returns the accounts touched. */
  observe(observations: readonly Observation[]): Iterable<string>;
  /**
   * `observe` for records `from` to `to` (exclusive) of a chunk the module's `columnsOfRows`
   * made: the same state as observing those records, without an object per record. A chunk is
   * observed in consecutive ranges, oldest first.
   */
  observeColumns?(columns: unknown, from: number, to: number): Iterable<string>;
  /** The account's current assessment, or null when the engine has seen no traffic from it. */
  scoreAccount(accountId: string): AccountAssessment | null;
  /**
   * A fresh snapshot for `relink`. Buffers listed in `transfer` are moved to the worker, not
   * copied (the engine must not touch them again): large typed arrays belong there, because
   * copying happens on the main thread and would stall decisions.
   */
  linkInput(): { input: Link; transfer?: ArrayBuffer[] };
  /** Applies a relink result; returns the accounts whose assessment may have changed. */
  applyLinks(links: Links): Iterable<string>;
  /** The account in the findings shape (evidence, volume, capabilities), or null. */
  account(accountId: string): AccountFinding | null;
  /** Templates by the names findings give them (`P12`): shape and an example exchange, null when unknown. */
  templateShapes?(names: readonly string[]): (TemplateShape | null)[];
  /** The clusters as of the last relink, highest score first. */
  clusters(): readonly ClusterFinding[];
  /**
   * The same clusters without their evidence: what the decisions read after every relink. An
   * engine that leaves it out is asked for `clusters()`, whose evidence text costs as much as the
   * clusters' assessment.
   */
  clusterMemberships?(): readonly ClusterMembership[];
  /** Accounts the engine holds state for. */
  readonly accountCount: number;
}

/**
 * An engine as the service loads it: in the main thread, and by URL in the ingest workers
 * (`observationOfRow`) and the relink worker (`relink`). The module at that URL exports it as
 * `liveEngineModule`.
 */
export interface LiveEngineModule<Observation = unknown, Link = unknown, Links = unknown> {
  createEngine(): LiveEngine<Observation, Link, Links>;
  /**
   * What `observe` takes for one stored exchange, from its store row (`EXCHANGE_COLUMNS` order,
   * `ts` in epoch ms, text columns possibly null). The ingest workers build it from the row they
   * stage and a restart from the row read back, so both paths observe the same thing.
   */
  observationOfRow(row: readonly ColumnValue[]): Observation;
  /**
   * The columns `observationOfRow` reads, when it reads fewer than all: a start-up replay then
   * reads only these back from the store (the rest of each row null), since turning stored
   * values into JavaScript ones is most of a replay's cost.
   */
  readonly observedColumns?: readonly ExchangeColumnName[];
  /**
   * What `observeColumns` takes for a chunk of store rows (as `observationOfRow` takes them),
   * with the buffers to transfer when it is handed to another thread.
   */
  columnsOfRows?(rows: readonly (readonly ColumnValue[])[]): { columns: unknown; transfer: ArrayBuffer[] };
  /**
   * The store's exchanges in the start-up reader's order, each chunk with what `observeColumns`
   * takes for it (as `columnsOfRows` would make it from the rows) read straight from the store's
   * columns, which costs a fraction of reading the rows. Returns the exchanges read.
   */
  columnsOfStore?(store: DuckDbStore, options: ReplayChunkOptions, onChunk: (chunk: ReplayChunk, columns: unknown, transfer: ArrayBuffer[]) => void | Promise<void>): Promise<number>;
  /** The pure half of re-linking, run in a worker thread. */
  relink(input: Link): Links;
}

/**
 * Where the scoring drivers put what the engine concludes, to be read by the decisions (the
 * decision book implements it), so the engine knows nothing of how decisions are made.
 */
export interface AssessmentSink {
  setAccount(accountId: string, assessment: AccountAssessment): void;
  setOrg(accountId: string, orgId: string): void;
  setFlaggedClusters(clusterIds: Iterable<string>): void;
}

/** A cluster as decisions see it: whether it is flagged, and who is in it. */
export type ClusterMembership = Pick<ClusterFinding, 'cluster_id' | 'flagged' | 'accounts'>;

export interface AccountAssessment {
  score: number;
  flagged: boolean;
  clusterId: string | null;
  /** Strongest first. */
  evidence: readonly Evidence[];
}

/** The traffic-only engine's observation: the store row without its text, by column name. */
export type RowObservation = { readonly [column in ObservedColumnName]: ColumnValue };

/** Columns left out of observations: text (kept only as the text policy says) and provenance. */
const UNOBSERVED = new Set<ExchangeColumnName>(['system_text', 'prompt_text', 'output_text', 'source_id', 'source_line']);
export type ObservedColumnName = Exclude<ExchangeColumnName, 'system_text' | 'prompt_text' | 'output_text' | 'source_id' | 'source_line'>;

export const OBSERVED_COLUMNS: readonly { name: ObservedColumnName; index: number; kind: ColumnKind }[] = EXCHANGE_COLUMNS.flatMap((column, index) =>
  UNOBSERVED.has(column.name) ? [] : [{ name: column.name as ObservedColumnName, index, kind: column.kind }],
);

/** The observation of a store row (values as the row builder makes them: `ts` in epoch ms). */
export function observationOfRow(row: readonly ColumnValue[]): RowObservation {
  const observation: Record<string, ColumnValue> = {};
  for (const column of OBSERVED_COLUMNS) observation[column.name] = row[column.index] ?? null;
  return observation as RowObservation;
}

/**
 * Stands in until the detection engine is wired in: it tracks each account's traffic so the
 * account and decision routes answer, and scores nothing (every account 0, no clusters), so
 * the policy's allow- and deny-lists and analysts' verdicts are the only things that act.
 */
export function createTrafficOnlyEngine(): LiveEngine<RowObservation, null, null> {
  const accounts = new Map<string, { exchanges: number; inputTokens: number; outputTokens: number; reasoningTokens: number; first: number; last: number }>();
  return {
    name: 'traffic-only',
    observe(observations) {
      const touched = new Set<string>();
      for (const o of observations) {
        const accountId = o.account_id as string;
        const ts = o.ts as number;
        let state = accounts.get(accountId);
        if (state === undefined) {
          state = { exchanges: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, first: ts, last: ts };
          accounts.set(accountId, state);
        }
        state.exchanges++;
        state.inputTokens += (o.input_tokens as number | null) ?? 0;
        state.outputTokens += (o.output_tokens as number | null) ?? 0;
        state.reasoningTokens += (o.reasoning_tokens as number | null) ?? 0;
        state.first = Math.min(state.first, ts);
        state.last = Math.max(state.last, ts);
        touched.add(accountId);
      }
      return touched;
    },
    scoreAccount: (accountId) => (accounts.has(accountId) ? { score: 0, flagged: false, clusterId: null, evidence: [] } : null),
    linkInput: () => ({ input: null }),
    applyLinks: () => [],
    account(accountId) {
      const state = accounts.get(accountId);
      if (state === undefined) return null;
      return {
        account_id: accountId,
        score: 0,
        flagged: false,
        cluster_id: null,
        linked_cluster_id: null,
        evidence: [],
        volume: { exchanges: state.exchanges, input_tokens: state.inputTokens, output_tokens: state.outputTokens, reasoning_tokens: state.reasoningTokens },
        capabilities: {},
        tier: null,
        first_seen: new Date(state.first).toISOString(),
        last_seen: new Date(state.last).toISOString(),
      };
    },
    clusters: () => [],
    get accountCount() {
      return accounts.size;
    },
  };
}

export const trafficOnlyEngineModule: LiveEngineModule<RowObservation, null, null> = {
  createEngine: createTrafficOnlyEngine,
  observationOfRow,
  relink: () => null,
};
