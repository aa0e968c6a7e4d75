import { Command, InvalidArgumentError } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadPublicMailDomains } from '../config/public-mail-domains.js';
import type { Findings } from '../model/findings.js';
import { CONTENT_FLAG } from '../features/content-signals.js';
import { renderTemplate } from '../features/template-miner.js';
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
import { DuckDbStore } from '../store/duckdb-store.js';
import {
  buildFindings,
  createDetectionEngine,
  DetectionConfigError,
  exampleKey,
  excerpt,
  parseDetectionConfig,
  parseThresholdChoice,
  reflag,
  resolveThreshold,
  type DetectionConfig,
  type DetectionEngine,
  type FindingTexts,
  type PopulationAssessment,
  type ThresholdChoice,
} from '../scoring/index.js';
import { renderReportHtml } from '../report/index.js';
import { UsageError } from '../util/errors.js';
import { writeJsonFile } from '../util/json-file-writer.js';
import { VERSION } from '../version.js';
import type { CliContext } from './cli-context.js';
import { parseFraction } from './option-parsers.js';
import { createProgressDisplay, formatDuration, formatRate } from './progress-display.js';

interface AnalyzeFlags {
  db: string;
  json?: string;
  report?: string;
  config?: string;
  threshold?: ThresholdChoice;
  clusterThreshold?: number;
  memoryLimit: string;
  top: number;
  timingsJson?: string;
  progress?: boolean;
}

export function registerAnalyzeCommand(program: Command, context: CliContext): void {
  program
    .command('analyze')
    .summary('find distillation clusters in a store: findings JSON and an HTML report')
    .description(
      'Analyse the exchanges of a store: per-account behaviour, an account graph over shared infrastructure, ' +
        'payment, templates and timing, community detection, and scores with evidence. Prints a summary of the ' +
        'top clusters with stage timings and peak memory; --json writes the findings document, --report a ' +
        'self-contained HTML report, --timings-json the stage timings and resource use for benchmarks.\n\n' +
        'Works the same on a store ingested with --text none (templates and examples then show no text).',
    )
    .requiredOption('--db <path>', 'the store to analyse (made by `distillguard ingest`)')
    .option('--json <file>', 'write the findings document (JSON) here')
    .option('--report <file>', 'write the HTML report here')
    .option('--config <file>', 'detection config (YAML or JSON) over the defaults of config/detection.yaml')
    .option(
      '--threshold <score|auto|rate:P%>',
      'account flag threshold: a score (0..1; default from the config, 0.5); auto: the outlier rule on this store\'s scores (never below the config\'s); rate:P%: flag at most P% of the accounts. auto and rate set the cluster threshold too',
      parseThreshold,
    )
    .option('--cluster-threshold <score>', 'cluster flag threshold (0..1); default from the config (0.5)', parseScore)
    .option('--memory-limit <size>', "DuckDB's buffer memory limit", '2GB')
    .option('--top <n>', 'clusters shown in the summary', (text) => parseCount(text), 5)
    .option('--timings-json <file>', 'write stage timings, CPU time and peak RSS (JSON) here')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (flags: AnalyzeFlags) => {
      const config = loadConfig(flags);
      const findings = await runAnalysis(flags, config, context);
      context.stdout.write(formatAnalysisSummary(findings, flags.top));
      if (flags.timingsJson !== undefined) writeFileSync(flags.timingsJson, JSON.stringify(analysisResourceReport(findings), null, 2) + '\n');
      const written = [flags.json, flags.report, flags.timingsJson].filter((file): file is string => file !== undefined);
      if (written.length > 0) context.stdout.write(`Wrote ${written.join(', ')}\n`);
    });
}

/** What `--timings-json` writes: enough for a benchmark to report an analysis per stage. */
export interface AnalysisResourceReport {
  exchanges: number;
  accounts: number;
  /** Seconds per stage, as in the findings document, with `total`. */
  timings: Record<string, number>;
  /** CPU seconds of the whole process, every thread (DuckDB's included). */
  cpuSeconds: { user: number; system: number };
  peakRssBytes: number;
}

function analysisResourceReport(findings: Findings): AnalysisResourceReport {
  const usage = process.resourceUsage();
  return {
    exchanges: findings.input.exchanges,
    accounts: findings.input.accounts,
    timings: findings.timings,
    cpuSeconds: { user: usage.userCPUTime / 1e6, system: usage.systemCPUTime / 1e6 },
    peakRssBytes: usage.maxRSS * 1024,
  };
}

function parseScore(text: string): number {
  return parseFraction(text);
}

function parseThreshold(text: string): ThresholdChoice {
  const choice = parseThresholdChoice(text);
  if (choice === null) throw new InvalidArgumentError('expected a score from 0 to 1, auto, or rate:P% such as rate:1%');
  return choice;
}

function parseCount(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return value;
}

function loadConfig(flags: AnalyzeFlags): DetectionConfig {
  let raw: unknown = {};
  if (flags.config !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.config, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the config file ${flags.config}: ${(error as Error).message}`);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (error) {
      throw new UsageError(`the config file ${flags.config} is not valid YAML or JSON: ${(error as Error).message}`);
    }
  }
  let config: DetectionConfig;
  try {
    config = parseDetectionConfig(raw);
  } catch (error) {
    if (error instanceof DetectionConfigError) throw new UsageError(`${flags.config ?? 'detection config'}: ${error.message}`);
    throw error;
  }
  if (flags.threshold?.kind === 'score') config.thresholds.account = flags.threshold.score;
  if (flags.clusterThreshold !== undefined) config.thresholds.cluster = flags.clusterThreshold;
  return config;
}

async function runAnalysis(flags: AnalyzeFlags, config: DetectionConfig, context: CliContext): Promise<Findings> {
  const timings: Record<string, number> = {};
  const started = performance.now();
  let mark = started;
  const stage = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - mark) / 10) / 100;
    mark = now;
  };
  if (!existsSync(flags.db)) throw new UsageError(`no store at ${flags.db}: run \`distillguard ingest ... --db ${flags.db}\` first`);
  const store = await DuckDbStore.open({ path: flags.db, readOnly: true, memoryLimit: flags.memoryLimit });
  try {
    const progress = createProgressDisplay({
      label: 'analyze',
      total: 1,
      unit: 'items',
      suffix: '{rate} exchanges/s',
      stream: context.stderr,
      enabled: flags.progress === false ? false : undefined,
    });
    let loaded: LoadedStore;
    try {
      loaded = await loadEngineFromStore(store, config, {
        onStage: stage,
        onProgress: (seen, total, seconds) => {
          progress.setTotal(total);
          progress.update(seen, { rate: formatRate(seen, seconds) });
        },
      });
    } finally {
      progress.stop();
    }
    const { engine, overview } = loaded;

    const links = engine.relink();
    context.logger.debug({ ...links.stats, clusters: links.clusters.length }, 'linked accounts');
    stage('linking');

    const configuredThreshold = config.thresholds.account;
    let assessment = engine.assess();
    let thresholdSource = 'config';
    const choice = flags.threshold;
    if (choice !== undefined && choice.kind !== 'score') {
      const scores = engine.tracker.accounts.filter((state) => state.exchanges > 0).map((state) => assessment.accounts[state.index]!.score);
      const threshold = resolveThreshold(choice, scores, configuredThreshold);
      config.thresholds.account = threshold;
      if (flags.clusterThreshold === undefined) config.thresholds.cluster = threshold;
      assessment = reflag(assessment, config.thresholds);
      thresholdSource = choice.kind === 'auto' ? 'auto' : `rate:${choice.rate}`;
      context.logger.info({ threshold, source: thresholdSource }, 'threshold chosen from the population');
    }
    for (const error of assessment.errors.slice(0, 20)) context.logger.warn({ error }, 'a detector failed; it scored 0');
    stage('scoring');

    const texts = (await storeHasText(store)) ? await gatherTexts(store, engine, assessment, config) : undefined;
    stage('examples');

    const findings = buildFindings({
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
    stage('findings');
    if (flags.json !== undefined) await writeJsonFile(flags.json, findings);
    if (flags.report !== undefined) writeFileSync(flags.report, renderReportHtml(findings));
    stage('output');
    timings.total = Math.round((performance.now() - started) / 10) / 100;
    // The files hold the timings as of writing them; re-write with the final total when it matters.
    if (flags.json !== undefined) await writeJsonFile(flags.json, findings);
    context.logger.info({ timings, peakRssMegabytes: Math.round(process.resourceUsage().maxRSS / 1024) }, 'analysis finished');
    return findings;
  } finally {
    store.close();
  }
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
  { onStage = () => {}, onProgress = () => {} }: { onStage?: (name: string) => void; onProgress?: (seen: number, total: number, seconds: number) => void } = {},
): Promise<LoadedStore> {
  const overview = await readStoreOverview(store);
  const engine = createDetectionEngine(config, { publicMailDomains: loadPublicMailDomains() });
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
      const texts = rows.filter((row) => (row.flags & bits) !== 0).slice(0, perEvidence).map((row) => excerpt(row.text));
      if (texts.length > 0) examples.set(exampleKey(id, signal), texts);
    }
  }
  for (const cluster of reported) {
    for (const [signal, bits] of EXAMPLE_SIGNALS) {
      const texts: string[] = [];
      for (const member of cluster.view.members) {
        const rows = prompts.get(member.index);
        if (rows === undefined) continue;
        for (const row of rows) if (texts.length < perEvidence && (row.flags & bits) !== 0) texts.push(excerpt(row.text));
      }
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

/** The readable summary printed after an analysis. */
export function formatAnalysisSummary(findings: Findings, top = 5): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines: string[] = [];
  const window = findings.input.first_ts && findings.input.last_ts ? ` (${findings.input.first_ts.slice(0, 10)} to ${findings.input.last_ts.slice(0, 10)})` : '';
  const total = findings.timings.total ?? Object.values(findings.timings).reduce((sum, value) => sum + value, 0);
  lines.push(
    `Analyzed ${n(findings.input.exchanges)} exchanges from ${n(findings.input.accounts_with_traffic)} accounts${window} in ${formatDuration(total)} ` +
      `(${formatRate(findings.input.exchanges, total)} exchanges/s)`,
  );
  const share = findings.input.exchanges === 0 ? 0 : findings.summary.flagged_exchanges / findings.input.exchanges;
  lines.push(
    `Flagged ${n(findings.summary.flagged_accounts)} of ${n(findings.input.accounts)} accounts and ${n(findings.summary.flagged_clusters)} clusters ` +
      `(${n(findings.summary.flagged_exchanges)} exchanges, ${(share * 100).toFixed(1)}% of traffic) at thresholds ${findings.thresholds.account} / ${findings.thresholds.cluster}`,
  );
  const clusters = findings.clusters.slice(0, top);
  if (clusters.length > 0) {
    lines.push('', 'Top clusters:');
    for (const cluster of clusters) {
      const capabilities = Object.entries(cluster.capabilities)
        .slice(0, 3)
        .map(([name, s]) => `${name} ${Math.round(s * 100)}%`)
        .join(', ');
      lines.push(
        `  ${cluster.cluster_id}  score ${cluster.score.toFixed(2)}${cluster.flagged ? ' FLAGGED' : ''}  ${n(cluster.accounts.length)} accounts  ${n(cluster.volume.exchanges)} exchanges  ${capabilities}`,
      );
      for (const item of cluster.evidence.filter((e) => e.weight > 0).slice(0, 3)) lines.push(`    - ${item.detail}`);
    }
  }
  lines.push('', `Stage timings: ${Object.entries(findings.timings).map(([name, seconds]) => `${name} ${seconds.toFixed(2)} s`).join(', ')}`);
  lines.push(`Peak RSS ${n(Math.round(process.resourceUsage().maxRSS / 1024))} MB`);
  return lines.join('\n') + '\n';
}
