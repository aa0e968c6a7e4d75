import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbStore } from './duckdb-store.js';
import { readTemplateTexts } from './workbench-queries.js';

let store: DuckDbStore;

beforeEach(async () => {
  store = await DuckDbStore.open({ path: ':memory:', create: true });
});

afterEach(() => {
  store.close();
});

interface Row {
  id: string;
  account: string;
  minute: number;
  /** Shape token 0 of the prompt and of the system text (bits 0-15 of `*_shape_1`). */
  promptToken?: number;
  systemToken?: number;
  prompt?: string | null;
  system?: string | null;
  /** The text's length as ingest measured it, kept whatever the text policy kept. */
  promptChars?: number;
}

async function insert(rows: Row[]): Promise<void> {
  for (const row of rows) {
    await store.run(
      `INSERT INTO exchanges (id, ts, account_id, api, model, prompt_shape_1, system_shape_1, prompt_text, system_text, prompt_chars, system_chars)
       VALUES ($id, TIMESTAMP '2026-02-11 09:00:00' + to_minutes(CAST($minute AS BIGINT)), $account, 'anthropic.messages', 'm', $promptShape, $systemShape, $prompt, $system, $promptChars, $systemChars)`,
      {
        id: row.id,
        minute: row.minute,
        account: row.account,
        promptShape: BigInt(row.promptToken ?? 0),
        systemShape: BigInt(row.systemToken ?? 0),
        prompt: row.prompt ?? null,
        system: row.system ?? null,
        promptChars: row.promptChars ?? row.prompt?.length ?? 0,
        systemChars: row.system?.length ?? 0,
      },
    );
  }
}

const token = (value: number) => [{ position: 0, token: value }];

describe('readTemplateTexts', () => {
  it("gives each template its members' newest texts of its shape, in the order asked, from one read", async () => {
    await insert([
      { id: 'a1', account: 'acct_a', minute: 1, promptToken: 7, prompt: 'solve 1', systemToken: 9, system: 'you are a grader' },
      { id: 'a2', account: 'acct_a', minute: 3, promptToken: 7, prompt: 'solve 3' },
      { id: 'b1', account: 'acct_b', minute: 2, promptToken: 7, prompt: 'solve 2' },
      { id: 'b2', account: 'acct_b', minute: 4, promptToken: 8, prompt: 'other shape' },
      { id: 'c1', account: 'acct_c', minute: 5, promptToken: 7, prompt: 'not a member' },
    ]);
    const texts = await readTemplateTexts(
      store,
      [
        { kind: 'prompt', fixed: token(7) },
        { kind: 'system', fixed: token(9) },
        { kind: 'prompt', fixed: [] },
      ],
      ['acct_a', 'acct_b'],
      2,
    );
    expect(texts).toEqual([['solve 3', 'solve 2'], ['you are a grader'], []]);
  });

  it('still finds older texts when the newest rows of a shape were stored without text', async () => {
    await insert([
      { id: 'a1', account: 'acct_a', minute: 1, promptToken: 7, prompt: 'kept 1' },
      { id: 'a2', account: 'acct_a', minute: 2, promptToken: 7, prompt: 'kept 2' },
      { id: 'a3', account: 'acct_a', minute: 3, promptToken: 7, prompt: null, promptChars: 40 },
      { id: 'a4', account: 'acct_a', minute: 4, promptToken: 7, prompt: '', promptChars: 12 },
    ]);
    expect(await readTemplateTexts(store, [{ kind: 'prompt', fixed: token(7) }], ['acct_a'], 2)).toEqual([['kept 2', 'kept 1']]);
  });

  it('asks nothing of the store for no accounts or no texts wanted', async () => {
    await insert([{ id: 'a1', account: 'acct_a', minute: 1, promptToken: 7, prompt: 'kept' }]);
    expect(await readTemplateTexts(store, [{ kind: 'prompt', fixed: token(7) }], [], 5)).toEqual([[]]);
    expect(await readTemplateTexts(store, [{ kind: 'prompt', fixed: token(7) }], ['acct_a'], 0)).toEqual([[]]);
  });
});
