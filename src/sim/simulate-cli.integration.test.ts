import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSimulateCommand } from '../cli/simulate-command.js';
import type { CliContext } from '../cli/cli-context.js';
import { createSilentLogger } from '../util/log.js';
import { UsageError } from '../util/errors.js';
import { CORPORA_DIR, personasOf, smokeScenario } from './test-support/sim-fixtures.js';

function program(): { run: (...args: string[]) => Promise<string> } {
  let out = '';
  const stream = { write: (text: string) => ((out += text), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const context: CliContext = { env: { logLevel: 'silent', logFormat: 'json', workers: undefined }, logger: createSilentLogger(), stdout: stream, stderr: stream };
  const command = new Command('distillguard').exitOverride().configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (out += text) });
  registerSimulateCommand(command, context);
  return {
    run: async (...args: string[]) => {
      out = '';
      await command.parseAsync(['node', 'distillguard', 'simulate', ...args]);
      return out;
    },
  };
}

const smokeKinds = smokeScenario().campaigns.map((campaign) => campaign.kind);

const base = ['--corpora', CORPORA_DIR, '--workers', '0', '--no-progress'];

describe('distillguard simulate', () => {
  it('simulates a scenario and prints a summary with every persona and campaign', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dg-cli-')), 'sim');
    const text = await program().run('--scenario', 'smoke', '--scale', '0.05', '--seed', '5', '--out', out, ...base);
    expect(text).toMatch(/^Simulated scenario smoke \(scale 0\.05, seed 5\)/);
    for (const group of [...personasOf(smokeScenario()), ...smokeKinds]) expect(text).toContain(group);
    expect(readFileSync(join(out, 'labels.jsonl'), 'utf8').length).toBeGreaterThan(0);
  });

  it('prints the summary as JSON with --json', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dg-cli-')), 'sim');
    const summary = JSON.parse(await program().run('--scenario', 'smoke', '--scale', '0.05', '--out', out, '--json', '--gzip-level', '0', ...base)) as { exchanges: number; groups: unknown[] };
    expect(summary.exchanges).toBeGreaterThan(0);
    expect(summary.groups).toHaveLength(personasOf(smokeScenario()).length + smokeKinds.length);
  });

  it('refuses to write into a non-empty directory without --force, and overwrites with it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dg-cli-'));
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    await expect(program().run('--scenario', 'smoke', '--scale', '0.05', '--out', out, ...base)).rejects.toThrow(/not empty; pass --force/);
    await program().run('--scenario', 'smoke', '--scale', '0.05', '--out', out, '--force', ...base);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('explains what is wrong with a scenario file: path, field, expectation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-cli-'));
    mkdirSync(join(dir, 'out'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'name: broken\ncampaigns:\n  - { kind: stealth, name: q, accounts: 2, infrastructure: { network: satellite } }\n');
    const error = await program().run('--scenario', file, '--out', join(dir, 'out'), ...base).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/campaigns\[0\]\.infrastructure\.network: expected one of "residential_proxy"/);
  });

  it('rejects bad flag values before doing any work', async () => {
    await expect(program().run('--scenario', 'smoke', '--out', '/tmp/x', '--gzip-level', '12')).rejects.toThrow(/gzip level from 0/);
    await expect(program().run('--scenario', 'smoke', '--out', '/tmp/x', '--scale', '-1')).rejects.toThrow(/positive number/);
    await expect(program().run('--scenario', 'smoke', '--out', '/tmp/x', '--api', 'openai.completions')).rejects.toThrow();
  });
});
