import type { Account } from '../../model/account.js';
import { commitIngestUnit, QuarantineWriteError, parseAccountBatch, type QuarantineRecord, type QuarantineWriter, type TextPolicy } from '../../ingest/index.js';
import { oversizeLineProblem, type LineProblem } from '../../ingest/index.js';
import type { DuckDbStore, StoredAccount } from '../../store/duckdb-store.js';
import { InputError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { decodeExchangeBody, type ExchangeBodyFormat } from './exchange-body-decoder.js';
import type { RecordError } from './http-batch-parser.js';
import { PayloadTooLargeError } from '../service-errors.js';
import type { StoreGate } from '../store-gate.js';

export interface AccountReceipt {
  received: number;
  stored: number;
  quarantined: number;
  errors: RecordError[];
}

export interface AccountIngestOptions {
  store: DuckDbStore;
  gate: StoreGate;
  quarantine: QuarantineWriter;
  logger: Logger;
  sourceId: number;
  /** Names the batch in its quarantine records, as the file name does for an accounts file. */
  batchName: string;
  textPolicy: TextPolicy;
  maxDecompressedBytes: number;
  maxRecordBytes: number;
  onStored: (accounts: Account[]) => void;
}

/**
 * POST /v1/accounts: account records (new sign-ups, changed payment methods) read as the
 * accounts file is read, upserted in one transaction (a later record for an account replaces
 * the earlier one), their bad lines written to the quarantine file, and only then handed to the
 * engine. Account batches are small and rare next to exchanges, so they are parsed here.
 */
export async function ingestAccounts(options: AccountIngestOptions, body: Uint8Array, format: ExchangeBodyFormat, gzip: boolean): Promise<AccountReceipt> {
  const { store, maxRecordBytes } = options;
  const rawExcerptBytes = options.textPolicy === 'none' ? 0 : 4096;
  const accounts: StoredAccount[] = [];
  const quarantine: QuarantineRecord[] = [];
  let received = 0;
  for await (const event of decodeExchangeBody(body, { format, gzip, maxDecompressedBytes: options.maxDecompressedBytes, maxRecordBytes })) {
    if (event.kind === 'refused') throw event.status === 413 ? new PayloadTooLargeError(event.message) : new InputError(event.message.replace('exchanges', 'accounts'));
      let problems: LineProblem[];
    if (event.kind === 'oversize') {
      problems = [oversizeLineProblem(event.line, event.size, event.excerpt, maxRecordBytes, rawExcerptBytes)];
    } else {
      const parsed = parseAccountBatch(event.bytes, event.firstLine, options.sourceId, store.hashKey, rawExcerptBytes);
      accounts.push(...parsed.accounts);
      received += parsed.accounts.length;
      problems = parsed.problems;
    }
    received += problems.length;
    for (const problem of problems) {
      quarantine.push({ file: options.batchName, line: problem.line, reason: problem.reason, field: problem.field, message: problem.message, raw: problem.raw, raw_bytes: problem.rawBytes });
    }
  }
  try {
    await commitIngestUnit({ store, ids: null, quarantine: options.quarantine, access: options.gate.run }, { accounts, settleCounts: () => ({ checkpoint: null, quarantine }) });
  } catch (error) {
    if (!(error instanceof QuarantineWriteError)) throw error;
    options.logger.warn({ error: String(error.cause) }, error.message);
  }
  options.onStored(accounts.map((entry) => entry.account));
  return {
    received,
    stored: accounts.length,
    quarantined: quarantine.length,
    errors: quarantine.map((record) => ({ index: record.line - 1, reason: record.reason, field: record.field, message: record.message })),
  };
}
