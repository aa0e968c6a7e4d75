import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAccountLine } from '../ingest/account-validator.js';
import { parseExchangeLine } from '../ingest/exchange-validator.js';
import { runSimulation, OUTPUT_FILES, type SimulationSummary } from './simulation-runner.js';
import type { Scenario } from './scenario-schema.js';
import { CORPORA_DIR, personasOf, smokeScenario, usageAgreement } from './test-support/sim-fixtures.js';

interface Output {
  dir: string;
  summary: SimulationSummary;
  exchangesGz: Buffer;
  lines: string[];
  records: Record<string, any>[];
  accounts: Record<string, any>[];
  labels: Record<string, any>[];
}

async function simulate(options: { scale: number; seed: number; workers: number; scenario?: Scenario; forcedApi?: 'openai.responses' }): Promise<Output> {
  const dir = mkdtempSync(join(tmpdir(), 'dg-sim-'));
  const summary = await runSimulation({ scenario: options.scenario ?? smokeScenario(), scale: options.scale, seed: options.seed, outDir: dir, corporaDir: CORPORA_DIR, workers: options.workers, forcedApi: options.forcedApi ?? null });
  const exchangesGz = readFileSync(join(dir, OUTPUT_FILES.exchanges));
  const lines = gunzipSync(exchangesGz).toString('utf8').split('\n').filter((line) => line.length > 0);
  const readJsonl = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as Record<string, any>);
  return { dir, summary, exchangesGz, lines, records: lines.map((line) => JSON.parse(line) as Record<string, any>), accounts: readJsonl(OUTPUT_FILES.accounts), labels: readJsonl(OUTPUT_FILES.labels) };
}

let smoke: Output;
let smokeParallel: Output;
let tiny: Output;

beforeAll(async () => {
  smoke = await simulate({ scale: 1, seed: 1, workers: 0 });
  smokeParallel = await simulate({ scale: 1, seed: 1, workers: 2 });
  const hashed = smokeScenario();
  hashed.accounts.email_style = 'hashed';
  tiny = await simulate({ scale: 0.05, seed: 2, workers: 2, scenario: hashed, forcedApi: 'openai.responses' });
});

function groupOfAccount(output: Output): Map<string, Record<string, any>> {
  return new Map(output.labels.map((label) => [label.account_id as string, label]));
}

describe('traffic simulator (smoke scenario)', () => {
  it('writes the same bytes for the same seed, whatever the number of workers', () => {
    expect(smoke.summary.exchanges).toBeGreaterThan(15_000);
    expect(smoke.summary.exchanges).toBeLessThan(30_000);
    expect(smokeParallel.exchangesGz.equals(smoke.exchangesGz)).toBe(true);
    expect(readFileSync(join(smokeParallel.dir, OUTPUT_FILES.accounts)).equals(readFileSync(join(smoke.dir, OUTPUT_FILES.accounts)))).toBe(true);
    expect(readFileSync(join(smokeParallel.dir, OUTPUT_FILES.labels)).equals(readFileSync(join(smoke.dir, OUTPUT_FILES.labels)))).toBe(true);
  });

  it('writes the same bytes and the same summary with one worker, two, or more workers than cores', async () => {
    const hashed = smokeScenario();
    hashed.accounts.email_style = 'hashed';
    const others = await Promise.all([0, 1, 5].map((workers) => simulate({ scale: 0.05, seed: 2, workers, scenario: hashed, forcedApi: 'openai.responses' })));
    const comparable = ({ seconds, exchangesPerSecond, peakRssBytes, workers, files, ...rest }: SimulationSummary) => rest;
    for (const other of others) {
      expect(other.exchangesGz.equals(tiny.exchangesGz)).toBe(true);
      for (const file of [OUTPUT_FILES.accounts, OUTPUT_FILES.labels]) expect(readFileSync(join(other.dir, file)).equals(readFileSync(join(tiny.dir, file)))).toBe(true);
      expect(comparable(other.summary)).toEqual(comparable(tiny.summary));
    }
  });

  it('writes different traffic for a different seed', async () => {
    const other = await simulate({ scale: 0.05, seed: 1, workers: 0 });
    expect(other.lines.slice(0, 50)).not.toEqual(tiny.lines.slice(0, 50));
  });

  it.each(['smoke', 'tiny'] as const)('has traffic from every persona and every campaign (%s)', (which) => {
    const output = which === 'smoke' ? smoke : tiny;
    const labels = groupOfAccount(output);
    const personas = new Set<string>();
    const campaigns = new Set<string>();
    for (const record of output.records) {
      const label = labels.get(record.account_id)!;
      personas.add(label.persona);
      if (label.campaign !== null) campaigns.add(label.campaign);
    }
    for (const persona of [...personasOf(smokeScenario()), ...smokeScenario().campaigns.map((campaign) => campaign.kind)]) expect(personas).toContain(persona);
    expect(campaigns.size).toBe(smokeScenario().campaigns.length);
  });

  it('writes only lines that the ingest validator accepts, and accounts that the account parser accepts', () => {
    for (const output of [smoke, tiny]) {
      for (const line of output.lines) {
        const parsed = parseExchangeLine(line);
        if (!parsed.ok) throw new Error(`${parsed.problem.reason} ${parsed.problem.field}: ${parsed.problem.message}\n${line.slice(0, 300)}`);
      }
      for (const account of output.accounts) expect(parseAccountLine(JSON.stringify(account), Buffer.from('key')).ok).toBe(true);
    }
  });

  it('keeps labels and accounts consistent', () => {
    for (const output of [smoke, tiny]) {
      const accountIds = new Set(output.accounts.map((account) => account.account_id as string));
      const labels = groupOfAccount(output);
      expect(accountIds.size).toBe(output.accounts.length);
      expect(new Set(labels.keys())).toEqual(accountIds);
      for (const record of output.records) expect(accountIds.has(record.account_id)).toBe(true);
      for (const label of output.labels) {
        expect(['attack', 'benign']).toContain(label.label);
        if (label.label === 'attack') expect(typeof label.campaign).toBe('string');
        else expect(label.campaign).toBeNull();
      }
      expect(output.summary.attackAccounts).toBe(output.labels.filter((label) => label.label === 'attack').length);
    }
  });

  it('never shows an account sending before it signed up', () => {
    const created = new Map(smoke.accounts.map((account) => [account.account_id as string, Date.parse(account.created_at)]));
    for (const record of smoke.records) expect(Date.parse(record.ts)).toBeGreaterThanOrEqual(created.get(record.account_id)!);
  });

  it('orders exchanges by time and never repeats an id', () => {
    let previous = '';
    const ids = new Set<string>();
    for (const record of smoke.records) {
      expect(record.ts >= previous).toBe(true);
      previous = record.ts;
      expect(ids.has(record.id)).toBe(false);
      ids.add(record.id);
    }
  });

  it('reports usage that agrees with the text lengths in every successful exchange', () => {
    for (const output of [smoke, tiny]) {
      for (const record of output.records) {
        if (record.status !== 200) continue;
        const usage = usageAgreement(record.api, record.request, record.response);
        expect(usage.reportedInput).toBe(usage.expectedInput);
        expect(usage.reportedOutput).toBe(usage.expectedOutput);
      }
    }
  });

  it('keeps the mean line small enough for seed-scale volumes', () => {
    expect(smoke.summary.rawBytes / smoke.summary.exchanges).toBeLessThan(2600);
  });

  it('honours --api and the hashed e-mail style', () => {
    expect(tiny.records.every((record) => record.api === 'openai.responses')).toBe(true);
    for (const account of tiny.accounts) {
      expect(account.email).toBeUndefined();
      expect(account.email_domain).toMatch(/\./);
      expect(account.email_local_hash).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('releases the new model inside the window; the agentic campaign moves fast, chat users slowly', () => {
    const scenario = smokeScenario();
    const releaseMs = Date.parse(scenario.window.start) + scenario.release.at_day * 86_400_000;
    const released = new Set(Object.values(scenario.release.models).flatMap((model) => [model.name]));
    const labels = groupOfAccount(smoke);
    const share = (persona: string) => {
      let total = 0;
      let onNew = 0;
      for (const record of smoke.records) {
        if (Date.parse(record.ts) < releaseMs + 86_400_000 || labels.get(record.account_id)!.persona !== persona) continue;
        total++;
        if (released.has(record.request.model)) onNew++;
      }
      return onNew / Math.max(1, total);
    };
    for (const record of smoke.records) if (released.has(record.request.model)) expect(Date.parse(record.ts)).toBeGreaterThanOrEqual(releaseMs);
    expect(share('agentic_coding')).toBeGreaterThan(0.3);
    expect(share('chat_user')).toBeLessThan(share('agentic_coding'));
    expect(share('batch_pipeline')).toBe(0);
    expect(share('eval_harness')).toBeGreaterThan(0.1);
  });

  it('answers some requests with rate-limit and overload errors in the API\'s own shape', () => {
    const statuses = new Set(smoke.records.map((record) => record.status as number));
    expect(statuses).toContain(429);
    expect([...statuses].some((status) => status === 529 || status === 503)).toBe(true);
  });

  it('does not let exact-duplicate prompts separate attackers: they rarely repeat, while evaluation harnesses do', () => {
    const labels = groupOfAccount(smoke);
    const prompts = new Map<string, string[]>();
    for (const record of smoke.records) {
      const request = record.request;
      const single = Array.isArray(request.messages) ? request.messages.filter((message: any) => message.role !== 'system').length === 1 : typeof request.input === 'string';
      if (!single) continue;
      const persona = labels.get(record.account_id)!.label === 'attack' ? 'attack' : labels.get(record.account_id)!.persona;
      const text = JSON.stringify(request.messages?.at(-1)?.content ?? request.input);
      const list = prompts.get(persona) ?? [];
      list.push(text);
      prompts.set(persona, list);
    }
    const duplicateShare = (list: string[]) => {
      const counts = new Map<string, number>();
      for (const text of list) counts.set(text, (counts.get(text) ?? 0) + 1);
      return list.filter((text) => counts.get(text)! > 1).length / list.length;
    };
    expect(prompts.get('attack')!.length).toBeGreaterThan(500);
    expect(duplicateShare(prompts.get('attack')!)).toBeLessThan(0.1);
    expect(duplicateShare(prompts.get('eval_harness')!)).toBeGreaterThan(duplicateShare(prompts.get('attack')!) * 3);
  });

  it('shows no user agent or TLS fingerprint family that only attackers use', () => {
    const labels = groupOfAccount(smoke);
    const benign = new Set<string>();
    const benignTls = new Set<string>();
    for (const record of smoke.records) {
      if (labels.get(record.account_id)!.label !== 'benign') continue;
      benign.add(String(record.user_agent).replace(/[\d.]+/g, '#'));
      benignTls.add(record.tls_fingerprint);
    }
    for (const record of smoke.records) {
      if (labels.get(record.account_id)!.label !== 'attack') continue;
      expect(benign).toContain(String(record.user_agent).replace(/[\d.]+/g, '#'));
      expect(benignTls).toContain(record.tls_fingerprint);
    }
  });
});
