import type { DuckDbStore } from './duckdb-store.js';

/**
 * Tables the live service keeps beside the exchanges: API keys (hashed, never the key itself)
 * and analyst verdicts. Created on demand with IF NOT EXISTS, so a store made by `ingest` gains
 * them the first time `serve` or `keys` opens it and no schema version changes.
 */
export const API_KEY_ROLES = ['ingest', 'decide', 'analyst', 'admin', 'partner'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** A sharing community a partner key may reach over TAXII, and how. */
export interface KeyCommunity {
  community: string;
  canRead: boolean;
  canWrite: boolean;
}

export interface ApiKeyRecord {
  keyId: string;
  name: string | null;
  role: ApiKeyRole;
  /** SHA-256 of the whole key, hex. */
  keyHash: string;
  /** Requests per second this key may make; null takes the role's default. */
  rateLimit: number | null;
  createdAt: number;
  revokedAt: number | null;
  /** The sharing communities of a `partner` key; other roles have none. */
  communities?: readonly KeyCommunity[];
}

export const LABEL_TARGETS = ['account', 'cluster'] as const;
export type LabelTarget = (typeof LABEL_TARGETS)[number];
export const LABEL_VERDICTS = ['confirmed', 'dismissed'] as const;
export type LabelVerdict = (typeof LABEL_VERDICTS)[number];

export interface LabelRecord {
  labelId: number;
  target: LabelTarget;
  targetId: string;
  verdict: LabelVerdict;
  note: string | null;
  /** The API key id (or `cli`) that recorded the verdict. */
  analyst: string;
  createdAt: number;
}

export async function ensureServiceTables(store: DuckDbStore): Promise<void> {
  await store.run(`CREATE TABLE IF NOT EXISTS service_api_keys (
    key_id VARCHAR PRIMARY KEY, name VARCHAR, role VARCHAR NOT NULL, key_hash VARCHAR NOT NULL,
    rate_limit INTEGER, created_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP)`);
  // A table of its own rather than a column, so stores made before partner keys need no migration.
  await store.run(`CREATE TABLE IF NOT EXISTS service_api_key_communities (
    key_id VARCHAR NOT NULL, community VARCHAR NOT NULL, can_read BOOLEAN NOT NULL, can_write BOOLEAN NOT NULL, PRIMARY KEY (key_id, community))`);
  await store.run('CREATE SEQUENCE IF NOT EXISTS service_label_ids START 1');
  await store.run(`CREATE TABLE IF NOT EXISTS service_labels (
    label_id BIGINT PRIMARY KEY, target VARCHAR NOT NULL, target_id VARCHAR NOT NULL, verdict VARCHAR NOT NULL,
    note VARCHAR, analyst VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`);
}

export async function insertApiKey(store: DuckDbStore, key: ApiKeyRecord): Promise<void> {
  await store.run(
    `INSERT INTO service_api_keys VALUES ($keyId, $name, $role, $keyHash, $rateLimit, epoch_ms($createdAt::BIGINT), NULL)`,
    { keyId: key.keyId, name: key.name, role: key.role, keyHash: key.keyHash, rateLimit: key.rateLimit, createdAt: key.createdAt },
  );
  for (const entry of key.communities ?? []) {
    await store.run('INSERT INTO service_api_key_communities VALUES ($keyId, $community, $canRead, $canWrite)', {
      keyId: key.keyId,
      community: entry.community,
      canRead: entry.canRead,
      canWrite: entry.canWrite,
    });
  }
}

export async function listApiKeys(store: DuckDbStore): Promise<ApiKeyRecord[]> {
  const rows = await store.query<Record<string, unknown>>(
    `SELECT key_id, name, role, key_hash, rate_limit, epoch_ms(created_at) AS created_at, epoch_ms(revoked_at) AS revoked_at
     FROM service_api_keys ORDER BY created_at, key_id`,
  );
  const communities = new Map<string, KeyCommunity[]>();
  for (const row of await store.query<Record<string, unknown>>('SELECT key_id, community, can_read, can_write FROM service_api_key_communities ORDER BY key_id, community')) {
    const list = communities.get(String(row.key_id)) ?? [];
    list.push({ community: String(row.community), canRead: Boolean(row.can_read), canWrite: Boolean(row.can_write) });
    communities.set(String(row.key_id), list);
  }
  return rows.map((row) => ({
    keyId: String(row.key_id),
    name: row.name === null ? null : String(row.name),
    role: row.role as ApiKeyRole,
    keyHash: String(row.key_hash),
    rateLimit: row.rate_limit === null ? null : Number(row.rate_limit),
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    ...(row.role === 'partner' ? { communities: communities.get(String(row.key_id)) ?? [] } : {}),
  }));
}

/** Marks a key revoked; returns false when there is no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(store: DuckDbStore, keyId: string, at: number): Promise<boolean> {
  const found = await store.scalar<bigint | undefined>('SELECT count(*) FROM service_api_keys WHERE key_id = $keyId', { keyId });
  if (Number(found ?? 0) === 0) return false;
  await store.run('UPDATE service_api_keys SET revoked_at = coalesce(revoked_at, epoch_ms($at::BIGINT)) WHERE key_id = $keyId', { keyId, at });
  return true;
}

export async function insertLabel(store: DuckDbStore, label: Omit<LabelRecord, 'labelId'>): Promise<LabelRecord> {
  const labelId = Number(await store.scalar<bigint>("SELECT nextval('service_label_ids')"));
  await store.run(
    'INSERT INTO service_labels VALUES ($labelId, $target, $targetId, $verdict, $note, $analyst, epoch_ms($createdAt::BIGINT))',
    { labelId, target: label.target, targetId: label.targetId, verdict: label.verdict, note: label.note, analyst: label.analyst, createdAt: label.createdAt },
  );
  return { labelId, ...label };
}

/** Every verdict ever recorded, oldest first: the latest one per target is the one in force. */
export async function listLabels(store: DuckDbStore): Promise<LabelRecord[]> {
  const rows = await store.query<Record<string, unknown>>(
    `SELECT label_id, target, target_id, verdict, note, analyst, epoch_ms(created_at) AS created_at FROM service_labels ORDER BY label_id`,
  );
  return rows.map((row) => ({
    labelId: Number(row.label_id),
    target: row.target as LabelTarget,
    targetId: String(row.target_id),
    verdict: row.verdict as LabelVerdict,
    note: row.note === null ? null : String(row.note),
    analyst: String(row.analyst),
    createdAt: Number(row.created_at),
  }));
}
