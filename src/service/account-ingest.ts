import { isUtf8 } from 'node:buffer';
import type { Account } from '../model/account.js';
import { parseAccountLine } from '../ingest/account-validator.js';
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
  { store, gate, sourceId, maxDecompressedBytes, onStored }: { store: DuckDbStore; gate: StoreGate; sourceId: number; maxDecompressedBytes: number; onStored: (accounts: Account[]) => void },
  body: Uint8Array,
  format: ExchangeBodyFormat,
  gzip: boolean,
): Promise<AccountReceipt> {
  const decoded = decodeExchangeBody(body, { format, gzip, maxDecompressedBytes });
  if (!decoded.ok) throw decoded.status === 413 ? new PayloadTooLargeError(decoded.message) : new InputError(decoded.message.replace('exchanges', 'accounts'));
  const accounts: { account: Account; sourceId: number; line: number }[] = [];
  const errors: RecordError[] = [];
  let received = 0;
  const bytes = decoded.lines;
  let start = 0;
  for (let index = 0; start < bytes.length; index++) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const line = bytes.subarray(start, end);
    start = end + 1;
    const text = isUtf8(line) ? line.toString('utf8').trim() : null;
    if (text === '') continue;
    received++;
    if (text === null) {
      errors.push({ index, reason: 'invalid_utf8', field: null, message: 'the record is not valid UTF-8' });
      continue;
    }
    const parsed = parseAccountLine(text, store.hashKey);
    if (parsed.ok) accounts.push({ account: parsed.value, sourceId, line: index + 1 });
    else errors.push({ index, ...parsed.problem });
  }
  if (accounts.length > 0) await gate.run(() => store.transaction(() => store.upsertAccounts(accounts)));
  onStored(accounts.map((entry) => entry.account));
  return { received, stored: accounts.length, quarantined: errors.length, errors };
}
