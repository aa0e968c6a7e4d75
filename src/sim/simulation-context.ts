import { gzipSync } from 'node:zlib';
import type { ApiKind } from '../model/exchange.js';
import { loadPromptCorpora, type PromptCorpora } from './corpus-loader.js';
import type { Scenario } from './scenario-schema.js';
import { buildWorld } from './world-builder.js';
import { generateBlock, planBlocks, type BlockPlan, type BlockStats } from './block-generator.js';
import type { GroupInfo, World } from './world-model.js';
import { writeAccountFiles, type AccountFilePaths } from './account-files.js';

/**
 * Everything a process needs to generate blocks, rebuilt from plain inputs. The main thread and
 * every worker call this with the same settings and so hold the same world.
 */
export interface SimulationSettings {
  scenario: Scenario;
  scale: number;
  seed: number;
  forcedApi: ApiKind | null;
  corporaDir: string;
  gzipLevel: number;
}

export interface SimulationContext {
  settings: SimulationSettings;
  corpora: PromptCorpora;
  world: World;
  blocks: BlockPlan[];
  /** The text buffer reused from block to block. */
  scratch?: Buffer;
}

/**
 * `accountFiles`: the thread that writes accounts.jsonl builds its world with the account-file
 * lines (and drops them after writing, see `writeAndReleaseAccountFiles`); the others never
 * hold them.
 */
export function createSimulationContext(settings: SimulationSettings, { corpora, accountFiles = false }: { corpora?: PromptCorpora; accountFiles?: boolean } = {}): SimulationContext {
  const loaded = corpora ?? loadPromptCorpora(settings.corporaDir, { maxPromptChars: settings.scenario.corpora.max_prompt_chars });
  const world = buildWorld(settings.scenario, loaded, { scale: settings.scale, seed: settings.seed, forcedApi: settings.forcedApi, accountFiles });
  return { settings, corpora: loaded, world, blocks: planBlocks(world) };
}

/** What the main thread needs of the world for progress and the summary; it never holds a world itself when workers generate. */
export interface WorldFacts {
  scenario: string;
  groups: GroupInfo[];
  /** Group index per account, in world order. */
  accountGroups: Uint16Array;
  expectedExchanges: number;
  blocks: number;
}

/** Writes accounts.jsonl and labels.jsonl, then lets the lines go: generation never needs them. */
export function writeAndReleaseAccountFiles(context: SimulationContext, paths: AccountFilePaths): void {
  writeAccountFiles(context.world, paths);
  context.world.accountFiles = null;
}

export function worldFactsOf(context: SimulationContext): WorldFacts {
  const { world } = context;
  return {
    scenario: world.scenario.name,
    groups: world.groups,
    accountGroups: Uint16Array.from({ length: world.accounts.length }, (_, index) => world.accounts.groupOf(index)),
    expectedExchanges: world.expectedExchanges,
    blocks: context.blocks.length,
  };
}

export interface EncodedBlock {
  stats: BlockStats;
  /** One complete gzip member: concatenated members form one valid gzip stream. May be a view of a larger buffer. */
  data: Buffer;
}

/** Output chunk size as a share of the block's text. */
const GZIP_CHUNK_SHARE = 0.3;

export function encodeBlock(context: SimulationContext, index: number): EncodedBlock {
  const block = context.blocks[index]!;
  const { world } = context;
  // Room for the expected volume at a generous bytes-per-exchange: the buffer rarely has to grow.
  const expected = (world.expectedExchanges * (block.endMs - block.startMs)) / (world.endMs - world.startMs);
  const { stats, text } = generateBlock(world, context.corpora, context.blocks, block, { sizeHint: Math.ceil(expected * 1.3 * 2400), scratch: context.scratch });
  // Keep the (possibly grown) buffer for the next block; gzip copies what it needs.
  context.scratch = text.buffer.byteLength > (context.scratch?.length ?? 0) ? Buffer.from(text.buffer, 0, text.buffer.byteLength) : context.scratch;
  // memLevel 9 compresses about 8% faster than the default at level 1, at the same ratio. An
  // output chunk big enough for the whole member (level 1 gives about a quarter of the input)
  // spares hundreds of 16 KiB allocations and their concatenation per block.
  const chunkSize = Math.max(1 << 16, Math.ceil(text.length * GZIP_CHUNK_SHARE));
  const data = gzipSync(text, { level: context.settings.gzipLevel, memLevel: 9, chunkSize });
  return { stats, data };
}
