import { Key64Filter } from '../util/key64-filter.js';
import { Key64Set } from '../util/key64-set.js';

/** What the deduplicator reads of the store. */
export interface StoredIdKeys {
  countExchanges(): Promise<number>;
  forEachIdKey(visit: (hi: number, lo: number) => void): Promise<void>;
  findStoredIdKeys(his: ArrayLike<number>, los: ArrayLike<number>): Promise<Key64Set>;
}

export interface DeduplicatorOptions {
  /** Most bytes the filter of stored ids may take. */
  maxFilterBytes?: number;
  /** Ids the caller may add on top of the stored ones, to size the filter (an over-estimate costs only memory, up to the maximum). */
  expectedNewIds?: number;
}

export interface DeduplicatorStats {
  filterBytes: number;
  /** Ids the filter held when it was opened. */
  storedIds: number;
  /** Rows the filter could not clear, looked up in the store. */
  confirmed: number;
  /** Of those, rows whose id was not stored after all (the filter's false positives). */
  falsePositives: number;
  /** Lookups in the store (one column scan each). */
  storeLookups: number;
  /** The filter's false-positive rate now, from the ids it holds and its size. */
  expectedFalsePositiveRate: number;
}

export const DEFAULT_MAX_FILTER_BYTES = 128 * 1024 * 1024;
const MIN_FILTER_BYTES = 1024 * 1024;
/** 64 bits an id, which the filter rounds down to 32-64: about one false positive in 10^5-10^8 lookups while it has room. */
const FILTER_BYTES_PER_ID = 8;

/**
 * Exact exchange-id deduplication in memory that does not grow with the store. A Bloom filter of
 * fixed size holds every stored id and clears almost every new row at once; the rows of the unit
 * being committed are held exactly; the few rows the filter cannot clear are looked up in the
 * store before their unit is inserted. Memory: the filter (at most `maxFilterBytes`) plus one
 * unit's ids. A store much larger than the filter was sized for stays exact and only gets slower,
 * as false positives send more rows to the store.
 *
 * Use: `screen` each batch, `confirm` before inserting the unit, `settle` after its commit.
 */
export class ExchangeIdDeduplicator {
  private unit = new Key64Set(1024);
  private readonly candidateHi: number[] = [];
  private readonly candidateLo: number[] = [];
  private readonly candidateRow: number[] = [];
  private readonly candidateTarget: number[][] = [];
  private readonly counters = { confirmed: 0, falsePositives: 0, storeLookups: 0 };

  private constructor(
    private readonly store: StoredIdKeys,
    private readonly filter: Key64Filter,
    private readonly storedIds: number,
  ) {}

  static async open(store: StoredIdKeys, options: DeduplicatorOptions = {}): Promise<ExchangeIdDeduplicator> {
    const storedIds = await store.countExchanges();
    const wanted = (storedIds + (options.expectedNewIds ?? 0)) * FILTER_BYTES_PER_ID;
    const filter = new Key64Filter(Math.min(options.maxFilterBytes ?? DEFAULT_MAX_FILTER_BYTES, Math.max(MIN_FILTER_BYTES, wanted)));
    await store.forEachIdKey((hi, lo) => filter.add(hi, lo));
    return new ExchangeIdDeduplicator(store, filter, storedIds);
  }

  /**
   * Sorts a batch's rows: repeats of an id stored before or seen earlier in this unit are pushed
   * to `duplicateRows` now; rows the filter cannot clear wait for `confirm`, which pushes those
   * that turn out stored to the same array. Every other row is new.
   */
  screen(keyHi: ArrayLike<number>, keyLo: ArrayLike<number>, rowCount: number, duplicateRows: number[]): void {
    const filter = this.filter;
    for (let row = 0; row < rowCount; row++) {
      const hi = keyHi[row]!;
      const lo = keyLo[row]!;
      if (!this.unit.addParts(hi, lo)) {
        duplicateRows.push(row);
      } else if (filter.add(hi, lo)) {
        this.candidateHi.push(hi);
        this.candidateLo.push(lo);
        this.candidateRow.push(row);
        this.candidateTarget.push(duplicateRows);
      }
    }
  }

  /** Rows screened since the last `confirm` that still need a look in the store. */
  get unconfirmed(): number {
    return this.candidateRow.length;
  }

  /**
   * Looks up the waiting rows in the store, before the unit is inserted, and adds those found to
   * their batch's duplicate rows. Returns how many were duplicates.
   */
  async confirm(): Promise<number> {
    const count = this.candidateRow.length;
    if (count === 0) return 0;
    const stored = await this.store.findStoredIdKeys(this.candidateHi, this.candidateLo);
    let duplicates = 0;
    for (let i = 0; i < count; i++) {
      if (stored.hasParts(this.candidateHi[i]!, this.candidateLo[i]!)) {
        this.candidateTarget[i]!.push(this.candidateRow[i]!);
        duplicates++;
      }
    }
    this.counters.storeLookups++;
    this.counters.confirmed += count;
    this.counters.falsePositives += count - duplicates;
    this.dropCandidates();
    return duplicates;
  }

  /**
   * Ends the unit once its rows are committed, or abandoned: from now on the store answers for
   * them. (The filter keeps abandoned ids, which only costs a lookup if they come again.)
   */
  settle(): void {
    if (this.candidateRow.length > 0) throw new Error('settle() before confirm(): screened rows were never looked up');
    if (this.unit.size > 0) this.unit = new Key64Set(1024);
  }

  /** Drops the unit after a rollback: its rows were never stored, so none of them is a repeat. */
  abandon(): void {
    this.dropCandidates();
    this.unit = new Key64Set(1024);
  }

  private dropCandidates(): void {
    this.candidateHi.length = 0;
    this.candidateLo.length = 0;
    this.candidateRow.length = 0;
    this.candidateTarget.length = 0;
  }

  stats(): DeduplicatorStats {
    return { filterBytes: this.filter.byteLength, storedIds: this.storedIds, ...this.counters, expectedFalsePositiveRate: this.filter.expectedFalsePositiveRate() };
  }
}
