import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, CONTENT_FLAG, CONTENT_FLAG_BITS } from '../features/content-signals.js';
import { AccountState, blankObservedExchange, INDICATOR_SKETCH_SIZE, OUTPUT_HISTOGRAM_BUCKETS, outputBucket, type ObservedExchange } from './account-state.js';
import { BottomKSketch, type SketchReader } from './bottom-k-sketch.js';
import { fmix32 } from '../util/hash64.js';
import { HOUR_MS } from './hour-series.js';
import { accountHistograms } from './test-support/account-histograms.js';

function exchange(ts: number, capability: number, contentFlags: number, outputTokens: number): ObservedExchange {
  return { ...blankObservedExchange(), ts, model: 0, status: 200, turnCount: 1, messageCount: 1, inputTokens: 10, outputTokens, contentFlags, capability };
}


describe('account state', () => {
  it('keeps every account its own counts, however many accounts share the counter slabs', () => {
    // More accounts than one slab holds, each with a pattern of its own.
    const states = Array.from({ length: 5000 }, (_, i) => new AccountState(i, `acct_${i}`));
    states.forEach((state, i) => {
      for (let k = 0; k <= i % 3; k++) state.observe(exchange((i % 24) * HOUR_MS + k, i % CAPABILITIES.length, 1 << i % CONTENT_FLAG_BITS, 2 ** (i % 12)));
    });
    states.forEach((state, i) => {
      const times = (i % 3) + 1;
      const expected = {
        hours: Array.from({ length: 24 }, (_, hour) => (hour === i % 24 ? times : 0)),
        capabilities: CAPABILITIES.map((_, code) => (code === i % CAPABILITIES.length ? times : 0)),
        flags: Array.from({ length: CONTENT_FLAG_BITS }, (_, bit) => (bit === i % CONTENT_FLAG_BITS ? times : 0)),
        outputs: Array.from({ length: OUTPUT_HISTOGRAM_BUCKETS }, (_, bucket) => (bucket === outputBucket(2 ** (i % 12)) ? times : 0)),
      };
      expect(accountHistograms(state)).toEqual(expected);
    });
  });

  it('reads zeros before the first exchange and merges into an account that had none', () => {
    const empty = new AccountState(0, 'empty');
    expect(Object.values(accountHistograms(empty)).flat().every((count) => count === 0)).toBe(true);
    const busy = new AccountState(1, 'busy');
    busy.observe(exchange(5 * HOUR_MS, 2, 0b101, 100));
    empty.merge(busy);
    expect(accountHistograms(empty)).toEqual(accountHistograms(busy));
    // Merged in, not shared: the source keeps counting alone.
    busy.observe(exchange(6 * HOUR_MS, 2, 0, 100));
    expect(empty.hourCount(6)).toBe(0);
    expect(busy.hourCount(6)).toBe(1);
    expect(new AccountState(2, 'still empty').hourCount(5)).toBe(0);
  });

  it('counts a one-exchange account exactly, at the extremes of every histogram, before and after its second exchange and through merges', () => {
    // Hour 23, the last capability, the highest content flag bit (a negative 32-bit mask) and the last output bucket.
    const last = exchange(23 * HOUR_MS, CAPABILITIES.length - 1, (1 << 31) | 1, 2 ** 30);
    const first = exchange(0, 0, 0, 0);
    const one = new AccountState(0, 'one');
    one.observe(last);
    const histograms = accountHistograms(one);
    expect(histograms.hours[23]).toBe(1);
    expect(histograms.capabilities[CAPABILITIES.length - 1]).toBe(1);
    expect(histograms.flags[CONTENT_FLAG_BITS - 1]).toBe(1);
    expect(histograms.flags[0]).toBe(1);
    expect(histograms.outputs[OUTPUT_HISTOGRAM_BUCKETS - 1]).toBe(1);
    expect(Object.values(histograms).flat().reduce((sum, count) => sum + count, 0)).toBe(5);
    // A second exchange: the first keeps its counts beside the new one's.
    one.observe(first);
    const two = new AccountState(1, 'two');
    two.observe(first);
    two.observe(last);
    expect(accountHistograms(one)).toEqual(accountHistograms(two));
    // One-exchange accounts merged into each other and into a counted one.
    const a = new AccountState(2, 'a');
    a.observe(last);
    const b = new AccountState(3, 'b');
    b.observe(first);
    const bBefore = accountHistograms(b);
    a.merge(b);
    expect(accountHistograms(a)).toEqual(accountHistograms(two));
    expect(accountHistograms(b)).toEqual(bBefore);
  });

  it('keeps first and last times and the gap sums per account, and merges them into empty accounts and out of them', () => {
    const empty = new AccountState(0, 'empty');
    expect([empty.firstTs, empty.lastTs, empty.logGapSum]).toEqual([Infinity, -Infinity, 0]);
    const busy = new AccountState(1, 'busy');
    for (const ts of [10 * HOUR_MS, 10 * HOUR_MS + 9_000, 12 * HOUR_MS]) busy.observe({ ...exchange(ts, 0, 0, 10), maxTokens: 1024 });
    expect([busy.firstTs, busy.lastTs]).toEqual([10 * HOUR_MS, 12 * HOUR_MS]);
    expect(busy.logGapSum).toBeCloseTo(Math.log(1 + 9) + Math.log(1 + 2 * 3600 - 9), 9);
    expect(busy.modelUse(0)!.maxTokensLog).toBe(30);
    busy.merge(new AccountState(2, 'another empty'));
    expect([busy.firstTs, busy.lastTs]).toEqual([10 * HOUR_MS, 12 * HOUR_MS]);
    empty.merge(busy);
    expect([empty.firstTs, empty.lastTs, empty.logGapSum, empty.logGapSquares]).toEqual([busy.firstTs, busy.lastTs, busy.logGapSum, busy.logGapSquares]);
    expect(empty.modelUse(0)!.maxTokensLog).toBe(30);
    // Merged in, not shared: the source moves on alone, and a new account still starts empty.
    busy.observe({ ...exchange(20 * HOUR_MS, 0, 0, 10), maxTokens: 1024 });
    expect(empty.lastTs).toBe(12 * HOUR_MS);
    expect(empty.modelUse(0)!.maxTokensLog).toBe(30);
    expect(busy.modelUse(0)!.maxTokensLog).toBe(40);
    expect(new AccountState(3, 'new').firstTs).toBe(Infinity);
  });

  it('gives each account its own indicator sketches from its first value on, and merges into empty ones', () => {
    const a = new AccountState(0, 'a');
    const b = new AccountState(1, 'b');
    expect(a.indicator('ip').entries()).toEqual([]);
    a.observeIndicator('ip', 0xfedcba98, 7, 2);
    expect(a.indicator('ip').entries()).toEqual([{ id: 7, count: 2, hash: 0xfedcba98 }]);
    expect(b.indicator('ip').entries()).toEqual([]);
    b.merge(a);
    a.observeIndicator('ip', 0x12, 8);
    expect(b.indicator('ip').entries()).toEqual([{ id: 7, count: 2, hash: 0xfedcba98 }]);
    expect(b.indicator('tls').length).toBe(0);
    expect(a.indicator('ip').length).toBe(2);
  });

  it('gives each account its own model list and template counters from its first use on, and merges into empty ones', () => {
    const a = new AccountState(0, 'a');
    const b = new AccountState(1, 'b');
    const c = new AccountState(2, 'c');
    // Before any use every account reads the same frozen empties: a write to them would throw.
    expect(a.models).toEqual([]);
    expect(a.promptTemplates.size).toBe(0);
    expect(() => (a.promptTemplates as { add(key: number): void }).add(1)).toThrow(TypeError);
    a.observe({ ...exchange(HOUR_MS, 0, 0, 10), model: 3, promptTemplate: 11, systemTemplate: 4 });
    b.observe({ ...exchange(HOUR_MS, 0, 0, 10), model: 5, promptTemplate: 12 });
    expect(a.models.map((use) => use.model)).toEqual([3]);
    expect(b.models.map((use) => use.model)).toEqual([5]);
    expect(a.promptTemplates.entries()).toEqual([[11, 1]]);
    expect(b.promptTemplates.entries()).toEqual([[12, 1]]);
    expect(a.systemTemplates.entries()).toEqual([[4, 1]]);
    expect(b.systemTemplates.size).toBe(0);
    expect(c.models).toEqual([]);
    c.merge(a);
    c.merge(b);
    expect(c.models.map((use) => use.model)).toEqual([3, 5]);
    expect(c.promptTemplates.entries()).toEqual([[11, 1], [12, 1]]);
    // Merged in, not shared.
    a.observe({ ...exchange(2 * HOUR_MS, 0, 0, 10), model: 7, promptTemplate: 11 });
    expect(c.models.map((use) => use.model)).toEqual([3, 5]);
    expect(c.modelUse(3)!.count).toBe(1);
    expect(c.promptTemplates.entries()).toEqual([[11, 1], [12, 1]]);
    expect(a.models.map((use) => use.model)).toEqual([3, 7]);
  });

  it('counts every kind of exchange exactly, for one exchange, for more and through merges (property)', () => {
    const kinds = fc.record({
      ts: fc.integer({ min: 0, max: 10_000 }),
      status: fc.constantFrom(200, 429, 500),
      turnCount: fc.integer({ min: 1, max: 3 }),
      hasSystem: fc.boolean(),
      promptKey: fc.constantFrom(0, 5, 9),
      toolCount: fc.integer({ min: 0, max: 2 }),
      imageCount: fc.integer({ min: 0, max: 2 }),
      contentFlags: fc.constantFrom(0, CONTENT_FLAG.cotElicitation, CONTENT_FLAG.systemRubric),
      thinking: fc.boolean(),
      multiSample: fc.boolean(),
      promptTemplate: fc.constantFrom(-1, 3),
      nearDuplicate: fc.constantFrom(0, 1, 2),
      verbatimRepeat: fc.constantFrom(-1, 0, 1, 2),
    });
    const events = (state: AccountState) =>
      [state.errors, state.gaps, state.burstGaps, state.singleTurn, state.withSystem, state.withPrompt, state.toolUse, state.images, state.thinking, state.multiSample, state.elicited, state.templated, state.nearDuplicates, state.crossDuplicates, state.singleTurnPrompts, state.verbatimRepeats, state.evaluationRepeats];
    /** The counts as the definitions read, over exchanges in time order. */
    const expected = (list: ObservedExchange[]) => {
      const gaps = list.slice(1).map((x, i) => x.ts - list[i]!.ts);
      const count = (test: (x: ObservedExchange) => boolean) => list.filter(test).length;
      return [
        count((x) => x.status >= 400),
        gaps.length,
        gaps.filter((gap) => gap < 2_000).length,
        count((x) => x.turnCount <= 1 && x.messageCount <= 1),
        count((x) => x.hasSystem),
        count((x) => x.promptKey !== 0),
        count((x) => x.toolCount > 0),
        count((x) => x.imageCount > 0),
        count((x) => x.thinking),
        count((x) => x.multiSample),
        count((x) => x.contentFlags !== 0),
        count((x) => x.promptTemplate >= 0),
        count((x) => x.nearDuplicate > 0),
        count((x) => x.nearDuplicate === 2),
        count((x) => x.verbatimRepeat >= 0),
        count((x) => x.verbatimRepeat > 0),
        count((x) => x.verbatimRepeat === 1),
      ];
    };
    fc.assert(
      fc.property(fc.array(kinds, { minLength: 1, maxLength: 6 }), fc.array(kinds, { maxLength: 3 }), (left, right) => {
        const observed = (list: typeof left) => list.map((x) => ({ ...exchange(0, 0, 0, 10), ...x, messageCount: x.turnCount })).sort((a, b) => a.ts - b.ts);
        const mine = observed(left);
        const theirs = observed(right);
        const a = new AccountState(0, 'a');
        mine.forEach((x, i) => {
          a.observe(x);
          expect(events(a)).toEqual(expected(mine.slice(0, i + 1)));
        });
        const b = new AccountState(1, 'b');
        for (const x of theirs) b.observe(x);
        const theirsBefore = events(b);
        // Merged counts add up, whether either side holds one exchange or more (the gap between the two parts is not counted).
        a.merge(b);
        expect(events(a)).toEqual(expected(mine).map((count, i) => count + expected(theirs)[i]!));
        expect(events(b)).toEqual(theirsBefore);
      }),
    );
  });

  it('reads each sketch as a full sketch of the same values, whether it holds none, one or more, through merges (property)', () => {
    const read = (sketch: SketchReader) => ({ entries: sketch.entries(), length: sketch.length, total: sketch.total, distinct: sketch.distinct() });
    // Counts a 32-bit field cannot hold, fractions and zero go to a full sketch from the start.
    const observation = fc.record({ value: fc.integer({ min: 1, max: 7 }), count: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 0.5, 2 ** 31 - 2, 2 ** 40)) });
    const observations = fc.array(observation, { maxLength: 8 });
    fc.assert(
      fc.property(observations, observations, (mine, theirs) => {
        const k = INDICATOR_SKETCH_SIZE.country;
        const account = (list: typeof mine, index: number) => {
          const state = new AccountState(index, `acct_${index}`);
          for (const o of list) state.observeIndicator('country', fmix32(o.value), o.value, o.count);
          return state;
        };
        const reference = (list: typeof mine) => {
          const sketch = new BottomKSketch(k);
          for (const o of list) sketch.add(fmix32(o.value) >>> 0, o.value, o.count);
          return sketch;
        };
        const a = account(mine, 0);
        const b = account(theirs, 1);
        expect(read(a.indicator('country'))).toEqual(read(reference(mine)));
        expect(a.indicator('ip').length).toBe(0);
        const theirsBefore = read(b.indicator('country'));
        a.merge(b);
        const merged = reference(mine);
        merged.merge(reference(theirs));
        expect(read(a.indicator('country'))).toEqual(read(merged));
        expect(read(b.indicator('country'))).toEqual(theirsBefore);
      }),
    );
  });

  it('keeps the prompts of one-request accounts apart, however many share the slab of single values', () => {
    const states = Array.from({ length: 3000 }, (_, i) => new AccountState(i, `acct_${i}`));
    states.forEach((state, i) => state.observe({ ...exchange(HOUR_MS, 0, 0, 10), promptKey: i + 1 }));
    states.forEach((state, i) => expect(state.prompts.entries()).toEqual([{ id: i + 1, count: 1, hash: i + 1 }]));
    // A second prompt makes the account a full sketch holding both.
    states[7]!.observe({ ...exchange(2 * HOUR_MS, 0, 0, 10), promptKey: -5 });
    expect(states[7]!.prompts.entries().map((entry) => entry.id).sort((x, y) => x - y)).toEqual([-5, 8]);
    expect(states[8]!.prompts.entries()).toEqual([{ id: 9, count: 1, hash: 9 }]);
  });
});
