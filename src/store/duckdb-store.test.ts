import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbStore, STORE_SCHEMA_VERSION } from './duckdb-store.js';
import { EXCHANGE_COLUMNS } from './exchange-columns.js';

let dir: string | null = null;
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('store schema', () => {
  it('adds the prompt_language column to a version-1 store when it is opened for writing, keeping its rows', async () => {
    dir = mkdtempSync(join(tmpdir(), 'distillguard-store-'));
    const path = join(dir, 'old.duckdb');
    const created = await DuckDbStore.open({ path, create: true });
    // Make it what a version-1 distillguard wrote: no prompt_language column, version 1.
    await created.connection.run('ALTER TABLE exchanges DROP COLUMN prompt_language');
    await created.connection.run("INSERT INTO exchanges (id, account_id, content_flags) VALUES ('req_old', 'acct_1', 1)");
    await created.connection.run("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
    created.close();

    const reopened = await DuckDbStore.open({ path });
    const columns = (await reopened.connection.runAndReadAll("SELECT column_name FROM information_schema.columns WHERE table_name = 'exchanges' ORDER BY ordinal_position")).getRowsJS().map((row) => row[0]);
    expect(columns).toEqual(EXCHANGE_COLUMNS.map((column) => column.name));
    const version = (await reopened.connection.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'")).getRowsJS()[0]?.[0];
    expect(Number(version)).toBe(STORE_SCHEMA_VERSION);
    const rows = (await reopened.connection.runAndReadAll("SELECT id, prompt_language FROM exchanges")).getRowsJS();
    expect(rows).toEqual([['req_old', null]]);
    reopened.close();
  });
});

describe('store snapshot', () => {
  it('reads one consistent state beside commits on the store, and closing it leaves the store open', async () => {
    dir = mkdtempSync(join(tmpdir(), 'distillguard-store-'));
    const store = await DuckDbStore.open({ path: join(dir, 'store.duckdb'), create: true });
    await store.run("INSERT INTO exchanges (id, account_id, content_flags) VALUES ('e1', 'acct_1', 0)");
    const snapshot = await store.snapshot();
    // A transaction on the store commits while the snapshot is open, as an ingest does under serve.
    await store.transaction(() => store.run("INSERT INTO exchanges (id, account_id, content_flags) VALUES ('e2', 'acct_1', 0)"));
    expect(await snapshot.countExchanges()).toBe(1);
    expect(await store.countExchanges()).toBe(2);
    snapshot.close();
    expect(await store.countExchanges()).toBe(2);
    const fresh = await store.snapshot();
    expect(await fresh.countExchanges()).toBe(2);
    fresh.close();
    store.close();
  });
});
