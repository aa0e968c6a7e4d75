import type { ApiKind } from '../model/exchange.js';
import type { PromptCorpora } from './corpus-loader.js';
import type { ExchangeSpec } from './exchange-spec.js';
import type { ModelSpec } from './scenario-schema.js';
import { renderBodyParts, renderError, type ErrorKind } from './api-body-renderer.js';
import type { ClientIdentity } from './client-catalog.js';
import { MAX_SESSION_MS, createBlockIntensity, sampleSessions, scanExpected, surelyNoSession, HOUR_MS, type SessionTiming } from './activity-sampler.js';
import { base62Of32, createRng, deriveSeed, mix32, permute64, BASE62, type Rng } from './seeded-rng.js';
import { apiOf, chooseModel, generateSession } from './session-generator.js';
import { HOMEWORK_TAG, type NetworkAssignment, type SimAccount, type World } from './world-model.js';
import type { Endpoint } from './network-catalog.js';

/**
 * One time block of the exchange log: every exchange whose timestamp falls in the block, in
 * time order, serialised as JSON Lines. A block depends only on the world and its index, so
 * blocks can be generated in parallel and concatenated in order.
 */
export interface BlockPlan {
  index: number;
  startMs: number;
  endMs: number;
}

const BLOCK_MINUTES = [30, 60, 120, 180, 240, 360, 480, 720, 1440];
/**
 * Shorter blocks, for volumes where half an hour would hold more than twice the target: a
 * block's text, its gzip member and its session objects grow with its exchanges, so without
 * them memory would grow with the scale. They divide half an hour, so that no block straddles a
 * half hour of the daily rhythm.
 */
const SHORT_BLOCK_MINUTES = [15, 10, 6, 5, 3, 2, 1];

/**
 * Cuts the window into blocks of about `output.block_exchanges` expected exchanges: the longest
 * of `BLOCK_MINUTES` within the target, or, when even 30 minutes would hold more than twice the
 * target, the longest of `SHORT_BLOCK_MINUTES` within it. Depends on the scenario and scale
 * only, never on the worker count.
 */
export function planBlocks(world: World): BlockPlan[] {
  const windowMs = world.endMs - world.startMs;
  const target = world.scenario.output.block_exchanges;
  const expectedIn = (minutes: number) => (world.expectedExchanges * minutes * 60_000) / windowMs;
  let minutes = BLOCK_MINUTES[0]!;
  for (const candidate of BLOCK_MINUTES) {
    if (expectedIn(candidate) <= target) minutes = candidate;
  }
  if (expectedIn(minutes) > 2 * target) minutes = SHORT_BLOCK_MINUTES.find((candidate) => expectedIn(candidate) <= target) ?? SHORT_BLOCK_MINUTES.at(-1)!;
  const blockMs = minutes * 60_000;
  const out: BlockPlan[] = [];
  for (let start = world.startMs, index = 0; start < world.endMs; start += blockMs, index++) {
    out.push({ index, startMs: start, endMs: Math.min(world.endMs, start + blockMs) });
  }
  return out;
}

export interface BlockStats {
  index: number;
  exchanges: number;
  rawBytes: number;
  /** Exchanges per group (persona or campaign), indexed like `world.groups`. */
  perGroup: number[];
  statuses: Record<string, number>;
  /** Indices of the accounts that sent at least one exchange in the block, ascending. */
  activeAccounts: number[];
}

interface SessionState {
  account: SimAccount;
  timing: SessionTiming;
  api: ApiKind;
  model: ModelSpec;
  isNew: boolean;
  script: ExchangeSpec[] | null;
  remaining: number;
}

interface PendingExchange {
  ts: number;
  session: SessionState;
  turn: number;
}

export interface BlockGeneratorOptions {
  /** Bytes to reserve for the block's text up front (it grows when needed). */
  sizeHint?: number;
  /**
   * A buffer to write into when it is large enough: reusing one buffer across blocks avoids
   * touching fresh memory (page faults) for every block. The returned text may be a view of it.
   */
  scratch?: Buffer;
}

export interface GeneratedBlock {
  stats: BlockStats;
  /** The block's JSON Lines, UTF-8 encoded. */
  text: Buffer;
}

// Stream purposes: XORed into the world seed so that the streams of one session never coincide.
const STREAM_SAMPLING = 0x51a3c0de;
const STREAM_MODEL = 0x0de1c0de;
const STREAM_CONTENT = 0x7e47c0de;
const STREAM_EXCHANGE = 0x3c4a0000;

export function blockSeedOf(world: World, accountIndex: number, blockIndex: number): number {
  return deriveSeed(world.seed ^ 0x5e55, accountIndex, blockIndex);
}

export function collectExchanges(world: World, blocks: readonly BlockPlan[], block: BlockPlan): PendingExchange[] {
  const pending: PendingExchange[] = [];
  // Sessions last less than MAX_SESSION_MS: those that started up to that long before the block
  // (one block back, or several when blocks are short) can still have turns in it.
  const lookBack = Math.ceil(MAX_SESSION_MS / (blocks[0]!.endMs - blocks[0]!.startMs));
  const sources = blocks.slice(Math.max(0, block.index - lookBack), block.index + 1);
  const intensities = sources.map((source) => createBlockIntensity(world.startMs, source.startMs, source.endMs));
  const scan = world.scan;
  const accounts = world.accounts;
  for (let i = 0; i < accounts.length; i++) {
    let account: SimAccount | undefined;
    // Single-turn sessions never reach into the next block: no look-back for them.
    for (let s = scan.multiTurn[i] === 1 ? 0 : sources.length - 1; s < sources.length; s++) {
      const intensity = intensities[s]!;
      const fast = scanExpected(scan, i, intensity);
      if (fast === 0) continue;
      const seed = blockSeedOf(world, i, sources[s]!.index);
      // Most accounts have no session in a given block: decide that from the arrays alone,
      // without unpacking the account.
      if (fast !== null && surelyNoSession(fast, seed)) continue;
      const draw = { unitSeed: seed, streamSeed: world.seed ^ STREAM_SAMPLING, account: i, block: sources[s]!.index };
      const timings = sampleSessions(account?.schedule ?? accounts.scheduleOf(i), world.startMs, world.endMs, intensity, draw, fast ?? undefined);
      if (timings.length === 0) continue;
      account ??= accounts.get(i);
      for (const timing of timings) {
        let state: SessionState | null = null;
        for (let turn = 0; turn < timing.offsets.length; turn++) {
          const ts = timing.startMs + timing.offsets[turn]!;
          if (ts < block.startMs || ts >= block.endMs) continue;
          if (state === null) {
            const api = apiOf(world, account);
            const choice = chooseModel(world, account, api, timing.tag, timing.startMs, createRng(world.seed ^ STREAM_MODEL, account.index, timing.key));
            state = { account, timing, api, model: choice.model, isNew: choice.isNew, script: null, remaining: 0 };
          }
          state.remaining++;
          pending.push({ ts, session: state, turn });
        }
      }
    }
  }
  pending.sort((a, b) => a.ts - b.ts || a.session.account.index - b.session.account.index || a.session.timing.startMs - b.session.timing.startMs || a.turn - b.turn);
  return pending;
}

function endpointFor(world: World, network: NetworkAssignment, account: SimAccount, ts: number, rng: Rng): Endpoint {
  if (network.kind === 'own') {
    const endpoints = network.endpoints;
    if (endpoints.length === 1) return endpoints[0]!;
    const u = rng.float();
    return u < 0.78 ? endpoints[0]! : endpoints[1 + rng.int(endpoints.length - 1)]!;
  }
  const size = world.pools.sizeOf(network.pool);
  if (network.stickyMinutes > 0) {
    // The same exit for `stickyMinutes`, derived from time so blocks need no shared state.
    const slot = Math.floor(ts / (network.stickyMinutes * 60_000));
    return world.pools.endpointAt(network.pool, mix32(deriveSeed(account.index, slot)) % size);
  }
  return world.pools.endpointAt(network.pool, rng.int(size));
}

function errorKindFor(world: World, session: SessionState, ts: number, rng: Rng): ErrorKind | null {
  const traffic = world.scenario.traffic;
  const u = rng.float();
  let threshold = traffic.server_error_share;
  if (u < threshold) return 'server_error';
  if (ts >= world.releaseMs && ts < world.releaseMs + traffic.overload_hours * HOUR_MS) {
    threshold += traffic.overload_share * (session.isNew ? 2 : 0.5);
    if (u < threshold) return 'overloaded';
  }
  // Busy accounts run into their rate limits more often.
  const pressure = Math.min(8, Math.max(0.3, session.account.requestRate / 80));
  threshold += traffic.rate_limited_share * pressure;
  return u < threshold ? 'rate_limited' : null;
}

const clientJson = new WeakMap<ClientIdentity, string>();

function clientJsonOf(client: ClientIdentity): string {
  let json = clientJson.get(client);
  if (json === undefined) clientJson.set(client, (json = `,"user_agent":${JSON.stringify(client.userAgent)},"tls_fingerprint":${JSON.stringify(client.tlsFingerprint)}`));
  return json;
}

function latencyOf(rng: Rng, outputTokens: number, reasoning: boolean, error: ErrorKind | null): number {
  if (error === 'rate_limited') return 15 + rng.int(80);
  if (error !== null) return 200 + rng.int(error === 'overloaded' ? 900 : 4000);
  const firstToken = 280 + rng.exponential(450) + (reasoning ? 1500 + rng.exponential(4000) : 0);
  return Math.round(firstToken + outputTokens * rng.uniform(7, 28));
}

/**
 * Generates block `block`: samples the sessions of every account that touch it, orders their
 * exchanges by time and writes one JSON line per exchange.
 */
export function generateBlock(world: World, corpora: PromptCorpora, blocks: readonly BlockPlan[], block: BlockPlan, { sizeHint = 1 << 20, scratch }: BlockGeneratorOptions = {}): GeneratedBlock {
  const pending = collectExchanges(world, blocks, block);
  const perGroup = new Array<number>(world.groups.length).fill(0);
  const statuses: Record<string, number> = {};
  const active = new Set<number>();
  // Lines are encoded straight into one buffer for the block: concatenating them into a string
  // first would build a rope to flatten again, and collecting chunks would copy them once more.
  let text = scratch !== undefined && scratch.length >= sizeHint ? scratch : Buffer.allocUnsafe(Math.max(65536, sizeHint));
  let used = 0;
  const parts: string[] = [];
  const responseParts: string[] = [];
  let rawBytes = 0;
  let exchanges = 0;
  for (const item of pending) {
    const session = item.session;
    const account = session.account;
    if (session.script === null) {
      session.script = generateSession({
        world,
        corpora,
        account,
        rng: createRng(world.seed ^ STREAM_CONTENT, account.index, session.timing.key),
        turns: session.timing.offsets.length,
        tag: session.timing.tag,
        api: session.api,
        model: session.model,
        startMs: session.timing.startMs,
      });
    }
    const spec = session.script[item.turn];
    session.remaining--;
    if (session.remaining === 0) session.script = null;
    if (spec === undefined) continue;
    const rng = createRng(world.seed ^ (STREAM_EXCHANGE + item.turn), account.index, session.timing.key);
    const error = errorKindFor(world, session, item.ts, rng);
    let status = 200;
    let outputTokens = 0;
    // One line = its pieces, joined once: no intermediate strings, no ropes to flatten.
    parts.length = 0;
    responseParts.length = 0;
    const network = session.timing.tag === HOMEWORK_TAG && account.offWindowNetwork !== null && rng.chance(0.6) ? account.offWindowNetwork : account.network;
    const endpoint = endpointFor(world, network, account, item.ts, rng);
    const client = account.altClient !== null && rng.chance(0.05) ? account.altClient : account.client;
    const keys = account.apiKeys;
    // Unique by construction (a bijection of block and position), random-looking, then padded
    // with random characters to the usual length.
    const [idHi, idLo] = permute64(block.index, exchanges, world.seed);
    const apiKey = keys.length === 1 || rng.chance(0.7) ? keys[0]! : keys[1 + rng.int(keys.length - 1)]!;
    // The record's fields in the contract's order. Ids (checked when the world is packed),
    // timestamps, addresses, countries and API names never need escaping; everything else goes
    // through JSON.stringify.
    parts.push(
      '{"id":"req_', base62Of32(idHi), base62Of32(idLo), rng.chars(12, BASE62), '","ts":"', new Date(item.ts).toISOString(), '","account_id":"', account.id, '","org_id":"', account.orgId,
      '","api_key_id":"', apiKey, '","client_ip":"', endpoint.ip, '","client_asn":', String(endpoint.asn), ',"client_country":"', endpoint.country, '"',
      clientJsonOf(client), ',"api":"', session.api, '","request":',
    );
    const rendered = renderBodyParts(spec, { api: session.api, model: session.model, tsMs: item.ts, rng, cacheWarm: item.turn > 0 || rng.chance(0.5) }, parts, responseParts);
    parts.push(',"response":');
    if (error === null) {
      outputTokens = rendered;
      for (let i = 0; i < responseParts.length; i++) parts.push(responseParts[i]!);
    } else {
      const failed = renderError(session.api, error, session.model.name);
      status = failed.status;
      parts.push(JSON.stringify(failed.body));
    }
    const latency = latencyOf(rng, outputTokens, spec.request.reasoning !== null && session.model.reasoning, error);
    parts.push(',"status":', String(status), ',"latency_ms":', String(latency), '}\n');
    const line = parts.join('');
    if (used + line.length * 3 > text.length) {
      const grown = Buffer.allocUnsafe(Math.max(text.length * 2, used + line.length * 3));
      text.copy(grown, 0, 0, used);
      text = grown;
    }
    const written = text.write(line, used, 'utf8');
    used += written;
    rawBytes += written;
    exchanges++;
    perGroup[account.group]!++;
    statuses[status] = (statuses[status] ?? 0) + 1;
    active.add(account.index);
  }
  return { stats: { index: block.index, exchanges, rawBytes, perGroup, statuses, activeAccounts: [...active].sort((a, b) => a - b) }, text: text.subarray(0, used) };
}
