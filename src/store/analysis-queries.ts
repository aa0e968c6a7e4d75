import type { Account, AccountTier } from '../model/account.js';
import type { DuckDbStore } from './duckdb-store.js';
import type { ExchangeBatch } from '../model/exchange-batch.js';
import { float64Items, int32Items, wordItems } from './result-vectors.js';

/**
 * The queries `analyze` reads a store with. Exchanges stream out in time order as columns of
 * numbers (the content features included, never the text), infrastructure comes pre-aggregated
 * per account and value, and text is fetched only for the few exchanges shown as examples.
 */

export interface ModelOverview {
  model: string;
  exchanges: number;
  firstSeen: number;
  maxTokens: number;
}

export interface StoreOverview {
  exchanges: number;
  accounts: number;
  accountsWithTraffic: number;
  firstTs: number | null;
  lastTs: number | null;
  /** Every account id in the exchanges or the accounts table, sorted: index = position. */
  accountIds: string[];
  models: ModelOverview[];
}

export async function readStoreOverview(store: DuckDbStore): Promise<StoreOverview> {
  const totals = (
    await store.query<{ exchanges: bigint; first_ts: number | null; last_ts: number | null; with_traffic: bigint }>(
      `SELECT count(*) AS exchanges, epoch_ms(min(ts))::DOUBLE AS first_ts, epoch_ms(max(ts))::DOUBLE AS last_ts, count(DISTINCT account_id) AS with_traffic FROM exchanges`,
    )
  )[0]!;
  const ids = await store.query<{ account_id: string }>(
    'SELECT account_id FROM (SELECT account_id FROM exchanges UNION SELECT account_id FROM accounts) ORDER BY account_id',
  );
  const accountRows = Number(await store.scalar<bigint>('SELECT count(*) FROM accounts'));
  const models = await store.query<{ model: string; exchanges: bigint; first_seen: number; max_tokens: number | null }>(
    `SELECT model, count(*) AS exchanges, epoch_ms(min(ts))::DOUBLE AS first_seen, max(max_tokens) AS max_tokens
     FROM exchanges WHERE model IS NOT NULL AND status < 400 GROUP BY model ORDER BY model`,
  );
  return {
    exchanges: Number(totals.exchanges),
    accounts: Math.max(accountRows, ids.length),
    accountsWithTraffic: Number(totals.with_traffic),
    firstTs: totals.first_ts,
    lastTs: totals.last_ts,
    accountIds: ids.map((row) => row.account_id),
    models: models.map((row) => ({ model: row.model, exchanges: Number(row.exchanges), firstSeen: row.first_seen, maxTokens: row.max_tokens ?? 0 })),
  };
}

/**
 * Loads the analysis's account and model numbering into temporary tables, so exchanges stream
 * out with integer indexes instead of strings.
 */
export async function registerAnalysisKeys(store: DuckDbStore, accountIds: readonly string[], models: readonly string[]): Promise<void> {
  await store.run('CREATE OR REPLACE TEMP TABLE analysis_accounts (account_id VARCHAR, idx INTEGER)');
  await store.run('CREATE OR REPLACE TEMP TABLE analysis_models (model VARCHAR, idx INTEGER)');
  const accounts = await store.connection.createAppender('analysis_accounts', 'main', 'temp');
  accountIds.forEach((id, index) => {
    accounts.appendVarchar(id);
    accounts.appendInteger(index);
    accounts.endRow();
  });
  accounts.closeSync();
  const modelAppender = await store.connection.createAppender('analysis_models', 'main', 'temp');
  models.forEach((model, index) => {
    modelAppender.appendVarchar(model);
    modelAppender.appendInteger(index);
    modelAppender.endRow();
  });
  modelAppender.closeSync();
}

/** A chunk of exchanges in columns, as the behaviour stage consumes them (`src/model/exchange-batch.ts`). */
export type ExchangeFeatureChunk = ExchangeBatch;

/** The integer columns of a batch but its account and model, as SQL over the exchanges `e`. */
export const FEATURE_INT_COLUMNS = [
  ['status', 'e.status'],
  ['turnCount', 'coalesce(e.turn_count, 0)'],
  ['messageCount', 'coalesce(e.message_count, 0)'],
  ['toolCount', 'coalesce(e.tool_count, 0)'],
  ['toolActivity', 'coalesce(e.tool_call_count, 0) + coalesce(e.tool_result_count, 0) + coalesce(e.output_tool_calls, 0)'],
  ['imageCount', 'coalesce(e.image_count, 0)'],
  ['maxTokens', 'coalesce(e.max_tokens, -1)'],
  ['thinkingBudget', 'coalesce(e.thinking_budget, -1)'],
  ['reasoningEffort', "CASE e.reasoning_effort WHEN 'minimal' THEN 1 WHEN 'low' THEN 2 WHEN 'medium' THEN 3 WHEN 'high' THEN 4 ELSE 0 END"],
  ['n', 'coalesce(e.n, -1)'],
  // greatest() skips NULL in DuckDB, so an unset temperature is kept apart before clamping.
  ['temperature', 'CASE WHEN e.temperature IS NULL THEN -1 ELSE round(greatest(e.temperature, 0) * 1000) END'],
  ['inputTokens', 'coalesce(e.input_tokens, -1)'],
  ['outputTokens', 'coalesce(e.output_tokens, -1)'],
  ['reasoningTokens', 'coalesce(e.reasoning_tokens, -1)'],
  ['contentFlags', 'coalesce(e.content_flags, 0)'],
  ['capability', 'coalesce(e.capability, 0)'],
  ['promptTokens', 'coalesce(e.prompt_tokens, 0)'],
  ['systemTokens', 'coalesce(e.system_tokens, 0)'],
] as const;

const ANALYSIS_INT_COLUMNS = [['account', 'a.idx'], ['model', 'coalesce(m.idx, -1)'], ...FEATURE_INT_COLUMNS] as const;

/** The 64-bit columns of a batch, each as store columns read in pairs of 32-bit words. */
export const WORD_COLUMNS = [
  ['promptHash', ['prompt_hash']],
  ['promptSketch', ['prompt_sketch_1', 'prompt_sketch_2']],
  ['promptShape', ['prompt_shape_1', 'prompt_shape_2', 'prompt_shape_3', 'prompt_shape_4']],
  ['systemShape', ['system_shape_1', 'system_shape_2', 'system_shape_3', 'system_shape_4']],
  ['idKey', ['id_key']],
] as const;

/**
 * Streams every exchange in time order (ties by id key, so the order is the same on every run)
 * as column chunks; `onChunk` must finish with a chunk before the next is fetched, since the
 * arrays are views of DuckDB's own buffers.
 */
export async function streamExchangeFeatures(store: DuckDbStore, onChunk: (chunk: ExchangeFeatureChunk) => void): Promise<number> {
  const select = [
    ...ANALYSIS_INT_COLUMNS.map(([name, expression]) => `(${expression})::INTEGER AS ${name}`),
    'epoch_ms(e.ts)::DOUBLE AS ts',
    ...WORD_COLUMNS.flatMap(([, columns]) => columns.map((column) => `coalesce(e.${column}, 0)::UBIGINT AS ${column}`)),
  ];
  const result = await store.connection.stream(
    `SELECT ${select.join(', ')} FROM exchanges e JOIN analysis_accounts a USING (account_id)
     LEFT JOIN analysis_models m ON m.model = e.model ORDER BY e.ts, e.id_key`,
  );
  const names = result.columnNames();
  const position = new Map(names.map((name, index) => [name, index]));
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    const vector = (name: string) => chunk.getColumnVector(position.get(name)!);
    const ints = Object.fromEntries(ANALYSIS_INT_COLUMNS.map(([name]) => [name, int32Items(vector(name), count)])) as Record<(typeof ANALYSIS_INT_COLUMNS)[number][0], Int32Array>;
    const words = (column: string) => wordItems(vector(column), count);
    onChunk({
      length: count,
      ...ints,
      ts: float64Items(vector('ts'), count),
      promptHash: words('prompt_hash'),
      promptSketch: ['prompt_sketch_1', 'prompt_sketch_2'].map(words),
      promptShape: ['prompt_shape_1', 'prompt_shape_2', 'prompt_shape_3', 'prompt_shape_4'].map(words),
      systemShape: ['system_shape_1', 'system_shape_2', 'system_shape_3', 'system_shape_4'].map(words),
      idKey: words('id_key'),
    });
    rows += count;
  }
  return rows;
}

export const INDICATOR_COLUMNS = {
  ip: 'client_ip',
  subnet: 'client_subnet',
  asn: 'client_asn::VARCHAR',
  country: 'client_country',
  user_agent: 'user_agent',
  tls: 'tls_fingerprint',
  api_key: 'api_key_id',
} as const;
export type IndicatorColumn = keyof typeof INDICATOR_COLUMNS;

/** Exchanges per account and infrastructure value (IP, subnet, ASN, ...), one call per row. */
export async function streamIndicatorCounts(store: DuckDbStore, onRow: (kind: IndicatorColumn, account: number, value: string, count: number) => void): Promise<void> {
  for (const [kind, expression] of Object.entries(INDICATOR_COLUMNS) as [IndicatorColumn, string][]) {
    const result = await store.connection.stream(
      `SELECT a.idx AS account, ${expression} AS value, count(*)::DOUBLE AS n FROM exchanges e JOIN analysis_accounts a USING (account_id)
       WHERE ${expression} IS NOT NULL GROUP BY ALL ORDER BY account, value`,
    );
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const accounts = int32Items(chunk.getColumnVector(0), chunk.rowCount);
      const values = chunk.getColumnVector(1);
      const counts = float64Items(chunk.getColumnVector(2), chunk.rowCount);
      for (let i = 0; i < chunk.rowCount; i++) onRow(kind, accounts[i]!, values.getItem(i) as string, counts[i]!);
    }
  }
}

/** Every row of the accounts table. */
export async function readAccounts(store: DuckDbStore): Promise<Account[]> {
  const rows = await store.query<Record<string, unknown>>(
    `SELECT account_id, org_id, epoch_ms(created_at)::DOUBLE AS created_at, email_domain, email_local_hash, email_local_shape, tier, country,
       payment_fingerprint, signup_ip, verification FROM accounts ORDER BY account_id`,
  );
  return rows.map((row) => ({
    accountId: String(row.account_id),
    orgId: (row.org_id as string | null) ?? null,
    createdAt: row.created_at === null ? null : Number(row.created_at),
    emailDomain: (row.email_domain as string | null) ?? null,
    emailLocalHash: (row.email_local_hash as string | null) ?? null,
    emailLocalShape: (row.email_local_shape as string | null) ?? null,
    tier: (row.tier as AccountTier | null) ?? null,
    country: (row.country as string | null) ?? null,
    paymentFingerprint: (row.payment_fingerprint as string | null) ?? null,
    signupIp: (row.signup_ip as string | null) ?? null,
    verification: typeof row.verification === 'string' && row.verification.length > 0 ? row.verification.split(',') : [],
  }));
}

export interface ExchangeText {
  system: string | null;
  prompt: string | null;
}

/** The stored texts of exchanges by id key (low and high words); absent ids are left out. */
export async function readExchangeTexts(store: DuckDbStore, keys: readonly { lo: number; hi: number }[]): Promise<Map<string, ExchangeText>> {
  const out = new Map<string, ExchangeText>();
  if (keys.length === 0) return out;
  const list = [...new Set(keys.map((key) => ((BigInt(key.hi >>> 0) << 32n) | BigInt(key.lo >>> 0)).toString()))];
  for (let start = 0; start < list.length; start += 500) {
    const rows = await store.query<{ id_key: bigint; system_text: string | null; prompt_text: string | null }>(
      `SELECT id_key, any_value(system_text) AS system_text, any_value(prompt_text) AS prompt_text FROM exchanges
       WHERE id_key IN (${list.slice(start, start + 500).join(',')}) GROUP BY id_key`,
    );
    for (const row of rows) out.set(BigInt(row.id_key).toString(), { system: row.system_text, prompt: row.prompt_text });
  }
  return out;
}

/** Whether the store keeps any prompt or system text (false after `ingest --text none`). */
export async function storeHasText(store: DuckDbStore): Promise<boolean> {
  return (await store.scalar<boolean>('SELECT EXISTS (SELECT 1 FROM exchanges WHERE prompt_text IS NOT NULL OR system_text IS NOT NULL)')) === true;
}

/**
 * Up to `perFlag` stored prompts per account for each content-flag bit in `mask`, for the
 * evidence examples of the accounts given (by analysis index). One scan of the table.
 */
export async function readFlaggedPrompts(store: DuckDbStore, accounts: readonly number[], mask: number, perFlag: number): Promise<Map<number, { flags: number; text: string }[]>> {
  const out = new Map<number, { flags: number; text: string }[]>();
  if (accounts.length === 0 || perFlag <= 0) return out;
  await store.run('CREATE OR REPLACE TEMP TABLE analysis_examples (idx INTEGER)');
  const appender = await store.connection.createAppender('analysis_examples', 'main', 'temp');
  for (const account of accounts) {
    appender.appendInteger(account);
    appender.endRow();
  }
  appender.closeSync();
  const rows = await store.query<{ idx: number; flags: number; text: string }>(
    `SELECT a.idx AS idx, e.content_flags & ${mask >>> 0} AS flags, e.prompt_text AS text
     FROM exchanges e JOIN analysis_accounts a USING (account_id) JOIN analysis_examples x ON x.idx = a.idx
     WHERE e.content_flags & ${mask >>> 0} <> 0 AND e.prompt_text IS NOT NULL
     QUALIFY row_number() OVER (PARTITION BY a.idx, e.content_flags & ${mask >>> 0} ORDER BY e.ts, e.id_key) <= ${perFlag}
     ORDER BY a.idx, e.ts, e.id_key`,
  );
  for (const row of rows) {
    let list = out.get(row.idx);
    if (list === undefined) out.set(row.idx, (list = []));
    list.push({ flags: row.flags, text: row.text });
  }
  await store.run('DROP TABLE analysis_examples');
  return out;
}
