import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Findings } from '../model/findings.js';
import { ADVERSARIAL_CASES } from '../sim/adversarial-traffic.js';
import { readLogSpan, writeAdversarialLog, type LogSpan } from '../sim/adversarial-log.js';
import { runCli } from '../ingest/test-support/cli-runner.js';

// The adversarial suite at a size CI can afford: every case of src/sim/adversarial-traffic.ts
// added to one ordinary smoke log, ingested and analysed as a user would. The full volumes, with
// time and memory against a clean run of the same size, are `npm run bench:adversarial`.
const VOLUME = 3_000;

let dir: string;
let span: LogSpan;
let cleanFlags: Map<string, boolean>;
let attackAccounts: Set<string>;

interface IngestSummary {
  sources: { kind: string; stored: number; quarantined: number; quarantinedByReason: Record<string, number> }[];
}

async function ingestAndAnalyse(name: string, log: string, ingestFlags: readonly string[] = []): Promise<{ ingest: IngestSummary; findings: Findings }> {
  const db = join(dir, `${name}.duckdb`);
  const ingested = await runCli(['ingest', log, '--accounts', join(dir, 'sim', 'accounts.jsonl'), '--db', db, '--no-progress', '--json', ...ingestFlags]);
  expect(ingested.code, ingested.stderr).toBe(0);
  const json = join(dir, `${name}.json`);
  const analysed = await runCli(['analyze', '--db', db, '--json', json, '--no-progress']);
  expect(analysed.code, analysed.stderr).toBe(0);
  return { ingest: JSON.parse(ingested.stdout) as IngestSummary, findings: JSON.parse(readFileSync(json, 'utf8')) as Findings };
}

function flagsOf(findings: Findings): Map<string, boolean> {
  return new Map(findings.accounts.map((account) => [account.account_id, account.flagged]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'distillguard-adversarial-'));
  const simulated = await runCli(['simulate', '--scenario', 'smoke', '--seed', '5', '--out', join(dir, 'sim'), '--no-progress']);
  expect(simulated.code, simulated.stderr).toBe(0);
  span = await readLogSpan(join(dir, 'sim', 'exchanges.jsonl.gz'));
  cleanFlags = flagsOf((await ingestAndAnalyse('clean', join(dir, 'sim', 'exchanges.jsonl.gz'))).findings);
  // The labels only measure; the detector never reads them.
  const labels = readFileSync(join(dir, 'sim', 'labels.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { account_id: string; label: string });
  attackAccounts = new Set(labels.filter((label) => label.label === 'attack').map((label) => label.account_id));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('adversarial suite (smoke seed 5, CI size)', () => {
  it('flags attack accounts on the clean log, so an unchanged flag means something', () => {
    const flagged = [...attackAccounts].filter((id) => cleanFlags.get(id) === true);
    expect(flagged.length).toBeGreaterThanOrEqual(attackAccounts.size * 0.9);
  });

  for (const adversarialCase of ADVERSARIAL_CASES) {
    it(`${adversarialCase.name}: ${adversarialCase.aim}, and fails`, async () => {
      const log = join(dir, `${adversarialCase.name}.jsonl.gz`);
      const added = await writeAdversarialLog({
        base: join(dir, 'sim', 'exchanges.jsonl.gz'),
        out: log,
        adversarialCase,
        context: { startMs: span.startMs, endMs: span.endMs, models: span.models, volume: VOLUME, seed: 11 },
      });
      expect(added).toBeGreaterThan(0);
      const { ingest, findings } = await ingestAndAnalyse(adversarialCase.name, log, adversarialCase.ingestFlags);
      const exchanges = ingest.sources.find((source) => source.kind === 'exchanges')!;
      const expectation = adversarialCase.expectation;
      if (expectation.kind === 'quarantined') {
        expect(exchanges.quarantinedByReason).toEqual({ [expectation.reason]: added });
        expect(exchanges.stored).toBe(span.exchanges);
      } else {
        expect(exchanges.quarantined).toBe(0);
        expect(exchanges.stored).toBe(span.exchanges + added);
      }
      const after = flagsOf(findings);
      const weakening = ([id, flagged]: [string, boolean]) => (attackAccounts.has(id) ? flagged && after.get(id) !== true : !flagged && after.get(id) === true);
      const moved = [...cleanFlags]
        .filter(expectation.kind === 'detection_not_weakened' ? weakening : ([id, flagged]) => after.get(id) !== flagged)
        .map(([id, flagged]) => `${id} (${attackAccounts.has(id) ? 'attack' : 'benign'}): ${flagged} -> ${after.get(id)}`);
      expect(moved).toEqual([]);
    }, 300_000);
  }
});
