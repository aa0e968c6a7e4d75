import { afterEach, describe, expect, it } from 'vitest';
import { createTestService, type TestService } from '../service/test-support/service-fixture.js';
import { ensurePartnerIntelTables, readPartnerIntel, saveCommunityKey } from '../store/partner-intel-tables.js';
import { addTaxiiObjects, ensureTaxiiTables } from '../store/taxii-tables.js';
import type { ClusterTrait } from './cluster-traits-reader.js';
import { buildIntelBundle } from './intel-bundle-builder.js';
import { createCommunityKey, hashIndicator } from './keyed-indicators.js';
import { stixId } from './stix-identifiers.js';
import { formatMicros, parseMicros, registerTaxiiRoutes, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE, taxiiCollectionId } from './taxii-routes.js';

const ROOT = '/taxii2/api/';
const LABS = createCommunityKey('labs', Buffer.from('a shared community secret of 32b'));
const OTHER = createCommunityKey('other', Buffer.from('another community secret, 32 b!'));
const labs = taxiiCollectionId('labs');
const other = taxiiCollectionId('other');

const services: TestService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

async function start(): Promise<TestService> {
  const service = await createTestService({ routes: [registerTaxiiRoutes] });
  services.push(service);
  await service.core.withStore(async (store) => {
    await ensurePartnerIntelTables(store);
    for (const key of [LABS, OTHER]) await saveCommunityKey(store, { community: key.community, keyId: key.keyId, key: key.key });
  });
  return service;
}

async function partnerKey(service: TestService, communities: { community: string; canRead: boolean; canWrite: boolean }[]): Promise<Record<string, string>> {
  const { key } = await service.core.createKey({ role: 'partner', name: 'Provider B', communities });
  return { authorization: `Bearer ${key}`, accept: TAXII_MEDIA_TYPE };
}

function indicator(n: number, modified = '2026-11-01T00:00:00.000Z'): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: stixId('indicator', 'test', String(n)),
    created: '2026-11-01T00:00:00.000Z',
    modified,
    pattern: "[ipv4-addr:value = '198.51.100.1']",
    pattern_type: 'stix',
    valid_from: '2026-11-01T00:00:00.000Z',
  };
}

async function seed(service: TestService, community: string, objects: Record<string, unknown>[], now = Date.now()): Promise<void> {
  await service.core.withStore(async (store) => {
    await ensureTaxiiTables(store);
    await addTaxiiObjects(store, community, objects.map((object) => ({ id: String(object.id), type: String(object.type), version: String(object.modified), specVersion: '2.1', object })), now);
  });
}

describe('TAXII 2.1 server', () => {
  it('answers discovery, the API root and collections with the required fields in the TAXII media type', async () => {
    const service = await start();
    const headers = await partnerKey(service, [{ community: 'labs', canRead: true, canWrite: false }]);

    const discovery = await service.app.inject({ method: 'GET', url: '/taxii2/', headers });
    expect(discovery.statusCode).toBe(200);
    expect(discovery.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(discovery.json()).toMatchObject({ title: expect.any(String), api_roots: [expect.stringMatching(/^https?:\/\/.+\/taxii2\/api\/$/)] });

    const root = await service.app.inject({ method: 'GET', url: ROOT, headers });
    expect(root.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(root.json()).toEqual({ title: expect.any(String), versions: [TAXII_MEDIA_TYPE], max_content_length: expect.any(Number) });

    const collections = await service.app.inject({ method: 'GET', url: `${ROOT}collections/`, headers });
    expect(collections.json()).toEqual({
      collections: [{ id: labs, title: 'labs', description: expect.any(String), can_read: true, can_write: false, media_types: [STIX_MEDIA_TYPE] }],
    });
    const admin = await service.app.inject({ method: 'GET', url: `${ROOT}collections/`, headers: { ...service.auth('admin'), accept: TAXII_MEDIA_TYPE } });
    expect(admin.json().collections.map((entry: { title: string }) => entry.title).sort()).toEqual(['labs', 'other']);

    const one = await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/`, headers });
    expect(one.json()).toMatchObject({ id: labs, can_read: true, can_write: false });
  });

  it('pages objects and manifests with limit, next and more, and gives the date-added headers', async () => {
    const service = await start();
    const headers = await partnerKey(service, [{ community: 'labs', canRead: true, canWrite: false }]);
    const objects = Array.from({ length: 5 }, (_, n) => indicator(n));
    await seed(service, 'labs', objects);

    const seen: Record<string, unknown>[] = [];
    const dates: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const response = await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, query: { limit: '2', ...(next ? { next } : {}) }, headers });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
      const body = response.json();
      expect(body.objects.length).toBeLessThanOrEqual(2);
      expect(typeof body.more).toBe('boolean');
      expect(body.more).toBe(body.next !== undefined);
      expect(parseMicros(String(response.headers['x-taxii-date-added-first']))).not.toBeNull();
      dates.push(String(response.headers['x-taxii-date-added-first']), String(response.headers['x-taxii-date-added-last']));
      seen.push(...body.objects);
      next = body.next;
      pages++;
    } while (next !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(objects);
    expect([...dates].sort()).toEqual(dates);

    const manifest = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/manifest/`, headers })).json();
    expect(manifest.more).toBe(false);
    expect(manifest.objects).toHaveLength(5);
    expect(manifest.objects[0]).toEqual({ id: objects[0]!.id, date_added: expect.any(String), version: '2026-11-01T00:00:00.000Z', media_type: STIX_MEDIA_TYPE });

    const byId = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/${String(objects[3]!.id)}/`, headers })).json();
    expect(byId.objects).toEqual([objects[3]]);
    const byType = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, query: { 'match[type]': 'campaign' }, headers })).json();
    expect(byType).toEqual({ more: false });
    const matchId = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, query: { 'match[id]': `${String(objects[1]!.id)},${String(objects[2]!.id)}` }, headers })).json();
    expect(matchId.objects).toEqual([objects[1], objects[2]]);
  });

  it('gives only objects added after added_after, and only the latest version unless asked for all', async () => {
    const service = await start();
    const headers = await partnerKey(service, [{ community: 'labs', canRead: true, canWrite: false }]);
    await seed(service, 'labs', [indicator(1), indicator(2)], Date.parse('2026-12-01T00:00:00.000Z'));
    const first = await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, headers });
    const last = String(first.headers['x-taxii-date-added-last']);
    expect(last).toMatch(/^2026-12-01T00:00:00\.000\d{3}Z$/);

    await seed(service, 'labs', [indicator(3), indicator(1, '2026-11-02T00:00:00.000Z')], Date.parse('2026-12-02T00:00:00.000Z'));
    const later = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, query: { added_after: last }, headers })).json();
    expect(later.objects.map((object: { id: string; modified: string }) => [object.id, object.modified])).toEqual([
      [indicator(3).id, '2026-11-01T00:00:00.000Z'],
      [indicator(1).id, '2026-11-02T00:00:00.000Z'],
    ]);
    const everything = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, headers })).json();
    expect(everything.objects).toHaveLength(3);
    const versions = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, query: { 'match[version]': 'all' }, headers })).json();
    expect(versions.objects).toHaveLength(4);
    const bad = await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, query: { added_after: 'yesterday' }, headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect(bad.json()).toMatchObject({ title: expect.any(String), http_status: '400' });
  });

  it('refuses a community the partner key lacks (403), writes without can_write (403), and other roles', async () => {
    const service = await start();
    const reader = await partnerKey(service, [{ community: 'labs', canRead: true, canWrite: false }]);
    const envelope = JSON.stringify({ objects: [indicator(1)] });
    const post = (collection: string, headers: Record<string, string>) =>
      service.app.inject({ method: 'POST', url: `${ROOT}collections/${collection}/objects/`, headers: { ...headers, 'content-type': TAXII_MEDIA_TYPE }, payload: envelope });

    const lacking = await service.app.inject({ method: 'GET', url: `${ROOT}collections/${other}/objects/`, headers: reader });
    expect(lacking.statusCode).toBe(403);
    expect(lacking.json()).toMatchObject({ http_status: '403' });
    expect((await service.app.inject({ method: 'GET', url: `${ROOT}collections/${other}/`, headers: reader })).statusCode).toBe(403);
    expect((await post(labs, reader)).statusCode).toBe(403);

    const writer = await partnerKey(service, [{ community: 'labs', canRead: false, canWrite: true }]);
    expect((await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, headers: writer })).statusCode).toBe(403);
    expect((await post(labs, writer)).statusCode).toBe(202);

    expect((await service.app.inject({ method: 'GET', url: `${ROOT}collections/`, headers: { ...service.auth('analyst'), accept: TAXII_MEDIA_TYPE } })).statusCode).toBe(403);
    const anonymous = await service.app.inject({ method: 'GET', url: `${ROOT}collections/`, headers: { accept: TAXII_MEDIA_TYPE } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    expect((await service.app.inject({ method: 'GET', url: `${ROOT}collections/${taxiiCollectionId('nowhere')}/`, headers: reader })).statusCode).toBe(404);
    // A partner key reaches none of the service's other routes.
    expect((await service.app.inject({ method: 'GET', url: '/v1/keys', headers: reader })).statusCode).toBe(403);
  });

  it('refuses a request that does not accept the TAXII media type (406) and a body in another (415)', async () => {
    const service = await start();
    const headers = await partnerKey(service, [{ community: 'labs', canRead: true, canWrite: true }]);
    expect((await service.app.inject({ method: 'GET', url: `${ROOT}collections/`, headers: { ...headers, accept: 'application/json' } })).statusCode).toBe(406);
    expect((await service.app.inject({ method: 'GET', url: `${ROOT}collections/`, headers: { ...headers, accept: 'application/taxii+json;version=2.0' } })).statusCode).toBe(406);
    expect((await service.app.inject({ method: 'GET', url: `${ROOT}collections/`, headers: { ...headers, accept: 'application/taxii+json' } })).statusCode).toBe(200);
    const wrongBody = await service.app.inject({
      method: 'POST',
      url: `${ROOT}collections/${labs}/objects/`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ objects: [indicator(1)] }),
    });
    expect(wrongBody.statusCode).toBe(415);
    expect(wrongBody.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
  });

  it("stores a partner's POST, answers with a status resource, and imports its keyed indicators as partner intel", async () => {
    const service = await start();
    const headers = await partnerKey(service, [{ community: 'labs', canRead: true, canWrite: true }]);
    const trait: ClusterTrait = { clusterId: 'C1', kind: 'ip', value: '198.51.100.23', exchanges: 40, accounts: 4, allAccounts: 4, firstSeen: Date.parse('2026-11-01'), lastSeen: Date.parse('2026-11-05') };
    const bundle = buildIntelBundle(
      [{ clusterId: 'C1', verdict: 'confirmed', score: 0.9, accounts: 4, exchanges: 40, capabilities: {}, firstSeen: trait.firstSeen, lastSeen: trait.lastSeen, signals: [] }],
      [trait],
      [],
      { key: LABS, producer: 'Provider B', now: Date.parse('2026-11-06') },
    );
    const posted = await service.app.inject({
      method: 'POST',
      url: `${ROOT}collections/${labs}/objects/`,
      headers: { ...headers, 'content-type': TAXII_MEDIA_TYPE },
      payload: JSON.stringify({ objects: [...bundle.objects, { type: 'indicator', id: 'not-an-id' }] }),
    });
    expect(posted.statusCode, posted.body).toBe(202);
    expect(posted.headers['content-type']).toBe(TAXII_MEDIA_TYPE);
    const status = posted.json();
    expect(status).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'complete',
      request_timestamp: expect.any(String),
      total_count: bundle.objects.length + 1,
      success_count: bundle.objects.length,
      failure_count: 1,
      failures: [{ id: 'not-an-id', message: expect.any(String) }],
      pending_count: 0,
    });

    const again = await service.app.inject({ method: 'GET', url: `${ROOT}status/${status.id}/`, headers });
    expect(again.json()).toEqual(status);
    const stranger = await partnerKey(service, [{ community: 'labs', canRead: true, canWrite: true }]);
    expect((await service.app.inject({ method: 'GET', url: `${ROOT}status/${status.id}/`, headers: stranger })).statusCode).toBe(404);

    const held = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, query: { limit: '1000' }, headers })).json();
    expect(held.objects).toHaveLength(bundle.objects.length);
    const intel = await service.core.withStore((store) => readPartnerIntel(store));
    expect(intel.indicators).toEqual([expect.objectContaining({ kind: 'ip', hash: hashIndicator(LABS, 'ip', '198.51.100.23'), source: 'Provider B (labs)' })]);
  });

  it('publishes nothing but the bundle frame from a store with no clusters, and refuses a community it holds no key of', async () => {
    const service = await start();
    const published = await service.app.inject({ method: 'POST', url: '/v1/intel/publish', headers: service.auth('analyst'), payload: { community: 'labs', producer: 'Provider A' } });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ collection: labs, clusters: 0, indicators: 0 });
    const headers = await partnerKey(service, [{ community: 'labs', canRead: true, canWrite: false }]);
    const held = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/${labs}/objects/`, headers })).json();
    expect(held.objects ?? []).toHaveLength(published.json().added);
    const missing = await service.app.inject({ method: 'POST', url: '/v1/intel/publish', headers: service.auth('analyst'), payload: { community: 'nowhere' } });
    expect(missing.statusCode).toBe(404);
    expect((await service.app.inject({ method: 'POST', url: '/v1/intel/publish', headers: { authorization: headers.authorization! }, payload: { community: 'labs' } })).statusCode).toBe(403);
  });

  it('lets an admin make a partner key over the API, refuses one without communities, and documents the TAXII routes', async () => {
    const service = await start();
    const made = await service.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: service.auth('admin'),
      payload: { role: 'partner', name: 'Provider C', communities: [{ community: 'other', can_write: false }] },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ role: 'partner', rate_limit: 20, communities: [{ community: 'other', can_read: true, can_write: false }] });
    const headers = { authorization: `Bearer ${made.json().key}`, accept: TAXII_MEDIA_TYPE };
    const collections = (await service.app.inject({ method: 'GET', url: `${ROOT}collections/`, headers })).json();
    expect(collections.collections).toEqual([expect.objectContaining({ id: other, can_read: true, can_write: false })]);
    const listed = (await service.app.inject({ method: 'GET', url: '/v1/keys', headers: service.auth('admin') })).json();
    expect(listed.keys.find((key: { name: string }) => key.name === 'Provider C').communities).toEqual([{ community: 'other', can_read: true, can_write: false }]);

    const without = await service.app.inject({ method: 'POST', url: '/v1/keys', headers: service.auth('admin'), payload: { role: 'partner' } });
    expect(without.statusCode).toBe(400);
    expect(without.json().detail).toMatch(/at least one sharing community/);

    const openapi = (await service.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/taxii2/', '/taxii2/api/collections/{collection}/objects/', '/v1/intel/publish']));
  });

  it('keeps microseconds in TAXII timestamps', () => {
    expect(formatMicros(parseMicros('2026-12-01T10:00:00.123456Z')!)).toBe('2026-12-01T10:00:00.123456Z');
    expect(parseMicros('2026-12-01T10:00:00Z')).toBe(Date.parse('2026-12-01T10:00:00Z') * 1000);
  });
});
