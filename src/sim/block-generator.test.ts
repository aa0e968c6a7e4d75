import { describe, expect, it } from 'vitest';
import { parseExchangeLine } from '../ingest/exchange-validator.js';
import { buildWorld } from './world-builder.js';
import { collectExchanges, generateBlock, planBlocks } from './block-generator.js';
import { smokeScenario, testCorpora } from './test-support/sim-fixtures.js';

const world = buildWorld(smokeScenario(), testCorpora(), { scale: 0.05, seed: 4 });
const blocks = planBlocks(world);

function linesOf(index: number): string[] {
  // A tiny size hint makes the buffer grow many times on the way.
  const { text, stats } = generateBlock(world, testCorpora(), blocks, blocks[index]!, { sizeHint: 1024 });
  const lines = text.toString('utf8').split('\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(stats.exchanges);
  expect(text.length).toBe(stats.rawBytes);
  return lines;
}

describe('block generator', () => {
  it('cuts the window into contiguous blocks of at least 30 minutes', () => {
    expect(blocks[0]!.startMs).toBe(world.startMs);
    expect(blocks.at(-1)!.endMs).toBe(world.endMs);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.startMs).toBe(blocks[i - 1]!.endMs);
    for (const block of blocks) expect(block.endMs - block.startMs).toBeGreaterThanOrEqual(30 * 60_000);
  });

  it('writes valid exchange lines in time order, all inside the block, with unique ids', () => {
    const index = Math.min(3, blocks.length - 1);
    const lines = linesOf(index);
    expect(lines.length).toBeGreaterThan(0);
    let previous = -Infinity;
    const ids = new Set<string>();
    for (const line of lines) {
      const parsed = parseExchangeLine(line);
      if (!parsed.ok) throw new Error(`${parsed.problem.field}: ${parsed.problem.message}`);
      const { exchange } = parsed.value;
      expect(exchange.ts).toBeGreaterThanOrEqual(previous);
      expect(exchange.ts).toBeGreaterThanOrEqual(blocks[index]!.startMs);
      expect(exchange.ts).toBeLessThan(blocks[index]!.endMs);
      expect(ids.has(exchange.id)).toBe(false);
      ids.add(exchange.id);
      previous = exchange.ts;
    }
  });

  it('writes the same bytes every time a block is generated, in any order', () => {
    const later = linesOf(blocks.length - 1);
    const first = linesOf(0);
    expect(linesOf(0)).toEqual(first);
    expect(linesOf(blocks.length - 1)).toEqual(later);
  });

  it('writes the contract\'s fields in order, with RFC 3339 millisecond timestamps', () => {
    const record = JSON.parse(linesOf(0)[0]!) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual(['id', 'ts', 'account_id', 'org_id', 'api_key_id', 'client_ip', 'client_asn', 'client_country', 'user_agent', 'tls_fingerprint', 'api', 'request', 'response', 'status', 'latency_ms']);
    expect(record.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(record.id).toMatch(/^req_[0-9A-Za-z]{24}$/);
  });

  it('cuts busy windows into blocks shorter than a session and still finds the turns of sessions that started several blocks back', () => {
    const scenario = smokeScenario();
    scenario.output.block_exchanges = 500;
    const busy = buildWorld(scenario, testCorpora(), { scale: 15, seed: 4 });
    const short = planBlocks(busy);
    const blockMs = short[0]!.endMs - short[0]!.startMs;
    expect(blockMs).toBeLessThan(30 * 60_000);
    expect((30 * 60_000) % blockMs).toBe(0);
    // Sessions longer than a block are rare (turns are seconds to minutes apart): look at a day of blocks.
    let fromTwoBack = 0;
    for (let index = 2; index < 2 + (24 * 60 * 60_000) / blockMs; index++) {
      const block = short[index]!;
      for (const item of collectExchanges(busy, short, block)) {
        expect(item.ts >= block.startMs && item.ts < block.endMs).toBe(true);
        if (item.session.timing.startMs < short[index - 1]!.startMs) fromTwoBack++;
      }
    }
    expect(fromTwoBack).toBeGreaterThan(0);
  });
});
