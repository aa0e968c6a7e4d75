import { Command, Option } from 'commander';
import { accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_FILTER_BYTES } from '../ingest/exchange-id-deduplicator.js';
import { DEFAULT_MAX_RECORD_BYTES } from '../ingest/line-batch-reader.js';
import { EXCHANGE_FORMATS, type ExchangeFormat } from '../ingest/exchange-formats.js';
import { detectExchangeFormat } from '../ingest/exchange-format-detector.js';
import { runIngest, type IngestSummary } from '../ingest/ingest-pipeline.js';
import { createQuarantineWriter } from '../ingest/quarantine-writer.js';
import { TEXT_POLICIES, type TextPolicy } from '../ingest/text-policy.js';
import { DuckDbStore } from '../store/duckdb-store.js';
import { DistillguardError, UsageError } from '../util/errors.js';
import type { CliContext } from './cli-context.js';
import { parseByteSize, parseFraction, parseNonNegativeInteger, parseTimestampWindowOption, parseWorkerCount, TIMESTAMP_WINDOW_HELP } from './option-parsers.js';
import type { TimestampWindowSpec } from '../ingest/timestamp-window.js';
import { createProgressDisplay, formatDuration, formatRate } from './progress-display.js';

interface IngestFlags {
  db: string;
  format?: ExchangeFormat;
  accounts: string[];
  text: TextPolicy;
  quarantine?: string;
  maxBad: number;
  maxRecordBytes: number;
  tsWindow?: TimestampWindowSpec;
  workers?: number;
  memoryLimit: string;
  idFilterSize: number;
  commitRows: number;
  json: boolean;
  progress?: boolean;
}

export function registerIngestCommand(program: Command, context: CliContext): void {
  program
    .command('ingest')
    .summary('load exchange logs (and account files) into a store')
    .description(
      'Load exchange logs (JSON Lines, .jsonl or .jsonl.gz) and account files into a DuckDB store. ' +
        'Bad records are quarantined (file, line, reason, raw excerpt) and counted; the run goes on. ' +
        'Repeated exchange ids are stored once, and re-running an ingest resumes after the last commit.',
    )
    .argument('[files...]', 'exchange log files (.jsonl or .jsonl.gz)')
    .requiredOption('--db <path>', 'the store to create or add to (a DuckDB file)')
    .addOption(
      new Option(
        '--format <format>',
        "the exchange logs' format: jsonl (the input contract), litellm (LiteLLM's StandardLoggingPayload), otlp-json (OpenTelemetry GenAI traces or logs), parquet (the contract's columns) or glasswally (events of the Glasswally detector); detected from the files when they agree and it is safe, else required",
      ).choices(EXCHANGE_FORMATS),
    )
    .option('--accounts <file>', 'an accounts file (JSON Lines); repeatable', collect, [])
    .addOption(new Option('--text <policy>', 'prompt and output text kept in the store: full, excerpt (first 240 characters of each text) or none').choices(TEXT_POLICIES).default('excerpt'))
    .option('--quarantine <file>', 'where bad records go (JSON Lines, appended)', undefined)
    .option('--max-bad <share>', 'exit non-zero when more than this share of records is quarantined (e.g. 0.01 or 1%)', parseFraction, 0.01)
    .option('--max-record-bytes <size>', 'longest record accepted (e.g. 1048576, 512KiB, 1MiB)', parseByteSize, DEFAULT_MAX_RECORD_BYTES)
    .option('--ts-window <from..to>', TIMESTAMP_WINDOW_HELP, parseTimestampWindowOption)
    .option('--workers <n>', `parser threads (0 parses on the main thread; default: one per core, ${availableParallelism()} here)`, parseWorkerCount)
    .option('--memory-limit <size>', "DuckDB's buffer memory limit (ingest streams, so a small buffer costs no speed)", '256MB')
    .option(
      '--id-filter-size <size>',
      'memory for the filter of stored exchange ids (e.g. 64MiB, 512MiB); it stays exact at any store size, and past about 25M exchanges per 128 MiB it gets slower, not bigger',
      parseByteSize,
      DEFAULT_MAX_FILTER_BYTES,
    )
    .addOption(new Option('--commit-rows <n>', 'rows per store transaction (a kill loses at most this much work)').argParser(parseNonNegativeInteger).default(100_000).hideHelp())
    .option('--json', 'print the summary as JSON on stdout', false)
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (files: string[], flags: IngestFlags) => {
      if (files.length === 0 && flags.accounts.length === 0) {
        throw new DistillguardError('nothing to ingest: name exchange log files and/or --accounts files', { exitCode: 2 });
      }
      // Every input is checked before the store is opened, so a typo leaves no empty store behind.
      for (const file of [...files, ...flags.accounts]) {
        try {
          accessSync(file, constants.R_OK);
        } catch (error) {
          throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
        }
      }
      const format = flags.format ?? (await detectFormat(files));
      // One DuckDB thread: the parser threads already keep the cores busy, and a second DuckDB
      // thread on the inserts spent about 4 µs more CPU a row coordinating for no gain in time.
      const store = await DuckDbStore.open({ path: flags.db, create: true, memoryLimit: flags.memoryLimit, threads: 1 });
      const quarantinePath = flags.quarantine ?? `${flags.db}.quarantine.jsonl`;
      const progress = createProgressDisplay({
        label: 'ingest',
        total: 1,
        unit: 'bytes',
        suffix: '{rate} exchanges/s | {quarantined} quarantined',
        enabled: flags.progress === false ? false : undefined,
      });
      const started = performance.now();
      let summary: IngestSummary;
      try {
        summary = await runIngest({
          store,
          exchangeFiles: files,
          format,
          accountFiles: flags.accounts,
          quarantine: createQuarantineWriter(quarantinePath),
          textPolicy: flags.text,
          maxRecordBytes: flags.maxRecordBytes,
          timestampWindow: flags.tsWindow,
          workers: flags.workers ?? context.env.workers,
          commitRows: Math.max(1, flags.commitRows),
          idFilterBytes: flags.idFilterSize,
          logger: context.logger,
          onProgress: (state) => {
            progress.setTotal(state.bytesTotal);
            const seconds = (performance.now() - started) / 1000;
            progress.update(state.bytesRead, { rate: formatRate(state.stored, seconds), quarantined: state.quarantined });
          },
        });
      } finally {
        progress.stop();
        store.close();
      }
      if (flags.json) {
        // Peak RSS covers the parser threads too: they live in this process.
        context.stdout.write(JSON.stringify({ db: flags.db, ...summary, peakRssBytes: process.resourceUsage().maxRSS * 1024 }, null, 2) + '\n');
      } else {
        context.stdout.write(formatIngestSummary(summary, flags.db));
      }
      if (summary.badShare > flags.maxBad) {
        throw new DistillguardError(
          `${percent(summary.badShare)} of records were quarantined (${summary.totals.quarantined.toLocaleString('en-US')} of ` +
            `${(summary.totals.stored + summary.totals.duplicates + summary.totals.quarantined).toLocaleString('en-US')}), ` +
            `more than --max-bad ${percent(flags.maxBad)}; see ${summary.quarantinePath ?? quarantinePath}`,
          { exitCode: 3 },
        );
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function percent(share: number): string {
  const value = share * 100;
  return `${value < 0.1 && value > 0 ? value.toFixed(3) : value.toFixed(value < 10 ? 2 : 1)}%`;
}

export function formatIngestSummary(summary: IngestSummary, db: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const storedOf = (kind: string) => summary.sources.filter((s) => s.kind === kind).reduce((sum, s) => sum + s.stored, 0);
  const exchangesStored = storedOf('exchanges');
  const hasAccounts = summary.sources.some((s) => s.kind !== 'exchanges');
  const lines: string[] = [];
  lines.push(
    `Ingested ${summary.sources.length} file${summary.sources.length === 1 ? '' : 's'} into ${db} in ${formatDuration(summary.seconds)} ` +
      `(${formatRate(exchangesStored, summary.seconds)} exchanges/s, ${formatRate(summary.bytesRead / (1024 * 1024), summary.seconds)} MB/s)`,
  );
  const rows: [string, string][] = [
    ['lines read', n(summary.totals.linesRead)],
    ['already ingested', n(summary.totals.alreadyIngested)],
    // Exchanges and account records are counted apart: one sum of both reads as neither.
    ['exchanges stored', n(exchangesStored)],
    ...(hasAccounts ? [['account records stored', n(summary.totals.stored - exchangesStored)] as [string, string]] : []),
    ['duplicates', n(summary.totals.duplicates)],
    ['blank', n(summary.totals.blank)],
    ['quarantined', `${n(summary.totals.quarantined)} (${percent(summary.badShare)} of records)`],
  ];
  for (const [reason, count] of Object.entries(summary.totals.quarantinedByReason).sort((a, b) => b[1] - a[1])) {
    rows.push([`  ${reason}`, n(count)]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${value}`);
  if (summary.sources.length > 1) {
    lines.push('', '  per file:');
    for (const source of summary.sources) {
      lines.push(
        `    ${source.file} (${source.kind}): ${n(source.linesRead)} lines, ${n(source.stored)} stored, ${n(source.duplicates)} duplicates, ` +
          `${n(source.quarantined)} quarantined${source.alreadyIngested > 0 ? `, ${n(source.alreadyIngested)} already ingested` : ''}` +
          `${source.restarted ? ' (changed since the last run; read again from the start)' : ''}`,
      );
    }
  }
  if (summary.quarantinePath) lines.push(`  quarantine file: ${summary.quarantinePath}`);
  return lines.join('\n') + '\n';
}

/**
 * The one format all the files are safely recognised as. Files none is recognised in are read as
 * the contract, as they always were; a mix is refused rather than read half wrong.
 */
async function detectFormat(files: readonly string[]): Promise<ExchangeFormat> {
  const found = new Set<ExchangeFormat | null>();
  for (const file of files) found.add(await detectExchangeFormat(file));
  const known = [...found].filter((format) => format !== null);
  if (known.length === 0) return 'jsonl';
  if (found.size === 1) return known[0]!;
  const named = [...found].map((format) => format ?? 'unrecognised').join(', ');
  throw new UsageError(`cannot tell the exchange files' format safely (${named}); name it with --format (${EXCHANGE_FORMATS.join(', ')})`);
}
