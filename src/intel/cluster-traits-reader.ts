import type { DuckDbStore } from '../store/duckdb-store.js';
import type { IndicatorKind } from './keyed-indicators.js';

/**
 * Reads, for the clusters being shared, the raw values their traffic and accounts show, with
 * counts and time spans. Raw values never leave this module's caller: the bundle builder keys
 * them before anything is written.
 */

export interface ClusterTrait {
  clusterId: string;
  kind: IndicatorKind;
  value: string;
  exchanges: number;
  accounts: number;
  /** Accounts anywhere in the store with this value: a value the cluster mostly does not own says little. */
  allAccounts: number;
  firstSeen: number;
  lastSeen: number;
}

/** A prompt template a cluster's members fill: the modal MinHash bin values of its fills. */
export interface ClusterTemplateSketch {
  clusterId: string;
  bins: number[];
  exchanges: number;
  accounts: number;
  firstSeen: number;
  lastSeen: number;
}

export interface TraitReadOptions {
  /** Values kept per kind and cluster, most used first. */
  perKind?: number;
  templatesPerCluster?: number;
  /** Prompts shorter than this fill no template (the miner's own floor, `behaviour.prompt_templates.min_tokens`). */
  templateMinTokens?: number;
  publicMailDomains?: ReadonlySet<string>;
}

const EXCHANGE_TRAITS: [IndicatorKind, string][] = [
  ['ip', 'client_ip'],
  ['subnet', 'client_subnet'],
  ['user_agent', 'user_agent'],
  ['tls', 'tls_fingerprint'],
];
const ACCOUNT_TRAITS: [IndicatorKind, string][] = [
  ['payment', 'payment_fingerprint'],
  ['email_domain', 'email_domain'],
];

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

async function registerMembers(store: DuckDbStore, members: ReadonlyMap<string, string>): Promise<void> {
  await store.run('CREATE OR REPLACE TEMP TABLE intel_members (account_id VARCHAR, cluster_id VARCHAR)');
  const rows = [...members];
  for (let at = 0; at < rows.length; at += 500) {
    const values = rows.slice(at, at + 500).map(([account, cluster]) => `(${quote(account)}, ${quote(cluster)})`);
    await store.run(`INSERT INTO intel_members VALUES ${values.join(', ')}`);
  }
}

/** `members`: account id → the cluster id it is shared under. */
export async function readClusterTraits(
  store: DuckDbStore,
  members: ReadonlyMap<string, string>,
  { perKind = 200, templatesPerCluster = 8, templateMinTokens = 12, publicMailDomains = new Set() }: TraitReadOptions = {},
): Promise<{ traits: ClusterTrait[]; templates: ClusterTemplateSketch[] }> {
  await registerMembers(store, members);
  const traits: ClusterTrait[] = [];
  const toTrait = (kind: IndicatorKind) => (row: Record<string, unknown>): ClusterTrait => ({
    clusterId: String(row.cluster_id),
    kind,
    value: String(row.value),
    exchanges: Number(row.exchanges),
    accounts: Number(row.accounts),
    allAccounts: Number(row.all_accounts),
    firstSeen: Number(row.first_ms),
    lastSeen: Number(row.last_ms),
  });
  for (const [kind, column] of EXCHANGE_TRAITS) {
    const rows = await store.query<Record<string, unknown>>(
      `WITH use AS (
         SELECT ${column} AS value, account_id, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts
         FROM exchanges WHERE ${column} IS NOT NULL AND ${column} <> '' GROUP BY ALL),
       holders AS (SELECT value, count(*) AS all_accounts FROM use GROUP BY value)
       SELECT m.cluster_id, u.value, sum(u.n) AS exchanges, count(*) AS accounts, any_value(h.all_accounts) AS all_accounts,
              epoch_ms(min(u.first_ts)) AS first_ms, epoch_ms(max(u.last_ts)) AS last_ms
       FROM use u JOIN intel_members m USING (account_id) JOIN holders h USING (value)
       GROUP BY m.cluster_id, u.value
       QUALIFY row_number() OVER (PARTITION BY m.cluster_id ORDER BY sum(u.n) DESC, u.value) <= ${perKind}`,
    );
    traits.push(...rows.map(toTrait(kind)));
  }
  for (const [kind, column] of ACCOUNT_TRAITS) {
    const rows = await store.query<Record<string, unknown>>(
      `WITH owners AS (SELECT account_id, ${column} AS value FROM accounts WHERE ${column} IS NOT NULL AND ${column} <> ''),
       holders AS (SELECT value, count(*) AS all_accounts FROM owners GROUP BY value),
       traffic AS (SELECT account_id, count(*) AS n, min(ts) AS first_ts, max(ts) AS last_ts FROM exchanges
                   WHERE account_id IN (SELECT account_id FROM intel_members) GROUP BY account_id)
       SELECT m.cluster_id, o.value, sum(t.n) AS exchanges, count(*) AS accounts, any_value(h.all_accounts) AS all_accounts,
              epoch_ms(min(t.first_ts)) AS first_ms, epoch_ms(max(t.last_ts)) AS last_ms
       FROM owners o JOIN intel_members m USING (account_id) JOIN holders h USING (value) JOIN traffic t USING (account_id)
       GROUP BY m.cluster_id, o.value
       QUALIFY row_number() OVER (PARTITION BY m.cluster_id ORDER BY sum(t.n) DESC, o.value) <= ${perKind}`,
    );
    const mapped = rows.map(toTrait(kind));
    traits.push(...(kind === 'email_domain' ? mapped.filter((trait) => !publicMailDomains.has(trait.value.toLowerCase())) : mapped));
  }
  const binColumns = [1, 2].flatMap((column) => [0, 1, 2, 3].map((slot) => `mode((prompt_sketch_${column} >> ${16 * slot}) & 65535) AS b${(column - 1) * 4 + slot}`));
  const templateRows = await store.query<Record<string, unknown>>(
    `SELECT m.cluster_id, count(*) AS exchanges, count(DISTINCT e.account_id) AS accounts,
            epoch_ms(min(e.ts)) AS first_ms, epoch_ms(max(e.ts)) AS last_ms, ${binColumns.join(', ')}
     FROM exchanges e JOIN intel_members m USING (account_id)
     WHERE e.prompt_tokens >= ${templateMinTokens} AND e.prompt_sketch_1 <> 0
     GROUP BY m.cluster_id, e.prompt_shape_1, e.prompt_shape_2, e.prompt_shape_3, e.prompt_shape_4
     HAVING count(DISTINCT e.account_id) >= 2
     QUALIFY row_number() OVER (PARTITION BY m.cluster_id ORDER BY count(*) DESC) <= ${templatesPerCluster}`,
  );
  const templates = templateRows.map((row) => ({
    clusterId: String(row.cluster_id),
    bins: Array.from({ length: 8 }, (_, bin) => Number(row[`b${bin}`])),
    exchanges: Number(row.exchanges),
    accounts: Number(row.accounts),
    firstSeen: Number(row.first_ms),
    lastSeen: Number(row.last_ms),
  }));
  await store.run('DROP TABLE IF EXISTS intel_members');
  return { traits, templates };
}
