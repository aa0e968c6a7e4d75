import { FINDINGS_FORMAT_VERSION, type AccountFinding, type ClusterFinding, type Evidence, type Findings, type TemplateSummary, type TimelinePoint } from '../model/findings.js';
import type { AccountState } from '../behaviour/account-state.js';
import { capabilityShares, type PopulationContext } from '../behaviour/account-summary.js';
import type { BehaviourTracker } from '../behaviour/behaviour-tracker.js';
import { HOUR_MS } from '../behaviour/hour-series.js';
import type { ClusterIndicatorKind } from './cluster-view.js';
import type { DetectionConfig } from './detection-config.js';
import type { AccountAssessment, ClusterAssessment, PopulationAssessment } from './detection-engine.js';
import { round } from './detector.js';
import { calibrate } from './calibration.js';
import { DETECTOR_REGISTRY } from './detector-registry.js';

/**
 * Renders assessments as the findings document of `src/model/findings.ts`: every account of the
 * input (flagged or not, highest score first) and the reported clusters with their indicators,
 * capabilities, timeline, templates, models and evidence.
 */

/** Text the store holds, fetched by the caller (none after `ingest --text none`). */
export interface FindingTexts {
  /** Rendered template text (slots as `<*>`) by template key. */
  templates: ReadonlyMap<number, string | null>;
  /** Example excerpts by `${accountId or clusterId}\u0000${signal}`. */
  examples: ReadonlyMap<string, readonly string[]>;
}

export function exampleKey(ownerId: string, signal: string): string {
  return `${ownerId}\u0000${signal}`;
}

function iso(ts: number): string | null {
  return Number.isFinite(ts) ? new Date(ts).toISOString() : null;
}

function withExamples(items: readonly Evidence[], ownerId: string, texts: FindingTexts, max: number): Evidence[] {
  const out: Evidence[] = [];
  for (const item of items.slice(0, max)) {
    const examples = texts.examples.get(exampleKey(ownerId, item.signal));
    out.push(examples !== undefined && examples.length > 0 ? { ...item, examples: [...examples] } : { ...item });
  }
  return out;
}

function shares(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(record)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([name, share]) => [name, round(share, 4)]),
  );
}

export function buildAccountFinding(
  state: AccountState,
  assessment: AccountAssessment,
  config: DetectionConfig,
  texts: FindingTexts = { templates: new Map(), examples: new Map() },
): AccountFinding {
  return {
    account_id: state.id,
    score: assessment.score,
    flagged: assessment.flagged,
    cluster_id: assessment.clusterFlagged ? assessment.clusterId : null,
    linked_cluster_id: assessment.clusterId,
    evidence: withExamples(assessment.evidence, state.id, texts, config.report.maxEvidence),
    volume: { exchanges: state.exchanges, input_tokens: state.inputTokens, output_tokens: state.outputTokens, reasoning_tokens: state.reasoningTokens },
    capabilities: state.exchanges === 0 ? {} : shares(capabilityShares(state)),
    tier: state.info?.tier ?? null,
    first_seen: state.exchanges === 0 ? null : iso(state.firstTs),
    last_seen: state.exchanges === 0 ? null : iso(state.lastTs),
  };
}

function topValues(cluster: ClusterAssessment, kind: ClusterIndicatorKind, max: number): string[] {
  return cluster.view.shared[kind].slice(0, max).map((entry) => entry.value);
}

function timeline(cluster: ClusterAssessment, context: PopulationContext, bucketHours: number): TimelinePoint[] {
  if (!Number.isFinite(context.windowStart)) return [];
  const firstHour = Math.floor(context.windowStart / HOUR_MS);
  const lastHour = Math.floor(context.windowEnd / HOUR_MS);
  const buckets = Math.floor((lastHour - firstHour) / bucketHours) + 1;
  const counts = new Array<number>(buckets).fill(0);
  for (const [hour, { exchanges }] of cluster.view.hourly) {
    const bucket = Math.floor((hour - firstHour) / bucketHours);
    if (bucket >= 0 && bucket < buckets) counts[bucket]! += exchanges;
  }
  return counts.map((exchanges, i) => ({ start: new Date((firstHour + i * bucketHours) * HOUR_MS).toISOString(), exchanges }));
}

export function buildClusterFinding(
  cluster: ClusterAssessment,
  context: PopulationContext,
  config: DetectionConfig,
  texts: FindingTexts,
): ClusterFinding {
  const { view } = cluster;
  const max = config.report.maxIndicators;
  const templates: TemplateSummary[] = view.templates.slice(0, config.report.maxTemplates).map((template) => ({
    template_id: `${template.kind === 'system' ? 'S' : 'P'}${template.templateId}`,
    text: texts.templates.get(template.key) ?? null,
    exchanges: template.exchanges,
    accounts: template.members,
  }));
  const sharedTemplates = view.templates
    .filter((template) => template.members >= 2)
    .slice(0, max)
    .map((template) => `${template.kind === 'system' ? 'S' : 'P'}${template.templateId}`);
  return {
    cluster_id: cluster.clusterId,
    accounts: view.members.map((state) => state.id).sort(),
    score: cluster.score,
    flagged: cluster.flagged,
    capabilities: shares(view.capabilities),
    indicators: {
      ips: topValues(cluster, 'ip', max),
      subnets: topValues(cluster, 'subnet', max),
      asns: topValues(cluster, 'asn', max).map(Number).filter(Number.isFinite),
      countries: topValues(cluster, 'country', max),
      payment_fingerprints: topValues(cluster, 'payment', max),
      user_agents: topValues(cluster, 'user_agent', max),
      tls_fingerprints: topValues(cluster, 'tls', max),
      email_domains: topValues(cluster, 'email_domain', max),
      templates: sharedTemplates,
    },
    evidence: withExamples(cluster.evidence, cluster.clusterId, texts, config.report.maxEvidence + 1),
    volume: { exchanges: view.exchanges, input_tokens: view.inputTokens, output_tokens: view.outputTokens, reasoning_tokens: view.reasoningTokens },
    first_seen: view.exchanges === 0 ? null : iso(view.firstTs),
    last_seen: view.exchanges === 0 ? null : iso(view.lastTs),
    timeline: timeline(cluster, context, config.report.timelineBucketHours),
    templates,
    models: Object.fromEntries([...view.models].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
  };
}

export interface FindingsOptions {
  assessment: PopulationAssessment;
  tracker: BehaviourTracker;
  config: DetectionConfig;
  texts?: FindingTexts;
  generatedAt: string;
  timings: Record<string, number>;
  version: string;
  /** Rows in the accounts table (accounts may exist there without traffic). */
  accountsInput?: number;
  /** Where the thresholds in force came from: `config` (default), `auto` or `rate:P`. */
  thresholdSource?: string;
  /** The account threshold of the config before `--threshold` changed it (the outlier rule's floor). */
  configuredThreshold?: number;
}

/** The findings document with its accounts still to come (see `buildDeferredFindings`). */
export interface DeferredFindings {
  /** Complete but for `accounts`, which is empty. */
  findings: Findings;
  /** The account findings in the document's order (highest score first, then account id), built one at a time. */
  accountFindings: () => Generator<AccountFinding>;
}

/** The whole findings document. Same state, same config → same document (bar `generated_at`, `timings`). */
export function buildFindings(options: FindingsOptions): Findings {
  const { findings, accountFindings } = buildDeferredFindings(options);
  findings.accounts = [...accountFindings()];
  return findings;
}

/**
 * The findings document without materialising its accounts: a writer that streams them holds one
 * account's finding at a time instead of every account's, which for a store of many small
 * accounts is most of the document (docs/performance.md, "Memory per account").
 */
export function buildDeferredFindings({
  assessment,
  tracker,
  config,
  texts = { templates: new Map(), examples: new Map() },
  generatedAt,
  timings,
  version,
  accountsInput,
  thresholdSource = 'config',
  configuredThreshold = config.thresholds.account,
}: FindingsOptions): DeferredFindings {
  const states = tracker.accounts;
  const scoreOf = (state: AccountState) => assessment.accounts[state.index]!.score;
  const order = [...states].sort((a, b) => scoreOf(b) - scoreOf(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const clusters = assessment.clusters.map((cluster) => buildClusterFinding(cluster, assessment.context, config, texts));
  let flaggedExchanges = 0;
  let flaggedAccounts = 0;
  let withTraffic = 0;
  for (const state of states) {
    if (state.exchanges > 0) withTraffic++;
    if (!assessment.accounts[state.index]!.flagged) continue;
    flaggedAccounts++;
    flaggedExchanges += state.exchanges;
  }
  const findings: Findings = {
    format_version: FINDINGS_FORMAT_VERSION,
    generated_at: generatedAt,
    tool: { name: 'distillguard', version },
    input: {
      exchanges: tracker.exchanges,
      accounts: Math.max(states.length, accountsInput ?? 0),
      accounts_with_traffic: withTraffic,
      first_ts: tracker.exchanges === 0 ? null : iso(tracker.firstTs),
      last_ts: tracker.exchanges === 0 ? null : iso(tracker.lastTs),
    },
    thresholds: { account: config.thresholds.account, cluster: config.thresholds.cluster },
    summary: { flagged_accounts: flaggedAccounts, flagged_clusters: clusters.filter((cluster) => cluster.flagged).length, flagged_exchanges: flaggedExchanges },
    calibration: calibrationOf(assessment, tracker, config, thresholdSource, configuredThreshold),
    timings,
    accounts: [],
    clusters,
  };
  return {
    findings,
    *accountFindings() {
      for (const state of order) yield buildAccountFinding(state, assessment.accounts[state.index]!, config, texts);
    },
  };
}

function calibrationOf(assessment: PopulationAssessment, tracker: BehaviourTracker, config: DetectionConfig, thresholdSource: string, configuredThreshold: number) {
  const weights = (levels: readonly string[]) =>
    new Map(DETECTOR_REGISTRY.filter((detector) => levels.includes(detector.level)).map((detector) => [detector.signal, config.detectors[detector.level][detector.signal]?.weight ?? 0]));
  return calibrate({
    accounts: tracker.accounts.filter((state) => state.exchanges > 0).map((state) => assessment.accounts[state.index]!),
    clusters: assessment.clusters,
    thresholds: config.thresholds,
    accountDetectors: weights(['traffic', 'account']),
    clusterDetectors: weights(['traffic', 'cluster']),
    thresholdSource,
    configuredThreshold,
  });
}
