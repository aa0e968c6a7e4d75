import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
let db: string;
let labels: string;
let strict: string;
// Two days of the week and relinks every six hours keep each run to seconds.
const WINDOW = ['--to', '2026-02-04', '--relink-interval', '6h'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'policy-backtest-cli-'));
  const out = join(dir, 'sim');
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
});
