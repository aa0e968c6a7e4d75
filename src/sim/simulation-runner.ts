import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ApiKind } from '../model/exchange.js';
import { UsageError } from '../util/errors.js';
import type { Scenario } from './scenario-schema.js';
import type { BlockStats } from './block-generator.js';
import type { AccountFilePaths } from './account-files.js';
import { boundHeapGrowth } from './heap-policy.js';
import { createSimulationContext, encodeBlock, worldFactsOf, writeAndReleaseAccountFiles, type SimulationContext, type SimulationSettings, type WorldFacts } from './simulation-context.js';
import type { WorkerSetup } from './simulation-worker.js';

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
  /**
   * The scenario as a file, written to `outDir` as scenario.yaml beside the traffic (a drawn
   * world, so that it can be simulated again). It must be the text `scenario` was parsed from.
   */
  scenarioText?: string;
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
  files: { exchanges: string; accounts: string; labels: string; scenario?: string };
}

export const OUTPUT_FILES = { exchanges: 'exchanges.jsonl.gz', accounts: 'accounts.jsonl', labels: 'labels.jsonl', scenario: 'scenario.yaml' } as const;

/**
 * Runs a simulation to `outDir`: accounts and labels (small), and the exchange log, whose time
 * blocks are generated and gzip-compressed in parallel and written in block order. With workers,
 * the main thread builds no world: one worker writes the account files while the others already
 * generate blocks. Memory is bounded by the world per thread and the blocks in flight, not by
 * the volume.
 *
 * @example
 * const summary = await runSimulation({ scenario, scale: 0.1, seed: 7, outDir: 'out/sim', corporaDir });
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const started = performance.now();
  const { outDir, force = false } = options;
  prepareOutputDir(outDir, force);
  const scenarioFile = options.scenarioText === undefined ? undefined : join(outDir, OUTPUT_FILES.scenario);
  if (scenarioFile !== undefined) writeFileSync(scenarioFile, options.scenarioText!);
  const settings: SimulationSettings = {
    scenario: options.scenario,
    scale: options.scale,
    seed: options.seed >>> 0,
    forcedApi: options.forcedApi ?? null,
    corporaDir: options.corporaDir,
    gzipLevel: options.gzipLevel ?? 1,
  };
  if (!Number.isInteger(settings.gzipLevel) || settings.gzipLevel < 0 || settings.gzipLevel > 9) throw new UsageError(`gzip level must be an integer 0-9, found ${settings.gzipLevel}`);
  const workerCount = Math.max(0, options.workers ?? availableParallelism());
  boundHeapGrowth();
  const accountFiles: AccountFilePaths = { accounts: join(outDir, OUTPUT_FILES.accounts), labels: join(outDir, OUTPUT_FILES.labels) };
  const out = createWriteStream(join(outDir, OUTPUT_FILES.exchanges));
  // Created once a thread reports the world's outline; assigned from the sink's callbacks.
  let tally = null as BlockTally | null;
  let peakRss = process.memoryUsage.rss();

  const sink: BlockSink = {
    begin: (outline) => {
      tally = new BlockTally(outline);
    },
    accept: async (stats, data) => {
      if (!out.write(data)) await once(out, 'drain');
      tally!.add(stats, data.byteLength);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      options.onProgress?.(tally!.progress());
    },
  };

  let facts: WorldFacts;
  try {
    if (workerCount === 0) {
      const context = createSimulationContext(settings, { accountFiles: true });
      writeAndReleaseAccountFiles(context, accountFiles);
      facts = worldFactsOf(context);
      sink.begin({ blocks: facts.blocks, expectedExchanges: facts.expectedExchanges, accounts: facts.accountGroups.length });
      for (const block of context.blocks) {
        const { stats, data } = encodeBlock(context, block.index);
        await sink.accept(stats, data);
      }
    } else {
      facts = await runWithWorkers({ settings, accountFiles }, workerCount, sink);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }

  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const totals = tally ?? new BlockTally({ blocks: facts.blocks, expectedExchanges: facts.expectedExchanges, accounts: facts.accountGroups.length });
  const groups: GroupSummary[] = facts.groups.map((group, index) => ({
    key: group.key,
    label: group.label,
    persona: group.persona,
    campaign: group.campaign,
    accounts: 0,
    activeAccounts: 0,
    exchanges: totals.perGroup[index] ?? 0,
  }));
  let attackAccounts = 0;
  facts.accountGroups.forEach((group, index) => {
    const summary = groups[group]!;
    summary.accounts++;
    if (totals.active[index] === 1) summary.activeAccounts++;
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
    // Personas first, then campaigns, whatever order the world built them in.
    groups: [...groups.filter((group) => group.label === 'benign'), ...groups.filter((group) => group.label === 'attack')],
    statuses: totals.statuses,
    rawBytes: totals.rawBytes,
    compressedBytes: totals.compressedBytes,
    seconds,
    exchangesPerSecond: totals.exchanges / Math.max(seconds, 1e-9),
    peakRssBytes: peakRss,
    blocks: facts.blocks,
    workers: workerCount,
    files: { exchanges: join(outDir, OUTPUT_FILES.exchanges), accounts: accountFiles.accounts, labels: accountFiles.labels, ...(scenarioFile === undefined ? {} : { scenario: scenarioFile }) },
  };
}

/** The size of the run, known as soon as any thread has built the world. */
interface WorldOutline {
  blocks: number;
  expectedExchanges: number;
  accounts: number;
}

/** Where finished blocks go, strictly in block order. */
interface BlockSink {
  begin(outline: WorldOutline): void;
  accept(stats: BlockStats, data: Uint8Array): Promise<void>;
}

/** Running totals over the written blocks: fixed-size, whatever the volume. */
class BlockTally {
  exchanges = 0;
  rawBytes = 0;
  compressedBytes = 0;
  blocksDone = 0;
  readonly perGroup: number[] = [];
  readonly statuses: Record<string, number> = {};
  /** 1 for every account that sent at least one exchange, indexed like the world's accounts. */
  readonly active: Uint8Array;

  constructor(readonly outline: WorldOutline) {
    this.active = new Uint8Array(outline.accounts);
  }

  add(stats: BlockStats, compressedBytes: number): void {
    this.exchanges += stats.exchanges;
    this.rawBytes += stats.rawBytes;
    this.compressedBytes += compressedBytes;
    stats.perGroup.forEach((count, group) => (this.perGroup[group] = (this.perGroup[group] ?? 0) + count));
    for (const [status, count] of Object.entries(stats.statuses)) this.statuses[status] = (this.statuses[status] ?? 0) + count;
    for (const index of stats.activeAccounts) this.active[index] = 1;
    this.blocksDone++;
  }

  progress(): SimulationProgress {
    return { exchanges: this.exchanges, expectedExchanges: this.outline.expectedExchanges, blocksDone: this.blocksDone, blocks: this.outline.blocks, compressedBytes: this.compressedBytes };
  }
}

function prepareOutputDir(outDir: string, force: boolean): void {
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory()) throw new UsageError(`--out ${outDir} exists and is not a directory`);
    if (readdirSync(outDir).length > 0 && !force) throw new UsageError(`--out ${outDir} is not empty; pass --force to overwrite the simulation files in it`);
  } else {
    mkdirSync(outDir, { recursive: true });
  }
}

type WorkerMessage =
  | { ready: true; blocks: number; expectedExchanges: number; accounts: number }
  | { facts: WorldFacts }
  | { error: string }
  | { block: number; stats: BlockStats; data: Uint8Array };

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
 * Blocks queued per worker: the next block is already waiting when a worker finishes one, so
 * it never idles for a round trip through a busy (or descheduled) main thread.
 */
export const BLOCKS_QUEUED_PER_WORKER = 2;
/**
 * How far (in blocks) generation may run ahead of the writer, per worker. Block sizes follow
 * the daily rhythm; with too little slack a worker waits whenever its neighbour holds a large
 * block that the writer needs next. Finished blocks are compressed, so the slack costs little.
 */
export const BLOCKS_AHEAD_PER_WORKER = 3;

/**
 * Starts `count` workers (the first also writes the account files), hands out blocks, and passes
 * results to the sink strictly in block order. Resolves with the world's facts once every block
 * is written and the account files are complete.
 */
async function runWithWorkers(setup: WorkerSetup, count: number, sink: BlockSink): Promise<WorldFacts> {
  const { entry, eval: evalEntry } = workerEntry();
  const workers: Worker[] = [];
  const queued = new Map<Worker, number>();
  const maxAhead = count * BLOCKS_AHEAD_PER_WORKER;
  const done = new Map<number, { stats: BlockStats; data: Uint8Array }>();
  let blockCount = -1;
  let facts: WorldFacts | null = null;
  let nextToAssign = 0;
  let nextToWrite = 0;
  let writing = false;

  return new Promise<WorldFacts>((resolve, reject) => {
    let failed = false;
    let finished = false;
    const fail = (error: unknown) => {
      if (failed || finished) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const assign = () => {
      // Fill the emptiest queue first, so that blocks spread over the workers.
      while (!failed && nextToAssign < blockCount && nextToAssign - nextToWrite < maxAhead) {
        let target: Worker | null = null;
        for (const [worker, depth] of queued) if (depth < BLOCKS_QUEUED_PER_WORKER && (target === null || depth < queued.get(target)!)) target = worker;
        if (target === null) return;
        queued.set(target, queued.get(target)! + 1);
        target.postMessage({ block: nextToAssign++ });
      }
    };
    const finishIfComplete = async () => {
      if (failed || finished || blockCount < 0 || nextToWrite < blockCount || facts === null) return;
      finished = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
      resolve(facts);
    };
    const drain = async () => {
      if (writing) return;
      writing = true;
      try {
        while (!failed && done.has(nextToWrite)) {
          const result = done.get(nextToWrite)!;
          done.delete(nextToWrite);
          await sink.accept(result.stats, result.data);
          nextToWrite++;
          assign();
        }
      } catch (error) {
        fail(error);
      } finally {
        writing = false;
      }
      await finishIfComplete();
    };
    for (let i = 0; i < count; i++) {
      // A larger young generation: generation allocates many short-lived objects per exchange,
      // and the default semi-space makes scavenges (and their helper threads) eat a fifth of the time.
      const workerSetup: WorkerSetup = { settings: setup.settings, accountFiles: i === 0 ? setup.accountFiles : null };
      const worker = new Worker(entry, { eval: evalEntry, workerData: workerSetup, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        if ('error' in message) return fail(new Error(`simulation worker failed: ${message.error}`));
        if ('ready' in message) {
          if (blockCount < 0) {
            blockCount = message.blocks;
            sink.begin({ blocks: message.blocks, expectedExchanges: message.expectedExchanges, accounts: message.accounts });
          }
          queued.set(worker, 0);
          return assign();
        }
        if ('facts' in message) {
          facts = message.facts;
          return void finishIfComplete();
        }
        done.set(message.block, { stats: message.stats, data: message.data });
        queued.set(worker, queued.get(worker)! - 1);
        assign();
        void drain();
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!finished) fail(new Error(`simulation worker exited early with code ${code}`));
      });
    }
  });
}

export type { SimulationContext };
