import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Key64Set } from '../util/key64-set.js';
import { ExchangeIdDeduplicator, type StoredIdKeys } from './exchange-id-deduplicator.js';

/** A store of id keys in memory, with the same answers the DuckDB store gives. */
class MemoryIdStore implements StoredIdKeys {
  readonly keys: [number, number][] = [];
  readonly set = new Key64Set();
  lookups = 0;

  insert(hi: number, lo: number): void {
    if (!this.set.addParts(hi, lo)) throw new Error(`stored twice: ${hi}:${lo}`);
    this.keys.push([hi, lo]);
  }

  async countExchanges(): Promise<number> {
    return this.keys.length;
  }

  async forEachIdKey(visit: (hi: number, lo: number) => void): Promise<void> {
    for (const [hi, lo] of this.keys) visit(hi, lo);
  }

  async findStoredIdKeys(his: ArrayLike<number>, los: ArrayLike<number>): Promise<Key64Set> {
    this.lookups++;
    const found = new Key64Set();
    for (let i = 0; i < his.length; i++) if (this.set.hasParts(his[i]!, los[i]!)) found.addParts(his[i]!, los[i]!);
    return found;
  }
}

const key = fc.tuple(fc.nat(3), fc.nat(40));
const batch = fc.array(key, { maxLength: 30 });
const unit = fc.array(batch, { maxLength: 4 });

describe('ExchangeIdDeduplicator', () => {
  it('keeps exactly the first row of every id, across batches, units and reopenings, whatever the filter size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(unit, { maxLength: 5 }), { minLength: 1, maxLength: 3 }), fc.constantFrom(32, 256, 1 << 20), async (runs, filterBytes) => {
        const store = new MemoryIdStore();
        const seen = new Set<string>();
        for (const units of runs) {
          // Each run opens a new deduplicator on what the runs before it stored, like a new ingest.
          const ids = await ExchangeIdDeduplicator.open(store, { maxFilterBytes: filterBytes });
          for (const batches of units) {
            const screened = batches.map((rows) => {
              const duplicateRows: number[] = [];
              ids.screen(Uint32Array.from(rows, ([hi]) => hi), Uint32Array.from(rows, ([, lo]) => lo), rows.length, duplicateRows);
              return { rows, duplicateRows };
            });
            await ids.confirm();
            expect(ids.unconfirmed).toBe(0);
            for (const { rows, duplicateRows } of screened) {
              const skipped = new Set(duplicateRows);
              expect(skipped.size).toBe(duplicateRows.length);
              rows.forEach(([hi, lo], row) => {
                const first = !seen.has(`${hi}:${lo}`);
                seen.add(`${hi}:${lo}`);
                expect(skipped.has(row)).toBe(!first);
                if (first) store.insert(hi, lo);
              });
            }
            ids.settle();
          }
        }
      }),
    );
  });

  it('looks nothing up in the store while its filter has room for the ids', async () => {
    const store = new MemoryIdStore();
    for (let i = 0; i < 50_000; i++) store.insert(i * 7919, i);
    const ids = await ExchangeIdDeduplicator.open(store, { expectedNewIds: 50_000 });
    const his = Uint32Array.from({ length: 50_000 }, (_, i) => i * 7919 + 1);
    const los = Uint32Array.from({ length: 50_000 }, (_, i) => i);
    const duplicateRows: number[] = [];
    ids.screen(his, los, his.length, duplicateRows);
    expect(ids.unconfirmed).toBeLessThan(5);
    await ids.confirm();
    expect(duplicateRows).toEqual([]);
    expect(ids.stats()).toMatchObject({ storedIds: 50_000, filterBytes: 1024 * 1024 });
  });

  it('keeps the filter within its maximum whatever the store holds', async () => {
    const store = new MemoryIdStore();
    for (let i = 0; i < 20_000; i++) store.insert(i, i);
    const ids = await ExchangeIdDeduplicator.open(store, { maxFilterBytes: 4096, expectedNewIds: 10_000_000 });
    expect(ids.stats().filterBytes).toBe(4096);
    expect(ids.stats().expectedFalsePositiveRate).toBeGreaterThan(0.9);
  });

  it('refuses to end a unit whose rows were never looked up, and forgets an abandoned one', async () => {
    const store = new MemoryIdStore();
    store.insert(1, 1);
    const ids = await ExchangeIdDeduplicator.open(store);
    ids.screen([1, 2], [1, 2], 2, []);
    expect(() => ids.settle()).toThrow(/confirm/);
    ids.abandon();
    const duplicateRows: number[] = [];
    ids.screen([2], [2], 1, duplicateRows);
    await ids.confirm();
    expect(duplicateRows).toEqual([]);
  });
});
