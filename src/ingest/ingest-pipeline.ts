import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { DuckDbStore, SourceRecord, StagedFile, StoredAccount } from '../store/duckdb-store.js';
import { stagingRowLimit } from '../store/staged-batch-writer.js';
import type { Logger } from '../util/log.js';
import { InputError } from '../util/errors.js';
import { parseAccountBatch } from './account-batch-parser.js';
import { createBatchParserPool, type BatchParserPool } from './batch-parser-pool.js';
import { commitIngestUnit } from './ingest-commit.js';
import { lineProblem, oversizeLineProblem, type LineProblem } from './exchange-batch-parser.js';
import { StagedBatchParser, type StagedBatchInput, type StagedBatchResult } from './staged-batch-parser.js';
import { ExchangeIdDeduplicator, type DeduplicatorStats } from './exchange-id-deduplicator.js';
import { DEFAULT_MAX_RECORD_BYTES, isGzipFile, readLineBatches, type LineBatchEvent } from './line-batch-reader.js';
import { fileIdentity, lastLineOf, lineFingerprint } from './line-fingerprint.js';
import type { QuarantineRecord, QuarantineWriter } from './quarantine-writer.js';
import type { QuarantineReason } from './record-problem.js';
import type { TextPolicy } from './text-policy.js';
import { lineFormatOf, type ExchangeFormat } from './exchange-formats.js';
import { writeParquetAsJsonLines } from './parquet-exchange-reader.js';
import { DEFAULT_WINDOW_SPEC, resolveTimestampWindow, type TimestampWindow, type TimestampWindowSpec } from './timestamp-window.js';
import { formatRfc3339 } from './rfc3339-timestamp.js';

export interface IngestOptions {
  store: DuckDbStore;
  exchangeFiles: readonly string[];
  /** The exchange files' format (default `jsonl`, the contract). */
  format?: ExchangeFormat;
  accountFiles?: readonly string[];
  quarantine: QuarantineWriter;
  textPolicy?: TextPolicy;
  /** Longest accepted record in bytes (default 1 MiB). */
  maxRecordBytes?: number;
  /** Longest staged row accepted (default `stagingRowLimit(maxRecordBytes)`); set lower only to test the refusal. */
  maxStagedRowBytes?: number;
  /** How much of a bad line the quarantine keeps (default 4 KiB; 0 with text policy `none`). */
  rawExcerptBytes?: number;
  /** Parser threads; 0 parses on the calling thread. */
  workers?: number;
  /** Rows per store transaction; a kill loses at most this much work, never consistency. */
  commitRows?: number;
  batchBytes?: number;
  /** Where batch files are staged for an in-memory store (a file store stages beside itself). */
  stagingDirectory?: string;
  /** Most memory for the filter of stored exchange ids (default 128 MiB); see `ExchangeIdDeduplicator`. */
  idFilterBytes?: number;
  /** Exchange times accepted; by default 2020-01-01 to one day after the ingest starts. */
  timestampWindow?: TimestampWindowSpec;
  /** The ingest's start time (epoch ms), which the default window ends a day after; now by default. */
  startedAtMs?: number;
  logger: Logger;
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  bytesRead: number;
  bytesTotal: number;
  linesRead: number;
  stored: number;
  quarantined: number;
  currentFile: string;
}

export interface SourceSummary {
  file: string;
  kind: 'exchanges' | 'accounts';
  /** Lines in the file seen by this run, including those skipped as already ingested. */
  linesRead: number;
  /** Lines an earlier run had committed, skipped without parsing. */
  alreadyIngested: number;
  stored: number;
  duplicates: number;
  blank: number;
  quarantined: number;
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
  /** Set when the file had changed since an earlier run and was read again from the start. */
  restarted: boolean;
}

export interface IngestSummary {
  sources: SourceSummary[];
  totals: Omit<SourceSummary, 'file' | 'kind' | 'restarted'>;
  seconds: number;
  bytesRead: number;
  /** Quarantined share of the records this run parsed. */
  badShare: number;
  quarantinePath: string | null;
  /** How exchange ids were deduplicated; null when no exchange file was read. */
  deduplication: DeduplicatorStats | null;
  /** The exchange times accepted, RFC 3339. */
  timestampWindow: { from: string; to: string };
}

/**
 * Reads exchange logs and account files into the store: streamed, parsed in worker threads,
 * deduplicated by id, committed in transactions that carry their own checkpoint, so a killed
 * run leaves a consistent store and a re-run resumes where the last commit ended.
 */
export async function runIngest(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const files = [...(options.accountFiles ?? []).map((file) => ({ file, kind: 'accounts' as const })), ...options.exchangeFiles.map((file) => ({ file, kind: 'exchanges' as const }))];
  const sizes = new Map<string, number>();
  for (const { file } of files) {
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new InputError(`${file} is not a file`);
      sizes.set(file, info.size);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
  }
  const bytesTotal = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  const context: RunContext = {
    ...options,
    textPolicy: options.textPolicy ?? 'excerpt',
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
    rawExcerptBytes: options.rawExcerptBytes ?? (options.textPolicy === 'none' ? 0 : 4096),
    commitRows: options.commitRows ?? 100_000,
    timestampWindow: resolveTimestampWindow(options.timestampWindow ?? DEFAULT_WINDOW_SPEC, options.startedAtMs ?? Date.now()),
    batchBytes: options.batchBytes ?? 8 * 1024 * 1024,
    bytesTotal,
    bytesDone: 0,
    linesRead: 0,
    storedTotal: 0,
    quarantinedTotal: 0,
    lastProgressAt: 0,
    readPaths: new Map(),
  };
  const summaries: SourceSummary[] = [];
  let parser: BatchParser | null = null;
  let deduplicator: ExchangeIdDeduplicator | null = null;
  const stagingDirectory = `${options.store.path === ':memory:' ? options.stagingDirectory ?? '.' : options.store.path}.staging`;
  await rm(stagingDirectory, { recursive: true, force: true });
  await mkdir(stagingDirectory, { recursive: true });
  try {
    for (const { file, kind } of files) {
      if (kind === 'accounts') {
        summaries.push(await ingestSource(context, file, 'accounts', (source, progress) => ingestAccounts(context, file, source, progress)));
      } else {
        parser ??= await createBatchParser(options.workers ?? Math.max(1, availableParallelism()));
        deduplicator ??= await ExchangeIdDeduplicator.open(options.store, {
          maxFilterBytes: options.idFilterBytes,
          expectedNewIds: await estimateRecords(options.exchangeFiles, sizes),
        });
        if (options.format === 'parquet') {
          const converted = join(stagingDirectory, `parquet-${context.readPaths.size}.jsonl`);
          await writeParquetAsJsonLines(file, converted);
          context.readPaths.set(file, converted);
        }
        const ids = deduplicator;
        const batchParser = parser;
        summaries.push(await ingestSource(context, file, 'exchanges', (source, progress) => ingestExchanges(context, file, source, progress, ids, batchParser, stagingDirectory)));
      }
      context.bytesDone += sizes.get(file) ?? 0;
    }
  } finally {
    await parser?.close();
    await options.quarantine.close();
    await rm(stagingDirectory, { recursive: true, force: true });
  }
  const deduplication = deduplicator?.stats() ?? null;
  if (deduplication !== null) {
    options.logger.debug(deduplication, 'exchange-id deduplication');
    if (deduplication.expectedFalsePositiveRate > 0.01) {
      options.logger.warn(
        { filterBytes: deduplication.filterBytes, expectedFalsePositiveRate: deduplication.expectedFalsePositiveRate },
        'the exchange-id filter is crowded for a store this size, so more ids are looked up in the store (still exact, slower); a larger --id-filter-size helps',
      );
    }
  }
  const checkpointStarted = performance.now();
  await options.store.checkpoint();
  options.logger.debug({ ms: Math.round(performance.now() - checkpointStarted) }, 'checkpointed the store');

  const totals = summaries.reduce(
    (sum, source) => {
      sum.linesRead += source.linesRead;
      sum.alreadyIngested += source.alreadyIngested;
      sum.stored += source.stored;
      sum.duplicates += source.duplicates;
      sum.blank += source.blank;
      sum.quarantined += source.quarantined;
      for (const [reason, count] of Object.entries(source.quarantinedByReason)) {
        sum.quarantinedByReason[reason as QuarantineReason] = (sum.quarantinedByReason[reason as QuarantineReason] ?? 0) + count;
      }
      return sum;
    },
    { linesRead: 0, alreadyIngested: 0, stored: 0, duplicates: 0, blank: 0, quarantined: 0, quarantinedByReason: {} as Partial<Record<QuarantineReason, number>> },
  );
  const parsedRecords = totals.stored + totals.duplicates + totals.quarantined;
  return {
    sources: summaries,
    totals,
    seconds: (performance.now() - started) / 1000,
    bytesRead: bytesTotal,
    badShare: parsedRecords === 0 ? 0 : totals.quarantined / parsedRecords,
    quarantinePath: options.quarantine.written > 0 ? options.quarantine.path : null,
    deduplication,
    timestampWindow: { from: formatRfc3339(context.timestampWindow.fromMs), to: formatRfc3339(context.timestampWindow.toMs) },
  };
}

/**
 * About the records in the exchange files, leaning high, to size the id filter: an exchange line
 * (request and response bodies) is rarely shorter than 512 bytes, or 128 gzipped. Guessing low
 * costs nothing but a few more look-ups in the store; guessing high costs memory, up to the cap.
 */
async function estimateRecords(files: readonly string[], sizes: ReadonlyMap<string, number>): Promise<number> {
  let records = 0;
  for (const file of files) records += (sizes.get(file) ?? 0) / ((await isGzipFile(file)) ? 128 : 512);
  return Math.ceil(records);
}

interface RunContext extends Omit<IngestOptions, 'timestampWindow'> {
  textPolicy: TextPolicy;
  timestampWindow: TimestampWindow;
  maxRecordBytes: number;
  rawExcerptBytes: number;
  commitRows: number;
  batchBytes: number;
  bytesTotal: number;
  bytesDone: number;
  linesRead: number;
  storedTotal: number;
  quarantinedTotal: number;
  lastProgressAt: number;
  /** Where a file's lines are read when they are not the file itself (Parquet, read as contract lines). */
  readPaths: Map<string, string>;
}

/** The counts of one source in this run, and the cumulative checkpoint stored with the rows. */
interface SourceRun {
  summary: SourceSummary;
  checkpoint: SourceRecord;
  quarantineBuffer: QuarantineRecord[];
  /** Set by the reader when the line at the checkpoint is not the line that was committed. */
  resumeMismatch: boolean;
}

type SourceWork = (source: SourceRecord, run: SourceRun) => Promise<void>;

async function ingestSource(context: RunContext, file: string, kind: 'exchanges' | 'accounts', work: SourceWork): Promise<SourceSummary> {
  const identity = await fileIdentity(file, await isGzipFile(file));
  const existing = await context.store.findSource(kind, identity);
  let source = existing ?? (await context.store.createSource(kind, file, identity));
  const run: SourceRun = { summary: emptySummary(file, kind), checkpoint: { ...source }, quarantineBuffer: [], resumeMismatch: false };
  if (source.linesDone > 0) {
    context.logger.info({ file, lines: source.linesDone }, 'resuming after the lines an earlier run committed');
  }
  await work(source, run);
  if (run.resumeMismatch) {
    context.logger.warn({ file }, 'the file changed since it was last ingested; reading it again from the start (stored exchanges are recognised by id)');
    source = await context.store.createSource(kind, file, identity);
    const restarted: SourceRun = { summary: emptySummary(file, kind), checkpoint: { ...source }, quarantineBuffer: [], resumeMismatch: false };
    restarted.summary.restarted = true;
    await work(source, restarted);
    return restarted.summary;
  }
  return run.summary;
}

function emptySummary(file: string, kind: 'exchanges' | 'accounts'): SourceSummary {
  return { file, kind, linesRead: 0, alreadyIngested: 0, stored: 0, duplicates: 0, blank: 0, quarantined: 0, quarantinedByReason: {}, restarted: false };
}

function readerFor(context: RunContext, file: string, source: SourceRecord, run: SourceRun): AsyncGenerator<LineBatchEvent> {
  return readLineBatches(context.readPaths.get(file) ?? file, {
    maxRecordBytes: context.maxRecordBytes,
    batchBytes: context.batchBytes,
    skipLines: source.linesDone,
    onBytesRead: (bytes) => reportProgress(context, file, bytes),
    onSkipEnd: (lastSkipped) => {
      if (lastSkipped === null || lineFingerprint(lastSkipped) !== source.lastLineHash) run.resumeMismatch = true;
    },
  });
}

function reportProgress(context: RunContext, file: string, fileBytes: number): void {
  if (!context.onProgress) return;
  const now = performance.now();
  if (now - context.lastProgressAt < 100) return;
  context.lastProgressAt = now;
  context.onProgress({
    bytesRead: context.bytesDone + fileBytes,
    bytesTotal: context.bytesTotal,
    linesRead: context.linesRead,
    stored: context.storedTotal,
    quarantined: context.quarantinedTotal,
    currentFile: file,
  });
}

function recordProblems(context: RunContext, run: SourceRun, problems: readonly LineProblem[]): void {
  for (const found of problems) {
    run.summary.quarantined++;
    run.summary.quarantinedByReason[found.reason] = (run.summary.quarantinedByReason[found.reason] ?? 0) + 1;
    run.checkpoint.quarantined++;
    run.checkpoint.quarantineByReason[found.reason] = (run.checkpoint.quarantineByReason[found.reason] ?? 0) + 1;
    context.quarantinedTotal++;
    run.quarantineBuffer.push({
      file: run.summary.file,
      line: found.line,
      reason: found.reason,
      field: found.field,
      message: found.message,
      raw: found.raw,
      raw_bytes: found.rawBytes,
    });
  }
}

/**
 * A reader event that is not a batch of lines becomes one quarantined line; an oversize line
 * was read past, so the checkpoint moves over it.
 */
function recordReaderProblem(context: RunContext, run: SourceRun, event: Exclude<LineBatchEvent, { kind: 'batch' }>): void {
  if (event.kind === 'oversize') {
    recordProblems(context, run, [oversizeLineProblem(event.line, event.size, event.excerpt, context.maxRecordBytes, context.rawExcerptBytes)]);
    run.summary.linesRead++;
    context.linesRead++;
    run.checkpoint.linesDone = event.line;
    run.checkpoint.lastLineHash = lineFingerprint(event.excerpt);
  } else {
    recordProblems(context, run, [{ ...lineProblem(event.line, 'truncated_gzip', null, event.message, event.excerpt, context.rawExcerptBytes), rawBytes: event.excerpt.length }]);
  }
}

/**
 * Commits what the source has read since the last commit, with its checkpoint. Rows the id
 * filter could not clear were counted as stored; the store has the last word on them.
 */
async function commit(context: RunContext, run: SourceRun, unit: { staged?: StagedFile[]; accounts?: StoredAccount[] }, complete: boolean, ids: ExchangeIdDeduplicator | null = null): Promise<void> {
  const started = performance.now();
  const staged = unit.staged?.splice(0) ?? [];
  await commitIngestUnit(
    { store: context.store, ids, quarantine: context.quarantine },
    {
      staged,
      accounts: unit.accounts,
      settleCounts: (late) => {
        run.summary.duplicates += late;
        run.checkpoint.duplicates += late;
        run.summary.stored -= late;
        run.checkpoint.stored -= late;
        context.storedTotal -= late;
        run.checkpoint.complete = complete;
        const quarantine = run.quarantineBuffer;
        run.quarantineBuffer = [];
        return { checkpoint: run.checkpoint, quarantine };
      },
    },
  );
  context.logger.debug({ files: staged.length, ms: Math.round(performance.now() - started) }, 'committed');
}

type BatchParser = BatchParserPool<StagedBatchInput, StagedBatchResult>;

function createBatchParser(workers: number): Promise<BatchParser> {
  return createBatchParserPool<StagedBatchInput, StagedBatchResult>({
    workers,
    workerUrl: new URL('./exchange-parse-worker.js', import.meta.url),
    createInline: () => StagedBatchParser.create(),
    bytesOf: (input) => input.bytes,
  });
}

async function ingestExchanges(
  context: RunContext,
  file: string,
  source: SourceRecord,
  run: SourceRun,
  ids: ExchangeIdDeduplicator,
  parser: BatchParser,
  stagingDirectory: string,
): Promise<void> {
  run.summary.alreadyIngested = source.linesDone;
  run.summary.linesRead = source.linesDone;
  const staged: StagedFile[] = [];
  let batchId = 0;
  // Parsed batches wait here in file order. The reader keeps submitting while a commit runs, so
  // the workers stay busy during the store's slowest step; the window bounds memory. Twelve
  // batches a parser thread cover a whole commit's insert (100,000 rows, about 27 batches of
  // 2.2 KB exchanges): at six the parsers ran dry during each insert (1M exchanges: 21 s -> 19 s),
  // at 24 nothing more was gained and unparsed batches (8 MiB each) held more memory.
  const pending: Promise<{ event: LineBatchEvent; parsed: StagedBatchResult | null }>[] = [];
  const window = Math.max(4, parser.parallelism * 12);
  let wakeReader: (() => void) | null = null;
  let wakeConsumer: (() => void) | null = null;
  let readerDone = false;
  let uncommittedRows = 0;

  const consume = async (): Promise<void> => {
    for (;;) {
      if (pending.length === 0) {
        if (readerDone) return;
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
        continue;
      }
      const { event, parsed } = await pending[0]!;
      pending.shift();
      wakeReader?.();
      if (event.kind === 'batch') {
        const { rowCount, keyHi, keyLo, stagedPath, longestRowBytes } = parsed!;
        const duplicateRows: number[] = [];
        ids.screen(keyHi, keyLo, rowCount, duplicateRows);
        if (stagedPath !== null) staged.push({ path: stagedPath, duplicateRows, longestRowBytes });
        const stored = rowCount - duplicateRows.length;
        run.summary.duplicates += duplicateRows.length;
        run.checkpoint.duplicates += duplicateRows.length;
        run.summary.stored += stored;
        run.checkpoint.stored += stored;
        context.storedTotal += stored;
        uncommittedRows += stored;
        recordProblems(context, run, parsed!.problems);
        run.summary.blank += parsed!.blank;
        run.checkpoint.blank += parsed!.blank;
        run.summary.linesRead += parsed!.lineCount;
        context.linesRead += parsed!.lineCount;
        run.checkpoint.linesDone = event.firstLine + event.lineCount - 1;
        run.checkpoint.lastLineHash = parsed!.lastLineFingerprint;
      } else {
        recordReaderProblem(context, run, event);
      }
      if (uncommittedRows >= context.commitRows) {
        await commit(context, run, { staged }, false, ids);
        uncommittedRows = 0;
      }
    }
  };

  const produce = async (): Promise<void> => {
    try {
      for await (const event of readerFor(context, file, source, run)) {
        if (run.resumeMismatch) break;
        if (event.kind === 'batch') {
          const input: StagedBatchInput = {
            firstLine: event.firstLine,
            bytes: event.bytes,
            sourceId: source.sourceId,
            textPolicy: context.textPolicy,
            rawExcerptBytes: context.rawExcerptBytes,
            timestampWindow: context.timestampWindow,
            format: lineFormatOf(context.format ?? 'jsonl'),
            stagingDirectory,
            batchId: batchId++,
            maxRowBytes: context.maxStagedRowBytes ?? stagingRowLimit(context.maxRecordBytes),
          };
          const parsed = parser.parse(input);
          const { bytes: _released, ...position } = event;
          pending.push(parsed.then((result) => ({ event: { ...position, bytes: EMPTY }, parsed: result })));
        } else {
          pending.push(Promise.resolve({ event, parsed: null }));
        }
        wakeConsumer?.();
        while (pending.length >= window) await new Promise<void>((resolve) => (wakeReader = resolve));
      }
    } finally {
      readerDone = true;
      wakeConsumer?.();
    }
  };

  let committed = false;
  try {
    await Promise.all([produce(), consume()]);
    // A changed file is read again from the start: what this pass screened is let go.
    if (run.resumeMismatch) return;
    await commit(context, run, { staged }, true, ids);
    committed = true;
  } finally {
    if (!committed) ids.abandon();
    await Promise.all(staged.map((file) => rm(file.path, { force: true })));
  }
}

const EMPTY = Buffer.alloc(0);

async function ingestAccounts(context: RunContext, file: string, source: SourceRecord, run: SourceRun): Promise<void> {
  run.summary.alreadyIngested = source.linesDone;
  run.summary.linesRead = source.linesDone;
  let accounts: StoredAccount[] = [];
  for await (const event of readerFor(context, file, source, run)) {
    if (run.resumeMismatch) return;
    if (event.kind !== 'batch') {
      recordReaderProblem(context, run, event);
      continue;
    }
    const parsed = parseAccountBatch(event.bytes, event.firstLine, source.sourceId, context.store.hashKey, context.rawExcerptBytes);
    accounts.push(...parsed.accounts);
    run.summary.stored += parsed.accounts.length;
    run.checkpoint.stored += parsed.accounts.length;
    run.summary.blank += parsed.blank;
    run.checkpoint.blank += parsed.blank;
    recordProblems(context, run, parsed.problems);
    run.summary.linesRead += event.lineCount;
    run.checkpoint.linesDone = event.firstLine + event.lineCount - 1;
    run.checkpoint.lastLineHash = lineFingerprint(lastLineOf(event.bytes));
    if (accounts.length >= 50_000) {
      await commit(context, run, { accounts }, false);
      accounts = [];
    }
  }
  if (run.resumeMismatch) return;
  await commit(context, run, { accounts }, true);
}
