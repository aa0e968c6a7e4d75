import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from '../ingest/rfc3339-timestamp.js';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { parseLabels } from '../eval/labels-parser.js';
import { parsePolicy } from '../service/decisions/decision-policy.js';
import { createServiceApp } from '../service/http/http-app.js';
import { readServiceConfig } from '../service/service-config.js';
import { createServiceCore } from '../service/service-core.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { createSilentLogger } from '../util/log.js';
import { LIVE_ENGINE_MODULE_URL } from '../service/engine/detection-engine-module.js';
import { readerThreadObservationSource } from './observation-source.js';
import { runPolicyBacktest } from './policy-backtest.js';

const SCENARIO = new URL('../../scenarios/smoke.yaml', import.meta.url).pathname;
const SHIPPED_POLICY = new URL('../../config/policy.example.yaml', import.meta.url).pathname;
const STEP_MS = 3_600_000;
const RELINK_MS = 6 * 3_600_000;

interface Line {
  text: string;
  id: string;
  ts: number;
  account_id: string;
  org_id: string | null;
  client_ip: string | null;
}

describe('a policy backtest', () => {
  it('makes, exchange by exchange, the decisions the live service makes on the same traffic replayed over HTTP, also from a recorded trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backtest-live-'));
    const out = join(dir, 'sim');
    const simulated = await runCli(['simulate', '--scenario', SCENARIO, '--seed', '1', '--out', out]);
    expect(simulated.code, simulated.stderr).toBe(0);
    const db = join(dir, 'store.duckdb');
    expect((await runCli(['ingest', '--accounts', join(out, 'accounts.jsonl'), '--db', db])).code).toBe(0);

    // The traffic in the store's order (time, then id), cut into the backtest's steps.
    const lines: Line[] = gunzipSync(readFileSync(join(out, 'exchanges.jsonl.gz')))
      .toString('utf8')
      .split('\n')
      .filter((text) => text.length > 0)
      .map((text) => {
        const record = JSON.parse(text) as { id: string; ts: string; account_id: string; org_id?: string | null; client_ip?: string | null };
        return { text, id: record.id, ts: parseRfc3339(record.ts)!, account_id: record.account_id, org_id: record.org_id ?? null, client_ip: record.client_ip ?? null };
      })
      .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const steps: Line[][] = [];
    for (const line of lines) {
      const last = steps.at(-1);
      if (last !== undefined && Math.floor(last[0]!.ts / STEP_MS) === Math.floor(line.ts / STEP_MS)) last.push(line);
      else steps.push([line]);
    }

    // `serve` as it runs in production (engine and relinks on threads of their own) with the
    // shipped example policy; relinks are started by hand on the backtest's schedule of traffic time.
    const store = await DuckDbStore.open({ path: db, memoryLimit: '512MB' });
    const config = readServiceConfig({ db, policyPath: SHIPPED_POLICY, relinkIntervalMs: 3_600_000, ingestWorkers: 1 });
    const core = await createServiceCore({ store, config, logger: createSilentLogger() });
    const app = await createServiceApp(core);
    const live = new Map<string, string>();
    try {
      const ingestKey = (await core.createKey({ role: 'ingest', rateLimit: 1_000_000 })).key;
      const decideKey = (await core.createKey({ role: 'decide', rateLimit: 1_000_000 })).key;
      let slot: number | null = null;
      for (const step of steps) {
        const stepSlot = Math.floor((Math.floor(step[0]!.ts / STEP_MS) * STEP_MS) / RELINK_MS);
        if (slot !== null && stepSlot !== slot) {
          await core.relink.runNow();
          await core.scoringIdle();
        }
        slot = stepSlot;
        const asked = new Map<string, string>();
        for (const line of step) {
          const key = `${line.account_id}\u0000${line.org_id ?? ''}`;
          let action = asked.get(key);
          if (action === undefined) {
            const response = await app.inject({
              method: 'POST',
              url: '/v1/decide',
              headers: { authorization: `Bearer ${decideKey}` },
              payload: { account_id: line.account_id, org_id: line.org_id, client_ip: line.client_ip },
            });
            expect(response.statusCode).toBe(200);
            action = (response.json() as { action: string }).action;
            asked.set(key, action);
          }
          live.set(line.id, action);
        }
        for (let start = 0; start < step.length; start += 1000) {
          const response = await app.inject({
            method: 'POST',
            url: '/v1/exchanges',
            headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/x-ndjson' },
            payload: step.slice(start, start + 1000).map((line) => line.text).join('\n'),
          });
          expect(response.statusCode, response.body).toBe(202);
        }
        await core.scoringIdle();
      }
    } finally {
      await app.close();
      await core.close();
    }

    // Once as a library caller runs it (rows read and links made on this thread), once as the
    // command does (rows read on a thread of their own, links made ahead on another).
    // Then twice more with a trace cache: the first replay records the engine's assessments, the
    // second decides from them alone; both must still make the live decisions.
    const stored = await DuckDbStore.open({ path: db, readOnly: true });
    const replayed = new Map<string, string>();
    const threaded = new Map<string, string>();
    const fromTrace = new Map<string, string>();
    const traceCacheDir = join(dir, 'traces');
    let result;
    let reused;
    try {
      const options = {
        policies: [{ name: 'shipped', source: SHIPPED_POLICY, policy: parsePolicy(readFileSync(SHIPPED_POLICY, 'utf8'), SHIPPED_POLICY) }],
        labels: parseLabels(readFileSync(join(out, 'labels.jsonl'), 'utf8'), 'labels.jsonl'),
        stepMs: STEP_MS,
        relinkIntervalMs: RELINK_MS,
      };
      result = await runPolicyBacktest(stored, { ...options, onDecision: (exchange, decisions) => replayed.set(exchange.id, decisions[0]!.action) });
      await runPolicyBacktest(stored, {
        ...options,
        source: readerThreadObservationSource({ dbPath: db, memoryLimit: '512MB', toMs: null, engineModuleUrl: LIVE_ENGINE_MODULE_URL }),
        linkAheadModuleUrl: LIVE_ENGINE_MODULE_URL,
        onDecision: (exchange, decisions) => threaded.set(exchange.id, decisions[0]!.action),
      });
      const recorded = await runPolicyBacktest(stored, { ...options, traceCacheDir });
      expect(recorded.replay.trace.use).toBe('recorded');
      reused = await runPolicyBacktest(stored, { ...options, traceCacheDir, onDecision: (exchange, decisions) => fromTrace.set(exchange.id, decisions[0]!.action) });
    } finally {
      stored.close();
    }

    expect(replayed.size).toBe(lines.length);
    expect(threaded.size).toBe(lines.length);
    const differing = lines.filter((line) => replayed.get(line.id) !== live.get(line.id)).map((line) => `${line.id} ${line.account_id}: live ${live.get(line.id)}, backtest ${replayed.get(line.id)}`);
    expect(differing.slice(0, 10)).toEqual([]);
    const differingThreaded = lines.filter((line) => threaded.get(line.id) !== live.get(line.id)).map((line) => `${line.id}: live ${live.get(line.id)}, threaded backtest ${threaded.get(line.id)}`);
    expect(differingThreaded.slice(0, 10)).toEqual([]);
    expect(reused.replay.trace.use).toBe('reused');
    expect(reused.replay.seconds.observe).toBe(0);
    expect(fromTrace.size).toBe(lines.length);
    const differingFromTrace = lines.filter((line) => fromTrace.get(line.id) !== live.get(line.id)).map((line) => `${line.id}: live ${live.get(line.id)}, from the trace ${fromTrace.get(line.id)}`);
    expect(differingFromTrace.slice(0, 10)).toEqual([]);
    expect({ ...reused, replay: { ...reused.replay, seconds: null, trace: null } }).toEqual({ ...result, replay: { ...result.replay, seconds: null, trace: null } });
    // Not a vacuous match: the policy acted, and on attack accounts.
    const acted = [...live.values()].filter((action) => action !== 'allow').length;
    expect(acted).toBeGreaterThan(0);
    expect(result.policies[0]!.quality.step_up.true_positives).toBeGreaterThan(0);
  });
});
