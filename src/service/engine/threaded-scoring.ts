import type { Account } from '../../model/account.js';
import type { AccountFinding, ClusterFinding } from '../../model/findings.js';
import type { ColumnValue } from '../../store/exchange-columns.js';
import { createWorkerPool } from '../../util/worker-pool.js';
import { errorMessage } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import type { AssessmentSink, AccountAssessment, PartnerSightings, TemplateShape } from './engine-contract.js';
import { applyAssessments, type LiveScoring, type RunRelink } from './inline-scoring.js';

/** What the main thread asks the scoring worker, one at a time. */
export type ScoringTask =
  | { op: 'observe'; batches: readonly ObservedBatch[] }
  | { op: 'rows'; rows: ColumnValue[][] }
  | { op: 'scoreReplayed' }
  | { op: 'accounts'; accounts: readonly Account[] }
  | { op: 'partners'; sightings: PartnerSightings }
  | { op: 'scoreAll'; accountIds: string[] }
  | { op: 'linkInput' }
  | { op: 'applyLinks'; links: unknown }
  | { op: 'account'; accountId: string }
  | { op: 'clusters' }
  | { op: 'templateShapes'; names: readonly string[] }
  | { op: 'name' };

/** A committed batch's encoded observations, with the rows not stored (duplicates). */
export interface ObservedBatch {
  encoded: Uint8Array;
  skipRows: readonly number[];
}

interface ScoredReply {
  updates: [string, AccountAssessment | null][];
  accountCount: number;
  flaggedClusters?: string[];
}

/**
 * The engine in a worker thread of its own: observing, scoring, snapshotting for a relink and
 * applying its links all happen there, so none of them can delay a decision, however large the
 * engine's state grows. The main thread forwards each committed batch's encoded observations
 * (transferred, not copied) and applies the assessments that come back to the decision book.
 * Batches committed while the engine is still busy with earlier ones go to it together, and
 * the accounts they touch are re-scored once for all of them: a group commit hands over
 * several batches at once, mostly of the same accounts, and re-scoring after each batch
 * repeated most of that work.
 * Linking itself runs in the relink worker, so observations keep flowing while it runs.
 */
export async function createWorkerScoring({
  engineModuleUrl,
  book,
  runRelink,
  logger,
}: {
  engineModuleUrl: URL;
  book: AssessmentSink;
  runRelink: RunRelink;
  logger: Logger;
}): Promise<LiveScoring> {
  const pool = createWorkerPool<ScoringTask, unknown>(new URL('./scoring-thread.js', import.meta.url), 1, { engineModuleUrl: engineModuleUrl.href });
  const engineName = (await pool.run({ op: 'name' })) as string;
  let accountCount = 0;
  let dirty = false;
  let backlog = 0;
  let last: Promise<unknown> = Promise.resolve();
  // Committed batches not yet sent, while an observation task is in flight.
  let held: { batch: ObservedBatch; rows: number; transfer: ArrayBuffer[] }[] = [];
  let observationsInFlight = 0;

  const scored = (task: ScoringTask, transfer: ArrayBuffer[] = [], observations = 0): Promise<ScoredReply> => {
    const reply = (pool.run(task, transfer) as Promise<ScoredReply>).then(
      (result) => {
        backlog -= observations;
        accountCount = result.accountCount;
        applyAssessments(book, result.updates);
        if (result.flaggedClusters) book.setFlaggedClusters(result.flaggedClusters);
        return result;
      },
      (error: unknown) => {
        backlog -= observations;
        throw error;
      },
    );
    last = reply.catch(() => undefined);
    return reply;
  };
  // Nobody awaits a batch's scoring: a failure is logged, and decisions go on from the
  // assessments the book already holds.
  const quietly = (promise: Promise<unknown>): void =>
    void promise.catch((error: unknown) => logger.error({ error: errorMessage(error) }, 'the engine failed on a committed batch; its accounts keep their previous assessment'));

  /** Sends the held batches as one task. Every other task sends them first, so the engine sees everything in commit order. */
  const sendHeld = (): void => {
    if (held.length === 0) return;
    const sending = held;
    held = [];
    observationsInFlight++;
    const reply = scored(
      { op: 'observe', batches: sending.map(({ batch }) => batch) },
      sending.flatMap(({ transfer }) => transfer),
      sending.reduce((rows, item) => rows + item.rows, 0),
    );
    quietly(reply);
    void reply
      .catch(() => undefined)
      .then(() => {
        observationsInFlight--;
        if (observationsInFlight === 0) sendHeld();
      });
  };
  const run = (task: ScoringTask): Promise<unknown> => {
    sendHeld();
    return pool.run(task);
  };

  return {
    engineName,
    get accountCount() {
      return accountCount;
    },
    observeBatch(encoded, rowCount, skipRows, orgs) {
      if (rowCount === skipRows.length) return;
      dirty = true;
      for (const [accountId, orgId] of orgs) book.setOrg(accountId, orgId);
      const owns = encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength;
      const rows = rowCount - skipRows.length;
      backlog += rows;
      held.push({ batch: { encoded, skipRows }, rows, transfer: owns ? [encoded.buffer as ArrayBuffer] : [] });
      if (observationsInFlight === 0) sendHeld();
    },
    observeRows(rows, orgs) {
      if (rows.length === 0) return;
      dirty = true;
      for (const [accountId, orgId] of orgs) book.setOrg(accountId, orgId);
      sendHeld();
      backlog += rows.length;
      quietly(scored({ op: 'rows', rows }, [], rows.length));
    },
    scoreReplayed() {
      sendHeld();
      quietly(scored({ op: 'scoreReplayed' }));
    },
    observeAccounts(accounts) {
      if (accounts.length === 0) return;
      dirty = true;
      sendHeld();
      quietly(scored({ op: 'accounts', accounts }));
    },
    observePartnerSightings(sightings) {
      sendHeld();
      quietly(scored({ op: 'partners', sightings }));
    },
    async relink() {
      dirty = false;
      const input = await run({ op: 'linkInput' });
      const links = await runRelink(input, []);
      sendHeld();
      await scored({ op: 'applyLinks', links });
    },
    async idle() {
      // Held batches are sent when the task before them finishes, which moves `last` on.
      for (;;) {
        const waitingFor = last;
        await waitingFor;
        if (held.length === 0 && observationsInFlight === 0 && last === waitingFor) return;
        if (observationsInFlight === 0) sendHeld();
      }
    },
    account: (accountId) => run({ op: 'account', accountId }) as Promise<AccountFinding | null>,
    clusters: () => run({ op: 'clusters' }) as Promise<ClusterFinding[]>,
    templateShapes: (names) => run({ op: 'templateShapes', names }) as Promise<(TemplateShape | null)[]>,
    get dirty() {
      return dirty;
    },
    get backlog() {
      return Math.max(0, backlog);
    },
    close: () => pool.close(),
  };
}
