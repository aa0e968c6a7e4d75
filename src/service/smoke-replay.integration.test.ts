import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HARD_NEGATIVE_PERSONAS } from '../eval/index.js';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { liveEngineModule } from './engine/detection-engine-module.js';
import { createKey, startServe, type ServeProcess } from './test-support/serve-process.js';

const HARD_NEGATIVES = new Set(HARD_NEGATIVE_PERSONAS);
const SCENARIO = new URL('../../scenarios/smoke.yaml', import.meta.url).pathname;

const running: ServeProcess[] = [];
afterEach(() => {
  for (const server of running.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

interface Label {
  account_id: string;
  label: 'attack' | 'benign';
  persona: string;
}

async function postBatch(url: string, key: string, lines: string[]): Promise<number> {
  const response = await fetch(`${url}/v1/exchanges`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body: lines.join('\n') });
  await response.arrayBuffer();
  return response.status;
}

describe('the smoke scenario replayed over HTTP', () => {
  it('survives kill -9 mid-replay, then steps up or blocks attackers and allows the hard negatives', async () => {
    expect(liveEngineModule.createEngine().name).not.toBe('traffic-only');
    const dir = mkdtempSync(join(tmpdir(), 'smoke-replay-'));
    const out = join(dir, 'sim');
    const simulated = await runCli(['simulate', '--scenario', SCENARIO, '--seed', '1', '--out', out]);
    expect(simulated.code, simulated.stderr).toBe(0);
    const db = join(dir, 'store.duckdb');
    // Accounts come from the provider's account system, loaded before the service starts.
    expect((await runCli(['ingest', '--accounts', join(out, 'accounts.jsonl'), '--db', db])).code).toBe(0);
    const ingestKey = await createKey(db, 'ingest');
    const decideKey = await createKey(db, 'decide');
    const lines = gunzipSync(readFileSync(join(out, 'exchanges.jsonl.gz'))).toString('utf8').split('\n').filter((line) => line.length > 0);
    const batches: string[][] = [];
    for (let i = 0; i < lines.length; i += 500) batches.push(lines.slice(i, i + 500));

    // First run: killed half-way through the replay.
    const acknowledged: string[] = [];
    let server = await startServe(['--db', db, '--relink-interval', '1s']);
    running.push(server);
    for (const batch of batches.slice(0, Math.floor(batches.length / 2))) {
      if ((await postBatch(server.url, ingestKey, batch)) === 202) acknowledged.push(...batch.map((line) => (JSON.parse(line) as { id: string }).id));
    }
    server.child.kill('SIGKILL');
    await server.exited;

    // Second run: the replay starts over (a client that lost its place), which ids make safe.
    server = await startServe(['--db', db, '--relink-interval', '1s']);
    running.push(server);
    for (const batch of batches) expect(await postBatch(server.url, ingestKey, batch)).toBe(202);
    const ingestDone = Date.now();
    await expect
      .poll(async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { relink: { lastFinishedAt: number | null } }).relink.lastFinishedAt ?? 0, { timeout: 60_000, interval: 500 })
      .toBeGreaterThan(ingestDone);

    const labels = readFileSync(join(out, 'labels.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Label);
    const active = new Set(lines.map((line) => (JSON.parse(line) as { account_id: string }).account_id));
    const actions = new Map<string, string>();
    for (const label of labels.filter((entry) => active.has(entry.account_id))) {
      const response = await fetch(`${server.url}/v1/decide`, {
        method: 'POST',
        headers: { authorization: `Bearer ${decideKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ account_id: label.account_id }),
      });
      actions.set(label.account_id, ((await response.json()) as { action: string }).action);
    }
    const attackers = labels.filter((label) => label.label === 'attack' && active.has(label.account_id));
    const stopped = attackers.filter((label) => ['step_up', 'block'].includes(actions.get(label.account_id)!));
    const hardNegatives = labels.filter((label) => HARD_NEGATIVES.has(label.persona) && active.has(label.account_id));
    const wronglyStopped = hardNegatives.filter((label) => actions.get(label.account_id) !== 'allow').map((label) => `${label.account_id} (${label.persona}): ${actions.get(label.account_id)}`);
    expect(wronglyStopped).toEqual([]);
    // A regression floor: on this seed the stealth campaign (8 of 52 accounts) sits at the
    // threshold, caught or not depending on when relinks fall; the batch analysis misses it. What
    // must hold is below: the live service acts on everything the batch analysis flags.
    expect(stopped.length / attackers.length).toBeGreaterThanOrEqual(0.8);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const store = await DuckDbStore.open({ path: db, readOnly: true });
    try {
      const stored = new Set((await store.query<{ id: string }>('SELECT id FROM exchanges')).map((row) => row.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      expect(stored.size).toBe(new Set(lines.map((line) => (JSON.parse(line) as { id: string }).id)).size);
    } finally {
      store.close();
    }

    // One engine, two drivers: every attack account `analyze` flags on the same store, the live
    // service stepped up or blocked.
    const findingsPath = join(dir, 'findings.json');
    const analysed = await runCli(['analyze', '--db', db, '--json', findingsPath, '--no-progress']);
    expect(analysed.code, analysed.stderr).toBe(0);
    const attackIds = new Set(attackers.map((label) => label.account_id));
    const findings = JSON.parse(readFileSync(findingsPath, 'utf8')) as { accounts: { account_id: string; flagged: boolean }[] };
    const flaggedInBatch = findings.accounts.filter((account) => account.flagged && attackIds.has(account.account_id)).map((account) => account.account_id);
    expect(flaggedInBatch.length).toBeGreaterThan(0);
    expect(flaggedInBatch.filter((id) => !['step_up', 'block'].includes(actions.get(id)!))).toEqual([]);
  });
});
