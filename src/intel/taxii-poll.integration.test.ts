import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../ingest/test-support/cli-runner.js';
import { createTestService, type TestService } from '../service/test-support/service-fixture.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { ensurePartnerIntelTables, readPartnerIntel, saveCommunityKey } from '../store/partner-intel-tables.js';
import type { ClusterTrait } from './cluster-traits-reader.js';
import { buildIntelBundle } from './intel-bundle-builder.js';
import { createCommunityKey, hashIndicator } from './keyed-indicators.js';
import { registerTaxiiRoutes, TAXII_MEDIA_TYPE, taxiiCollectionId } from './taxii-routes.js';

const SECRET = 'a shared community secret of 32b';
const LABS = createCommunityKey('labs', Buffer.from(SECRET));
const DAY = 86_400_000;
const start = Date.parse('2026-11-01T00:00:00.000Z');

let dir: string;
let providerA: TestService;
let apiRoot: string;
let partnerKeyFile: string;

function bundleFor(ip: string, clusterId: string) {
  const trait: ClusterTrait = { clusterId, kind: 'ip', value: ip, exchanges: 80, accounts: 4, allAccounts: 4, firstSeen: start, lastSeen: start + 5 * DAY };
  return buildIntelBundle(
    [{ clusterId, verdict: 'confirmed', score: 0.95, accounts: 4, exchanges: 80, capabilities: { coding: 1 }, firstSeen: start, lastSeen: start + 5 * DAY, signals: ['exit_pool'] }],
    [trait],
    [{ clusterId, bins: [11, 22, 33, 44, 55, 66, 77, 88], exchanges: 60, accounts: 4, firstSeen: start, lastSeen: start + 5 * DAY }],
    { key: LABS, producer: 'Provider A', now: start + 6 * DAY },
  );
}

async function publishOnA(objects: unknown[]): Promise<void> {
  const response = await providerA.app.inject({
    method: 'POST',
    url: `/taxii2/api/collections/${taxiiCollectionId('labs')}/objects/`,
    headers: { ...providerA.auth('admin'), accept: TAXII_MEDIA_TYPE, 'content-type': TAXII_MEDIA_TYPE },
    payload: JSON.stringify({ objects }),
  });
  expect(response.statusCode, response.body).toBe(202);
}

function poll(db: string) {
  return runCli([
    'intel', 'poll', '--url', apiRoot, '--collection', 'labs', '--key-file', partnerKeyFile,
    '--db', db, '--community-key-file', join(dir, 'community.key'), '--community', 'labs',
  ]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'distillguard-taxii-'));
  writeFileSync(join(dir, 'community.key'), `${SECRET}\n`);
  providerA = await createTestService({ routes: [registerTaxiiRoutes] });
  await providerA.core.withStore(async (store) => {
    await ensurePartnerIntelTables(store);
    await saveCommunityKey(store, { community: 'labs', keyId: LABS.keyId, key: LABS.key });
  });
  const address = await providerA.app.listen({ port: 0, host: '127.0.0.1' });
  apiRoot = `${address}/taxii2/api/`;
  const { key } = await providerA.core.createKey({ role: 'partner', name: 'Provider B', communities: [{ community: 'labs', canRead: true, canWrite: false }] });
  partnerKeyFile = join(dir, 'partner.key');
  writeFileSync(partnerKeyFile, `${key}\n`);
}, 60_000);

afterAll(async () => {
  await providerA?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('intel poll against a serve instance', () => {
  it("pulls a partner's collection with added_after, imports the keyed indicators and sketches, and never receives a raw value", async () => {
    const first = bundleFor('198.51.100.23', 'C1');
    await publishOnA(first.objects);
    const db = join(dir, 'b.duckdb');
    const added = await runCli(['intel', 'add-key', '--db', db, '--community-key-file', join(dir, 'community.key'), '--community', 'labs']);
    expect(added.stdout).toBe(`Kept the key ${LABS.keyId} of the sharing community labs; its TAXII collection is ${taxiiCollectionId('labs')}\n`);

    const pulled = await poll(db);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toMatch(new RegExp(`^Pulled ${first.objects.length} objects in 1 pages; imported 1 indicators and 1 template sketches \\(community labs, key ${LABS.keyId}\\); next poll from \\S+Z\\n$`));

    const again = await poll(db);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Pulled 0 objects in 1 pages; imported 0 indicators/);

    await publishOnA(bundleFor('203.0.113.9', 'C2').objects.filter((object) => object.type === 'indicator'));
    const later = await poll(db);
    expect(later.stdout).toMatch(/^Pulled 1 objects in 1 pages; imported 1 indicators and 0 template sketches/);

    const store = await DuckDbStore.open({ path: db, readOnly: true, memoryLimit: '128MB' });
    try {
      const intel = await readPartnerIntel(store);
      expect(intel.indicators.map((indicator) => indicator.hash).sort()).toEqual([hashIndicator(LABS, 'ip', '198.51.100.23'), hashIndicator(LABS, 'ip', '203.0.113.9')].sort());
      expect(intel.sketches[0]!.bins).toEqual([11, 22, 33, 44, 55, 66, 77, 88]);
      expect(intel.indicators[0]!.source).toBe('Provider A (labs)');
    } finally {
      store.close();
    }
    expect(readFileSync(db).includes('198.51.100.23')).toBe(false);
  });

  it('makes partner keys from the CLI with their communities', async () => {
    const db = join(dir, 'keys.duckdb');
    const made = await runCli(['keys', 'create', '--db', db, '--role', 'partner', '--name', 'Provider C', '--community', 'labs:read', '--community', 'other', '--json']);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({
      role: 'partner',
      communities: [
        { community: 'labs', can_read: true, can_write: false },
        { community: 'other', can_read: true, can_write: true },
      ],
    });
    const refused = await runCli(['keys', 'create', '--db', db, '--role', 'partner']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/at least one sharing community/);
  });

  it('reports a refusal from the server', async () => {
    const db = join(dir, 'c.duckdb');
    (await DuckDbStore.open({ path: db, create: true, memoryLimit: '128MB' })).close();
    const refused = await runCli([
      'intel', 'poll', '--url', apiRoot, '--collection', 'other', '--key-file', partnerKeyFile,
      '--db', db, '--community-key-file', join(dir, 'community.key'), '--community', 'other',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/answered 404/);
  });
});
