import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { validExchangeLine } from '../ingest/test-support/exchange-lines.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { createKey, startServe, type ServeProcess } from './test-support/serve-process.js';

const running: ServeProcess[] = [];
afterEach(() => {
  for (const server of running.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

async function serve(args: string[]): Promise<ServeProcess> {
  const server = await startServe(args);
  running.push(server);
  return server;
}

function batchOf(batch: number, size: number): { ids: string[]; body: string } {
  const ids = Array.from({ length: size }, (_, i) => `b${batch}-r${i}`);
  return { ids, body: ids.map((id, i) => validExchangeLine({ id, accountId: `acct_${batch % 7}`, fixtureIndex: i })).join('\n') };
}

async function post(url: string, key: string, body: string): Promise<Response> {
  return fetch(`${url}/v1/exchanges`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body });
}

async function storedIds(db: string): Promise<Set<string>> {
  const store = await DuckDbStore.open({ path: db, readOnly: true });
  try {
    return new Set((await store.query<{ id: string }>('SELECT id FROM exchanges')).map((row) => row.id));
  } finally {
    store.close();
  }
}

describe('distillguard serve on loopback', () => {
  it('keeps every acknowledged exchange through kill -9 mid-replay, and recovers them on restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-kill-'));
    const db = join(dir, 'store.duckdb');
    const key = await createKey(db, 'ingest');
    const server = await serve(['--db', db, '--workers', '1']);

    const acknowledged: string[] = [];
    let killed = false;
    let batch = 0;
    // Two clients replaying batches until the server dies under them.
    const client = async (): Promise<void> => {
      while (!killed && batch < 400) {
        const { ids, body } = batchOf(batch++, 100);
        try {
          const response = await post(server.url, key, body);
          if (response.status === 202) {
            expect(await response.json()).toMatchObject({ stored: 100 });
            acknowledged.push(...ids);
          }
        } catch {
          return; // the connection died with the server: that batch was never acknowledged
        }
        if (acknowledged.length >= 2_000 && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([client(), client()]);
    expect(await server.exited).toBeNull();
    expect(acknowledged.length).toBeGreaterThanOrEqual(2_000);

    // The restarted server recovers what was stored, and a client's retry of everything is idempotent.
    const restarted = await serve(['--db', db, '--workers', '0']);
    const health = (await (await fetch(`${restarted.url}/healthz`)).json()) as { exchanges_recovered: number };
    expect(health.exchanges_recovered).toBeGreaterThanOrEqual(acknowledged.length);
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    const stored = await storedIds(db);
    const missing = acknowledged.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  });

  it('on SIGTERM commits the batches it accepted, answers them, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-term-'));
    const db = join(dir, 'store.duckdb');
    const key = await createKey(db, 'ingest');
    const server = await serve(['--db', db]);
    const batches = Array.from({ length: 8 }, (_, i) => batchOf(i, 300));
    const responses = batches.map(({ body }) => post(server.url, key, body).then((response) => response.status, () => 0));
    await new Promise((resolve) => setTimeout(resolve, 30));
    server.child.kill('SIGTERM');
    const statuses = await Promise.all(responses);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('distillguard serve: stopped');
    const stored = await storedIds(db);
    batches.forEach(({ ids }, i) => {
      if (statuses[i] === 202) expect(ids.every((id) => stored.has(id)), `batch ${i} was acknowledged`).toBe(true);
    });
    expect(statuses.filter((status) => status === 202).length).toBeGreaterThan(0);
  });

  it('authenticates over the wire and, while it holds the store, sends key management to its admin API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-keys-'));
    const db = join(dir, 'store.duckdb');
    const admin = await createKey(db, 'admin');
    const server = await serve(['--db', db]);
    const unauthenticated = await fetch(`${server.url}/v1/decide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"account_id":"a"}' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    const cli = await runCli(['keys', 'create', '--role', 'decide', '--db', db]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/held by a running `distillguard serve`.*\n.*\/v1\/keys/);

    const created = await fetch(`${server.url}/v1/keys`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{"role":"decide"}' });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const decided = await fetch(`${server.url}/v1/decide`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"account_id":"a"}' });
    expect(decided.status).toBe(200);
    const forbidden = await fetch(`${server.url}/v1/keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(forbidden.status).toBe(403);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const listed = await runCli(['keys', 'list', '--db', db, '--json']);
    expect(JSON.parse(listed.stdout).keys.map((entry: { role: string }) => entry.role).sort()).toEqual(['admin', 'decide']);
  });
});
