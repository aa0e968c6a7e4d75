import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePolicy, DEFAULT_POLICY_DOCUMENT } from '../service/decisions/decision-policy.js';
import { runStoreBacktestOnThread } from './store-backtest.js';

const dir = mkdtempSync(join(tmpdir(), 'distillguard-store-backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a backtest on its own thread', () => {
  it('passes a failure on the thread back as an error with its message, not a hang or a lost exit', async () => {
    const policy = compilePolicy(DEFAULT_POLICY_DOCUMENT, 'default');
    const missing = join(dir, 'no-such-store.duckdb');
    await expect(
      runStoreBacktestOnThread({
        dbPath: missing,
        memoryLimit: '256MB',
        policies: [{ name: 'candidate', source: 'default', document: policy.document, version: policy.version }],
        fromMs: null,
        toMs: null,
        stepMs: 60_000,
        relinkIntervalMs: 3_600_000,
        topOrgs: 10,
        traceCacheDir: null,
      }),
    ).rejects.toThrow(/no-such-store/);
  });
});
