import { join } from 'node:path';
import { encodeObservations } from '../engine/observation-codec.js';
import { oversizeLineProblem, parseExchangeBatch, stageRowsOf, type LineProblem, type QuarantineReason, type RowSink, type TextPolicy, type TimestampWindow } from '../../ingest/index.js';
import { StagedBatchWriter, stagingRowLimit } from '../../store/staged-batch-writer.js';
import { decodeExchangeBody, type ExchangeBodyFormat } from './exchange-body-decoder.js';
import { EXCHANGE_COLUMN_INDEX, type ColumnValue } from '../../store/exchange-columns.js';

export interface HttpBatchInput {
  body: Uint8Array;
  format: ExchangeBodyFormat;
  gzip: boolean;
  maxDecompressedBytes: number;
  /** Longest record accepted, as `ingest --max-record-bytes`. */
  maxRecordBytes: number;
  sourceId: number;
  batchId: number;
  textPolicy: TextPolicy;
  /** Exchange times accepted, as for a file ingest starting when the batch arrived. */
  timestampWindow: TimestampWindow;
  stagingDirectory: string;
}

/** A record of the body that was quarantined, by its position in the body. */
export interface RecordError {
  index: number;
  reason: QuarantineReason;
  field: string | null;
  message: string;
}

export type HttpBatchResult =
  | {
      ok: true;
      /** Non-blank records in the body. */
      records: number;
      rowCount: number;
      keyHi: Uint32Array;
      keyLo: Uint32Array;
      /**
       * The engine's observation of each row, in row order (the order of the staged CSV
       * file), v8-serialized: the main thread passes it on to the engine without decoding it.
       */
      observations: Uint8Array;
      /** Each row's (account, organisation) where the organisation is known, for the policy's org lists. */
      orgs: [accountId: string, orgId: string][];
      errors: RecordError[];
      /** Raw heads of the quarantined records, for the quarantine file. */
      rawExcerpts: (string | null)[];
      rawBytes: number[];
      stagedPath: string | null;
      /** The longest row in the staged file, in bytes. */
      longestRowBytes: number;
    }
  | { ok: false; status: 400 | 413; message: string };

/**
 * Parses one HTTP batch exactly as the CLI parses a log: the same line splitter and record
 * limit, validator, normaliser, row builder and CSV staging, so the store cannot tell an HTTP
 * batch from a file. Runs in an
 * ingest worker thread (or inline in tests and with `--workers 0`).
 */
export class HttpBatchParser {
  private constructor(
    private readonly writer: StagedBatchWriter,
    private readonly observationOfRow: (row: readonly ColumnValue[]) => unknown,
  ) {}

  static async create(observationOfRow: (row: readonly ColumnValue[]) => unknown): Promise<HttpBatchParser> {
    return new HttpBatchParser(await StagedBatchWriter.create(), observationOfRow);
  }

  async parse(input: HttpBatchInput, rawExcerptBytes = 4096): Promise<HttpBatchResult> {
    const excerptBytes = input.textPolicy === 'none' ? 0 : rawExcerptBytes;
    const observations: unknown[] = [];
    const orgs = new Map<string, string>();
    const stage = stageRowsOf(this.writer, stagingRowLimit(input.maxRecordBytes));
    const onRow: RowSink = (row) => {
      const refused = stage(row);
      if (refused !== null) return refused;
      observations.push(this.observationOfRow(row));
      const orgId = row[ORG_ID];
      if (typeof orgId === 'string') orgs.set(row[ACCOUNT_ID] as string, orgId);
      return null;
    };
    const keys: { hi: Uint32Array; lo: Uint32Array }[] = [];
    const problems: LineProblem[] = [];
    let records = 0;
    let rowCount = 0;
    // Records are numbered from 1 in the stored `source_line`, as the lines of a log file;
    // errors report the 0-based index of the record in the body.
    for await (const event of decodeExchangeBody(input.body, input)) {
      if (event.kind === 'refused') {
        this.writer.discard();
        return { ok: false, status: event.status, message: event.message };
      }
      if (event.kind === 'oversize') {
        records++;
        problems.push(oversizeLineProblem(event.line, event.size, event.excerpt, input.maxRecordBytes, excerptBytes));
        continue;
      }
      const batch = parseExchangeBatch(
        {
          firstLine: event.firstLine,
          bytes: event.bytes,
          sourceId: input.sourceId,
          textPolicy: input.textPolicy,
          rawExcerptBytes: excerptBytes,
          timestampWindow: input.timestampWindow,
          format: 'jsonl',
        },
        onRow,
      );
      records += batch.lineCount - batch.blank;
      rowCount += batch.rowCount;
      keys.push({ hi: batch.keyHi, lo: batch.keyLo });
      problems.push(...batch.problems);
    }
    let stagedPath: string | null = null;
    let longestRowBytes = 0;
    if (rowCount > 0) {
      stagedPath = join(input.stagingDirectory, `http-${input.sourceId}-${input.batchId}.csv`);
      ({ longestRowBytes } = await this.writer.writeTo(stagedPath));
    }
    return {
      ok: true,
      records,
      rowCount,
      keyHi: concatKeys(keys.map((key) => key.hi), rowCount),
      keyLo: concatKeys(keys.map((key) => key.lo), rowCount),
      observations: encodeObservations(observations),
      orgs: [...orgs],
      errors: problems.map((problem) => ({ index: problem.line - 1, reason: problem.reason, field: problem.field, message: problem.message })),
      rawExcerpts: problems.map((problem) => problem.raw),
      rawBytes: problems.map((problem) => problem.rawBytes),
      stagedPath,
      longestRowBytes,
    };
  }

  close(): void {
    this.writer.close();
  }
}

function concatKeys(parts: readonly Uint32Array[], length: number): Uint32Array {
  if (parts.length === 1) return parts[0]!;
  const keys = new Uint32Array(length);
  let offset = 0;
  for (const part of parts) {
    keys.set(part, offset);
    offset += part.length;
  }
  return keys;
}

const ACCOUNT_ID = EXCHANGE_COLUMN_INDEX.account_id;
const ORG_ID = EXCHANGE_COLUMN_INDEX.org_id;
