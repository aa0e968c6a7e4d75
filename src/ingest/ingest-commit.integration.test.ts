import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbStore, type SourceRecord, type StagedFile, type StoredAccount } from '../store/duckdb-store.js';
import { stagingRowLimit } from '../store/staged-batch-writer.js';
import { DEFAULT_WINDOW_SPEC, resolveTimestampWindow } from './timestamp-window.js';
import { ExchangeIdDeduplicator } from './exchange-id-deduplicator.js';
import { parseAccountLine } from './account-validator.js';
import { commitIngestUnit, QuarantineWriteError } from './ingest-commit.js';
import { createQuarantineWriter, type QuarantineRecord, type QuarantineWriter } from './quarantine-writer.js';
import { StagedBatchParser } from './staged-batch-parser.js';
import { validExchangeLine } from './test-support/exchange-lines.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

interface Fixture {
  dir: string;
  store: DuckDbStore;
  source: SourceRecord;
  ids: ExchangeIdDeduplicator;
  quarantinePath: string;
  quarantine: QuarantineWriter;
  /** Parses exchange lines into a staged file and screens their ids, as an ingest does. */
  stage(ids: string[]): Promise<StagedFile>;
}

async function fixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'commit-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  const store = await DuckDbStore.open({ path: join(dir, 'store.duckdb'), create: true, memoryLimit: '256MB' });
  const parser = await StagedBatchParser.create();
  closers.push(() => parser.close(), () => store.close());
  const source = await store.createSource('exchanges', 'log.jsonl', 'identity-1');
  const ids = await ExchangeIdDeduplicator.open(store, { expectedNewIds: 100 });
  const quarantinePath = join(dir, 'quarantine.jsonl');
  let batchId = 0;
  return {
    dir,
    store,
    source,
    ids,
    quarantinePath,
    quarantine: createQuarantineWriter(quarantinePath),
    async stage(exchangeIds) {
      const parsed = await parser.parse({
        firstLine: 1,
        bytes: Buffer.from(exchangeIds.map((id) => validExchangeLine({ id })).join('\n') + '\n'),
        sourceId: source.sourceId,
        textPolicy: 'excerpt',
        rawExcerptBytes: 0,
        timestampWindow: resolveTimestampWindow(DEFAULT_WINDOW_SPEC, Date.UTC(2026, 11, 3)),
        format: 'jsonl',
        stagingDirectory: dir,
        batchId: batchId++,
        maxRowBytes: stagingRowLimit(1 << 20),
      });
      const duplicateRows: number[] = [];
      ids.screen(parsed.keyHi, parsed.keyLo, parsed.rowCount, duplicateRows);
      return { path: parsed.stagedPath!, duplicateRows, longestRowBytes: parsed.longestRowBytes };
    },
  };
}

const badLine: QuarantineRecord = { file: 'log.jsonl', line: 3, reason: 'malformed_json', field: null, message: 'not JSON', raw: null, raw_bytes: 9 };

function account(accountId: string): StoredAccount {
  const parsed = parseAccountLine(JSON.stringify({ account_id: accountId }), Buffer.alloc(32));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return { account: parsed.value, sourceId: 1, line: 1 };
}

async function storedIds(store: DuckDbStore): Promise<string[]> {
  return (await store.query<{ id: string }>('SELECT id FROM exchanges ORDER BY id')).map((row) => row.id);
}

describe('commitIngestUnit', () => {
  it('stores staged rows, accounts and the checkpoint together, then writes the quarantine and removes the staged file', async () => {
    const f = await fixture();
    const staged = await f.stage(['e1', 'e2']);
    const result = await commitIngestUnit(
      { store: f.store, ids: f.ids, quarantine: f.quarantine },
      { staged: [staged], accounts: [account('acct_a')], settleCounts: () => ({ checkpoint: { ...f.source, linesDone: 3, stored: 2 }, quarantine: [badLine] }) },
    );
    expect(result).toEqual({ lateDuplicates: 0 });
    expect(await storedIds(f.store)).toEqual(['e1', 'e2']);
    expect((await f.store.query<{ account_id: string }>('SELECT account_id FROM accounts')).map((row) => row.account_id)).toEqual(['acct_a']);
    expect(await f.store.findSource('exchanges', 'identity-1')).toMatchObject({ linesDone: 3, stored: 2 });
    await f.quarantine.close();
    expect(JSON.parse(readFileSync(f.quarantinePath, 'utf8'))).toEqual(badLine);
    expect(existsSync(staged.path)).toBe(false);
  });

  it('hands settleCounts the rows the store already held that the id filter let through', async () => {
    const f = await fixture();
    await commitIngestUnit({ store: f.store, ids: f.ids, quarantine: f.quarantine }, { staged: [await f.stage(['e1', 'e2'])], settleCounts: () => ({ checkpoint: null, quarantine: [] }) });
    const again = await f.stage(['e2', 'e3']);
    let late = -1;
    await commitIngestUnit(
      { store: f.store, ids: f.ids, quarantine: f.quarantine },
      {
        staged: [again],
        settleCounts: (lateDuplicates) => {
          late = lateDuplicates;
          return { checkpoint: null, quarantine: [] };
        },
      },
    );
    expect(late).toBe(1);
    expect(again.duplicateRows).toEqual([0]);
    expect(await storedIds(f.store)).toEqual(['e1', 'e2', 'e3']);
  });

  it('stores nothing of a unit whose transaction fails, writes none of its quarantine, and forgets its ids', async () => {
    const f = await fixture();
    const failing = Object.create(f.store) as DuckDbStore;
    failing.upsertAccounts = async (accounts) => {
      await f.store.upsertAccounts(accounts);
      throw new Error('disk full');
    };
    const staged = await f.stage(['e1', 'e2']);
    await expect(
      commitIngestUnit(
        { store: failing, ids: f.ids, quarantine: f.quarantine },
        { staged: [staged], accounts: [account('acct_a')], settleCounts: () => ({ checkpoint: { ...f.source, linesDone: 3 }, quarantine: [badLine] }) },
      ),
    ).rejects.toThrow('disk full');
    expect(await storedIds(f.store)).toEqual([]);
    expect(await f.store.query('SELECT * FROM accounts')).toEqual([]);
    expect(await f.store.findSource('exchanges', 'identity-1')).toMatchObject({ linesDone: 0 });
    expect(existsSync(f.quarantinePath)).toBe(false);
    expect(existsSync(staged.path)).toBe(false);
    // Sent again, the rows are new: the failed unit left no trace in the id filter.
    const retry = await f.stage(['e1', 'e2']);
    await commitIngestUnit({ store: f.store, ids: f.ids, quarantine: f.quarantine }, { staged: [retry], settleCounts: () => ({ checkpoint: null, quarantine: [] }) });
    expect(retry.duplicateRows).toEqual([]);
    expect(await storedIds(f.store)).toEqual(['e1', 'e2']);
  });

  it('reports a quarantine that cannot be written apart from a failed commit: the rows stay stored', async () => {
    const f = await fixture();
    const broken: QuarantineWriter = { path: 'q', written: 0, write: () => Promise.reject(new Error('no space left')), close: async () => undefined };
    const error = await commitIngestUnit({ store: f.store, ids: f.ids, quarantine: broken }, { staged: [await f.stage(['e1'])], settleCounts: () => ({ checkpoint: null, quarantine: [badLine] }) }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(QuarantineWriteError);
    expect((error as QuarantineWriteError).records).toBe(1);
    expect(await storedIds(f.store)).toEqual(['e1']);
  });
});
