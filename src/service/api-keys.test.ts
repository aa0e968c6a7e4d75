import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore } from '../store/duckdb-store.js';
import { ensureServiceTables, insertApiKey, listApiKeys } from '../store/service-tables.js';
import { createApiKeyRegistry, describeApiKey, generateApiKey, hashApiKey, parseKeyCommunity, roleAllows } from './api-keys.js';

describe('API keys', () => {
  it('makes recognisable high-entropy keys and keeps only their SHA-256', () => {
    const { key, record } = generateApiKey({ role: 'decide', name: 'gw' }, 1000);
    expect(key).toMatch(/^dg_live_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ role: 'decide', name: 'gw', createdAt: 1000, revokedAt: null, keyHash: hashApiKey(key) });
    expect(JSON.stringify(record)).not.toContain(key.slice(21));
    expect(generateApiKey({ role: 'decide' }).key).not.toBe(key);
  });

  it('authenticates the exact key only, and no revoked key', () => {
    const { key, record } = generateApiKey({ role: 'ingest' });
    const registry = createApiKeyRegistry([record]);
    expect(registry.authenticate(key)).toBe(record);
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    expect(registry.authenticate(key.slice(0, -1) + last)).toBeNull();
    expect(registry.authenticate(key + 'x')).toBeNull();
    expect(registry.authenticate('dg_live_000000000000_' + 'A'.repeat(43))).toBeNull();
    expect(registry.authenticate('')).toBeNull();
    registry.put({ ...record, revokedAt: 5 });
    expect(registry.authenticate(key)).toBeNull();
  });

  it('lets admin do everything and every other role only its own', () => {
    expect(roleAllows('admin', 'ingest')).toBe(true);
    expect(roleAllows('decide', 'decide')).toBe(true);
    expect(roleAllows('decide', 'analyst')).toBe(false);
    expect(roleAllows('analyst', 'admin')).toBe(false);
  });

  it('gives a partner key its sharing communities, keeps them in the store, and refuses them on other roles', async () => {
    expect(parseKeyCommunity('labs')).toEqual({ community: 'labs', canRead: true, canWrite: true });
    expect(parseKeyCommunity('labs:read')).toEqual({ community: 'labs', canRead: true, canWrite: false });
    expect(parseKeyCommunity('labs:write')).toEqual({ community: 'labs', canRead: false, canWrite: true });
    expect(() => parseKeyCommunity('labs:all')).toThrow(/COMMUNITY/);
    expect(() => generateApiKey({ role: 'partner' })).toThrow(/at least one sharing community/);
    expect(() => generateApiKey({ role: 'analyst', communities: [parseKeyCommunity('labs')] })).toThrow(/only partner keys/);
    expect(roleAllows('partner', 'analyst')).toBe(false);

    const partner = generateApiKey({ role: 'partner', communities: [parseKeyCommunity('labs:read'), parseKeyCommunity('other')] });
    expect(describeApiKey(partner.record).communities).toEqual([
      { community: 'labs', can_read: true, can_write: false },
      { community: 'other', can_read: true, can_write: true },
    ]);
    const store = await DuckDbStore.open({ path: join(mkdtempSync(join(tmpdir(), 'keys-')), 'store.duckdb'), create: true, memoryLimit: '128MB' });
    try {
      await ensureServiceTables(store);
      await insertApiKey(store, partner.record);
      await insertApiKey(store, generateApiKey({ role: 'admin' }).record);
      const [stored, admin] = [...(await listApiKeys(store))].sort((a) => (a.role === 'partner' ? -1 : 1));
      expect(stored).toEqual(partner.record);
      expect(admin!.communities).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
