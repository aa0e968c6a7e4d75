import type { ClusterFinding } from '../../model/findings.js';
import { readAccountFacts, readTemplateTexts, readTrafficTimeline, readTraitUse, type AccountFacts, type TraitUse } from '../../store/workbench-queries.js';
import type { ServiceCore } from '../service-core.js';
import { fixedPositions } from './template-fills.js';

/** What the store says about a cluster's members, for its workbench view. */
export interface ClusterTraffic {
  facts: Map<string, AccountFacts>;
  traitUse: TraitUse[];
  timeline: Awaited<ReturnType<typeof readTrafficTimeline>>;
  /** Per template the cluster shows, in its order: the shape's tokens and the newest texts of that shape (null when the engine no longer knows the template). */
  templateTexts: ({ tokens: number[]; texts: string[] } | null)[];
}

export interface ClusterTrafficSource {
  /** The cluster's traffic as of the last relink; `graphMemberIds` are the members whose trait links the graph draws. */
  get(cluster: ClusterFinding, graphMemberIds: readonly string[]): Promise<ClusterTraffic>;
  /**
   * Reads these clusters' traffic ahead of the first request for it, one cluster at a time, each
   * once `whenQuiet` resolves (the reads would otherwise compete with an analyst's own).
   */
  prepare(clusters: readonly { cluster: ClusterFinding; graphMemberIds: readonly string[] }[], whenQuiet?: () => Promise<void>): Promise<void>;
}

export interface ClusterTrafficOptions {
  /** Clusters kept (the most recently read), each until the next relink. */
  size?: number;
  /** Stored texts read for each of a cluster's templates (the newest) to show what fills it. */
  templateTexts?: number;
  /** Trait values of each kind whose links the graph draws. */
  traitValues?: number;
}

/**
 * A cluster's members only change at a relink, so what the store says about their traffic is
 * kept per cluster and relink: an analyst going back and forth reads the store once. On a store
 * of millions of exchanges each read scans the members' rows (seconds for the first view of a
 * large cluster), so the service also reads the top of the queue ahead of time after each
 * relink, where an analyst starts.
 */
export function createClusterTraffic(core: ServiceCore, { size = 32, templateTexts = 40, traitValues = 12 }: ClusterTrafficOptions = {}): ClusterTrafficSource {
  const entries = new Map<string, Promise<ClusterTraffic>>();

  const load = async (cluster: ClusterFinding, graphMemberIds: readonly string[]): Promise<ClusterTraffic> => {
    const shapes = await core.scoring.templateShapes(cluster.templates.map((template) => template.template_id));
    const indicators = cluster.indicators;
    // On a connection of its own, beside the live commits: a large cluster's reads take seconds,
    // and ingest and the analysts' other requests would queue behind them on the shared one.
    const store = await core.snapshot();
    try {
      const known = shapes.filter((shape) => shape !== null);
      const texts = await readTemplateTexts(store, known.map((shape) => ({ kind: shape.kind, fixed: fixedPositions(shape.tokens) })), cluster.accounts, templateTexts);
      return {
        facts: new Map((await readAccountFacts(store, cluster.accounts)).map((row) => [row.accountId, row])),
        traitUse: await readTraitUse(store, graphMemberIds, {
          ip: indicators.ips.slice(0, traitValues),
          subnet: indicators.subnets.slice(0, traitValues),
          user_agent: indicators.user_agents.slice(0, traitValues),
          tls_fingerprint: indicators.tls_fingerprints.slice(0, traitValues),
        }),
        timeline: await readTrafficTimeline(store, cluster.accounts),
        templateTexts: shapes.map((shape) => (shape === null ? null : { tokens: shape.tokens, texts: texts[known.indexOf(shape)]! })),
      };
    } finally {
      store.close();
    }
  };

  const get = (cluster: ClusterFinding, graphMemberIds: readonly string[]): Promise<ClusterTraffic> => {
    const key = `${cluster.cluster_id}@${core.relink.status().lastFinishedAt}`;
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = load(cluster, graphMemberIds);
      entries.set(key, entry);
      entry.catch(() => entries.delete(key));
      while (entries.size > size) entries.delete(entries.keys().next().value!);
    }
    return entry;
  };

  return {
    get,
    async prepare(clusters, whenQuiet = async () => undefined) {
      // One at a time: reading ahead never takes more of the store's threads than one analyst's view.
      for (const { cluster, graphMemberIds } of clusters.slice(0, size)) {
        await whenQuiet();
        await get(cluster, graphMemberIds);
      }
    },
  };
}
