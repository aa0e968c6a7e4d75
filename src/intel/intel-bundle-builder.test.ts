import { describe, expect, it } from 'vitest';
import type { ClusterTemplateSketch, ClusterTrait } from './cluster-traits-reader.js';
import { buildIntelBundle, clusterConfidence, TEMPLATE_SKETCH_TYPE, type SharedCluster } from './intel-bundle-builder.js';
import { createCommunityKey, hashIndicator, parseIndicatorPattern } from './keyed-indicators.js';
import { createStixSchemaValidator } from './test-support/stix-schema-validator.js';
import { tlpMarkingId } from './tlp-markings.js';

const key = createCommunityKey('labs', Buffer.from('a shared community secret of 32b'));
const DAY = 86_400_000;
const start = Date.parse('2026-11-01T00:00:00.000Z');

const clusters: SharedCluster[] = [
  { clusterId: 'C1', verdict: 'confirmed', score: 0.97, accounts: 12, exchanges: 4000, capabilities: { coding: 0.7, reasoning: 0.3 }, firstSeen: start, lastSeen: start + 9 * DAY, signals: ['shared_template', 'exit_pool'] },
  { clusterId: 'C2', verdict: 'flagged', score: 0.6, accounts: 4, exchanges: 300, capabilities: { math: 1 }, firstSeen: start + DAY, lastSeen: start + 2 * DAY, signals: [] },
];

function trait(clusterId: string, kind: ClusterTrait['kind'], value: string, accounts: number, allAccounts: number): ClusterTrait {
  return { clusterId, kind, value, exchanges: 50 * accounts, accounts, allAccounts, firstSeen: start, lastSeen: start + 5 * DAY };
}

const traits: ClusterTrait[] = [
  trait('C1', 'ip', '198.51.100.23', 5, 5),
  trait('C1', 'ip', '2001:db8:4::17', 2, 2),
  trait('C1', 'subnet', '198.51.100.0/24', 8, 10),
  trait('C1', 'payment', 'card_fp_7f3a9c', 12, 12),
  trait('C1', 'email_domain', 'harvest-mail.example', 12, 12),
  trait('C1', 'user_agent', 'python-requests/2.31.0', 3, 400),
  trait('C1', 'tls', 't13d1516h2_8daaf6152771_02713d6af862', 12, 13),
  trait('C2', 'ip', '198.51.100.23', 4, 5),
];
const templates: ClusterTemplateSketch[] = [{ clusterId: 'C1', bins: [1, 2, 3, 4, 5, 6, 7, 65535], exchanges: 900, accounts: 10, firstSeen: start, lastSeen: start + 8 * DAY }];

const bundle = buildIntelBundle(clusters, traits, templates, { key, producer: 'Example AI', now: start + 10 * DAY });
const ofType = (type: string) => bundle.objects.filter((object) => object.type === type);

describe('buildIntelBundle', () => {
  it('produces a bundle whose every object validates against the OASIS STIX 2.1 schemas', () => {
    const validator = createStixSchemaValidator();
    expect(validator.bundle(bundle)).toEqual([]);
    for (const object of bundle.objects) expect(validator.object(object), `${object.type} ${object.id}`).toEqual([]);
  });

  it('puts no raw indicator value in the bundle, only keyed hashes whose patterns a member can match', () => {
    const text = JSON.stringify(bundle);
    for (const { value } of traits) expect(text).not.toContain(value);
    const patterns = ofType('indicator').map((indicator) => parseIndicatorPattern(String(indicator.pattern)));
    expect(patterns).toContainEqual({ kind: 'ip', hash: hashIndicator(key, 'ip', '198.51.100.23') });
    expect(patterns).toContainEqual({ kind: 'payment', hash: hashIndicator(key, 'payment', 'card_fp_7f3a9c') });
    expect(patterns.every((pattern) => pattern !== null)).toBe(true);
  });

  it('leaves out values the cluster mostly does not own, and shares one indicator per value across clusters', () => {
    const patterns = ofType('indicator').map((indicator) => parseIndicatorPattern(String(indicator.pattern))!);
    expect(patterns.map((pattern) => pattern.kind).sort()).toEqual(['email_domain', 'ip', 'ip', 'payment', 'subnet', 'tls']);
    const shared = ofType('indicator').find((indicator) => parseIndicatorPattern(String(indicator.pattern))!.hash === hashIndicator(key, 'ip', '198.51.100.23'))!;
    const relationships = ofType('relationship').filter((relationship) => relationship.source_ref === shared.id);
    expect(relationships).toHaveLength(2);
    const sighting = ofType('sighting').find((item) => item.sighting_of_ref === shared.id)!;
    expect(sighting.count).toBe(450);
  });

  it('names the community and key, marks everything TLP:AMBER by default and sets confidence from the verdict or score', () => {
    const amber = tlpMarkingId('amber');
    for (const object of bundle.objects.filter((item) => item.type !== 'marking-definition')) expect(object.object_marking_refs).toEqual([amber]);
    const indicator = ofType('indicator')[0]!;
    expect(Object.values(indicator.extensions as object)[0]).toMatchObject({ community: 'labs', key_id: key.keyId });
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(clusterConfidence({ verdict: 'confirmed', score: 0.3 })).toBe(90);
    expect(clusterConfidence({ verdict: 'flagged', score: 0.6 })).toBe(51);
    const campaigns = ofType('campaign');
    expect(campaigns.map((campaign) => campaign.confidence)).toEqual([90, 51]);
    expect(campaigns[0]).toMatchObject({ first_seen: '2026-11-01T00:00:00.000Z', last_seen: '2026-11-10T00:00:00.000Z', x_distillguard_capabilities: { coding: 0.7, reasoning: 0.3 } });
  });

  it('makes indicators decay: an address is valid 30 days past its last sighting, a card 180', () => {
    const validUntil = (kind: string) =>
      ofType('indicator').find((indicator) => parseIndicatorPattern(String(indicator.pattern))!.kind === kind)!.valid_until;
    expect(validUntil('ip')).toBe(new Date(start + 35 * DAY).toISOString());
    expect(validUntil('payment')).toBe(new Date(start + 185 * DAY).toISOString());
  });

  it('shares template sketches as keyed bins in a custom object its extension definition declares', () => {
    const [sketch] = ofType(TEMPLATE_SKETCH_TYPE);
    expect(sketch!.bins).toHaveLength(8);
    expect(new Set(sketch!.bins as string[]).size).toBe(8);
    const extensionId = Object.keys(sketch!.extensions as object)[0]!;
    expect(ofType('extension-definition').map((definition) => definition.id)).toEqual([extensionId]);
  });

  it('gives the same objects the same ids when exported again later, so partners update rather than duplicate', () => {
    const again = buildIntelBundle(clusters, traits, templates, { key, producer: 'Example AI', now: start + 11 * DAY });
    expect(again.objects.map((object) => object.id)).toEqual(bundle.objects.map((object) => object.id));
  });
});
