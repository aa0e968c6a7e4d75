import type { DuckDbStore } from '../store/duckdb-store.js';
import { appendAuditEntry, ensureAuditLog, listAuditEntries, type AuditAction, type AuditEntry } from '../store/audit-log.js';
import type { ApiKeyRegistry } from './api-keys.js';
import type { StoreGate } from './store-gate.js';

/** Who acted: an API key id (its name is looked up), or `cli`. */
export interface AuditActor {
  keyId: string;
}

export interface AuditRecordInput {
  action: AuditAction;
  actor: AuditActor;
  target: string;
  targetId: string;
  value: string;
  previous: string | null;
  note?: string | null;
  detail?: unknown;
}

/**
 * The audit log as the service keeps it: written through the store gate like every other
 * write, and mirrored in memory (it grows by one row per human action, so it stays small) so
 * reading it and the triage status never touch the store.
 */
export interface AuditTrail {
  record(input: AuditRecordInput): Promise<AuditEntry>;
  entries(): readonly AuditEntry[];
  /** The latest verdict or triage status (`in_review`, `watch`, `new`) recorded per `target:id`. */
  statusOf(target: string, targetId: string): string | null;
}

export async function createAuditTrail(store: DuckDbStore, gate: StoreGate, keys: ApiKeyRegistry, now: () => number): Promise<AuditTrail> {
  await gate.run(() => ensureAuditLog(store));
  const entries = await gate.run(() => listAuditEntries(store));
  const statuses = new Map<string, string>();
  const applyStatus = (entry: AuditEntry): void => {
    if (entry.action === 'status' || entry.action === 'verdict') statuses.set(`${entry.target}:${entry.targetId}`, entry.value);
  };
  for (const entry of entries) applyStatus(entry);
  return {
    async record(input) {
      const entry = await gate.run(() =>
        appendAuditEntry(store, {
          at: now(),
          action: input.action,
          actorKeyId: input.actor.keyId,
          actorName: keys.get(input.actor.keyId)?.name ?? null,
          target: input.target,
          targetId: input.targetId,
          value: input.value,
          previous: input.previous,
          note: input.note ?? null,
          detail: input.detail === undefined ? null : JSON.stringify(input.detail),
        }),
      );
      entries.push(entry);
      applyStatus(entry);
      return entry;
    },
    entries: () => entries,
    statusOf: (target, targetId) => statuses.get(`${target}:${targetId}`) ?? null,
  };
}
