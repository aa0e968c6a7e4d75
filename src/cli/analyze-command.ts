import { Command, InvalidArgumentError } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { parse as parseYaml } from 'yaml';
import { analyzeStore } from '../analysis/index.js';
import { readPartnerSightings } from '../intel/index.js';
import type { AccountFinding, Findings } from '../model/findings.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { DetectionConfigError, parseDetectionConfig, parseThresholdChoice, type DetectionConfig, type ThresholdChoice } from '../scoring/index.js';
import { renderReportHtml } from '../report/index.js';
import { UsageError } from '../util/errors.js';
import { writeJsonFile } from '../util/json-file-writer.js';
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
  const started = performance.now();
  // The analysis makes per-account objects first for the accounts it keeps (summaries of active
  // accounts) and then, at the same allocation sites, short-lived ones for every light account;
  // V8's pretenuring learns from the first kind and sends the second straight to the old
  // generation, where a flood of light accounts piles up garbage between collections
  // (docs/performance.md, "Memory per account").
  setFlagsFromString('--no-allocation-site-pretenuring');
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
    let findings: Findings;
    let accountFindings: () => Iterable<AccountFinding>;
    try {
      ({ findings, accountFindings } = await analyzeStore(store, {
        config,
        // The report lays out every account at once; the JSON file alone takes them one by one.
        deferAccounts: flags.report === undefined,
        threshold: flags.threshold,
        clusterThresholdGiven: flags.clusterThreshold !== undefined,
        partnerSightings: await readPartnerSightings(store),
        logger: context.logger,
        onProgress: (seen, total, seconds) => {
          progress.setTotal(total);
          progress.update(seen, { rate: formatRate(seen, seconds) });
        },
        onStage: (name) => {
          if (name === 'behaviour') progress.stop();
        },
      }));
    } finally {
      progress.stop();
    }
    const outputStarted = performance.now();
    // Written once (for a large store a second pass costs about as long as the scoring): the files
    // hold the timings as of writing them; the summary and --timings-json add the output's own.
    findings.timings.total = Math.round((outputStarted - started) / 10) / 100;
    const written = { ...findings, timings: { ...findings.timings } };
    if (flags.json !== undefined) await writeJsonFile(flags.json, { ...written, accounts: Readable.from(accountFindings()) });
    if (flags.report !== undefined) writeFileSync(flags.report, renderReportHtml(written));
    findings.timings.output = Math.round((performance.now() - outputStarted) / 10) / 100;
    findings.timings.total = Math.round((performance.now() - started) / 10) / 100;
    context.logger.info({ timings: findings.timings, peakRssMegabytes: Math.round(process.resourceUsage().maxRSS / 1024) }, 'analysis finished');
    return findings;
  } finally {
    store.close();
  }
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
