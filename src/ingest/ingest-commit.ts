import { rm } from 'node:fs/promises';
import type { DuckDbStore, SourceRecord, StagedFile, StoredAccount } from '../store/duckdb-store.js';
import type { ExchangeIdDeduplicator } from './exchange-id-deduplicator.js';
import type { QuarantineRecord, QuarantineWriter } from './quarantine-writer.js';

/** Runs a step that touches the store; the service passes its store gate, a file ingest runs it as is. */
export type StoreAccess = <T>(work: () => Promise<T>) => Promise<T>;

export interface IngestCommitTarget {
  store: DuckDbStore;
  /** The filter of stored exchange ids; null when the unit holds no exchanges. */
  ids: ExchangeIdDeduplicator | null;
  quarantine: QuarantineWriter;
  access?: StoreAccess;
}

/** What one commit stores: staged exchange rows and account records, and what accounts for them. */
export interface IngestUnit {
  staged?: readonly StagedFile[];
  accounts?: readonly StoredAccount[];
  /**
   * Called once the id filter's doubtful rows have been looked up, so every count is final:
   * `lateDuplicates` rows the filter let through were stored already. Returns the source's new
   * checkpoint, stored in the same transaction as the rows (null to leave the source as it is),
   * and the quarantine records of the lines the unit read.
   */
  settleCounts(lateDuplicates: number): { checkpoint: SourceRecord | null; quarantine: readonly QuarantineRecord[] };
}

/** The rows are committed, but their quarantine records could not be written. */
export class QuarantineWriteError extends Error {
  constructor(
    readonly records: number,
    options: { cause: unknown },
  ) {
    super(`${records} quarantine records of committed rows could not be written`, options);
    this.name = 'QuarantineWriteError';
  }
}

/**
 * The one commit of ingested records, for the file ingest and the HTTP service alike: look up
 * the ids the filter could not clear, store the rows with the source checkpoint in one
 * transaction, settle the filter, and only then write the quarantine records, so a resumed run
 * never writes them twice. On failure nothing of the unit is stored and the filter forgets it.
 * Staged files are removed either way.
 */
export async function commitIngestUnit(target: IngestCommitTarget, unit: IngestUnit): Promise<{ lateDuplicates: number }> {
  const { store, ids } = target;
  const access: StoreAccess = target.access ?? ((work) => work());
  const staged = unit.staged ?? [];
  try {
    let lateDuplicates = 0;
    let settled: ReturnType<IngestUnit['settleCounts']>;
    try {
      if (ids !== null && ids.unconfirmed > 0) lateDuplicates = await access(() => ids.confirm());
      settled = unit.settleCounts(lateDuplicates);
      const { checkpoint } = settled;
      await access(() =>
        store.transaction(async () => {
          if (staged.length > 0) await store.insertStagedExchanges(staged);
          if (unit.accounts !== undefined && unit.accounts.length > 0) await store.upsertAccounts(unit.accounts);
          if (checkpoint !== null) await store.updateSource(checkpoint.sourceId, checkpoint);
        }),
      );
    } catch (error) {
      ids?.abandon();
      throw error;
    }
    // The rows are durable: from now on the store answers for their ids.
    ids?.settle();
    try {
      await target.quarantine.write(settled.quarantine);
    } catch (error) {
      throw new QuarantineWriteError(settled.quarantine.length, { cause: error });
    }
    return { lateDuplicates };
  } finally {
    await Promise.all(staged.map((file) => rm(file.path, { force: true })));
  }
}
