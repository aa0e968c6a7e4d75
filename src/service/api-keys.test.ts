import { describe, expect, it } from 'vitest';
import { createApiKeyRegistry, generateApiKey, hashApiKey, roleAllows } from './api-keys.js';

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
});
