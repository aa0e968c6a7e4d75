import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Findings } from '../model/findings.js';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { parseDetectionConfig } from '../scoring/index.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { analyzeStore } from './index.js';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'distillguard-analysis-'));
  const simulated = await runCli(['simulate', '--scenario', 'smoke', '--seed', '9002', '--scale', '0.4', '--out', join(dir, 'sim'), '--no-progress']);
  expect(simulated.code, simulated.stderr).toBe(0);
  const ingested = await runCli(['ingest', join(dir, 'sim', 'exchanges.jsonl.gz'), '--accounts', join(dir, 'sim', 'accounts.jsonl'), '--db', join(dir, 'store.duckdb'), '--no-progress']);
  expect(ingested.code, ingested.stderr).toBe(0);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('analyzeStore, the analysis as a library call', () => {
  it('gives the findings the CLI writes, reports its stages, and leaves the caller\'s config alone', async () => {
    const analysed = await runCli(['analyze', '--db', join(dir, 'store.duckdb'), '--json', join(dir, 'cli.json'), '--threshold', 'auto', '--no-progress']);
    expect(analysed.code, analysed.stderr).toBe(0);
    const fromCli = JSON.parse(readFileSync(join(dir, 'cli.json'), 'utf8')) as Findings;

    const config = parseDetectionConfig();
    const before = JSON.stringify(config);
    const stages: string[] = [];
    const store = await DuckDbStore.open({ path: join(dir, 'store.duckdb'), readOnly: true });
    try {
      const { findings } = await analyzeStore(store, { config, threshold: { kind: 'auto' }, onStage: (name) => stages.push(name) });
      expect(stages).toEqual(['load', 'infrastructure', 'behaviour', 'linking', 'scoring', 'examples', 'findings']);
      expect(JSON.stringify(config)).toBe(before);
      expect(findings.thresholds).toEqual(fromCli.thresholds);
      expect(findings.calibration?.threshold_source).toBe('auto');
      const flags = (doc: Findings) => doc.accounts.map((account) => [account.account_id, account.flagged, account.score]);
      expect(flags(findings)).toEqual(flags(fromCli));
      expect(findings.clusters.map((cluster) => [cluster.cluster_id, cluster.score])).toEqual(fromCli.clusters.map((cluster) => [cluster.cluster_id, cluster.score]));
    } finally {
      store.close();
    }
  });
});
