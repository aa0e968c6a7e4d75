import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ApiKind } from '../model/exchange.js';
import { UsageError } from '../util/errors.js';
import { keyedHash } from '../util/keyed-hash.js';
import type { Scenario } from './scenario-schema.js';
import type { BlockStats } from './block-generator.js';
import { createSimulationContext, encodeBlock, type SimulationContext, type SimulationSettings } from './simulation-context.js';
import type { World } from './world-model.js';

export interface SimulationOptions {
  scenario: Scenario;
  scale: number;
  seed: number;
  outDir: string;
  corporaDir: string;
  forcedApi?: ApiKind | null;
  gzipLevel?: number;
  /** Worker threads; 0 generates on the calling thread. Default: one per core. */
  workers?: number;
  /** Overwrite the output files in a non-empty directory. */
  force?: boolean;
  onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  exchanges: number;
  expectedExchanges: number;
  blocksDone: number;
  blocks: number;
  compressedBytes: number;
}

export interface GroupSummary {
  key: string;
  label: 'attack' | 'benign';
  persona: string;
  campaign: string | null;
  accounts: number;
  activeAccounts: number;
  exchanges: number;
}

export interface SimulationSummary {
  scenario: string;
  scale: number;
  seed: number;
  exchanges: number;
  accounts: number;
  attackAccounts: number;
  benignAccounts: number;
  groups: GroupSummary[];
  statuses: Record<string, number>;
  rawBytes: number;
  compressedBytes: number;
  seconds: number;
  exchangesPerSecond: number;
  peakRssBytes: number;
  blocks: number;
  workers: number;
  files: { exchanges: string; accounts: string; labels: string };
}

export const OUTPUT_FILES = { exchanges: 'exchanges.jsonl.gz', accounts: 'accounts.jsonl', labels: 'labels.jsonl' } as const;

/**
 * Runs a simulation to `outDir`: accounts and labels first (small), then the exchange log, whose
 * time blocks are generated and gzip-compressed in parallel and written in block order. Memory
 * is bounded by the blocks in flight, not by the volume.
 *
 * @example
 * const summary = await runSimulation({ scenario, scale: 0.1, seed: 7, outDir: 'out/sim', corporaDir });
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const started = performance.now();
  const { outDir, force = false } = options;
  prepareOutputDir(outDir, force);
  const settings: SimulationSettings = {
    scenario: options.scenario,
    scale: options.scale,
    seed: options.seed >>> 0,
    forcedApi: options.forcedApi ?? null,
    corporaDir: options.corporaDir,
    gzipLevel: options.gzipLevel ?? 1,
  };
  if (!Number.isInteger(settings.gzipLevel) || settings.gzipLevel < 0 || settings.gzipLevel > 9) throw new UsageError(`gzip level must be an integer 0-9, found ${settings.gzipLevel}`);
  const { facts, context } = prepareWorld(settings, outDir, options.workers);
  const workerCount = facts.workers;
  const totals = { exchanges: 0, rawBytes: 0, compressedBytes: 0 };
  const perGroup = new Array<number>(facts.groups.length).fill(0);
  const statuses: Record<string, number> = {};
  const active = new Uint8Array(facts.accountGroups.length);
  const out = createWriteStream(join(outDir, OUTPUT_FILES.exchanges));
  let blocksDone = 0;
  let peakRss = process.memoryUsage.rss();

  const accept = async (stats: BlockStats, data: Uint8Array): Promise<void> => {
    if (!out.write(data)) await once(out, 'drain');
    totals.exchanges += stats.exchanges;
    totals.rawBytes += stats.rawBytes;
    totals.compressedBytes += data.byteLength;
    stats.perGroup.forEach((count, group) => (perGroup[group]! += count));
    for (const [status, count] of Object.entries(stats.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
    for (const index of stats.activeAccounts) active[index] = 1;
    blocksDone++;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    options.onProgress?.({ exchanges: totals.exchanges, expectedExchanges: facts.expectedExchanges, blocksDone, blocks: facts.blocks, compressedBytes: totals.compressedBytes });
  };

  try {
    if (context !== null) {
      for (const block of context.blocks) {
        const { stats, data } = encodeBlock(context, block.index);
        await accept(stats, data);
      }
    } else {
      await runWithWorkers(settings, workerCount, facts.blocks, accept);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }

  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const groups: GroupSummary[] = facts.groups.map((group, index) => ({
    key: group.key,
    label: group.label,
    persona: group.persona,
    campaign: group.campaign,
    accounts: 0,
    activeAccounts: 0,
    exchanges: perGroup[index]!,
  }));
  let attackAccounts = 0;
  facts.accountGroups.forEach((group, index) => {
    const summary = groups[group]!;
    summary.accounts++;
    if (active[index] === 1) summary.activeAccounts++;
    if (summary.label === 'attack') attackAccounts++;
  });
  return {
    scenario: facts.scenario,
    scale: settings.scale,
    seed: settings.seed,
    exchanges: totals.exchanges,
    accounts: facts.accountGroups.length,
    attackAccounts,
    benignAccounts: facts.accountGroups.length - attackAccounts,
    groups,
    statuses,
    rawBytes: totals.rawBytes,
    compressedBytes: totals.compressedBytes,
    seconds,
    exchangesPerSecond: totals.exchanges / Math.max(seconds, 1e-9),
    peakRssBytes: peakRss,
    blocks: facts.blocks,
    workers: workerCount,
    files: { exchanges: join(outDir, OUTPUT_FILES.exchanges), accounts: join(outDir, OUTPUT_FILES.accounts), labels: join(outDir, OUTPUT_FILES.labels) },
  };
}

/** What the main thread keeps of the world once the account files are written. */
interface WorldFacts {
  scenario: string;
  groups: World['groups'];
  /** Group index per account, in world order. */
  accountGroups: Uint16Array;
  expectedExchanges: number;
  blocks: number;
  workers: number;
}

/**
 * Builds the world, writes accounts and labels, and keeps only a few facts: with workers, the
 * main thread holds no world and no corpora while blocks are generated (each worker has its own).
 */
function prepareWorld(settings: SimulationSettings, outDir: string, workers: number | undefined): { facts: WorldFacts; context: SimulationContext | null } {
  const context = createSimulationContext(settings);
  const { world, blocks } = context;
  writeAccountFiles(world, outDir);
  const workerCount = Math.max(0, Math.min(workers ?? availableParallelism(), blocks.length));
  const facts: WorldFacts = {
    scenario: world.scenario.name,
    groups: world.groups,
    accountGroups: Uint16Array.from(world.accounts, (account) => account.group),
    expectedExchanges: world.expectedExchanges,
    blocks: blocks.length,
    workers: workerCount,
  };
  return { facts, context: workerCount === 0 ? context : null };
}

function prepareOutputDir(outDir: string, force: boolean): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new UsageError(`--out ${outDir} exists and is not a directory`);
    if (readdirSync(outDir).length > 0 && !force) throw new UsageError(`--out ${outDir} is not empty; pass --force to overwrite the simulation files in it`);
  } else {
    mkdirSync(outDir, { recursive: true });
  }
}

/**
 * Accounts and labels, sorted by account id so that file order reveals nothing about personas
 * or campaigns (ids are random).
 */
function writeAccountFiles(world: World, outDir: string): void {
  const sorted = [...world.accounts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hashed = world.scenario.accounts.email_style === 'hashed';
  const key = Buffer.from(`distillguard-sim:${world.seed}`, 'utf8');
  const accountLines: string[] = [];
  const labelLines: string[] = [];
  for (const account of sorted) {
    const email = hashed ? { email_domain: account.emailDomain, email_local_hash: keyedHash(key, account.emailLocal.toLowerCase()) } : { email: `${account.emailLocal}@${account.emailDomain}` };
    accountLines.push(
      JSON.stringify({
        account_id: account.id,
        org_id: account.orgId,
        created_at: new Date(account.createdAtMs).toISOString(),
        ...email,
        tier: account.tier,
        country: account.country,
        payment_fingerprint: account.paymentFingerprint,
        signup_ip: account.signupIp,
        verification: account.verification,
      }),
    );
    const group = world.groups[account.group]!;
    labelLines.push(JSON.stringify({ account_id: account.id, label: group.label, campaign: group.campaign, persona: group.persona }));
  }
  writeFileSync(join(outDir, OUTPUT_FILES.accounts), accountLines.join('\n') + '\n');
  writeFileSync(join(outDir, OUTPUT_FILES.labels), labelLines.join('\n') + '\n');
}

type WorkerMessage = { ready: true } | { error: string } | { block: number; stats: BlockStats; data: Uint8Array };

/**
 * The worker entry. From the compiled package it is simulation-worker.js; from the TypeScript
 * sources (tests, tsx) it is a .ts file, which a small bootstrap loads through tsx's loader.
 */
function workerEntry(): { entry: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { entry: new URL('./simulation-worker.js', import.meta.url), eval: false };
  // tsx's ESM API registers its loader in this thread; the package maps it to index.mjs beside
  // the index.cjs that require.resolve finds.
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const source = new URL('./simulation-worker.ts', import.meta.url).href;
  return { entry: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, eval: true };
}

/**
 * Hands out blocks to workers, at most `2 × workers` ahead of the writer, and passes results to
 * `accept` strictly in block order.
 */
async function runWithWorkers(settings: SimulationSettings, count: number, blockCount: number, accept: (stats: BlockStats, data: Uint8Array) => Promise<void>): Promise<void> {
  const { entry, eval: evalEntry } = workerEntry();
  const workers: Worker[] = [];
  const maxAhead = count * 2;
  const done = new Map<number, { stats: BlockStats; data: Uint8Array }>();
  let nextToAssign = 0;
  let nextToWrite = 0;
  let writing = false;
  const idle: Worker[] = [];

  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const assign = () => {
      while (!failed && idle.length > 0 && nextToAssign < blockCount && nextToAssign - nextToWrite < maxAhead) {
        const worker = idle.pop()!;
        worker.postMessage({ block: nextToAssign++ });
      }
    };
    const drain = async () => {
      if (writing) return;
      writing = true;
      try {
        while (!failed && done.has(nextToWrite)) {
          const result = done.get(nextToWrite)!;
          done.delete(nextToWrite);
          await accept(result.stats, result.data);
          nextToWrite++;
          assign();
        }
      } catch (error) {
        fail(error);
      } finally {
        writing = false;
      }
      if (!failed && nextToWrite === blockCount) {
        await Promise.all(workers.map((worker) => worker.terminate()));
        resolve();
      }
    };
    for (let i = 0; i < count; i++) {
      // A larger young generation: generation allocates many short-lived objects per exchange,
      // and the default semi-space makes scavenges (and their helper threads) eat a fifth of the time.
      const worker = new Worker(entry, { eval: evalEntry, workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if ('error' in message) return fail(new Error(`simulation worker failed: ${message.error}`));
        if ('ready' in message) {
          idle.push(worker);
          return assign();
        }
        done.set(message.block, { stats: message.stats, data: message.data });
        idle.push(worker);
        assign();
        void drain();
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 && !failed && nextToWrite < blockCount) fail(new Error(`simulation worker exited with code ${code}`));
      });
    }
  });
}

export type { SimulationContext };
