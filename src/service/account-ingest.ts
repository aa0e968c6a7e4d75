import { isUtf8 } from 'node:buffer';
import type { Account } from '../model/account.js';
import { parseAccountLine } from '../ingest/account-validator.js';
import { oversizeLineProblem } from '../ingest/exchange-batch-parser.js';
import type { DuckDbStore } from '../store/duckdb-store.js';
import { InputError } from '../util/errors.js';
import { decodeExchangeBody, type ExchangeBodyFormat } from './exchange-body-decoder.js';
import type { RecordError } from './http-batch-parser.js';
import { PayloadTooLargeError } from './service-errors.js';
import type { StoreGate } from './store-gate.js';

export interface AccountReceipt {
  received: number;
  stored: number;
  quarantined: number;
  errors: RecordError[];
}

/**
 * POST /v1/accounts: account records (new sign-ups, changed payment methods) validated as the
 * CLI validates an accounts file, upserted in one transaction (a later record for an account
 * replaces the earlier one) and only then handed to the engine. Account batches are small and
 * rare next to exchanges, so they are parsed on the main thread.
 */
export async function ingestAccounts(
  {
    store,
    gate,
    sourceId,
    maxDecompressedBytes,
    maxRecordBytes,
    onStored,
  }: { store: DuckDbStore; gate: StoreGate; sourceId: number; maxDecompressedBytes: number; maxRecordBytes: number; onStored: (accounts: Account[]) => void },
  body: Uint8Array,
  format: ExchangeBodyFormat,
  gzip: boolean,
): Promise<AccountReceipt> {
  const accounts: { account: Account; sourceId: number; line: number }[] = [];
  const errors: RecordError[] = [];
  let received = 0;
  for await (const event of decodeExchangeBody(body, { format, gzip, maxDecompressedBytes, maxRecordBytes })) {
    if (event.kind === 'refused') throw event.status === 413 ? new PayloadTooLargeError(event.message) : new InputError(event.message.replace('exchanges', 'accounts'));
    if (event.kind === 'oversize') {
      received++;
      const { reason, field, message } = oversizeLineProblem(event.line, event.size, event.excerpt, maxRecordBytes, 0);
      errors.push({ index: event.line - 1, reason, field, message });
      continue;
    }
    const bytes = event.bytes;
    let start = 0;
    for (let line = event.firstLine; start < bytes.length; line++) {
      let end = bytes.indexOf(0x0a, start);
      if (end === -1) end = bytes.length;
      const record = bytes.subarray(start, end);
      start = end + 1;
      const text = isUtf8(record) ? record.toString('utf8').trim() : null;
      if (text === '') continue;
      received++;
      if (text === null) {
        errors.push({ index: line - 1, reason: 'invalid_utf8', field: null, message: 'the record is not valid UTF-8' });
        continue;
      }
      const parsed = parseAccountLine(text, store.hashKey);
      if (parsed.ok) accounts.push({ account: parsed.value, sourceId, line });
      else errors.push({ index: line - 1, ...parsed.problem });
    }
  }
  if (accounts.length > 0) await gate.run(() => store.transaction(() => store.upsertAccounts(accounts)));
  onStored(accounts.map((entry) => entry.account));
  return { received, stored: accounts.length, quarantined: errors.length, errors };
}
