import { accountHistograms } from './test-support/account-histograms.js';
import { describe, expect, it } from 'vitest';
import { hash64 } from '../util/hash64.js';
import { createBehaviourTracker, type BehaviourTracker } from './behaviour-tracker.js';
import { batchFromRecords } from './exchange-batch.js';
import { recordColumns } from './record-columns.js';
import { createTemplatePreminer } from './template-premining.js';
import { EXCHANGE_INDICATORS } from './account-state.js';
import { CONTENT_FLAG_BITS } from '../features/content-signals.js';
import { AccountSummaries, summarizeAccount, summarizePopulation } from './account-summary.js';
import { syntheticPopulation, toRecord } from '../scoring/test-support/synthetic-traffic.js';

function snapshot(tracker: BehaviourTracker) {
  return tracker.accounts.map((state) => {
    const { flags, capabilities, hours } = accountHistograms(state);
    return {
      id: state.id,
      exchanges: state.exchanges,
      flags,
      capabilities,
      hourOfDay: hours,
      prompts: state.prompts.entries(),
      templates: state.promptTemplates.entries(),
      systemTemplates: state.systemTemplates.entries(),
      // Dictionary ids depend on the order values were first seen; values, counts and hashes do not.
      indicators: Object.fromEntries(
        EXCHANGE_INDICATORS.map((kind) => [kind, state.indicator(kind).entries().map((e) => ({ value: tracker.indicatorValue(kind, e.id), count: e.count, hash: e.hash }))]),
      ),
      verbatim: [state.singleTurnPrompts, state.verbatimRepeats],
    };
  });
}

describe('behaviour tracker', () => {
  const population = syntheticPopulation({ seed: 4, campaign: 6, benign: 10, perAccount: 40 });
  const records = population.exchanges.map(toRecord);

  it('builds the same per-account state from records one by one as from a batch plus pre-aggregated infrastructure (the SQL path)', () => {
    const live = createBehaviourTracker();
    for (const record of records) live.observeRecords([record]);

    const batchPath = createBehaviourTracker();
    for (const id of live.accounts.map((state) => state.id)) batchPath.accountIndexOf(id);
    const counts = new Map<string, number>();
    for (const r of records) {
      const account = batchPath.accountIndexOf(r.accountId);
      for (const [kind, value] of [
        ['ip', r.clientIp],
        ['subnet', r.clientSubnet],
        ['asn', r.clientAsn === null ? null : String(r.clientAsn)],
        ['country', r.clientCountry],
        ['user_agent', r.userAgent],
        ['tls', r.tlsFingerprint],
        ['api_key', r.apiKeyId],
      ] as const) {
        if (value !== null) counts.set(`${account}\u0000${kind}\u0000${value}`, (counts.get(`${account}\u0000${kind}\u0000${value}`) ?? 0) + 1);
      }
    }
    // GROUP BY account, value ORDER BY account, value — as streamIndicatorCounts delivers them.
    for (const key of [...counts.keys()].sort()) {
      const [account, kind, value] = key.split('\u0000') as [string, (typeof EXCHANGE_INDICATORS)[number], string];
      batchPath.observeIndicator(kind, Number(account), value, counts.get(key)!);
    }
    batchPath.observeBatch(batchFromRecords(records, (id) => batchPath.accountIndexOf(id), (name) => batchPath.modelIndexOf(name), (id) => hash64(id)));
    expect(snapshot(batchPath)).toEqual(snapshot(live));
  });

  it('observes records in columns, a chunk cut into uneven ranges, exactly as it observes the records themselves', () => {
    const byRecords = createBehaviourTracker();
    const byColumns = createBehaviourTracker();
    for (let start = 0; start < records.length; start += 500) {
      const chunk = records.slice(start, start + 500);
      const columns = recordColumns(chunk);
      // A step may end anywhere in a chunk, so the chunk is observed range by range.
      for (let from = 0; from < chunk.length; ) {
        const to = Math.min(chunk.length, from + 1 + ((from * 7919) % 61));
        expect([...byColumns.observeColumns(columns, from, to)].sort()).toEqual([...byRecords.observeRecords(chunk.slice(from, to))].sort());
        from = to;
      }
    }
    expect(snapshot(byColumns)).toEqual(snapshot(byRecords));
    // Names are numbered in the order first seen, as the records give them.
    expect(byColumns.accounts.map((state) => state.id)).toEqual(byRecords.accounts.map((state) => state.id));
    expect(byColumns.models.map((model) => model.name)).toEqual(byRecords.models.map((model) => model.name));
    for (const kind of EXCHANGE_INDICATORS) {
      expect(byColumns.indicatorValueCount(kind)).toBe(byRecords.indicatorValueCount(kind));
      for (let id = 0; id < byRecords.indicatorValueCount(kind); id++) expect(byColumns.indicatorValue(kind, id)).toBe(byRecords.indicatorValue(kind, id));
    }
    const contextOf = (tracker: BehaviourTracker) => summarizePopulation(tracker);
    const [a, b] = [contextOf(byColumns), contextOf(byRecords)];
    expect(byColumns.accounts.map((state) => summarizeAccount(state, a))).toEqual(byRecords.accounts.map((state) => summarizeAccount(state, b)));
  });

  it('takes templates mined ahead (on another thread) in place of mining them, and ends in the same state', () => {
    const byRecords = createBehaviourTracker();
    const premined = createBehaviourTracker();
    const premine = createTemplatePreminer({});
    // A short instruction sent with images is a template only beside its images: both miners
    // must see them.
    const withImages = Array.from({ length: 12 }, (_, i) =>
      toRecord({
        spec: { id: `req_images_${i}`, accountId: `acct_images_${i % 2}`, ts: Date.UTC(2026, 1, 2, 12, i), prompt: 'Transcribe the text in this image.', imageCount: 1, imageKey: 2000 + i },
        clientIp: '198.51.100.9',
        subnet: '198.51.100.0/24',
        userAgent: 'python-httpx/0.27.0',
      }),
    );
    const all = [...records, ...withImages];
    for (let start = 0; start < all.length; start += 500) {
      const chunk = all.slice(start, start + 500);
      const columns = recordColumns(chunk);
      premine(columns.batch);
      for (let from = 0; from < chunk.length; ) {
        const to = Math.min(chunk.length, from + 1 + ((from * 7919) % 61));
        premined.observeColumns(columns, from, to);
        from = to;
      }
      byRecords.observeRecords(chunk);
    }
    expect(snapshot(premined)).toEqual(snapshot(byRecords));
    expect(byRecords.accounts.some((state) => state.promptTemplates.entries().length > 0 && state.systemTemplates.entries().length > 0)).toBe(true);
    expect(byRecords.account('acct_images_1')!.promptTemplates.entries().length).toBe(1);
    // Its own miners were never asked.
    expect(premined.promptMiner.size + premined.systemMiner.size).toBe(0);
    expect(byRecords.promptMiner.size).toBeGreaterThan(0);
    const [a, b] = [summarizePopulation(premined), summarizePopulation(byRecords)];
    expect(premined.accounts.map((state) => summarizeAccount(state, a))).toEqual(byRecords.accounts.map((state) => summarizeAccount(state, b)));
  });

  it('mines one template for a scripted prompt and counts who fills it', () => {
    const tracker = createBehaviourTracker();
    tracker.observeRecords(records);
    const context = summarizePopulation(tracker);
    const operator = summarizeAccount(tracker.account('acct_op_0')!, context);
    expect(operator.shares.templated).toBeGreaterThan(0.9);
    expect(operator.templates[0]!.otherAccounts).toBe(5);
    expect(operator.shares.cot).toBeGreaterThan(0.9);
    // 64,000 max_tokens where the typical account asks 1,024 of the same model: 6 doublings.
    expect(operator.measures.maxTokens!.value).toBeCloseTo(Math.log2(64_000 / 1024), 5);
    const person = summarizeAccount(tracker.account('acct_person_0')!, context);
    expect(person.shares.templated).toBe(0);
    expect(person.shares.verbatimRepeats).toBe(0);
    const evaluation = summarizeAccount(tracker.account('acct_eval_0')!, context);
    expect(evaluation.shares.verbatimRepeats).toBeCloseTo(0.75, 2);
    // Its re-runs are at temperature 0: all of them are the deterministic re-sends of an evaluation.
    expect(evaluation.shares.evaluationRepeats).toBeCloseTo(0.75, 2);
  });

  it('counts a short instruction sent with a new image each time as a template its senders share', () => {
    const tracker = createBehaviourTracker({ promptTemplates: { minTokens: 12 } });
    const send = (accountId: string, i: number, imageCount: number) =>
      toRecord({
        spec: { id: `req_${accountId}_${i}`, accountId, ts: Date.UTC(2026, 1, 2, 12, i), prompt: 'Extract the table in this image as CSV.', imageCount, imageKey: imageCount > 0 ? 1000 + i : undefined },
        clientIp: '198.51.100.7',
        subnet: '198.51.100.0/24',
        userAgent: 'python-httpx/0.27.0',
      });
    tracker.observeRecords([...Array.from({ length: 6 }, (_, i) => send('acct_a', i, 1)), ...Array.from({ length: 6 }, (_, i) => send('acct_b', 10 + i, 1))]);
    const context = summarizePopulation(tracker);
    const first = summarizeAccount(tracker.account('acct_a')!, context);
    expect(first.shares.templated).toBeGreaterThan(0.8);
    expect(first.templates[0]!.otherAccounts).toBe(1);

    // The same words without images: one message typed again and again, no template.
    const plain = createBehaviourTracker({ promptTemplates: { minTokens: 12 } });
    plain.observeRecords(Array.from({ length: 6 }, (_, i) => send('acct_c', i, 0)));
    expect(summarizeAccount(plain.account('acct_c')!, summarizePopulation(plain)).shares.templated).toBe(0);
  });

  it('gives the same summary of every account whether it keeps it or makes it again when asked', () => {
    const tracker = createBehaviourTracker();
    // Accounts of every size, down to one exchange: a light account's summary is made on demand.
    tracker.observeRecords(records.filter((record, i) => !record.accountId.startsWith('acct_person_') || i % 7 === 0));
    const context = summarizePopulation(tracker);
    const keepFrom = 20;
    const summaries = new AccountSummaries(tracker, context, keepFrom);
    const sizes = tracker.accounts.map((state) => state.exchanges);
    expect(sizes.some((n) => n > 0 && n < keepFrom)).toBe(true);
    expect(sizes.some((n) => n >= keepFrom)).toBe(true);
    tracker.accounts.forEach((state) => expect(summaries.of(state.index)).toEqual(summarizeAccount(state, context)));
    const heavy = [...summaries.withAtLeast(keepFrom)].map((summary) => summary.exchanges);
    expect(heavy).toEqual(sizes.filter((n) => n >= keepFrom));
    expect([...summaries.withAtLeast(1)]).toHaveLength(sizes.filter((n) => n >= 1).length);
  });

  it('merges two accumulators of one account into the state of both parts', () => {
    // Shards of one account's traffic, observed under two names in one tracker (so they share
    // its value dictionaries, as shards of one engine do).
    const mine = records.filter((r) => r.accountId === 'acct_op_1');
    const tracker = createBehaviourTracker();
    tracker.observeRecords(mine.slice(0, 20).map((r) => ({ ...r, accountId: 'shard_a' })));
    tracker.observeRecords(mine.slice(20).map((r) => ({ ...r, accountId: 'shard_b' })));
    tracker.observeRecords(mine.map((r) => ({ ...r, accountId: 'whole' })));
    const merged = tracker.account('shard_a')!;
    merged.merge(tracker.account('shard_b')!);
    const expected = tracker.account('whole')!;
    expect(merged.exchanges).toBe(expected.exchanges);
    for (let bit = 0; bit < CONTENT_FLAG_BITS; bit++) expect(merged.flagCount(bit)).toBe(expected.flagCount(bit));
    for (let hour = 0; hour < 24; hour++) expect(merged.hourCount(hour)).toBe(expected.hourCount(hour));
    expect(merged.prompts.entries()).toEqual(expected.prompts.entries());
    expect(merged.indicator('ip').entries()).toEqual(expected.indicator('ip').entries());
    expect(merged.gaps).toBe(expected.gaps - 1);
  });

  it('stays within a few kilobytes per account whatever its volume', () => {
    const tracker = createBehaviourTracker();
    const heavy = records.filter((r) => r.accountId === 'acct_op_0');
    for (let i = 0; i < 50; i++) tracker.observeRecords(heavy.map((r) => ({ ...r, id: `${r.id}-${i}`, clientIp: `10.${i}.${r.ts % 250}.1`, ts: r.ts + i * 60_000 })));
    const state = tracker.account('acct_op_0')!;
    expect(state.exchanges).toBe(heavy.length * 50);
    for (const kind of EXCHANGE_INDICATORS) expect(state.indicator(kind).length).toBeLessThanOrEqual(32);
    expect(state.prompts.length).toBeLessThanOrEqual(64);
    expect(state.promptTemplates.size).toBeLessThanOrEqual(16);
  });
});
