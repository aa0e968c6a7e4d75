import type { DuckDbStore } from './duckdb-store.js';

/**
 * The reads behind the analyst workbench: account facts for the queue, the traffic behind a
 * cluster or an account, and exchanges a page at a time. Lists of ids travel as one JSON
 * parameter and are unnested in SQL, so no id is ever spliced into a statement.
 */

export interface AccountFacts {
  accountId: string;
  orgId: string | null;
  createdAt: number | null;
  emailDomain: string | null;
  tier: string | null;
  country: string | null;
  paymentFingerprint: string | null;
  signupIp: string | null;
  verification: string | null;
}

export interface AccountTraffic {
  accountId: string;
  exchanges: number;
  firstSeen: number;
  lastSeen: number;
  /** The capability code most of the account's exchanges have. */
  capability: number | null;
}

export interface ExchangeFilter {
  /** Exchanges with any of these content flag bits set. */
  contentFlags?: number;
  /** Exchanges whose exact prompt the account sent more than once. */
  repeatedPrompts?: boolean;
  clientIps?: readonly string[];
  clientSubnets?: readonly string[];
  userAgents?: readonly string[];
  models?: readonly string[];
}

export interface StoredExchange {
  id: string;
  ts: number;
  api: string;
  model: string;
  status: number | null;
  clientIp: string | null;
  userAgent: string | null;
  capability: number | null;
  contentFlags: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  promptChars: number | null;
  outputChars: number | null;
  systemText: string | null;
  promptText: string | null;
  outputText: string | null;
}

const IDS = `(SELECT unnest(CAST(json($ids) AS VARCHAR[])))`;

const accountsTableExists = async (store: DuckDbStore): Promise<boolean> =>
  Number(await store.scalar<bigint>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'accounts'")) > 0;

export async function readAccountFacts(store: DuckDbStore, accountIds?: readonly string[]): Promise<AccountFacts[]> {
  if (!(await accountsTableExists(store))) return [];
  const where = accountIds === undefined ? '' : `WHERE account_id IN ${IDS}`;
  const rows = await store.query<Record<string, unknown>>(
    `SELECT account_id, org_id, epoch_ms(created_at)::DOUBLE AS created_at, email_domain, tier, country, payment_fingerprint, signup_ip, verification FROM accounts ${where}`,
    accountIds === undefined ? undefined : { ids: JSON.stringify(accountIds) },
  );
  return rows.map((row) => ({
    accountId: String(row.account_id),
    orgId: nullableString(row.org_id),
    createdAt: row.created_at === null ? null : Number(row.created_at),
    emailDomain: nullableString(row.email_domain),
    tier: nullableString(row.tier),
    country: nullableString(row.country),
    paymentFingerprint: nullableString(row.payment_fingerprint),
    signupIp: nullableString(row.signup_ip),
    verification: nullableString(row.verification),
  }));
}

export interface TrafficDelta {
  /** Per account and capability code (-1 when unknown): exchanges, first and last time. */
  rows: { accountId: string; capability: number; exchanges: number; firstSeen: number; lastSeen: number }[];
  /** The last row read: the next delta starts after it. */
  lastRowId: number;
}

/**
 * Per account and capability, the traffic stored after `afterRowId` (rows are only ever
 * appended, so row ids grow with each commit): a summary kept current by reading only what was
 * added since the last read, not every exchange again.
 */
export async function readAccountTrafficSince(store: DuckDbStore, afterRowId: number): Promise<TrafficDelta> {
  const lastRowId = Number((await store.scalar<bigint | null>('SELECT max(rowid) FROM exchanges')) ?? -1);
  if (lastRowId <= afterRowId) return { rows: [], lastRowId: afterRowId };
  const rows = await store.query<Record<string, unknown>>(
    `SELECT account_id, coalesce(capability, -1) AS capability, count(*) AS exchanges, epoch_ms(min(ts))::DOUBLE AS first_seen, epoch_ms(max(ts))::DOUBLE AS last_seen
     FROM exchanges WHERE rowid > $after AND rowid <= $last GROUP BY 1, 2`,
    { after: afterRowId, last: lastRowId },
  );
  return {
    lastRowId,
    rows: rows.map((row) => ({
      accountId: String(row.account_id),
      capability: Number(row.capability),
      exchanges: Number(row.exchanges),
      firstSeen: Number(row.first_seen),
      lastSeen: Number(row.last_seen),
    })),
  };
}

/** Accounts that sent traffic from this IP, or signed up from it. */
export async function accountsByIp(store: DuckDbStore, ip: string, limit = 1000): Promise<string[]> {
  const signups = (await accountsTableExists(store)) ? 'UNION SELECT account_id FROM accounts WHERE signup_ip = $ip' : '';
  const rows = await store.query<{ account_id: string }>(`SELECT DISTINCT account_id FROM (SELECT account_id FROM exchanges WHERE client_ip = $ip ${signups}) LIMIT ${Math.floor(limit)}`, { ip });
  return rows.map((row) => row.account_id);
}

export async function accountsByPaymentFingerprint(store: DuckDbStore, fingerprint: string, limit = 1000): Promise<string[]> {
  if (!(await accountsTableExists(store))) return [];
  const rows = await store.query<{ account_id: string }>(`SELECT account_id FROM accounts WHERE payment_fingerprint = $fingerprint LIMIT ${Math.floor(limit)}`, { fingerprint });
  return rows.map((row) => row.account_id);
}

/** One page of an account's exchanges, oldest first, with the total that match. */
export async function readExchangePage(
  store: DuckDbStore,
  accountId: string,
  filter: ExchangeFilter,
  { limit, offset }: { limit: number; offset: number },
): Promise<{ total: number; exchanges: StoredExchange[] }> {
  const conditions = ['account_id = $accountId'];
  const values: Record<string, string | number> = { accountId };
  if (filter.contentFlags !== undefined) {
    conditions.push('(content_flags & $flags) <> 0');
    values.flags = filter.contentFlags;
  }
  if (filter.repeatedPrompts) {
    conditions.push('prompt_hash <> 0 AND prompt_hash IN (SELECT prompt_hash FROM exchanges WHERE account_id = $accountId GROUP BY prompt_hash HAVING count(*) > 1)');
  }
  const listed: [keyof ExchangeFilter, string][] = [
    ['clientIps', 'client_ip'],
    ['clientSubnets', 'client_subnet'],
    ['userAgents', 'user_agent'],
    ['models', 'model'],
  ];
  for (const [key, column] of listed) {
    const list = filter[key] as readonly string[] | undefined;
    if (list === undefined) continue;
    conditions.push(`${column} IN (SELECT unnest(CAST(json($${key}) AS VARCHAR[])))`);
    values[key] = JSON.stringify(list);
  }
  const where = conditions.join(' AND ');
  const total = Number(await store.scalar<bigint>(`SELECT count(*) FROM exchanges WHERE ${where}`, values));
  const rows = await store.query<Record<string, unknown>>(
    `SELECT id, epoch_ms(ts)::DOUBLE AS ts, api, model, status, client_ip, user_agent, capability, content_flags, input_tokens, output_tokens, reasoning_tokens,
            prompt_chars, output_chars, system_text, prompt_text, output_text
     FROM exchanges WHERE ${where} ORDER BY ts, id LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(offset)}`,
    values,
  );
  return {
    total,
    exchanges: rows.map((row) => ({
      id: String(row.id),
      ts: Number(row.ts),
      api: String(row.api),
      model: String(row.model),
      status: nullableNumber(row.status),
      clientIp: nullableString(row.client_ip),
      userAgent: nullableString(row.user_agent),
      capability: nullableNumber(row.capability),
      contentFlags: nullableNumber(row.content_flags),
      inputTokens: nullableNumber(row.input_tokens),
      outputTokens: nullableNumber(row.output_tokens),
      reasoningTokens: nullableNumber(row.reasoning_tokens),
      promptChars: nullableNumber(row.prompt_chars),
      outputChars: nullableNumber(row.output_chars),
      systemText: nullableString(row.system_text),
      promptText: nullableString(row.prompt_text),
      outputText: nullableString(row.output_text),
    })),
  };
}

export interface TimelineRow {
  /** Start of the day, epoch ms (UTC). */
  day: number;
  key: string;
  exchanges: number;
}

/** Exchanges per UTC day of these accounts, split by capability code and by model. */
export async function readTrafficTimeline(store: DuckDbStore, accountIds: readonly string[]): Promise<{ capability: TimelineRow[]; model: TimelineRow[] }> {
  // One pass for both splits: the scan of the exchanges is the cost, not the grouping.
  const rows = await store.query<Record<string, unknown>>(
    `SELECT epoch_ms(day)::DOUBLE AS day, CAST(capability AS VARCHAR) AS capability, model, count(*) AS exchanges, grouping(model) AS by_capability
     FROM (SELECT date_trunc('day', ts) AS day, capability, model FROM exchanges WHERE account_id IN ${IDS})
     GROUP BY GROUPING SETS ((day, capability), (day, model)) ORDER BY 1, 2, 3`,
    { ids: JSON.stringify(accountIds) },
  );
  const capability: TimelineRow[] = [];
  const model: TimelineRow[] = [];
  for (const row of rows) {
    const byCapability = Number(row.by_capability) === 1;
    const key = byCapability ? row.capability : row.model;
    (byCapability ? capability : model).push({ day: Number(row.day), key: key === null ? 'unknown' : String(key), exchanges: Number(row.exchanges) });
  }
  return { capability, model };
}

/** A template to find stored texts of: its kind and the shape tokens it fixes (`fixedPositions`). */
export interface TemplateQuery {
  kind: 'prompt' | 'system';
  fixed: readonly { position: number; token: number }[];
}

/**
 * Stored texts (the last user message, or the system text) of these accounts' exchanges whose
 * template shape holds `token` at each `position` given, newest first, up to `limit` per
 * template: the texts that fill each template's slots, in the order the templates were given.
 * Shape token i is bits 16·(i mod 4) of column `*_shape_(i div 4 + 1)`.
 *
 * The rows are chosen by shape, length and time, and only the chosen rows' texts are read: the
 * text columns are most of a store's bytes, and a condition on them would read them for every
 * exchange of the members. One scan of the members' rows serves every template.
 */
export async function readTemplateTexts(store: DuckDbStore, templates: readonly TemplateQuery[], accountIds: readonly string[], limit: number): Promise<string[][]> {
  const texts: string[][] = templates.map(() => []);
  const asked = templates.flatMap((template, index) => (template.fixed.length === 0 ? [] : [{ ...template, index }]));
  if (asked.length === 0 || accountIds.length === 0 || limit <= 0) return texts;
  const shapeColumns = [...new Set(asked.flatMap(({ kind, fixed }) => fixed.map(({ position }) => `${kind}_shape_${(position >> 2) + 1}`)))];
  const picks = asked.map(
    (template) => `SELECT ${template.index} AS template, r, ts FROM (SELECT r, ts FROM member WHERE ${template.kind}_chars > 0 AND ${shapeConditions(template)} ORDER BY ts DESC, r DESC LIMIT ${Math.trunc(limit)})`,
  );
  const chosen = await store.query<{ template: number; r: bigint }>(
    `WITH member AS MATERIALIZED (SELECT rowid AS r, ts, prompt_chars, system_chars, ${shapeColumns.join(', ')} FROM exchanges WHERE account_id IN ${IDS})
     ${picks.join(' UNION ALL ')} ORDER BY template, ts DESC, r DESC`,
    { ids: JSON.stringify(accountIds) },
  );
  const stored = await readTextsByRow(store, [...new Set(chosen.map((row) => BigInt(row.r)))]);
  for (const { template, r } of chosen) {
    const text = stored.get(BigInt(r))?.[templates[template]!.kind];
    if (text !== null && text !== undefined && text !== '') texts[template]!.push(text);
  }
  // A store ingested under several text policies can hold rows with a length but no text: a
  // template short of texts is asked again with the text itself as a condition.
  for (const { kind, fixed, index } of asked) {
    const found = texts[index]!;
    if (found.length >= limit || found.length === chosen.filter((row) => row.template === index).length) continue;
    const rows = await store.query<{ text: string }>(
      `SELECT ${kind}_text AS text FROM exchanges
       WHERE account_id IN ${IDS} AND ${kind}_text IS NOT NULL AND ${kind}_text <> '' AND ${shapeConditions({ kind, fixed })}
       ORDER BY ts DESC LIMIT ${Math.trunc(limit)}`,
      { ids: JSON.stringify(accountIds) },
    );
    texts[index] = rows.map((row) => row.text);
  }
  return texts;
}

/**
 * DuckDB turns a join's keys into a filter inside the scan only up to `dynamic_or_filter_threshold`
 * (50) of them; past that, a join on row ids reads the text columns of every row.
 */
const ROWS_PER_FETCH = 50;

/** The prompt and system texts of these rows, by row id, reading only the rows' own blocks. */
async function readTextsByRow(store: DuckDbStore, rows: readonly bigint[]): Promise<Map<bigint, { prompt: string | null; system: string | null }>> {
  const texts = new Map<bigint, { prompt: string | null; system: string | null }>();
  for (let start = 0; start < rows.length; start += ROWS_PER_FETCH) {
    const found = await store.query<{ r: bigint; prompt_text: string | null; system_text: string | null }>(
      `SELECT e.rowid AS r, e.prompt_text, e.system_text FROM exchanges e SEMI JOIN (SELECT unnest(CAST(json($rows) AS BIGINT[])) AS r) wanted ON e.rowid = wanted.r`,
      { rows: JSON.stringify(rows.slice(start, start + ROWS_PER_FETCH).map(String)) },
    );
    for (const row of found) texts.set(BigInt(row.r), { prompt: row.prompt_text, system: row.system_text });
  }
  return texts;
}

function shapeConditions({ kind, fixed }: TemplateQuery): string {
  return fixed.map(({ position, token }) => `((${kind}_shape_${(position >> 2) + 1} >> ${16 * (position & 3)}) & 65535) = ${Math.trunc(token)}`).join(' AND ');
}

export type TraitKind = 'ip' | 'subnet' | 'user_agent' | 'tls_fingerprint';

export interface TraitUse {
  accountId: string;
  kind: TraitKind;
  value: string;
  exchanges: number;
}

const TRAIT_COLUMNS: Record<TraitKind, string> = { ip: 'client_ip', subnet: 'client_subnet', user_agent: 'user_agent', tls_fingerprint: 'tls_fingerprint' };

/**
 * How many exchanges each account sent with each of the given trait values, in one scan of the
 * exchanges for all kinds (on a large store the scan is the cost, not the grouping).
 */
export async function readTraitUse(store: DuckDbStore, accountIds: readonly string[], traits: Partial<Record<TraitKind, readonly string[]>>): Promise<TraitUse[]> {
  const asked = (Object.entries(traits) as [TraitKind, readonly string[]][]).filter(([, values]) => values.length > 0);
  if (asked.length === 0 || accountIds.length === 0) return [];
  const matches = asked.map(([kind], i) => `${TRAIT_COLUMNS[kind]} IN (SELECT unnest(CAST(json($values${i}) AS VARCHAR[])))`);
  // A row matched through one kind's value is grouped under every kind: each grouping set keeps
  // only the values asked for of its own kind.
  const kept = asked.map(([kind], i) => `(grouping(${TRAIT_COLUMNS[kind]}) = 1 OR ${matches[i]})`);
  const sets = asked.map(([kind]) => `(account_id, ${TRAIT_COLUMNS[kind]})`);
  const params: Record<string, string> = { ids: JSON.stringify(accountIds) };
  asked.forEach(([, values], i) => (params[`values${i}`] = JSON.stringify(values)));
  const rows = await store.query<Record<string, unknown>>(
    `SELECT account_id, ${asked.map(([kind]) => TRAIT_COLUMNS[kind]).join(', ')}, ${asked.map(([kind]) => `grouping(${TRAIT_COLUMNS[kind]}) AS g_${kind}`).join(', ')}, count(*) AS exchanges
     FROM exchanges WHERE account_id IN ${IDS} AND (${matches.join(' OR ')})
     GROUP BY GROUPING SETS (${sets.join(', ')}) HAVING ${kept.join(' AND ')}`,
    params,
  );
  return rows.map((row) => {
    // Each row is of one grouping set: the kind whose column is grouped (grouping() = 0); the
    // HAVING clause has kept only values asked for, so none is null.
    const [kind] = asked.find(([candidate]) => Number(row[`g_${candidate}`]) === 0)!;
    return { accountId: String(row.account_id), kind, value: String(row[TRAIT_COLUMNS[kind]]), exchanges: Number(row.exchanges) };
  });
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
