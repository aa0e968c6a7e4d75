import { join } from 'node:path';
import { StagedBatchWriter } from '../store/staged-batch-writer.js';
import { parseExchangeBatch, type ExchangeBatchInput, type ExchangeBatchResult, type RowSink } from './exchange-batch-parser.js';
import { problem } from './record-problem.js';

export interface StagedBatchInput extends ExchangeBatchInput {
  /** Where the batch's staged CSV file goes (a staging folder beside the store). */
  stagingDirectory: string;
  batchId: number;
  /** Longest staged row accepted (`stagingRowLimit` of the record limit); a longer one is quarantined alone. */
  maxRowBytes: number;
}

export interface StagedBatchResult extends ExchangeBatchResult {
  /** The staged CSV file holding the batch's rows in order, or null when it had none. */
  stagedPath: string | null;
  /** The longest row in the staged file, in bytes. */
  longestRowBytes: number;
}

/** Parses a batch and stages its rows as a CSV file; one per parser thread. */
export class StagedBatchParser {
  private constructor(private readonly writer: StagedBatchWriter) {}

  static async create(): Promise<StagedBatchParser> {
    return new StagedBatchParser(await StagedBatchWriter.create());
  }

  async parse(input: StagedBatchInput): Promise<StagedBatchResult> {
    const result = parseExchangeBatch(input, stageRowsOf(this.writer, input.maxRowBytes));
    if (result.rowCount === 0) return { ...result, stagedPath: null, longestRowBytes: 0 };
    const stagedPath = join(input.stagingDirectory, `batch-${input.sourceId}-${input.batchId}.csv`);
    const { longestRowBytes } = await this.writer.writeTo(stagedPath);
    return { ...result, stagedPath, longestRowBytes };
  }

  close(): void {
    this.writer.close();
  }
}

/** Stages each row in `writer`, refusing one longer than `maxRowBytes` as an oversize record. */
export function stageRowsOf(writer: StagedBatchWriter, maxRowBytes: number): RowSink {
  return (row) => {
    const bytes = writer.appendRow(row, maxRowBytes);
    return bytes <= maxRowBytes
      ? null
      : problem('oversize', null, `the record's row for the store is ${bytes} bytes, more than the staging limit of ${maxRowBytes} (twice --max-record-bytes and 64 KiB)`);
  };
}
