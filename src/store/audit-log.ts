import type { DuckDbStore } from './duckdb-store.js';

/**
 * The append-only record of what people did through the service: verdicts, triage status and
 * key changes. Rows are only ever inserted; what an entry replaced is written into it, so the
 * history reads without joining back to tables that change.
 */
export const AUDIT_ACTIONS = ['verdict', 'status', 'key_created', 'key_revoked'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  auditId: number;
  at: number;
  action: AuditAction;
  /** The API key id that acted, or `cli`. */
  actorKeyId: string;
  actorName: string | null;
  /** `account`, `cluster` or `key`. */
  target: string;
  targetId: string;
  value: string;
  /** The value in force before this entry, or null when there was none. */
  previous: string | null;
  note: string | null;
  /** Extra facts as JSON: the members of a cluster at the time of a cluster verdict. */
  detail: string | null;
}

export async function ensureAuditLog(store: DuckDbStore): Promise<void> {
  await store.run('CREATE SEQUENCE IF NOT EXISTS service_audit_ids START 1');
  await store.run(`CREATE TABLE IF NOT EXISTS service_audit_log (
    audit_id BIGINT PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL, actor_key_id VARCHAR NOT NULL, actor_name VARCHAR,
    target VARCHAR NOT NULL, target_id VARCHAR NOT NULL, value VARCHAR NOT NULL, previous VARCHAR, note VARCHAR, detail VARCHAR)`);
}

export async function appendAuditEntry(store: DuckDbStore, entry: Omit<AuditEntry, 'auditId'>): Promise<AuditEntry> {
  const auditId = Number(await store.scalar<bigint>("SELECT nextval('service_audit_ids')"));
  await store.run(
    `INSERT INTO service_audit_log VALUES ($auditId, epoch_ms($at::BIGINT), $action, $actorKeyId, $actorName, $target, $targetId, $value, $previous, $note, $detail)`,
    {
      auditId,
      at: entry.at,
      action: entry.action,
      actorKeyId: entry.actorKeyId,
      actorName: entry.actorName,
      target: entry.target,
      targetId: entry.targetId,
      value: entry.value,
      previous: entry.previous,
      note: entry.note,
      detail: entry.detail,
    },
  );
  return { auditId, ...entry };
}

/** Every entry, oldest first. */
export async function listAuditEntries(store: DuckDbStore): Promise<AuditEntry[]> {
  const rows = await store.query<Record<string, unknown>>(
    `SELECT audit_id, epoch_ms(recorded_at) AS at, action, actor_key_id, actor_name, target, target_id, value, previous, note, detail FROM service_audit_log ORDER BY audit_id`,
  );
  return rows.map((row) => ({
    auditId: Number(row.audit_id),
    at: Number(row.at),
    action: row.action as AuditAction,
    actorKeyId: String(row.actor_key_id),
    actorName: row.actor_name === null ? null : String(row.actor_name),
    target: String(row.target),
    targetId: String(row.target_id),
    value: String(row.value),
    previous: row.previous === null ? null : String(row.previous),
    note: row.note === null ? null : String(row.note),
    detail: row.detail === null ? null : String(row.detail),
  }));
}

/** Whether the store has an audit log (a store `serve` never opened has none). */
export async function hasAuditLog(store: DuckDbStore): Promise<boolean> {
  const count = await store.scalar<bigint>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'service_audit_log'");
  return Number(count) > 0;
}
