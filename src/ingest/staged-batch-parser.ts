import { join } from 'node:path';
import { StagedBatchWriter } from '../store/staged-batch-writer.js';
import { parseExchangeBatch, type ExchangeBatchInput, type ExchangeBatchResult } from './exchange-batch-parser.js';

export interface StagedBatchInput extends ExchangeBatchInput {
  /** Where the batch's staged CSV file goes (a staging folder beside the store). */
  stagingDirectory: string;
  batchId: number;
}

export interface StagedBatchResult extends ExchangeBatchResult {
  /** The staged CSV file holding the batch's rows in order, or null when it had none. */
  stagedPath: string | null;
}

/** Parses a batch and stages its rows as a CSV file; one per parser thread. */
export class StagedBatchParser {
  private constructor(private readonly writer: StagedBatchWriter) {}

  static async create(): Promise<StagedBatchParser> {
    return new StagedBatchParser(await StagedBatchWriter.create());
  }

  async parse(input: StagedBatchInput): Promise<StagedBatchResult> {
    const result = parseExchangeBatch(input, (row) => this.writer.appendRow(row));
    if (result.rowCount === 0) return { ...result, stagedPath: null };
    const stagedPath = join(input.stagingDirectory, `batch-${input.sourceId}-${input.batchId}.csv`);
    await this.writer.writeTo(stagedPath);
    return { ...result, stagedPath };
  }

  close(): void {
    this.writer.close();
  }
}
