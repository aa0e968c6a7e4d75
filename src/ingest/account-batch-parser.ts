import { isUtf8 } from 'node:buffer';
import type { StoredAccount } from '../store/duckdb-store.js';
import { parseAccountLine } from './account-validator.js';
import { isBlankLine, lineProblem, type LineProblem } from './exchange-batch-parser.js';

export interface AccountBatchResult {
  accounts: StoredAccount[];
  problems: LineProblem[];
  blank: number;
  lineCount: number;
}

/**
 * Validates a batch of account-file lines: the one reading of account records, for the
 * accounts file and for `POST /v1/accounts` alike. A line that is not UTF-8 is quarantined
 * rather than stored with replacement characters, as an exchange line would be.
 */
export function parseAccountBatch(bytes: Uint8Array, firstLine: number, sourceId: number, hashKey: Buffer, rawExcerptBytes: number): AccountBatchResult {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const accounts: StoredAccount[] = [];
  const problems: LineProblem[] = [];
  let blank = 0;
  let lineCount = 0;
  let line = firstLine;
  for (let start = 0; start < buffer.length; line++) {
    let end = buffer.indexOf(0x0a, start);
    if (end === -1) end = buffer.length;
    let contentEnd = end;
    if (contentEnd > start && buffer[contentEnd - 1] === 0x0d) contentEnd--;
    const lineBytes = buffer.subarray(start, contentEnd);
    start = end + 1;
    lineCount++;
    if (isBlankLine(lineBytes)) {
      blank++;
    } else if (!isUtf8(lineBytes)) {
      problems.push(lineProblem(line, 'invalid_utf8', null, 'the line is not valid UTF-8', lineBytes, rawExcerptBytes));
    } else {
      const parsed = parseAccountLine(lineBytes.toString('utf8'), hashKey);
      if (parsed.ok) accounts.push({ account: parsed.value, sourceId, line });
      else problems.push(lineProblem(line, parsed.problem.reason, parsed.problem.field, parsed.problem.message, lineBytes, rawExcerptBytes));
    }
  }
  return { accounts, problems, blank, lineCount };
}
