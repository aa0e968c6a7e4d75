import { join } from 'node:path';
import { encodeObservations } from './observation-codec.js';
import { parseExchangeBatch } from '../ingest/exchange-batch-parser.js';
import type { QuarantineReason } from '../ingest/record-problem.js';
import type { TextPolicy } from '../ingest/text-policy.js';
import { StagedBatchWriter } from '../store/staged-batch-writer.js';
import { decodeExchangeBody, type ExchangeBodyFormat } from './exchange-body-decoder.js';
import { EXCHANGE_COLUMN_INDEX, type ColumnValue } from '../store/exchange-columns.js';

export interface HttpBatchInput {
  body: Uint8Array;
  format: ExchangeBodyFormat;
  gzip: boolean;
  maxDecompressedBytes: number;
  sourceId: number;
  batchId: number;
  textPolicy: TextPolicy;
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
    }
  | { ok: false; status: 400 | 413; message: string };

/**
 * Parses one HTTP batch exactly as the CLI parses a log: the same validator, normaliser, row
 * builder and CSV staging, so the store cannot tell an HTTP batch from a file. Runs in an
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
    const decoded = decodeExchangeBody(input.body, input);
    if (!decoded.ok) return decoded;
    const observations: unknown[] = [];
    const orgs = new Map<string, string>();
    // Lines are numbered from 1 in the stored `source_line`, as in a log file; errors report
    // the 0-based index of the record in the body.
    const result = parseExchangeBatch(
      { firstLine: 1, bytes: decoded.lines, sourceId: input.sourceId, textPolicy: input.textPolicy, rawExcerptBytes: input.textPolicy === 'none' ? 0 : rawExcerptBytes },
      (row) => {
        this.writer.appendRow(row);
        observations.push(this.observationOfRow(row));
        const orgId = row[ORG_ID];
        if (typeof orgId === 'string') orgs.set(row[ACCOUNT_ID] as string, orgId);
      },
    );
    let stagedPath: string | null = null;
    if (result.rowCount > 0) {
      stagedPath = join(input.stagingDirectory, `http-${input.sourceId}-${input.batchId}.csv`);
      await this.writer.writeTo(stagedPath);
    }
    return {
      ok: true,
      records: result.lineCount - result.blank,
      rowCount: result.rowCount,
      keyHi: result.keyHi,
      keyLo: result.keyLo,
      observations: encodeObservations(observations),
      orgs: [...orgs],
      errors: result.problems.map((problem) => ({ index: problem.line - 1, reason: problem.reason, field: problem.field, message: problem.message })),
      rawExcerpts: result.problems.map((problem) => problem.raw),
      rawBytes: result.problems.map((problem) => problem.rawBytes),
      stagedPath,
    };
  }

  close(): void {
    this.writer.close();
  }
}

const ACCOUNT_ID = EXCHANGE_COLUMN_INDEX.account_id;
const ORG_ID = EXCHANGE_COLUMN_INDEX.org_id;
