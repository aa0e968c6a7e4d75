import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../util/keyed-hash.js';
import { UsageError } from '../util/errors.js';
import type { ApiKeyRecord, ApiKeyRole, KeyCommunity } from '../store/service-tables.js';

/**
 * API keys look like `dg_live_<key id>_<secret>`: the prefix makes a leaked key recognisable to
 * secret scanners, the key id (public, 12 hex digits) finds the record without comparing
 * against every stored hash, and the 256-bit secret makes the SHA-256 the store keeps useless
 * to anyone reading the store. A key is shown once, when it is made.
 */
export const API_KEY_PREFIX = 'dg_live_';
const KEY_PATTERN = /^dg_live_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Requests per second a key may make when it was created without its own limit. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ApiKeyRole, number>> = {
  ingest: 200,
  decide: 20_000,
  analyst: 50,
  admin: 50,
  partner: 20,
};

export interface NewApiKey {
  /** The whole key: show it once, never store it. */
  key: string;
  record: ApiKeyRecord;
}

export function generateApiKey(
  { role, name = null, rateLimit = null, communities = [] }: { role: ApiKeyRole; name?: string | null; rateLimit?: number | null; communities?: readonly KeyCommunity[] },
  now: number = Date.now(),
): NewApiKey {
  if (role === 'partner' && communities.length === 0) throw new UsageError('a partner key needs at least one sharing community');
  if (role !== 'partner' && communities.length > 0) throw new UsageError('only partner keys name sharing communities');
  for (const { community } of communities) {
    if (!COMMUNITY_PATTERN.test(community)) throw new UsageError(`expected a community name of letters, digits, dots, dashes or underscores (at most 64), got ${JSON.stringify(community)}`);
  }
  const keyId = randomBytes(6).toString('hex');
  const key = `${API_KEY_PREFIX}${keyId}_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = { keyId, name, role, keyHash: hashApiKey(key), rateLimit, createdAt: now, revokedAt: null };
  return { key, record: role === 'partner' ? { ...record, communities: [...communities] } : record };
}

/** The names `intel export --community` accepts, so a key names communities a bundle can. */
export const COMMUNITY_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `labs` (read and write), `labs:read`, `labs:write` or `labs:rw`: how the CLI and docs spell
 * a partner key's community.
 */
export function parseKeyCommunity(text: string): KeyCommunity {
  const match = /^([^:]+)(?::(read|write|rw))?$/.exec(text);
  if (match === null || !COMMUNITY_PATTERN.test(match[1]!)) throw new UsageError(`expected COMMUNITY[:read|:write|:rw], got ${JSON.stringify(text)}`);
  const access = match[2] ?? 'rw';
  return { community: match[1]!, canRead: access !== 'write', canWrite: access !== 'read' };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether a key of this role may do what `required` allows; admin may do everything. */
export function roleAllows(role: ApiKeyRole, required: ApiKeyRole): boolean {
  return role === 'admin' || role === required;
}

/** What a client sees of a key: never the hash. */
export function describeApiKey(record: ApiKeyRecord): {
  key_id: string;
  name: string | null;
  role: ApiKeyRole;
  rate_limit: number;
  created_at: string;
  revoked_at: string | null;
  communities?: { community: string; can_read: boolean; can_write: boolean }[];
} {
  return {
    key_id: record.keyId,
    name: record.name,
    role: record.role,
    rate_limit: record.rateLimit ?? DEFAULT_RATE_LIMITS[record.role],
    created_at: new Date(record.createdAt).toISOString(),
    revoked_at: record.revokedAt === null ? null : new Date(record.revokedAt).toISOString(),
    ...(record.communities !== undefined
      ? { communities: record.communities.map((entry) => ({ community: entry.community, can_read: entry.canRead, can_write: entry.canWrite })) }
      : {}),
  };
}

/** The keys in force, held in memory by the server so authentication never touches the store. */
export interface ApiKeyRegistry {
  /** The key's record when the bearer token is a live key, else null. */
  authenticate(token: string): ApiKeyRecord | null;
  put(record: ApiKeyRecord): void;
  get(keyId: string): ApiKeyRecord | undefined;
  list(): ApiKeyRecord[];
  readonly size: number;
}

// Compared against when the key id is unknown, so an unknown id costs the same hash and
// comparison as a wrong secret and response time does not tell which ids exist.
const DUMMY_HASH = Buffer.from(hashApiKey(`${API_KEY_PREFIX}000000000000_${'A'.repeat(43)}`), 'hex');

export function createApiKeyRegistry(records: readonly ApiKeyRecord[] = []): ApiKeyRegistry {
  const byId = new Map<string, ApiKeyRecord>();
  const hashes = new Map<string, Buffer>();
  const put = (record: ApiKeyRecord): void => {
    byId.set(record.keyId, record);
    hashes.set(record.keyId, Buffer.from(record.keyHash, 'hex'));
  };
  for (const record of records) put(record);
  return {
    authenticate(token) {
      const presented = Buffer.from(hashApiKey(token), 'hex');
      const keyId = KEY_PATTERN.exec(token)?.[1];
      const record = keyId === undefined ? undefined : byId.get(keyId);
      const expected = (keyId !== undefined && hashes.get(keyId)) || DUMMY_HASH;
      const matches = constantTimeEqual(presented, expected);
      if (!matches || record === undefined || record.revokedAt !== null) return null;
      return record;
    },
    put,
    get: (keyId) => byId.get(keyId),
    list: () => [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId)),
    get size() {
      return byId.size;
    },
  };
}
