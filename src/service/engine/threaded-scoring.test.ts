import { afterEach, describe, expect, it } from 'vitest';
import { EXCHANGE_COLUMNS, EXCHANGE_COLUMN_INDEX, type ColumnValue } from '../../store/exchange-columns.js';
import { createSilentLogger } from '../../util/log.js';
import { DecisionBook } from '../decisions/decision-book.js';
import { DEFAULT_POLICY_DOCUMENT, compilePolicy } from '../decisions/decision-policy.js';
import { observationOfRow } from './engine-contract.js';
import type { LiveScoring } from './inline-scoring.js';
import { encodeObservations } from './observation-codec.js';
import { createWorkerScoring } from './threaded-scoring.js';

const ENGINE = new URL('../test-support/traffic-engine-module.ts', import.meta.url);
let scoring: LiveScoring | null = null;
afterEach(async () => {
  await scoring?.close();
  scoring = null;
});

function row(id: string, accountId: string, ts: number): ColumnValue[] {
  const values: ColumnValue[] = EXCHANGE_COLUMNS.map(() => null);
  values[EXCHANGE_COLUMN_INDEX.id] = id;
  values[EXCHANGE_COLUMN_INDEX.account_id] = accountId;
  values[EXCHANGE_COLUMN_INDEX.ts] = ts;
  values[EXCHANGE_COLUMN_INDEX.output_tokens] = 100;
  return values;
}

describe('createWorkerScoring', () => {
  it('keeps the engine on its own thread: batches without their duplicate rows, start-up rows, questions and relinks', async () => {
    const book = new DecisionBook();
    let relinks = 0;
    scoring = await createWorkerScoring({ engineModuleUrl: ENGINE, book, logger: createSilentLogger(), runRelink: async (input) => (relinks++, input) });
    expect(scoring.engineName).toBe('traffic-only');

    scoring.observeRows([row('r1', 'acct_a', 1000)], [['acct_a', 'org_1']]);
    const batch = [row('b1', 'acct_a', 2000), row('b2', 'acct_b', 3000), row('b3', 'acct_b', 4000)].map(observationOfRow);
    scoring.observeBatch(encodeObservations(batch), 3, [2], []);
    await scoring.idle();

    expect(scoring.accountCount).toBe(2);
    expect(scoring.backlog).toBe(0);
    expect((await scoring.account('acct_a'))?.volume.exchanges).toBe(2);
    expect((await scoring.account('acct_b'))?.volume.exchanges).toBe(1);
    expect(await scoring.account('acct_none')).toBeNull();
    // The assessments came back to the book: acct_b has traffic now.
    expect(book.decide({ accountId: 'acct_b' }, compilePolicy(DEFAULT_POLICY_DOCUMENT)).reasons[0]?.code).not.toBe('no_traffic');

    expect(scoring.dirty).toBe(true);
    await scoring.relink();
    expect(relinks).toBe(1);
    expect(scoring.dirty).toBe(false);
    expect(await scoring.clusters()).toEqual([]);
  });

  it('scores the accounts of start-up rows once the replay is read, as the inline driver does, so a restarted service decides on them at once', async () => {
    const book = new DecisionBook();
    scoring = await createWorkerScoring({ engineModuleUrl: ENGINE, book, logger: createSilentLogger(), runRelink: async (input) => input });
    scoring.observeRows([row('r1', 'acct_a', 1000)], []);
    scoring.observeRows([row('r2', 'acct_a', 2000), row('r3', 'acct_b', 2500)], []);
    await scoring.idle();
    // Not after each chunk: the replay's accounts are scored together at its end.
    expect(book.accountCount).toBe(0);
    scoring.scoreReplayed();
    await scoring.idle();
    expect(book.decide({ accountId: 'acct_a' }, compilePolicy(DEFAULT_POLICY_DOCUMENT)).reasons[0]?.code).not.toBe('no_traffic');
    expect(book.accountCount).toBe(2);
  });
});
