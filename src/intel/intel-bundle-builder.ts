import type { ClusterTemplateSketch, ClusterTrait } from './cluster-traits-reader.js';
import { hashIndicator, hashSketchBin, indicatorPattern, type CommunityKey, type IndicatorKind } from './keyed-indicators.js';
import { stixId, stixTimestamp } from './stix-identifiers.js';
import { tlpMarkingDefinition, tlpMarkingId, type TlpLevel } from './tlp-markings.js';

/**
 * Builds the STIX 2.1 bundle a provider shares: a producer identity, one campaign per shared
 * cluster, keyed-hash indicators with sightings and `indicates` relationships, template sketches
 * as a custom object declared by an extension definition, and TLP 2.0 markings. Pure: the raw
 * values come in, only keyed hashes go out.
 */

export type StixObject = Record<string, unknown> & { type: string; id: string };

export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

export type ClusterVerdict = 'confirmed' | 'flagged';

export interface SharedCluster {
  clusterId: string;
  verdict: ClusterVerdict;
  score: number;
  accounts: number;
  exchanges: number;
  capabilities: Record<string, number>;
  firstSeen: number | null;
  lastSeen: number | null;
  /** Evidence signal names (never their details, which may quote prompts). */
  signals: string[];
}

export interface IntelBundleOptions {
  key: CommunityKey;
  producer: string;
  tlp?: TlpLevel;
  now: number;
  /** Days an indicator stays valid after it was last seen, per kind. */
  validityDays?: Partial<Record<IndicatorKind | 'template', number>>;
  /**
   * A value is shared only when at least this share of the accounts using it are in the cluster:
   * an address most of whose users are ordinary customers (a campus NAT, a popular client) would
   * only make partners suspect strangers.
   */
  minOwnership?: number;
}

/** The extension that declares the template sketch object and the keyed-hash properties on indicators. */
export const DISTILLGUARD_EXTENSION_ID = 'extension-definition--2c6d8f8e-4b5a-4f3e-9d51-7a0c8b1e6f42';
export const TEMPLATE_SKETCH_TYPE = 'x-distillguard-template-sketch';
const EXTENSION_CREATED = '2026-12-01T00:00:00.000Z';

/**
 * Exit addresses rotate within weeks, a subnet or client build lasts longer, and a card or a
 * harness is reused for months; an indicator past its validity stops counting at a partner.
 */
const DEFAULT_VALIDITY_DAYS: Record<IndicatorKind | 'template', number> = {
  ip: 30,
  subnet: 60,
  user_agent: 90,
  tls: 90,
  payment: 180,
  email_domain: 180,
  template: 180,
};
const DAY_MS = 86_400_000;

/** Analyst verdicts are firm; an automatic flag's confidence follows its score and stays below a verdict's. */
export function clusterConfidence(cluster: Pick<SharedCluster, 'verdict' | 'score'>): number {
  if (cluster.verdict === 'confirmed') return 90;
  return Math.max(1, Math.min(85, Math.round(cluster.score * 85)));
}

export function buildIntelBundle(
  clusters: readonly SharedCluster[],
  traits: readonly ClusterTrait[],
  templates: readonly ClusterTemplateSketch[],
  { key, producer, tlp = 'amber', now, validityDays = {}, minOwnership = 0.5 }: IntelBundleOptions,
): StixBundle {
  const validity = { ...DEFAULT_VALIDITY_DAYS, ...validityDays };
  const created = stixTimestamp(now);
  const identityId = stixId('identity', producer);
  const marking = tlpMarkingId(tlp);
  const common = { spec_version: '2.1', created, modified: created, created_by_ref: identityId, object_marking_refs: [marking] };
  const community = { community: key.community, key_id: key.keyId };
  const objects: StixObject[] = [
    tlpMarkingDefinition(tlp) as StixObject,
    { type: 'identity', spec_version: '2.1', id: identityId, created, modified: created, name: producer, identity_class: 'organization', object_marking_refs: [marking] },
    {
      type: 'extension-definition',
      spec_version: '2.1',
      id: DISTILLGUARD_EXTENSION_ID,
      created_by_ref: identityId,
      created: EXTENSION_CREATED,
      modified: EXTENSION_CREATED,
      name: 'distillguard keyed indicators and template sketches',
      description:
        `Indicator patterns match HMAC-SHA256 (first 16 bytes, hex) of "<kind>:<value>" under the sharing community's key, named by community and key_id. ` +
        `${TEMPLATE_SKETCH_TYPE} holds a prompt template's 8-bin one-permutation MinHash (word 3-shingles), each bin keyed as HMAC-SHA256 of "template_bin:<bin>:<value>" (first 8 bytes); ` +
        'two prompts agree in a bin with probability equal to the Jaccard similarity of their shingles.',
      schema: 'docs/intel-sharing.md of distillguard, the producer: the properties above, in words',
      version: '1.0.0',
      extension_types: ['new-sdo', 'property-extension'],
      object_marking_refs: [marking],
    },
  ];

  const confidenceOf = new Map(clusters.map((cluster) => [cluster.clusterId, clusterConfidence(cluster)]));
  const campaignIdOf = new Map<string, string>();
  for (const cluster of clusters) {
    const campaignId = stixId('campaign', producer, cluster.clusterId, String(cluster.firstSeen ?? ''));
    campaignIdOf.set(cluster.clusterId, campaignId);
    const capabilities = Object.entries(cluster.capabilities)
      .filter(([, share]) => share >= 0.05)
      .sort((a, b) => b[1] - a[1]);
    const campaign: StixObject = {
      type: 'campaign',
      id: campaignId,
      ...common,
      name: `Distillation cluster ${cluster.clusterId} (${producer})`,
      description:
        `${cluster.accounts} accounts, ${cluster.exchanges} exchanges, ${cluster.verdict === 'confirmed' ? 'confirmed by an analyst' : 'flagged automatically'}` +
        (capabilities.length > 0 ? `; capabilities: ${capabilities.map(([name, share]) => `${name} ${Math.round(share * 100)}%`).join(', ')}` : ''),
      objective: 'Harvest model outputs to train another model (distillation)',
      confidence: confidenceOf.get(cluster.clusterId)!,
      x_distillguard_verdict: cluster.verdict,
      x_distillguard_score: Math.round(cluster.score * 1000) / 1000,
      x_distillguard_accounts: cluster.accounts,
      x_distillguard_exchanges: cluster.exchanges,
      x_distillguard_capabilities: Object.fromEntries(capabilities.map(([name, share]) => [name, Math.round(share * 1000) / 1000])),
      ...(cluster.signals.length > 0 ? { x_distillguard_signals: cluster.signals } : {}),
    };
    if (cluster.firstSeen !== null) campaign.first_seen = stixTimestamp(cluster.firstSeen);
    if (cluster.lastSeen !== null) campaign.last_seen = stixTimestamp(cluster.lastSeen);
    objects.push(campaign);
  }

  interface Pooled {
    kind: IndicatorKind;
    value: string;
    exchanges: number;
    firstSeen: number;
    lastSeen: number;
    confidence: number;
    links: ClusterTrait[];
  }
  const pooled = new Map<string, Pooled>();
  for (const trait of traits) {
    const campaignId = campaignIdOf.get(trait.clusterId);
    if (campaignId === undefined || trait.allAccounts <= 0 || trait.accounts / trait.allAccounts < minOwnership) continue;
    const poolKey = `${trait.kind}\u0000${trait.value}`;
    const confidence = Math.round(confidenceOf.get(trait.clusterId)! * (trait.accounts / trait.allAccounts));
    const entry = pooled.get(poolKey);
    if (entry === undefined) {
      pooled.set(poolKey, { kind: trait.kind, value: trait.value, exchanges: trait.exchanges, firstSeen: trait.firstSeen, lastSeen: trait.lastSeen, confidence, links: [trait] });
    } else {
      entry.exchanges += trait.exchanges;
      entry.firstSeen = Math.min(entry.firstSeen, trait.firstSeen);
      entry.lastSeen = Math.max(entry.lastSeen, trait.lastSeen);
      entry.confidence = Math.max(entry.confidence, confidence);
      entry.links.push(trait);
    }
  }
  for (const entry of pooled.values()) {
    const hash = hashIndicator(key, entry.kind, entry.value);
    const indicatorId = stixId('indicator', key.community, key.keyId, entry.kind, hash);
    objects.push({
      type: 'indicator',
      id: indicatorId,
      ...common,
      name: `${KIND_NAMES[entry.kind]} used by a distillation cluster (keyed hash)`,
      indicator_types: ['malicious-activity'],
      pattern: indicatorPattern(entry.kind, entry.value, hash),
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: stixTimestamp(entry.firstSeen),
      valid_until: stixTimestamp(Math.max(entry.lastSeen, entry.firstSeen + 1) + validity[entry.kind] * DAY_MS),
      confidence: entry.confidence,
      extensions: { [DISTILLGUARD_EXTENSION_ID]: { extension_type: 'property-extension', ...community, kind: entry.kind } },
    });
    objects.push({
      type: 'sighting',
      id: stixId('sighting', producer, indicatorId),
      ...common,
      sighting_of_ref: indicatorId,
      where_sighted_refs: [identityId],
      first_seen: stixTimestamp(entry.firstSeen),
      last_seen: stixTimestamp(Math.max(entry.lastSeen, entry.firstSeen + 1)),
      count: Math.min(999_999_999, entry.exchanges),
      confidence: entry.confidence,
    });
    for (const trait of entry.links) objects.push(indicatesRelationship(indicatorId, campaignIdOf.get(trait.clusterId)!, trait, common, producer));
  }

  for (const template of templates) {
    const campaignId = campaignIdOf.get(template.clusterId);
    if (campaignId === undefined) continue;
    const bins = template.bins.map((value, bin) => hashSketchBin(key, bin, value));
    const sketchId = stixId(TEMPLATE_SKETCH_TYPE, key.community, key.keyId, ...bins);
    objects.push({
      type: TEMPLATE_SKETCH_TYPE,
      id: sketchId,
      ...common,
      name: `Prompt template sketch of cluster ${template.clusterId}`,
      bins,
      exchanges: template.exchanges,
      accounts: template.accounts,
      first_seen: stixTimestamp(template.firstSeen),
      last_seen: stixTimestamp(template.lastSeen),
      valid_until: stixTimestamp(template.lastSeen + validity.template * DAY_MS),
      confidence: confidenceOf.get(template.clusterId)!,
      extensions: { [DISTILLGUARD_EXTENSION_ID]: { extension_type: 'new-sdo', ...community } },
    });
    objects.push(indicatesRelationship(sketchId, campaignId, template, common, producer));
  }
  return { type: 'bundle', id: stixId('bundle', producer, created), objects };
}

const KIND_NAMES: Record<IndicatorKind, string> = {
  ip: 'Client IP address',
  subnet: 'Client subnet',
  payment: 'Payment fingerprint',
  email_domain: 'Sign-up e-mail domain',
  user_agent: 'Client user agent',
  tls: 'TLS client fingerprint',
};

function indicatesRelationship(
  sourceRef: string,
  targetRef: string,
  use: { exchanges: number; accounts: number; firstSeen: number; lastSeen: number },
  common: Record<string, unknown>,
  producer: string,
): StixObject {
  return {
    type: 'relationship',
    id: stixId('relationship', producer, sourceRef, targetRef),
    ...common,
    relationship_type: 'indicates',
    source_ref: sourceRef,
    target_ref: targetRef,
    start_time: stixTimestamp(use.firstSeen),
    stop_time: stixTimestamp(Math.max(use.lastSeen, use.firstSeen + 1)),
    x_distillguard_exchanges: use.exchanges,
    x_distillguard_accounts: use.accounts,
  };
}
