import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerSimulateCommand } from '../cli/simulate-command.js';
import type { CliContext } from '../cli/cli-context.js';
import { createSilentLogger } from '../util/log.js';
import { drawRandomWorld } from './world-randomizer.js';
import { validateScenario } from './scenario-loader.js';
import { runSimulation } from './simulation-runner.js';
import { CORPORA_DIR } from './test-support/sim-fixtures.js';

async function simulateCli(...args: string[]): Promise<string> {
  let out = '';
  const stream = { write: (text: string) => ((out += text), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const context: CliContext = { env: { logLevel: 'silent', logFormat: 'json', workers: undefined }, logger: createSilentLogger(), stdout: stream, stderr: stream };
  const command = new Command('distillguard').exitOverride();
  registerSimulateCommand(command, context);
  await command.parseAsync(['node', 'distillguard', 'simulate', ...args, '--corpora', CORPORA_DIR, '--no-progress']);
  return out;
}

const outDir = () => join(mkdtempSync(join(tmpdir(), 'dg-random-')), 'sim');
const read = (dir: string, file: string) => readFileSync(join(dir, file));

describe('simulate --randomize', () => {
  it('draws the same world and bytes for the same seed, writes the drawn scenario, and that file reproduces the bytes', async () => {
    const [first, again, replay] = [outDir(), outDir(), outDir()];
    const summary = await simulateCli('--randomize', '--seed', '11', '--scale', '0.12', '--out', first, '--workers', '2');
    expect(summary).toMatch(/^Simulated scenario randomized-11 \(scale 0\.12, seed 11\)/);
    expect(summary).toContain(join(first, 'scenario.yaml'));
    await simulateCli('--randomize', '--seed', '11', '--scale', '0.12', '--out', again, '--workers', '0');
    await simulateCli('--scenario', join(first, 'scenario.yaml'), '--seed', '11', '--scale', '0.12', '--out', replay, '--workers', '2');
    expect(read(first, 'scenario.yaml').toString()).toBe(drawRandomWorld(11).text);
    for (const file of ['exchanges.jsonl.gz', 'accounts.jsonl', 'labels.jsonl']) {
      expect(read(again, file).equals(read(first, file)), file).toBe(true);
      expect(read(replay, file).equals(read(first, file)), file).toBe(true);
    }
    // Every world has a campaign of a later kind: its accounts are labelled like every campaign's.
    const labels = read(first, 'labels.jsonl').toString().trim().split('\n').map((line) => JSON.parse(line) as { label: string; campaign: string | null; persona: string });
    const later = labels.filter((label) => label.persona === 'conversational_probing' || label.persona === 'multilingual_harvest');
    expect(later.length).toBeGreaterThan(0);
    for (const label of later) expect(label.label === 'attack' && label.campaign !== null && label.campaign.startsWith(label.persona.replace('_', '-'))).toBe(true);
    for (const persona of ['tutoring_app', 'translation_agency', 'synthetic_data_team']) expect(labels.filter((label) => label.persona === persona).every((label) => label.label === 'benign' && label.campaign === null)).toBe(true);
  });

  it('asks for exactly one of --scenario and --randomize', async () => {
    await expect(simulateCli('--out', outDir())).rejects.toThrow(/either --scenario NAME\|FILE or --randomize/);
    await expect(simulateCli('--scenario', 'smoke', '--randomize', '--out', outDir())).rejects.toThrow(/either --scenario/);
  });

  it('shows sticky exits as one IP per account and sticky period, and per-request exits as a new IP almost every request', async () => {
    const drawn = drawRandomWorld(3).scenario;
    const base = { ...drawn.campaigns[0]!, account_active_days: null, start_day: 0, end_day: null, schedule: 'flat' as const, accounts: 12, requests_per_account_day: 60, volume_spread: 0.2 };
    const infrastructure = { ...base.infrastructure, exit_provider: null, network: 'residential_proxy' as const, pool_size: 3000 };
    const scenario = validateScenario({
      ...drawn,
      campaigns: [
        { ...base, name: 'rotating', infrastructure: { ...infrastructure, sticky_minutes: 0 } },
        { ...base, name: 'sticky', infrastructure: { ...infrastructure, sticky_minutes: 240 } },
      ],
    });
    const dir = outDir();
    await runSimulation({ scenario, scale: 0.1, seed: 3, outDir: dir, corporaDir: CORPORA_DIR, workers: 0 });
    const campaignOf = new Map(
      read(dir, 'labels.jsonl')
        .toString()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { account_id: string; campaign: string | null })
        .map((label) => [label.account_id, label.campaign]),
    );
    const slots = new Map<string, { requests: number; ips: Set<string> }>();
    for (const line of gunzipSync(read(dir, 'exchanges.jsonl.gz')).toString().trim().split('\n')) {
      const record = JSON.parse(line) as { account_id: string; ts: string; client_ip: string };
      const campaign = campaignOf.get(record.account_id);
      if (campaign !== 'rotating' && campaign !== 'sticky') continue;
      const key = `${campaign}/${record.account_id}/${Math.floor(Date.parse(record.ts) / (240 * 60_000))}`;
      const slot = slots.get(key) ?? { requests: 0, ips: new Set<string>() };
      slot.requests++;
      slot.ips.add(record.client_ip);
      slots.set(key, slot);
    }
    const ratio = (campaign: string) => {
      let requests = 0;
      let ips = 0;
      for (const [key, slot] of slots) if (key.startsWith(`${campaign}/`)) [requests, ips] = [requests + slot.requests, ips + slot.ips.size];
      return { requests, ips: ips / requests };
    };
    expect(ratio('rotating').requests).toBeGreaterThan(300);
    expect(ratio('rotating').ips).toBeGreaterThan(0.85);
    expect(ratio('sticky').requests).toBeGreaterThan(300);
    for (const [key, slot] of slots) if (key.startsWith('sticky/')) expect(slot.ips.size).toBe(1);
  });
});
