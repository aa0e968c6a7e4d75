import { readAccountFacts, readAccountTrafficSince, type AccountFacts } from '../../store/workbench-queries.js';
import type { ServiceCore } from '../service-core.js';
import { buildQueueIndex, CASE_STATUSES, queueTraffic, type CaseStatus, type QueueIndex, type QueueTraffic } from './workbench-queue.js';

export interface WorkbenchData {
  /** The queue index, rebuilt in the background once older than `maxAgeMs`; the first call waits for it. */
  queue(): Promise<QueueIndex>;
  /** Rebuilds now (after a verdict, so the analyst sees it at once). */
  refresh(): Promise<QueueIndex>;
  facts(): ReadonlyMap<string, AccountFacts>;
  statusOf(target: 'cluster' | 'account', id: string): CaseStatus;
}

export interface WorkbenchDataOptions {
  maxAgeMs?: number;
  /** How often the per-account traffic summary may be brought up to date (it reads the rows added since). */
  trafficMaxAgeMs?: number;
  now?: () => number;
}

/**
 * What the workbench lists, put together from the engine (clusters), the decision book (each
 * account's live score), the audit trail (status) and the store (tier, first seen, main
 * capability). The store part is read in full once, then only the rows added since, after a
 * relink and at most once a minute; scores and statuses are fresh within `maxAgeMs`.
 */
export function createWorkbenchData(core: ServiceCore, { maxAgeMs = 5_000, trafficMaxAgeMs = 60_000, now = Date.now }: WorkbenchDataOptions = {}): WorkbenchData {
  let index: QueueIndex | null = null;
  let building: Promise<QueueIndex> | null = null;
  let facts = new Map<string, AccountFacts>();
  let traffic = new Map<string, QueueTraffic>();
  let storeReadAt = -Infinity;
  let lastRowId = -1;
  const tallies = new Map<string, { exchanges: number; firstSeen: number; lastSeen: number; byCapability: Map<number, number> }>();
  let storeReadForRelink: number | null | undefined;

  const statusOf = (target: 'cluster' | 'account', id: string): CaseStatus => {
    const recorded = core.audit.statusOf(target, id) ?? core.book.verdictFor(target, id)?.verdict ?? 'new';
    return (CASE_STATUSES as readonly string[]).includes(recorded) ? (recorded as CaseStatus) : 'new';
  };

  const readStoreFacts = async (): Promise<void> => {
    const relinkAt = core.relink.status().lastFinishedAt;
    const first = storeReadAt === -Infinity;
    if (!first && (storeReadForRelink === relinkAt || now() - storeReadAt < trafficMaxAgeMs)) return;
    storeReadAt = now();
    storeReadForRelink = relinkAt;
    const [factRows, delta] = await core.readStore(async (store) => [await readAccountFacts(store), await readAccountTrafficSince(store, lastRowId)] as const);
    facts = new Map(factRows.map((row) => [row.accountId, row]));
    lastRowId = delta.lastRowId;
    for (const row of delta.rows) {
      let entry = tallies.get(row.accountId);
      if (entry === undefined) tallies.set(row.accountId, (entry = { exchanges: 0, firstSeen: row.firstSeen, lastSeen: row.lastSeen, byCapability: new Map() }));
      entry.exchanges += row.exchanges;
      entry.firstSeen = Math.min(entry.firstSeen, row.firstSeen);
      entry.lastSeen = Math.max(entry.lastSeen, row.lastSeen);
      entry.byCapability.set(row.capability, (entry.byCapability.get(row.capability) ?? 0) + row.exchanges);
    }
    traffic = new Map();
    for (const [accountId, entry] of tallies) {
      let capability: number | null = null;
      let most = 0;
      for (const [code, count] of entry.byCapability) if (code >= 0 && count > most) [capability, most] = [code, count];
      traffic.set(accountId, queueTraffic({ accountId, exchanges: entry.exchanges, firstSeen: entry.firstSeen, lastSeen: entry.lastSeen, capability }));
    }
  };

  // What the index is made from: when none of it changed (a store being read, not written), the
  // index is kept instead of rebuilt, a pass over every account on the event loop.
  let builtFrom: string | null = null;
  const build = async (): Promise<QueueIndex> => {
    await readStoreFacts();
    const from = `${core.book.revision}|${core.audit.entries().length}|${core.relink.status().lastFinishedAt}|${storeReadAt}`;
    if (index !== null && from === builtFrom) return (index = { ...index, builtAt: now() });
    const clusters = await core.scoring.clusters();
    index = buildQueueIndex({ clusters, assessments: core.book.assessments(), facts, traffic, statusOf }, now());
    builtFrom = from;
    return index;
  };

  const rebuild = (): Promise<QueueIndex> => {
    building ??= build().finally(() => (building = null));
    return building;
  };

  return {
    async queue() {
      if (index === null) return rebuild();
      if (now() - index.builtAt >= maxAgeMs) void rebuild().catch((error: unknown) => core.logger.warn({ err: error }, 'the workbench queue could not be rebuilt; serving the previous one'));
      return index;
    },
    async refresh() {
      if (building !== null) await building.catch(() => undefined);
      return rebuild();
    },
    facts: () => facts,
    statusOf,
  };
}
