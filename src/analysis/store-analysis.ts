import { getHeapStatistics } from 'node:v8';
import { loadAcademicMailDomains } from '../config/academic-mail-domains.js';
import { loadPublicMailDomains } from '../config/public-mail-domains.js';
import { CONTENT_FLAG } from '../features/content-signals.js';
import { distinctExcerpts } from './ask-excerpt.js';
import { renderTemplate } from '../features/template-miner.js';
import type { AccountFinding, Findings } from '../model/findings.js';
import {
  readAccounts,
  readExchangeTexts,
  readFlaggedPrompts,
  readStoreOverview,
  registerAnalysisKeys,
  storeHasText,
  streamExchangeFeatures,
  streamIndicatorCounts,
  type StoreOverview,
} from '../store/analysis-queries.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import {
  buildDeferredFindings,
  createDetectionEngine,
  exampleKey,
  excerpt,
  formatCount,
  reflag,
  resolveThreshold,
  type DetectionConfig,
  type DetectionEngine,
  type FindingTexts,
  type PartnerSighting,
  type PopulationAssessment,
  type ThresholdChoice,
} from '../scoring/index.js';
import type { Logger } from '../util/log.js';
import { VERSION } from '../version.js';

/**
 * The batch analysis, from a store to findings: the one entry point the CLI, the service and the
 * library call. It reads the store, feeds the detection engine, links, scores, picks a threshold
 * when asked to, gathers excerpts of the stored text, and builds the findings document.
 */

export interface AnalysisOptions {
  /** Detection config; not modified (a threshold chosen from the population goes into a copy). */
  config: DetectionConfig;
  /** `auto` or `rate:P%` choose the account threshold from this store's scores. */
  threshold?: ThresholdChoice;
  /** The cluster threshold was given explicitly: a chosen account threshold leaves it alone. */
  clusterThresholdGiven?: boolean;
  logger?: Pick<Logger, 'debug' | 'info' | 'warn'>;
  /** Called as each exchange chunk is read: exchanges seen, in all, and seconds so far. */
  onProgress?: (seen: number, total: number, seconds: number) => void;
  /** Called when each stage ends, with its name and seconds (also in `findings.timings`). */
  onStage?: (name: string, seconds: number) => void;
  /** Partner indicators each account matched (`readPartnerSightings` in `src/intel`), by account id. */
  partnerSightings?: ReadonlyMap<string, readonly PartnerSighting[]>;
  /**
   * Leave `findings.accounts` empty and build each account's finding only as `accountFindings()`
   * yields it: for a writer that streams them (`analyze --json`), so the accounts are never all
   * in memory at once.
   */
  deferAccounts?: boolean;
}

export interface AnalysisResult {
  findings: Findings;
  /** The account findings in the document's order: built one by one when `deferAccounts`, else `findings.accounts`. */
  accountFindings: () => Iterable<AccountFinding>;
  engine: DetectionEngine;
  overview: StoreOverview;
}

/**
 * @example
 * const store = await DuckDbStore.open({ path: 'store.duckdb', readOnly: true });
 * const { findings } = await analyzeStore(store, { config: parseDetectionConfig() });
 */
export async function analyzeStore(store: DuckDbStore, options: AnalysisOptions): Promise<AnalysisResult> {
  const config = structuredClone(options.config);
  const timings: Record<string, number> = {};
  const started = performance.now();
  let mark = started;
  const stage = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - mark) / 10) / 100;
    mark = now;
    options.onStage?.(name, timings[name]!);
  };

  const { engine, overview } = await loadEngineFromStore(store, config, {
    onStage: stage,
    onProgress: options.onProgress,
    onOverview: (overview) => warnOfHeap(overview, options.logger),
  });
  const links = engine.relink();
  options.logger?.debug({ ...links.stats, clusters: links.clusters.length }, 'linked accounts');
  stage('linking');

  if (options.partnerSightings !== undefined) engine.setPartnerSightings(options.partnerSightings);
  const configuredThreshold = config.thresholds.account;
  let assessment = engine.assess();
  let thresholdSource = 'config';
  const choice = options.threshold;
  if (choice !== undefined && choice.kind !== 'score') {
    const scores = engine.tracker.accounts.filter((state) => state.exchanges > 0).map((state) => assessment.accounts[state.index]!.score);
    const threshold = resolveThreshold(choice, scores, configuredThreshold);
    config.thresholds.account = threshold;
    if (!options.clusterThresholdGiven) config.thresholds.cluster = threshold;
    assessment = reflag(assessment, config.thresholds);
    thresholdSource = choice.kind === 'auto' ? 'auto' : `rate:${choice.rate}`;
    options.logger?.info({ threshold, source: thresholdSource }, 'threshold chosen from the population');
  }
  for (const error of assessment.errors.slice(0, 20)) options.logger?.warn({ error }, 'a detector failed; it scored 0');
  stage('scoring');

  const texts = (await storeHasText(store)) ? await gatherTexts(store, engine, assessment, config) : undefined;
  stage('examples');

  const { findings, accountFindings } = buildDeferredFindings({
    assessment,
    tracker: engine.tracker,
    config,
    texts,
    generatedAt: new Date().toISOString(),
    timings,
    version: VERSION,
    accountsInput: overview.accounts,
    thresholdSource,
    configuredThreshold,
  });
  if (options.deferAccounts === true) {
    stage('findings');
    return { findings, accountFindings, engine, overview };
  }
  findings.accounts = [...accountFindings()];
  stage('findings');
  return { findings, accountFindings: () => findings.accounts, engine, overview };
}

export interface LoadedStore {
  engine: DetectionEngine;
  overview: StoreOverview;
}

/**
 * Reads a store into a fresh engine: accounts and models first (so indexes match the SQL
 * numbering), then infrastructure counts, then every exchange in time order.
 */
export async function loadEngineFromStore(
  store: DuckDbStore,
  config: DetectionConfig,
  {
    onStage = () => {},
    onProgress = () => {},
    onOverview = () => {},
  }: { onStage?: (name: string) => void; onProgress?: (seen: number, total: number, seconds: number) => void; onOverview?: (overview: StoreOverview) => void } = {},
): Promise<LoadedStore> {
  const overview = await readStoreOverview(store);
  onOverview(overview);
  const engine = createDetectionEngine(config, { publicMailDomains: loadPublicMailDomains(), academicMailDomains: loadAcademicMailDomains() });
  engine.registerAccounts(overview.accountIds);
  for (const model of overview.models) engine.tracker.primeModel(model.model, model.firstSeen);
  await registerAnalysisKeys(
    store,
    overview.accountIds,
    engine.tracker.models.map((model) => model.name),
  );
  engine.setAccountInfo(await readAccounts(store));
  onStage('load');

  await streamIndicatorCounts(store, (kind, account, value, count) => engine.observeIndicator(kind, account, value, count));
  onStage('infrastructure');

  const started = performance.now();
  let seen = 0;
  let lastUpdate = 0;
  await streamExchangeFeatures(store, (chunk) => {
    engine.observeBatch(chunk);
    seen += chunk.length;
    if (seen - lastUpdate >= 50_000) {
      lastUpdate = seen;
      onProgress(seen, overview.exchanges, (performance.now() - started) / 1000);
    }
  });
  onProgress(seen, overview.exchanges, (performance.now() - started) / 1000);
  onStage('behaviour');
  return { engine, overview };
}

/**
 * JavaScript heap an analysis holds per account, rounded up from what docs/performance.md
 * ("Memory per account") measured: per-account state, assessment and finding.
 */
const HEAP_BYTES_PER_ACCOUNT = 2_500;
const HEAP_BASE_BYTES = 300 * 2 ** 20;

/**
 * Node's default heap (about 4 GB here) holds some 1.4 million accounts; a larger store fails
 * late with an out-of-memory crash unless the heap is raised, so say so before the work starts.
 */
function warnOfHeap(overview: StoreOverview, logger: AnalysisOptions['logger']): void {
  const needed = HEAP_BASE_BYTES + overview.accounts * HEAP_BYTES_PER_ACCOUNT;
  const limit = getHeapStatistics().heap_size_limit;
  if (needed <= limit * 0.9) return;
  const megabytes = Math.ceil((needed * 1.25) / 2 ** 30) * 1024;
  logger?.warn(
    { accounts: overview.accounts, neededMegabytes: Math.round(needed / 2 ** 20), heapLimitMegabytes: Math.round(limit / 2 ** 20) },
    `${formatCount(overview.accounts)} accounts need about ${formatCount(needed / 2 ** 20)} MB of JavaScript heap, more than this process has (${formatCount(limit / 2 ** 20)} MB): run with NODE_OPTIONS=--max-old-space-size=${megabytes}`,
  );
}

const EXAMPLE_SIGNALS: readonly [string, number][] = [
  ['cot_elicitation', CONTENT_FLAG.cotElicitation | CONTENT_FLAG.systemCot],
  ['rubric_grading', CONTENT_FLAG.rubricGrading | CONTENT_FLAG.systemRubric],
  ['explain_answer', CONTENT_FLAG.explainAnswer],
  ['safe_rewrite', CONTENT_FLAG.safeRewrite],
];

/** Template texts and evidence examples from the stored text (excerpts, at most 160 characters). */
async function gatherTexts(store: DuckDbStore, engine: DetectionEngine, assessment: PopulationAssessment, config: DetectionConfig): Promise<FindingTexts> {
  const templates = new Map<number, string | null>();
  const examples = new Map<string, string[]>();
  const reported = assessment.clusters.filter((cluster) => cluster.flagged);
  const wanted: { key: number; kind: 'prompt' | 'system'; id: number; lo: number; hi: number }[] = [];
  for (const cluster of reported) {
    for (const template of cluster.view.templates.slice(0, config.report.maxTemplates)) {
      const stats = engine.templateStats(template.kind, template.templateId);
      if (stats !== undefined && !wanted.some((w) => w.key === template.key)) {
        wanted.push({ key: template.key, kind: template.kind, id: template.templateId, lo: stats.exampleKeyLo, hi: stats.exampleKeyHi });
      }
    }
  }
  const stored = await readExchangeTexts(store, wanted);
  for (const w of wanted) {
    const text = stored.get(((BigInt(w.hi >>> 0) << 32n) | BigInt(w.lo >>> 0)).toString());
    const miner = w.kind === 'system' ? engine.tracker.systemMiner : engine.tracker.promptMiner;
    const template = miner.get(w.id);
    templates.set(w.key, template === undefined || text === undefined ? null : renderTemplate(template, w.kind === 'system' ? text.system : text.prompt));
  }

  const perEvidence = config.report.examplesPerEvidence;
  const flagged = assessment.accounts.flatMap((account, index) => (account.flagged ? [index] : []));
  const mask = EXAMPLE_SIGNALS.reduce((all, [, bits]) => all | bits, 0);
  const prompts = await readFlaggedPrompts(store, flagged, mask, perEvidence);
  for (const [index, rows] of prompts) {
    const id = engine.tracker.accounts[index]!.id;
    for (const [signal, bits] of EXAMPLE_SIGNALS) {
      const texts = distinctExcerpts(rows.filter((row) => (row.flags & bits) !== 0).map((row) => row.text), signal, perEvidence);
      if (texts.length > 0) examples.set(exampleKey(id, signal), texts);
    }
  }
  for (const cluster of reported) {
    for (const [signal, bits] of EXAMPLE_SIGNALS) {
      const cited = cluster.view.members.flatMap((member) => (prompts.get(member.index) ?? []).filter((row) => (row.flags & bits) !== 0).map((row) => row.text));
      const texts = distinctExcerpts(cited, signal, perEvidence);
      if (texts.length > 0) examples.set(exampleKey(cluster.clusterId, signal), texts);
    }
    for (const [signal, kind] of [
      ['rotated_system_prompts', 'system'],
      ['shared_prompt_templates', 'prompt'],
    ] as const) {
      const top = cluster.view.templates.find((template) => template.kind === kind && template.members >= 2);
      const text = top === undefined ? null : templates.get(top.key);
      if (text) examples.set(exampleKey(cluster.clusterId, signal), [excerpt(text)]);
    }
  }
  return { templates, examples };
}

