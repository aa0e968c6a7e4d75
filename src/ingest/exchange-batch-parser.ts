import { isUtf8 } from 'node:buffer';
import { hash64, key64ToBigInt } from '../util/hash64.js';
import type { ColumnValue } from '../store/exchange-columns.js';
import { exchangeLineParser, type ExchangeLineFormat } from './exchange-formats.js';
import { buildExchangeRow } from './exchange-row.js';
import { lastLineOf, lineFingerprint } from './line-fingerprint.js';
import type { QuarantineReason, RecordProblem } from './record-problem.js';
import type { TextPolicy } from './text-policy.js';
import type { TimestampWindow } from './timestamp-window.js';

export interface ExchangeBatchInput {
  firstLine: number;
  /** Complete lines, each ending in `\n`. */
  bytes: Uint8Array;
  sourceId: number;
  textPolicy: TextPolicy;
  /** How much of a bad line to keep in the quarantine record; 0 keeps none. */
  rawExcerptBytes: number;
  /** Exchange times outside it are quarantined (`bad_timestamp`). */
  timestampWindow: TimestampWindow;
  /** The log's line format (`jsonl`, the contract, unless told otherwise). */
  format: ExchangeLineFormat;
}

/** One quarantined line, before the file name is attached. */
export interface LineProblem {
  line: number;
  reason: QuarantineReason;
  field: string | null;
  message: string;
  raw: string | null;
  rawBytes: number;
}

/** Takes a good record's row; returns null once the row is kept, or the problem that kept it out. */
export type RowSink = (row: ColumnValue[]) => RecordProblem | null;

export interface ExchangeBatchResult {
  /** Rows `onRow` kept, in order. */
  rowCount: number;
  /** The id key of each row, split in halves for the deduplication set. */
  keyHi: Uint32Array;
  keyLo: Uint32Array;
  problems: LineProblem[];
  blank: number;
  lineCount: number;
  lastLineFingerprint: string;
}

/**
 * Validates and normalises a batch of exchange-log lines, handing each good one to `onRow` as a
 * store row and collecting the bad ones, and the rows `onRow` refused, as problems. Synchronous
 * and free of I/O, so the parser threads, the inline path and the service's HTTP ingest all
 * share it.
 */
export function parseExchangeBatch(input: ExchangeBatchInput, onRow: RowSink): ExchangeBatchResult {
  const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const his: number[] = [];
  const los: number[] = [];
  const problems: LineProblem[] = [];
  let blank = 0;
  let line = input.firstLine;
  let start = 0;
  let lineCount = 0;
  const parseOptions = { timestampWindow: input.timestampWindow };
  const parseLine = exchangeLineParser(input.format);
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    let contentEnd = end;
    if (contentEnd > start && bytes[contentEnd - 1] === 0x0d) contentEnd--;
    lineCount++;
    const lineBytes = bytes.subarray(start, contentEnd);
    if (isBlankLine(lineBytes)) {
      blank++;
    } else if (!isUtf8(lineBytes)) {
      problems.push(lineProblem(line, 'invalid_utf8', null, 'the line is not valid UTF-8', lineBytes, input.rawExcerptBytes));
    } else {
      try {
        const results = parseLine(lineBytes.toString('utf8'), parseOptions);
        for (const parsed of 'ok' in results ? [results] : results) {
          if (parsed.ok) {
            const key = hash64(parsed.value.exchange.id);
            const row = buildExchangeRow(parsed.value.exchange, {
              idKey: key64ToBigInt(key),
              clientSubnet: parsed.value.clientSubnet,
              sourceId: input.sourceId,
              sourceLine: line,
              textPolicy: input.textPolicy,
            });
            const refused = onRow(row);
            if (refused === null) {
              his.push(key.hi);
              los.push(key.lo);
            } else {
              problems.push(lineProblem(line, refused.reason, refused.field, refused.message, lineBytes, input.rawExcerptBytes));
            }
          } else {
            const { reason, field, message } = parsed.problem;
            problems.push(lineProblem(line, reason, field, message, lineBytes, input.rawExcerptBytes));
          }
        }
      } catch (error) {
        // A record that trips a bug is kept in quarantine, not lost and not fatal to the batch.
        const message = `internal error while reading this record: ${(error as Error).message}`;
        problems.push(lineProblem(line, 'bad_value', null, message, lineBytes, input.rawExcerptBytes));
      }
    }
    line++;
    start = end + 1;
  }
  return {
    rowCount: his.length,
    keyHi: Uint32Array.from(his),
    keyLo: Uint32Array.from(los),
    problems,
    blank,
    lineCount,
    lastLineFingerprint: bytes.length === 0 ? '' : lineFingerprint(lastLineOf(bytes)),
  };
}

export function lineProblem(
  line: number,
  reason: QuarantineReason,
  field: string | null,
  message: string,
  lineBytes: Buffer,
  rawExcerptBytes: number,
): LineProblem {
  return {
    line,
    reason,
    field,
    message,
    raw: rawExcerptBytes > 0 ? lineBytes.subarray(0, rawExcerptBytes).toString('utf8') : null,
    rawBytes: lineBytes.length,
  };
}

/** A line over the record limit, of which only the head was read, as a quarantined line. */
export function oversizeLineProblem(line: number, size: number, head: Buffer, maxRecordBytes: number, rawExcerptBytes: number): LineProblem {
  return lineProblem(line, 'oversize', null, `the record is ${size} bytes; the limit is ${maxRecordBytes} (--max-record-bytes)`, head, rawExcerptBytes);
}

/** Spaces, tabs and carriage returns only: a line the ingest counts as blank, not as a record. */
export function isBlankLine(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}
