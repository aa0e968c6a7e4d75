import type { DuckDbStore } from './duckdb-store.js';

/**
 * What partners shared (`distillguard intel import`, the TAXII client): their keyed-hash
 * indicators and template sketches, and the community keys to hash our own traffic with so it
 * can be compared. Created on demand with IF NOT EXISTS, like the service tables, so no schema
 * version changes. The community key is kept here because every later analysis needs it, just
 * as the store keeps its own hash key.
 */

export interface CommunityKeyRecord {
  community: string;
  keyId: string;
  key: Buffer;
}

export interface PartnerIndicatorRecord {
  stixId: string;
  keyId: string;
  /** The partner as its bundle names itself, with the community: `Provider A (labs)`. */
  source: string;
  kind: string;
  hash: string;
  confidence: number;
  /** The partner's last sighting (epoch ms). */
  lastSeen: number;
  validUntil: number;
}

export interface PartnerSketchRecord {
  stixId: string;
  keyId: string;
  source: string;
  /** The 8 MinHash bin values, decoded with the community key. */
  bins: number[];
  confidence: number;
  lastSeen: number;
  validUntil: number;
}

export interface PartnerIntel {
  keys: CommunityKeyRecord[];
  indicators: PartnerIndicatorRecord[];
  sketches: PartnerSketchRecord[];
}

export async function ensurePartnerIntelTables(store: DuckDbStore): Promise<void> {
  await store.run('CREATE TABLE IF NOT EXISTS intel_community_keys (key_id VARCHAR PRIMARY KEY, community VARCHAR NOT NULL, key_hex VARCHAR NOT NULL)');
  await store.run(`CREATE TABLE IF NOT EXISTS intel_partner_indicators (
    stix_id VARCHAR PRIMARY KEY, key_id VARCHAR NOT NULL, source VARCHAR NOT NULL, kind VARCHAR NOT NULL, hash VARCHAR NOT NULL,
    confidence INTEGER NOT NULL, last_seen TIMESTAMP NOT NULL, valid_until TIMESTAMP NOT NULL, imported_at TIMESTAMP NOT NULL)`);
  await store.run(`CREATE TABLE IF NOT EXISTS intel_partner_sketches (
    stix_id VARCHAR PRIMARY KEY, key_id VARCHAR NOT NULL, source VARCHAR NOT NULL, bins VARCHAR NOT NULL,
    confidence INTEGER NOT NULL, last_seen TIMESTAMP NOT NULL, valid_until TIMESTAMP NOT NULL, imported_at TIMESTAMP NOT NULL)`);
}

export async function saveCommunityKey(store: DuckDbStore, key: CommunityKeyRecord): Promise<void> {
  await store.run('INSERT OR REPLACE INTO intel_community_keys VALUES ($keyId, $community, $keyHex)', { keyId: key.keyId, community: key.community, keyHex: key.key.toString('hex') });
}

/** A newer version of an object (same STIX id) replaces the one held. */
export async function savePartnerIntel(store: DuckDbStore, indicators: readonly PartnerIndicatorRecord[], sketches: readonly PartnerSketchRecord[], importedAt: number): Promise<void> {
  await store.run('BEGIN TRANSACTION');
  try {
    for (const row of indicators) {
      await store.run(
        'INSERT OR REPLACE INTO intel_partner_indicators VALUES ($stixId, $keyId, $source, $kind, $hash, $confidence, epoch_ms($lastSeen::BIGINT), epoch_ms($validUntil::BIGINT), epoch_ms($importedAt::BIGINT))',
        { ...row, importedAt },
      );
    }
    for (const row of sketches) {
      await store.run(
        'INSERT OR REPLACE INTO intel_partner_sketches VALUES ($stixId, $keyId, $source, $bins, $confidence, epoch_ms($lastSeen::BIGINT), epoch_ms($validUntil::BIGINT), epoch_ms($importedAt::BIGINT))',
        { stixId: row.stixId, keyId: row.keyId, source: row.source, bins: row.bins.join(','), confidence: row.confidence, lastSeen: row.lastSeen, validUntil: row.validUntil, importedAt },
      );
    }
    await store.run('COMMIT');
  } catch (error) {
    await store.run('ROLLBACK');
    throw error;
  }
}

/** The community keys the store holds, without the partners' indicators; empty before any import. */
export async function listCommunityKeys(store: DuckDbStore): Promise<CommunityKeyRecord[]> {
  const present = Number(await store.scalar<bigint>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'intel_community_keys'"));
  if (present === 0) return [];
  return (await store.query<Record<string, unknown>>('SELECT key_id, community, key_hex FROM intel_community_keys ORDER BY community, key_id')).map((row) => ({
    keyId: String(row.key_id),
    community: String(row.community),
    key: Buffer.from(String(row.key_hex), 'hex'),
  }));
}

/** Everything partners shared; empty for a store that never imported any (also read-only). */
export async function readPartnerIntel(store: DuckDbStore): Promise<PartnerIntel> {
  const present = Number(await store.scalar<bigint>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'intel_community_keys'"));
  if (present === 0) return { keys: [], indicators: [], sketches: [] };
  const keys = (await store.query<Record<string, unknown>>('SELECT key_id, community, key_hex FROM intel_community_keys')).map((row) => ({
    keyId: String(row.key_id),
    community: String(row.community),
    key: Buffer.from(String(row.key_hex), 'hex'),
  }));
  const indicators = (
    await store.query<Record<string, unknown>>(
      'SELECT stix_id, key_id, source, kind, hash, confidence, epoch_ms(last_seen) AS last_seen, epoch_ms(valid_until) AS valid_until FROM intel_partner_indicators',
    )
  ).map((row) => ({
    stixId: String(row.stix_id),
    keyId: String(row.key_id),
    source: String(row.source),
    kind: String(row.kind),
    hash: String(row.hash),
    confidence: Number(row.confidence),
    lastSeen: Number(row.last_seen),
    validUntil: Number(row.valid_until),
  }));
  const sketches = (
    await store.query<Record<string, unknown>>(
      'SELECT stix_id, key_id, source, bins, confidence, epoch_ms(last_seen) AS last_seen, epoch_ms(valid_until) AS valid_until FROM intel_partner_sketches',
    )
  ).map((row) => ({
    stixId: String(row.stix_id),
    keyId: String(row.key_id),
    source: String(row.source),
    bins: String(row.bins).split(',').map(Number),
    confidence: Number(row.confidence),
    lastSeen: Number(row.last_seen),
    validUntil: Number(row.valid_until),
  }));
  return { keys, indicators, sketches };
}
