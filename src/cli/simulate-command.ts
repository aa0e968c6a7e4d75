import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { API_KINDS, type ApiKind } from '../model/exchange.js';
import { UsageError } from '../util/errors.js';
import { BUILT_IN_SCENARIOS, defaultCorporaDir, drawRandomWorld, loadScenario, packageRoot, resolveScenarioPath, runSimulation, type LoadedScenario, type SimulationSummary } from '../sim/index.js';
import type { CliContext } from './cli-context.js';
import { parseWorkerCount } from './option-parsers.js';
import { createProgressDisplay, formatDuration, formatRate } from './progress-display.js';

interface SimulateFlags {
  scenario?: string;
  randomize: boolean;
  scale: number;
  seed: number;
  out: string;
  api?: ApiKind;
  gzipLevel: number;
  workers?: number;
  corpora?: string;
  force: boolean;
  json: boolean;
  progress?: boolean;
}

export function parseScale(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 1000) throw new InvalidArgumentError('expected a positive number such as 0.1, 1 or 16');
  return value;
}

export function parseSeed(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new InvalidArgumentError('expected a whole number from 0 to 4294967295');
  return value;
}

export function parseGzipLevel(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 9) throw new InvalidArgumentError('expected a gzip level from 0 (store) to 9 (smallest)');
  return value;
}

export function registerSimulateCommand(program: Command, context: CliContext): void {
  program
    .command('simulate')
    .summary('generate realistic API traffic with known distillation campaigns (ground truth)')
    .description(
      'Generate a gateway log of legitimate customers and distillation campaigns, with ground truth: ' +
        'DIR/exchanges.jsonl.gz (time-ordered exchanges in the input contract), DIR/accounts.jsonl and DIR/labels.jsonl. ' +
        'Prompts come from the public prompt corpora. The same scenario, scale and seed give the same bytes, whatever the number of workers. ' +
        'With --randomize the scenario itself is drawn from wide ranges by the seed (a world of about 600-1,300 accounts and 40,000-110,000 exchanges) and written to DIR/scenario.yaml.',
    )
    .option('--scenario <name|file>', `a built-in scenario (${BUILT_IN_SCENARIOS.join(', ')}) or a scenario file (YAML or JSON)`)
    .option('--randomize', 'draw a whole world from wide ranges with --seed instead of a scenario, and write it to DIR/scenario.yaml', false)
    .option('--scale <s>', 'multiply every account count (and so the volume) by this factor', parseScale, 1)
    .option('--seed <n>', 'random seed: the same seed gives the same output', parseSeed, 1)
    .requiredOption('--out <dir>', 'output directory (created when missing; must be empty unless --force)')
    .addOption(new Option('--api <api>', 'send all traffic through one API instead of the scenario\'s mix').choices([...API_KINDS]))
    .option('--gzip-level <0-9>', 'gzip level of exchanges.jsonl.gz (1: fastest, 9: smallest)', parseGzipLevel, 1)
    .option('--workers <n>', `generator threads (0 generates on the main thread; default: one per core, ${availableParallelism()} here)`, parseWorkerCount)
    .option('--corpora <dir>', 'prompt corpora directory (default: corpora.dir of the scenario, else data/corpora in the package)')
    .option('--force', 'overwrite the simulation files in a non-empty --out directory', false)
    .option('--json', 'print the summary as JSON on stdout', false)
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (flags: SimulateFlags) => {
      if ((flags.scenario === undefined) === !flags.randomize) throw new UsageError('give either --scenario NAME|FILE or --randomize');
      let loaded: LoadedScenario;
      let scenarioText: string | undefined;
      if (flags.randomize) {
        const drawn = drawRandomWorld(flags.seed);
        loaded = { scenario: drawn.scenario, path: join(flags.out, 'scenario.yaml') };
        scenarioText = drawn.text;
      } else {
        loaded = loadScenario(flags.scenario!);
      }
      const { scenario, path } = loaded;
      const corporaDir = flags.corpora ?? (scenario.corpora.dir !== null ? resolveScenarioPath(path, scenario.corpora.dir) : defaultCorporaDir(packageRoot()));
      const progress = createProgressDisplay({
        label: 'simulate',
        total: 1,
        unit: 'items',
        suffix: '{rate} exchanges/s',
        enabled: flags.progress === false ? false : undefined,
      });
      const started = performance.now();
      let summary: SimulationSummary;
      try {
        summary = await runSimulation({
          scenario,
          scale: flags.scale,
          seed: flags.seed,
          outDir: flags.out,
          corporaDir,
          forcedApi: flags.api ?? null,
          gzipLevel: flags.gzipLevel,
          workers: flags.workers ?? context.env.workers,
          force: flags.force,
          scenarioText,
          onProgress: (state) => {
            // Expected volume is an estimate; never let the bar run past its end.
            progress.setTotal(Math.max(state.expectedExchanges, state.exchanges));
            progress.update(state.exchanges, { rate: formatRate(state.exchanges, (performance.now() - started) / 1000) });
          },
        });
      } finally {
        progress.stop();
      }
      context.stdout.write(flags.json ? JSON.stringify(summary, null, 2) + '\n' : formatSimulationSummary(summary, flags.out));
    });
}

export function formatSimulationSummary(summary: SimulationSummary, outDir: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  const lines: string[] = [];
  lines.push(
    `Simulated scenario ${summary.scenario} (scale ${summary.scale}, seed ${summary.seed}) into ${outDir} in ${formatDuration(summary.seconds)} ` +
      `(${formatRate(summary.exchanges, summary.seconds)} exchanges/s, ${formatRate(summary.compressedBytes / (1024 * 1024), summary.seconds)} MB/s written)`,
  );
  const statuses = Object.entries(summary.statuses)
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${status}: ${n(count)}`)
    .join(', ');
  const rows: [string, string][] = [
    ['exchanges', `${n(summary.exchanges)} (${statuses})`],
    ['accounts', `${n(summary.accounts)} (attack ${n(summary.attackAccounts)}, benign ${n(summary.benignAccounts)})`],
    ['written', `${mb(summary.compressedBytes)} gzip, ${mb(summary.rawBytes)} raw, ${n(Math.round(summary.rawBytes / Math.max(1, summary.exchanges)))} bytes per exchange`],
    ['peak RSS', mb(summary.peakRssBytes)],
    ['threads', `${summary.workers === 0 ? 'main thread only' : `${summary.workers} workers`}, ${n(summary.blocks)} time blocks`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${value}`);
  lines.push('');
  const header = ['group', 'label', 'persona', 'accounts', 'active', 'exchanges'];
  const table = summary.groups.map((group) => [group.key, group.label, group.persona, n(group.accounts), n(group.activeAccounts), n(group.exchanges)]);
  const widths = header.map((title, column) => Math.max(title.length, ...table.map((row) => row[column]!.length)));
  const format = (row: string[]) => '  ' + row.map((cell, column) => (column >= 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  lines.push(format(header));
  for (const row of table) lines.push(format(row));
  lines.push('', `  files: ${[summary.files.exchanges, summary.files.accounts, summary.files.labels, ...(summary.files.scenario === undefined ? [] : [summary.files.scenario])].join(', ')}`);
  return lines.join('\n') + '\n';
}
