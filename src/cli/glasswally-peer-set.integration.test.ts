import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFindings } from '../eval/findings-evaluator.js';
import { parseLabels } from '../eval/labels-parser.js';
import type { Findings } from '../model/findings.js';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { EXCHANGE_COLUMNS } from '../store/exchange-columns.js';

const PEER_SET = fileURLToPath(new URL('../../data/peer/glasswally/labeled_5k.jsonl.gz', import.meta.url));

describe('the Glasswally labelled set (data/peer/glasswally)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glasswally-'));
  const db = join(dir, 'peer.duckdb');
  const ingestArgs = ['ingest', '--format', 'glasswally', PEER_SET, '--db', db, '--text', 'full', '--json', '--no-progress'];
  let store: DuckDbStore;
  let runs: { code: number | null; stdout: string; stderr: string }[];

  beforeAll(async () => {
    runs = [await runCli(ingestArgs), await runCli(ingestArgs)];
    store = await DuckDbStore.open({ path: db, readOnly: true });
  });

  afterAll(() => store?.close());

  it('ingests as 5,000 exchanges of 231 accounts with nothing quarantined, and again as nothing new', async () => {
    const [first, again] = runs.map((run) => {
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { totals: Record<string, number> };
    });
    expect(first!.totals).toMatchObject({ linesRead: 5000, stored: 5000, duplicates: 0, quarantined: 0 });
    expect(again!.totals).toMatchObject({ stored: 0, quarantined: 0, alreadyIngested: 5000 });
    expect(existsSync(`${db}.quarantine.jsonl`)).toBe(false);
    expect(await store.query('SELECT count(*)::INTEGER AS exchanges, count(DISTINCT id)::INTEGER AS ids, count(DISTINCT account_id)::INTEGER AS accounts FROM exchanges')).toEqual([
      { exchanges: 5000, ids: 5000, accounts: 231 },
    ]);
  });

  it('keeps the campaign labels out of the store: no column and no value carries one', async () => {
    const columns = await store.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'exchanges'");
    expect(columns.map((column) => column.column_name).filter((name) => /label|campaign/i.test(name))).toEqual([]);
    const text = EXCHANGE_COLUMNS.filter((column) => column.kind === 'varchar').map((column) => `coalesce(${column.name}, '')`);
    const carrying = await store.query(`SELECT id FROM exchanges WHERE concat_ws('|', ${text.join(', ')}) ILIKE '%campaign%'`);
    expect(carrying).toEqual([]);
    // Texts are stored whole (--text full), so the search above saw every one of them.
    const [whole] = await store.query<{ missing: number; teacher: number }>(
      "SELECT count(*) FILTER (WHERE prompt_text IS NULL)::INTEGER AS missing, count(*) FILTER (WHERE system_text = 'Act as an AI teacher. Explain concepts clearly for a machine learning dataset.')::INTEGER AS teacher FROM exchanges",
    );
    expect(whole!.missing).toBe(0);
    expect(whole!.teacher).toBeGreaterThan(0);
  });

  it('converts to labels eval reads: 30 attack accounts in 5 campaigns of 6, 201 benign, the same accounts as the store', async () => {
    const out = join(dir, 'labels.jsonl');
    const result = await runCli(['peer-labels', '--format', 'glasswally', PEER_SET, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('231 accounts: 30 attack in 5 campaigns, 201 benign');
    const labels = parseLabels(readFileSync(out, 'utf8'), out);
    const attack = labels.filter((label) => label.label === 'attack');
    expect(attack).toHaveLength(30);
    expect(labels.filter((label) => label.label === 'benign')).toHaveLength(201);
    const perCampaign = new Map<string, number>();
    for (const label of attack) perCampaign.set(label.campaign!, (perCampaign.get(label.campaign!) ?? 0) + 1);
    expect(Object.fromEntries(perCampaign)).toEqual({ campaign_0001: 6, campaign_0002: 6, campaign_0003: 6, campaign_0004: 6, campaign_0005: 6 });
    const stored = await store.query<{ account_id: string }>('SELECT DISTINCT account_id FROM exchanges');
    expect(new Set(labels.map((label) => label.account_id))).toEqual(new Set(stored.map((row) => row.account_id)));
  });

  it('finds the five campaigns with default settings: precision and recall at least 0.95', async () => {
    const labelsFile = join(dir, 'labels-for-eval.jsonl');
    expect((await runCli(['peer-labels', '--format', 'glasswally', PEER_SET, '--out', labelsFile])).code).toBe(0);
    const findingsFile = join(dir, 'findings.json');
    const analysed = await runCli(['analyze', '--db', db, '--json', findingsFile, '--no-progress']);
    expect(analysed.code, analysed.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(findingsFile, 'utf8')) as Findings;
    const evaluation = evaluateFindings(findings, parseLabels(readFileSync(labelsFile, 'utf8'), labelsFile));
    expect(evaluation.accounts.precision).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.accounts.recall).toBeGreaterThanOrEqual(0.95);
    // The attack accounts come out as a flagged cluster, not as 30 lone accounts.
    expect(evaluation.clusters.flagged).toBeGreaterThan(0);
    expect(evaluation.clusters.benign_in_flagged_clusters).toBe(0);
  });

  it('refuses an unknown format as a usage error (exit 2)', async () => {
    const result = await runCli(['ingest', '--format', 'glasswall', PEER_SET, '--db', join(dir, 'other.duckdb')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format.*Allowed choices are jsonl, glasswally/);
  });
});
