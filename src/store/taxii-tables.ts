import type { DuckDbStore } from './duckdb-store.js';

/**
 * The TAXII collections `serve` offers, one per sharing community: every STIX object version
 * published into one (the service's own exports, partners' POSTs) with the time it was added, and
 * the status resources of POSTs. Created on demand with IF NOT EXISTS, like the service tables.
 *
 * `date_added` is in microseconds and strictly increasing across the table, so it orders objects
 * for paging and a client that polls with `added_after` set to the last date it saw misses
 * nothing and sees nothing twice.
 */
export interface TaxiiObjectRecord {
  id: string;
  type: string;
  /** `modified`, else `created`, else the date added: what TAXII calls the object's version. */
  version: string;
  specVersion: string;
  /** Microseconds since the epoch. */
  dateAdded: number;
  object: Record<string, unknown>;
}

export interface TaxiiObjectQuery {
  community: string;
  /** Only objects added after this (microseconds). */
  addedAfter?: number;
  /** Resume after this object (paging). */
  after?: { dateAdded: number; id: string; version: string };
  ids?: readonly string[];
  types?: readonly string[];
  /** Only the latest version of each object, TAXII's default for `match[version]`. */
  latestOnly: boolean;
  limit: number;
}

export async function ensureTaxiiTables(store: DuckDbStore): Promise<void> {
  await store.run(`CREATE TABLE IF NOT EXISTS taxii_objects (
    community VARCHAR NOT NULL, id VARCHAR NOT NULL, version VARCHAR NOT NULL, type VARCHAR NOT NULL, spec_version VARCHAR NOT NULL,
    date_added BIGINT NOT NULL, object VARCHAR NOT NULL, PRIMARY KEY (community, id, version))`);
  await store.run(`CREATE TABLE IF NOT EXISTS taxii_status (
    status_id VARCHAR PRIMARY KEY, community VARCHAR NOT NULL, key_id VARCHAR NOT NULL, document VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)`);
}

/**
 * Adds object versions to a community's collection; a version already held is left as it is
 * (TAXII objects are immutable per version). Returns the ids added and those already held.
 */
export async function addTaxiiObjects(
  store: DuckDbStore,
  community: string,
  objects: readonly Omit<TaxiiObjectRecord, 'dateAdded'>[],
  nowMs: number,
): Promise<{ added: string[]; present: string[] }> {
  const added: string[] = [];
  const present: string[] = [];
  await store.transaction(async () => {
    let last = Number((await store.scalar<bigint | null>('SELECT max(date_added) FROM taxii_objects')) ?? 0);
    const held = new Set(
      (await store.query<Record<string, unknown>>('SELECT id, version FROM taxii_objects WHERE community = $community', { community })).map((row) => `${row.id}\u0000${row.version}`),
    );
    for (const object of objects) {
      const versionKey = `${object.id}\u0000${object.version}`;
      if (held.has(versionKey)) {
        present.push(object.id);
        continue;
      }
      held.add(versionKey);
      last = Math.max(nowMs * 1000, last + 1);
      await store.run('INSERT INTO taxii_objects VALUES ($community, $id, $version, $type, $specVersion, $dateAdded, $object)', {
        community,
        id: object.id,
        version: object.version,
        type: object.type,
        specVersion: object.specVersion,
        dateAdded: last,
        object: JSON.stringify(object.object),
      });
      added.push(object.id);
    }
  });
  return { added, present };
}

/** One page of a collection in the order objects were added, and whether more follow. */
export async function queryTaxiiObjects(store: DuckDbStore, query: TaxiiObjectQuery): Promise<{ objects: TaxiiObjectRecord[]; more: boolean }> {
  const conditions = ['community = $community'];
  const values: Record<string, string | number | bigint> = { community: query.community, limit: query.limit + 1 };
  if (query.addedAfter !== undefined) {
    conditions.push('date_added > $addedAfter');
    values.addedAfter = BigInt(query.addedAfter);
  }
  if (query.after !== undefined) {
    conditions.push('(date_added, id, version) > ($afterDate, $afterId, $afterVersion)');
    Object.assign(values, { afterDate: BigInt(query.after.dateAdded), afterId: query.after.id, afterVersion: query.after.version });
  }
  const list = (name: string, items: readonly string[] | undefined, column: string) => {
    if (items === undefined || items.length === 0) return;
    const names = items.map((item, index) => {
      values[`${name}${index}`] = item;
      return `$${name}${index}`;
    });
    conditions.push(`${column} IN (${names.join(', ')})`);
  };
  list('id', query.ids, 'id');
  list('type', query.types, 'type');
  const source = query.latestOnly
    ? `(SELECT * FROM taxii_objects WHERE community = $community QUALIFY row_number() OVER (PARTITION BY id ORDER BY version DESC) = 1)`
    : 'taxii_objects';
  const rows = await store.query<Record<string, unknown>>(
    `SELECT id, type, version, spec_version, date_added, object FROM ${source} WHERE ${conditions.join(' AND ')} ORDER BY date_added, id, version LIMIT $limit`,
    values,
  );
  const objects = rows.slice(0, query.limit).map((row) => ({
    id: String(row.id),
    type: String(row.type),
    version: String(row.version),
    specVersion: String(row.spec_version),
    dateAdded: Number(row.date_added),
    object: JSON.parse(String(row.object)) as Record<string, unknown>,
  }));
  return { objects, more: rows.length > query.limit };
}

export async function saveTaxiiStatus(store: DuckDbStore, status: { id: string; community: string; keyId: string; document: object; createdAt: number }): Promise<void> {
  await store.run('INSERT INTO taxii_status VALUES ($id, $community, $keyId, $document, epoch_ms($createdAt::BIGINT))', {
    id: status.id,
    community: status.community,
    keyId: status.keyId,
    document: JSON.stringify(status.document),
    createdAt: status.createdAt,
  });
}

export async function readTaxiiStatus(store: DuckDbStore, id: string): Promise<{ community: string; keyId: string; document: Record<string, unknown> } | null> {
  const rows = await store.query<Record<string, unknown>>('SELECT community, key_id, document FROM taxii_status WHERE status_id = $id', { id });
  if (rows.length === 0) return null;
  return { community: String(rows[0]!.community), keyId: String(rows[0]!.key_id), document: JSON.parse(String(rows[0]!.document)) as Record<string, unknown> };
}

/** Where a TAXII client left off in a partner's collection: the last `date_added` it imported, as the server wrote it. */
export async function ensureTaxiiPollTable(store: DuckDbStore): Promise<void> {
  await store.run(`CREATE TABLE IF NOT EXISTS taxii_poll_state (
    api_root VARCHAR NOT NULL, collection VARCHAR NOT NULL, added_after VARCHAR NOT NULL, polled_at TIMESTAMP NOT NULL, PRIMARY KEY (api_root, collection))`);
}

export async function readTaxiiPollState(store: DuckDbStore, apiRoot: string, collection: string): Promise<string | null> {
  const rows = await store.query<Record<string, unknown>>('SELECT added_after FROM taxii_poll_state WHERE api_root = $apiRoot AND collection = $collection', { apiRoot, collection });
  return rows.length === 0 ? null : String(rows[0]!.added_after);
}

export async function saveTaxiiPollState(store: DuckDbStore, apiRoot: string, collection: string, addedAfter: string, at: number): Promise<void> {
  await store.run('INSERT OR REPLACE INTO taxii_poll_state VALUES ($apiRoot, $collection, $addedAfter, epoch_ms($at::BIGINT))', { apiRoot, collection, addedAfter, at });
}
