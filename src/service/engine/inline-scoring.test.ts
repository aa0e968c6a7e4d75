import { describe, expect, it } from 'vitest';
import { DecisionBook } from '../decisions/decision-book.js';
import { DEFAULT_POLICY_DOCUMENT, compilePolicy } from '../decisions/decision-policy.js';
import { createInlineScoring } from './inline-scoring.js';
import type { LiveEngine, LiveEngineModule } from './engine-contract.js';
import { encodeObservations } from './observation-codec.js';

function countingEngine(log: string[]): LiveEngine<{ account: string }, null, string[]> {
  const seen = new Set<string>();
  return {
    name: 'counting',
    observe(observations) {
      log.push(`observe ${observations.length}`);
      for (const o of observations) seen.add(o.account);
      return new Set(observations.map((o) => o.account));
    },
    scoreAccount: (id) => (seen.has(id) ? { score: 0.8, flagged: true, clusterId: null, evidence: [] } : null),
    linkInput: () => {
      log.push('snapshot');
      return { input: null };
    },
    applyLinks: (links) => links,
    account: () => null,
    clusters: () => [],
    get accountCount() {
      return seen.size;
    },
  };
}

function moduleOf(engine: LiveEngine<{ account: string }, null, string[]>): LiveEngineModule {
  return { createEngine: () => engine, observationOfRow: (row: unknown[]) => ({ account: row[0] }), relink: () => [] } as unknown as LiveEngineModule;
}

function batchOf(count: number, account: (i: number) => string) {
  return encodeObservations(Array.from({ length: count }, (_, i) => ({ account: account(i) })));
}

describe('createInlineScoring', () => {
  it('applies a large batch in slices without its duplicate rows, letting other work run between them, then re-scores its accounts', async () => {
    const log: string[] = [];
    const book = new DecisionBook();
    const scoring = createInlineScoring({ module: moduleOf(countingEngine(log)), book, runRelink: async () => [], observeSlice: 100 });
    scoring.observeBatch(batchOf(352, (i) => `a${i % 7}`), 352, [3, 4], []);
    setImmediate(() => log.push('decision'));
    expect(scoring.backlog).toBe(350);
    await scoring.idle();
    expect(log.filter((entry) => entry.startsWith('observe'))).toEqual(['observe 100', 'observe 100', 'observe 100', 'observe 50']);
    expect(log.indexOf('decision')).toBeLessThan(log.lastIndexOf('observe 50'));
    expect(scoring.backlog).toBe(0);
    expect(book.decide({ accountId: 'a3' }, compilePolicy(DEFAULT_POLICY_DOCUMENT)).action).toBe('step_up');
  });

  it('scores the accounts of start-up rows once, when the replay is read, however many chunks touched them', async () => {
    const log: string[] = [];
    const engine = countingEngine(log);
    const scoreAccount = engine.scoreAccount.bind(engine);
    const scored: string[] = [];
    engine.scoreAccount = (id) => (scored.push(id), scoreAccount(id));
    const book = new DecisionBook();
    const scoring = createInlineScoring({ module: moduleOf(engine), book, runRelink: async () => [] });
    for (let chunk = 0; chunk < 5; chunk++) scoring.observeRows([['a1'], ['a2'], ['a1']], []);
    await scoring.idle();
    expect(scored).toEqual([]);
    scoring.scoreReplayed();
    await scoring.idle();
    expect(scored.sort()).toEqual(['a1', 'a2']);
    expect(book.decide({ accountId: 'a2' }, compilePolicy(DEFAULT_POLICY_DOCUMENT)).score).toBe(0.8);
  });

  it('snapshots for a relink only after the observations queued before it', async () => {
    const log: string[] = [];
    const scoring = createInlineScoring({ module: moduleOf(countingEngine(log)), book: new DecisionBook(), runRelink: async () => ['a1'], observeSlice: 10 });
    scoring.observeBatch(batchOf(25, () => 'a1'), 25, [], []);
    expect(scoring.dirty).toBe(true);
    await scoring.relink();
    expect(log).toEqual(['observe 10', 'observe 10', 'observe 5', 'snapshot']);
    expect(scoring.dirty).toBe(false);
  });

  it('drops a batch the engine fails on, reports it, and goes on with the next', async () => {
    const log: string[] = [];
    const engine = countingEngine(log);
    const observe = engine.observe.bind(engine);
    engine.observe = (observations) => {
      if (observations.some((o) => o.account === 'boom')) throw new Error('detector bug');
      return observe(observations);
    };
    const errors: unknown[] = [];
    const book = new DecisionBook();
    const scoring = createInlineScoring({ module: moduleOf(engine), book, runRelink: async () => [], onError: (error) => errors.push(error) });
    scoring.observeBatch(batchOf(3, () => 'boom'), 3, [], []);
    scoring.observeBatch(batchOf(2, () => 'fine'), 2, [], []);
    await scoring.idle();
    expect(errors).toEqual([new Error('detector bug')]);
    expect(scoring.backlog).toBe(0);
    expect(book.decide({ accountId: 'fine' }, compilePolicy(DEFAULT_POLICY_DOCUMENT)).score).toBe(0.8);
  });
});
