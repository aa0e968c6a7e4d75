import { accountHistograms } from '../behaviour/test-support/account-histograms.js';
import { modelUses } from '../behaviour/test-support/model-uses.js';
import { loadPublicMailDomains } from '../config/public-mail-domains.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Findings } from '../model/findings.js';
import { evaluateFindings, parseLabels } from '../eval/index.js';
import { EXCHANGE_COLUMNS, type ColumnValue } from '../store/exchange-columns.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { exchangeRecordFromRow, RECORD_COLUMNS } from '../ingest/exchange-row.js';
import { EXCHANGE_INDICATORS } from '../behaviour/account-state.js';
import type { BehaviourTracker } from '../behaviour/behaviour-tracker.js';
import { createDetectionEngine, parseDetectionConfig } from '../scoring/index.js';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { loadEngineFromStore } from '../analysis/index.js';
import type { AnalysisResourceReport } from './analyze-command.js';

// A regression floor on a simulator seed no tuning looks at (docs/detection.md, "Quality":
// seeds 1-99 are for development, 9001 and 101 up are held out). The seed gives precision 1.0,
// recall 0.92 and ARI 0.85 today: the floor sits below that, at what a change must not lose.
// The misses are the known limits, not noise: half the stealth campaign's members carry too
// little of their own evidence, and two campaigns that share nothing but a public agent prompt
// kit are one cluster. The detection quality itself is judged over randomized worlds
// (`npm run eval:robustness`), worst world first. The test reads the labels to measure; the
// detector never sees them.
const HELD_OUT_SEED = '9001';
const BAR = { precision: 0.97, recall: 0.9, hardNegativeFpr: 0.01, ari: 0.8 };

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'distillguard-analyze-'));
  const simulated = await runCli(['simulate', '--scenario', 'smoke', '--seed', HELD_OUT_SEED, '--out', join(dir, 'sim'), '--no-progress']);
  expect(simulated.code, simulated.stderr).toBe(0);
  for (const text of ['excerpt', 'none']) {
    const ingested = await runCli([
      'ingest',
      join(dir, 'sim', 'exchanges.jsonl.gz'),
      '--accounts',
      join(dir, 'sim', 'accounts.jsonl'),
      '--db',
      join(dir, `${text}.duckdb`),
      '--text',
      text,
      '--no-progress',
    ]);
    expect(ingested.code, ingested.stderr).toBe(0);
  }
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function analyze(db: string, json: string, extra: string[] = []): Promise<{ findings: Findings; stdout: string }> {
  const result = await runCli(['analyze', '--db', join(dir, db), '--json', join(dir, json), '--no-progress', ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return { findings: JSON.parse(readFileSync(join(dir, json), 'utf8')) as Findings, stdout: result.stdout };
}

describe('analyze (smoke scenario, held-out seed)', () => {
  it('meets the quality bar: precision, recall, hard-negative false positives, cluster agreement', async () => {
    const { findings, stdout } = await analyze('excerpt.duckdb', 'findings.json', ['--report', join(dir, 'report.html')]);
    const labels = parseLabels(readFileSync(join(dir, 'sim', 'labels.jsonl'), 'utf8'), 'labels.jsonl');
    const evaluation = evaluateFindings(findings, labels);
    expect(evaluation.counts.missing_from_findings).toBe(0);
    expect(evaluation.accounts.precision).toBeGreaterThanOrEqual(BAR.precision);
    expect(evaluation.accounts.recall).toBeGreaterThanOrEqual(BAR.recall);
    for (const persona of evaluation.personas.filter((p) => p.hard_negative)) {
      expect(persona.flagged_share ?? 0, persona.persona).toBeLessThanOrEqual(BAR.hardNegativeFpr);
    }
    expect(evaluation.clusters.ari).toBeGreaterThanOrEqual(BAR.ari);
    expect(stdout).toMatch(/Top clusters:/);
    expect(stdout).toMatch(/Stage timings: load .* total/);
    expect(Object.keys(findings.timings)).toEqual(expect.arrayContaining(['load', 'infrastructure', 'behaviour', 'linking', 'scoring', 'total']));
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<html/i);
  });

  it('finds the same accounts and clusters in a store ingested with --text none, just without text', async () => {
    const withText = (await analyze('excerpt.duckdb', 'with-text.json')).findings;
    const withoutText = (await analyze('none.duckdb', 'without-text.json')).findings;
    const verdicts = (findings: Findings) => findings.accounts.map((a) => [a.account_id, a.score, a.flagged, a.cluster_id]);
    expect(verdicts(withoutText)).toEqual(verdicts(withText));
    expect(withoutText.clusters.map((c) => c.accounts)).toEqual(withText.clusters.map((c) => c.accounts));
    expect(withText.clusters.some((c) => c.templates.some((t) => t.text !== null))).toBe(true);
    expect(withoutText.clusters.every((c) => c.templates.every((t) => t.text === null))).toBe(true);
    expect(withoutText.accounts.every((a) => a.evidence.every((e) => e.examples === undefined))).toBe(true);
  });

  it('writes the same findings on every run of the same store, bar the time stamp and timings', async () => {
    const strip = (findings: Findings) => JSON.stringify({ ...findings, generated_at: null, timings: null });
    const first = (await analyze('excerpt.duckdb', 'run-1.json')).findings;
    const second = (await analyze('excerpt.duckdb', 'run-2.json')).findings;
    expect(strip(second)).toBe(strip(first));
    // Alone, --json streams the accounts to the file one by one; with --report they are all built
    // first, for the report: the same document either way.
    const withReport = (await analyze('excerpt.duckdb', 'run-3.json', ['--report', join(dir, 'run-3.html')])).findings;
    expect(first.accounts.length).toBeGreaterThan(100);
    expect(strip(withReport)).toBe(strip(first));
  });

  it('builds the same account state from the SQL pre-aggregation as from the committed rows one by one', async () => {
    const config = parseDetectionConfig();
    const store = await DuckDbStore.open({ path: join(dir, 'excerpt.duckdb'), readOnly: true });
    try {
      const { engine: batch } = await loadEngineFromStore(store, config);
      const select = EXCHANGE_COLUMNS.map((column) => (column.name === 'ts' ? 'epoch_ms(ts)::DOUBLE AS ts' : column.name)).join(', ');
      const reader = await store.connection.runAndReadAll(`SELECT ${select} FROM exchanges ORDER BY ts, id_key`);
      const records = (reader.getRowsJS() as ColumnValue[][]).map((row) => exchangeRecordFromRow(row));
      const live = createDetectionEngine(config, { publicMailDomains: loadPublicMailDomains() });
      live.registerAccounts(batch.tracker.accounts.map((state) => state.id));
      // What the batch path learns about models in its first SQL pass, a long-running service
      // knows from its history.
      for (const model of batch.tracker.models) live.tracker.primeModel(model.name, model.firstSeen);
      for (let i = 0; i < records.length; i += 1000) live.observe(records.slice(i, i + 1000));
      expect(snapshot(live.tracker)).toEqual(snapshot(batch.tracker));
    } finally {
      store.close();
    }
  });

  it('reads every column a record needs from the columns it lists, so a replay can leave the rest unread', async () => {
    const store = await DuckDbStore.open({ path: join(dir, 'excerpt.duckdb'), readOnly: true });
    try {
      const select = EXCHANGE_COLUMNS.map((column) => (column.name === 'ts' ? 'epoch_ms(ts)::DOUBLE AS ts' : column.name)).join(', ');
      const rows = (await store.connection.runAndReadAll(`SELECT ${select} FROM exchanges ORDER BY ts, id_key LIMIT 3000`)).getRowsJS() as ColumnValue[][];
      const listed = new Set<string>(RECORD_COLUMNS);
      const unlisted = EXCHANGE_COLUMNS.flatMap((column, index) => (listed.has(column.name) ? [] : [index]));
      // The log fills columns no record reads (latencies, stop reasons, tool names): they must not matter.
      expect(rows.some((row) => unlisted.some((index) => row[index] !== null))).toBe(true);
      for (const row of rows) {
        const trimmed = row.map((value, index) => (unlisted.includes(index) ? null : value));
        expect(exchangeRecordFromRow(trimmed)).toEqual(exchangeRecordFromRow(row));
      }
    } finally {
      store.close();
    }
  });

  it('writes stage timings, CPU time and peak RSS for benchmarks with --timings-json', async () => {
    const timingsFile = join(dir, 'timings.json');
    const { findings, stdout } = await analyze('excerpt.duckdb', 'timed.json', ['--timings-json', timingsFile]);
    const report = JSON.parse(readFileSync(timingsFile, 'utf8')) as AnalysisResourceReport;
    expect(report.exchanges).toBe(findings.input.exchanges);
    expect(report.accounts).toBe(findings.input.accounts);
    // The findings file holds the timings as of writing it; the report adds the writing and the final total.
    const { output, total, ...stages } = report.timings;
    expect({ ...stages, total: findings.timings.total }).toEqual(findings.timings);
    expect(output).toBeGreaterThanOrEqual(0);
    expect(total).toBeGreaterThanOrEqual(findings.timings.total!);
    expect(Object.keys(report.timings)).toEqual(expect.arrayContaining(['load', 'infrastructure', 'behaviour', 'linking', 'scoring', 'total']));
    expect(report.cpuSeconds.user).toBeGreaterThan(0);
    expect(report.cpuSeconds.system).toBeGreaterThanOrEqual(0);
    expect(report.peakRssBytes).toBeGreaterThan(32 * 2 ** 20);
    expect(stdout).toContain(`Wrote ${join(dir, 'timed.json')}, ${timingsFile}`);
  });

  it('warns before the work starts when the store has more accounts than the heap holds, and says how to raise it', async () => {
    const args = ['analyze', '--db', join(dir, 'none.duckdb'), '--json', join(dir, 'heap.json'), '--no-progress'];
    // About 600 accounts need 300 MB + 2.5 KB each: more than a 160 MB heap, well within the default.
    const small = await runCli(args, { NODE_OPTIONS: '--max-old-space-size=160' });
    expect(small.code, small.stderr).toBe(0);
    expect(small.stderr).toMatch(/accounts need about [\d,]+ MB of JavaScript heap.*NODE_OPTIONS=--max-old-space-size=1024/);
    const ordinary = await runCli(args);
    expect(ordinary.code, ordinary.stderr).toBe(0);
    expect(ordinary.stderr).not.toMatch(/max-old-space-size/);
  });

  it('refuses a missing store with the command that makes one, and a bad config with where it is wrong', async () => {
    const missing = await runCli(['analyze', '--db', join(dir, 'nope.duckdb')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no store at .*nope\.duckdb: run `distillguard ingest/);
    writeFileSync(join(dir, 'bad.yaml'), 'thresholds:\n  acount: 0.4\n');
    const bad = await runCli(['analyze', '--db', join(dir, 'excerpt.duckdb'), '--config', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml: thresholds/);
  });
});

function snapshot(tracker: BehaviourTracker) {
  return tracker.accounts.map((state) => {
    const { flags, capabilities, hours } = accountHistograms(state);
    return {
      id: state.id,
      exchanges: state.exchanges,
      tokens: [state.inputTokens, state.outputTokens, state.reasoningTokens],
      flags,
      capabilities,
      hourOfDay: hours,
      models: modelUses(state),
      thinking: state.thinking,
      prompts: state.prompts.entries(),
      templates: state.promptTemplates.entries(),
      systemTemplates: state.systemTemplates.entries(),
      verbatim: [state.singleTurnPrompts, state.verbatimRepeats, state.evaluationRepeats],
      indicators: Object.fromEntries(
        EXCHANGE_INDICATORS.map((kind) => [kind, state.indicator(kind).entries().map((e) => ({ value: tracker.indicatorValue(kind, e.id), count: e.count, hash: e.hash }))]),
      ),
    };
  });
}
