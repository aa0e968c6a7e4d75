import { copyFileSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../ingest/test-support/cli-runner.js';

const SCENARIO = new URL('../../scenarios/smoke.yaml', import.meta.url).pathname;
// A tighter policy than the built-in one: block from 0.5, throttle from 0.2.
const STRICT_POLICY = `version: 1
bands:
  - { min_score: 0.5, action: block }
  - { min_score: 0.2, action: throttle }
rules:
  - { name: member of a flagged cluster, in_flagged_cluster: true, action: step_up }
`;

let dir: string;
let out: string;
let db: string;
let labels: string;
let strict: string;
// Two days of the week and relinks every six hours keep each run to seconds.
const SCHEDULE = ['--to', '2026-02-04', '--relink-interval', '6h'];
const WINDOW = [...SCHEDULE, '--no-trace-cache'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'policy-backtest-cli-'));
  out = join(dir, 'sim');
  expect((await runCli(['simulate', '--scenario', SCENARIO, '--seed', '1', '--out', out])).code).toBe(0);
  db = join(dir, 'store.duckdb');
  expect((await runCli(['ingest', join(out, 'exchanges.jsonl.gz'), '--accounts', join(out, 'accounts.jsonl'), '--db', db, '--no-progress'])).code).toBe(0);
  labels = join(out, 'labels.jsonl');
  strict = join(dir, 'strict.yaml');
  writeFileSync(strict, STRICT_POLICY);
});

describe('distillguard policy backtest', () => {
  it.each([
    ['no --policy', ['--db', 'DB']],
    ['a time that is not RFC 3339', ['--db', 'DB', '--policy', 'default', '--from', 'yesterday']],
    ['--from after --to', ['--db', 'DB', '--policy', 'default', '--from', '2026-02-05', '--to', '2026-02-04']],
    ['a missing policy file', ['--db', 'DB', '--policy', 'no-such-policy.yaml']],
    ['a policy that does not validate', ['--db', 'DB', '--policy', 'BAD']],
    ['a missing store', ['--db', 'no-such-store.duckdb', '--policy', 'default']],
  ])('exits 2 on a usage error: %s', async (_case, args) => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nbands:\n  - { min_score: 2, action: block }\n');
    const result = await runCli(['policy', 'backtest', ...args.map((arg) => (arg === 'DB' ? db : arg === 'BAD' ? bad : arg))]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toMatch(/unexpected error/);
  });

  it('prints both policies\' figures side by side as JSON, judged against the labels', async () => {
    const result = await runCli(['policy', 'backtest', '--db', db, '--policy', strict, '--against', 'default', '--labels', labels, '--json', ...WINDOW]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.truth.sources).toEqual(['labels']);
    expect(report.window.to).toBe('2026-02-04T00:00:00.000Z');
    expect(report.window.last_exchange_at < '2026-02-04').toBe(true);
    expect(report.replay.relinks).toBeGreaterThan(1);
    expect(report.policies.map((policy: { name: string; source: string }) => [policy.name, policy.source])).toEqual([
      ['candidate', strict],
      ['current', 'default'],
    ]);
    for (const policy of report.policies) {
      expect(Object.keys(policy.actions)).toEqual(['allow', 'throttle', 'step_up', 'block']);
      const accounts = Object.values(policy.actions as Record<string, { accounts: number }>).reduce((sum, action) => sum + action.accounts, 0);
      expect(accounts).toBe(report.replay.accounts_decided);
      expect(Object.keys(policy.quality)).toEqual(['throttle', 'step_up', 'block']);
      expect(policy.campaigns.length).toBeGreaterThan(0);
      expect(Array.isArray(policy.at_risk.accounts) && Array.isArray(policy.at_risk.orgs) && Array.isArray(policy.first_stops)).toBe(true);
    }
    const [candidate, current] = report.policies;
    // The tighter policy acts on at least every account the built-in one does.
    expect(candidate.quality.throttle.accounts).toBeGreaterThanOrEqual(current.quality.throttle.accounts);
    expect(report.comparison.accounts.length).toBeGreaterThan(0);
    expect(report.comparison.summary.newly_acted).toBeGreaterThan(0);
  });

  it('prints a readable report with both policies and the accounts they treat differently', async () => {
    const result = await runCli(['policy', 'backtest', '--db', db, '--policy', strict, '--against', 'default', '--labels', labels, '--no-progress', ...WINDOW]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Policy backtest: [\d,]+ exchanges from [\d,]+ accounts/);
    expect(result.stdout).toContain(`candidate (${strict})`);
    expect(result.stdout).toContain('current (default)');
    expect(result.stdout).toMatch(/Precision \/ recall/);
    expect(result.stdout).toMatch(/Changes from current to candidate: [\d,]+ accounts/);
  });

  describe('with a trace cache', () => {
    /** The report without what differs between two runs of one backtest: timings and where the assessments came from. */
    const comparable = (stdout: string) => {
      const report = JSON.parse(stdout);
      const { trace } = report.replay;
      delete report.replay.seconds;
      delete report.replay.trace;
      return { report, trace };
    };

    it('keeps the engine\'s assessments once and decides later backtests of any policy from them, as a full replay would', async () => {
      const traces = join(dir, 'traces-reuse');
      const first = await runCli(['policy', 'backtest', '--db', db, '--policy', strict, '--against', 'default', '--labels', labels, '--json', '--trace-cache', traces, ...SCHEDULE]);
      expect(first.code, first.stderr).toBe(0);
      expect(comparable(first.stdout).trace.use).toBe('recorded');
      expect(readdirSync(traces).filter((name) => name.endsWith('.trace'))).toHaveLength(1);

      // The policies swapped: another candidate, the same exchanges and schedule.
      const swapped = ['policy', 'backtest', '--db', db, '--policy', 'default', '--against', strict, '--labels', labels, '--json', ...SCHEDULE];
      const reused = await runCli([...swapped, '--trace-cache', traces]);
      expect(reused.code, reused.stderr).toBe(0);
      const full = await runCli([...swapped, '--no-trace-cache']);
      expect(full.code, full.stderr).toBe(0);
      const fromTrace = comparable(reused.stdout);
      expect(fromTrace.trace.use).toBe('reused');
      expect(comparable(full.stdout).trace.use).toBe('off');
      expect(fromTrace.report).toEqual(comparable(full.stdout).report);
      expect(fromTrace.report.policies[0].quality.throttle.accounts).toBeGreaterThan(0);

      const text = await runCli([...swapped.filter((arg) => arg !== '--json'), '--trace-cache', traces, '--no-progress']);
      expect(text.stdout).toMatch(/^Decided from the live engine's assessments kept by an earlier replay/m);
      // Another schedule is another replay.
      const otherSchedule = await runCli(['policy', 'backtest', '--db', db, '--policy', strict, '--json', '--trace-cache', traces, '--to', '2026-02-03', '--relink-interval', '6h']);
      expect(comparable(otherSchedule.stdout).trace.use).toBe('recorded');
    });

    it('replays through the engine again when the store gained an exchange or the kept trace is damaged', async () => {
      const traces = join(dir, 'traces-stale');
      const copy = join(dir, 'grown.duckdb');
      copyFileSync(db, copy);
      const args = ['policy', 'backtest', '--db', copy, '--policy', strict, '--json', '--trace-cache', traces, ...SCHEDULE];
      expect(comparable((await runCli(args)).stdout).trace.use).toBe('recorded');

      const [trace] = readdirSync(traces).filter((name) => name.endsWith('.trace'));
      truncateSync(join(traces, trace!), 1000);
      const damaged = await runCli(args);
      expect(damaged.code, damaged.stderr).toBe(0);
      expect(damaged.stderr).toMatch(/unusable \(the trace is 1000 bytes, shorter than its header: cut short or damaged\); it will be recorded again/);
      expect(comparable(damaged.stdout).trace.use).toBe('recorded');
      expect(comparable((await runCli(args)).stdout).trace.use).toBe('reused');

      // A cache that cannot be written to: the backtest is still made, and says so.
      const blocked = join(dir, 'not-a-directory');
      writeFileSync(blocked, '');
      const unkept = await runCli(['policy', 'backtest', '--db', copy, '--policy', strict, '--json', '--trace-cache', join(blocked, 'traces'), ...SCHEDULE]);
      expect(unkept.code, unkept.stderr).toBe(0);
      expect(comparable(unkept.stdout).trace).toMatchObject({ use: 'off', path: null, note: expect.stringMatching(/^the trace could not be kept in /) });
      expect(unkept.stderr).toMatch(/the trace could not be kept in/);

      // One more exchange inside the window, under a new id.
      const first = JSON.parse(gunzipSync(readFileSync(join(out, 'exchanges.jsonl.gz'))).toString('utf8').split('\n')[0]!);
      const extra = join(dir, 'extra.jsonl');
      writeFileSync(extra, JSON.stringify({ ...first, id: `${first.id}-late` }) + '\n');
      expect((await runCli(['ingest', extra, '--db', copy, '--no-progress'])).code).toBe(0);
      const grown = comparable((await runCli(args)).stdout);
      expect(grown.trace.use).toBe('recorded');
      expect(grown.report.replay.exchanges_read).toBe(comparable(damaged.stdout).report.replay.exchanges_read + 1);
    });
  });
});
