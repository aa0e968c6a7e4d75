import { loadPublicMailDomains } from '../config/public-mail-domains.js';
import { analyzeStore } from '../analysis/index.js';
import type { Findings } from '../model/findings.js';
import type { DetectionConfig } from '../scoring/index.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { listLabels, type LabelRecord } from '../store/service-tables.js';
import type { Logger } from '../util/log.js';
import { readClusterTraits } from './cluster-traits-reader.js';
import { buildIntelBundle, TEMPLATE_SKETCH_TYPE, type SharedCluster, type StixBundle } from './intel-bundle-builder.js';
import type { CommunityKey } from './keyed-indicators.js';
import type { TlpLevel } from './tlp-markings.js';

export interface IntelExportOptions {
  key: CommunityKey;
  /** The producer's name in the bundle's identity, e.g. the provider's name. */
  producer: string;
  tlp?: TlpLevel;
  config: DetectionConfig;
  /** Share clusters flagged by the analysis too, not only those an analyst confirmed. */
  includeFlagged?: boolean;
  now?: number;
  logger?: Pick<Logger, 'debug' | 'info' | 'warn'>;
  /** Findings already computed for this store; analysed afresh when absent. */
  findings?: Findings;
}

export interface IntelExportResult {
  bundle: StixBundle;
  clusters: number;
  indicators: number;
  templates: number;
}

/**
 * The one export entry point the CLI and the service call: analyse the store (or take its
 * findings), pick the clusters to share (confirmed by an analyst, or flagged and not dismissed),
 * read their traits and build the keyed bundle.
 */
export async function exportIntelBundle(store: DuckDbStore, options: IntelExportOptions): Promise<IntelExportResult> {
  const now = options.now ?? Date.now();
  const findings = options.findings ?? (await analyzeStore(store, { config: options.config, logger: options.logger })).findings;
  const verdicts = latestVerdicts(await readLabelsIfAny(store));
  const clusters: SharedCluster[] = [];
  const members = new Map<string, string>();
  for (const cluster of findings.clusters) {
    const clusterVerdict = verdicts.get(`cluster\u0000${cluster.cluster_id}`);
    if (clusterVerdict === 'dismissed') continue;
    const confirmedMember = cluster.accounts.some((account) => verdicts.get(`account\u0000${account}`) === 'confirmed');
    const verdict = clusterVerdict === 'confirmed' || confirmedMember ? 'confirmed' : cluster.flagged && options.includeFlagged !== false ? 'flagged' : null;
    if (verdict === null) continue;
    const shared = cluster.accounts.filter((account) => verdicts.get(`account\u0000${account}`) !== 'dismissed');
    if (shared.length === 0) continue;
    for (const account of shared) members.set(account, cluster.cluster_id);
    clusters.push({
      clusterId: cluster.cluster_id,
      verdict,
      score: cluster.score,
      accounts: shared.length,
      exchanges: cluster.volume.exchanges,
      capabilities: cluster.capabilities,
      firstSeen: cluster.first_seen === null ? null : Date.parse(cluster.first_seen),
      lastSeen: cluster.last_seen === null ? null : Date.parse(cluster.last_seen),
      signals: [...new Set(cluster.evidence.filter((item) => item.weight > 0).map((item) => item.signal))],
    });
  }
  const { traits, templates } = await readClusterTraits(store, members, {
    publicMailDomains: loadPublicMailDomains(),
    templateMinTokens: options.config.behaviour.promptTemplates?.minTokens,
  });
  const bundle = buildIntelBundle(clusters, traits, templates, { key: options.key, producer: options.producer, tlp: options.tlp, now });
  const count = (type: string) => bundle.objects.filter((object) => object.type === type).length;
  options.logger?.info({ clusters: clusters.length, indicators: count('indicator') }, 'intel bundle built');
  return { bundle, clusters: clusters.length, indicators: count('indicator'), templates: count(TEMPLATE_SKETCH_TYPE) };
}

async function readLabelsIfAny(store: DuckDbStore): Promise<LabelRecord[]> {
  const present = Number(await store.scalar<bigint>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'service_labels'"));
  return present > 0 ? listLabels(store) : [];
}

/** The verdict in force per target: the latest recorded. */
function latestVerdicts(labels: readonly LabelRecord[]): Map<string, LabelRecord['verdict']> {
  const verdicts = new Map<string, LabelRecord['verdict']>();
  for (const label of labels) verdicts.set(`${label.target}\u0000${label.targetId}`, label.verdict);
  return verdicts;
}
