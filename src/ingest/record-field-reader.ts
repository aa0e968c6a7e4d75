import { parseIp, type ParsedIp } from './ip-address.js';
import { describeJsonType, rejected, type RecordProblem } from './record-problem.js';
import { parseRfc3339 } from './rfc3339-timestamp.js';
import { describeTimestampWindow, isInTimestampWindow, type TimestampWindow } from './timestamp-window.js';

/**
 * Readers of the fields every exchange format shares (identifiers, times, network facts), each
 * given the field's name in its own format, so a problem names the field as the file spells it.
 * Each returns the value read or a rejection.
 */
export type Rejection = { ok: false; problem: RecordProblem };

export function isRejection(value: unknown): value is Rejection {
  return typeof value === 'object' && value !== null && (value as Partial<Rejection>).ok === false;
}

export const MAX_ID_LENGTH = 512;

/** A line as a JSON object; `what` names the record for the message (`an account`). */
export function readJsonObject(line: string, what = ''): Record<string, unknown> | Rejection {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return rejected('malformed_json', null, `not valid JSON: ${(error as Error).message}`);
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return rejected('not_an_object', null, `expected a JSON object per line${what === '' ? '' : ` (${what})`}, found ${describeJsonType(record)}`);
  }
  return record as Record<string, unknown>;
}

/** A required identifier: a non-empty string of at most 512 characters. */
export function readRequiredId(record: Record<string, unknown>, field: string, description = ''): string | Rejection {
  const value = record[field];
  if (value === undefined || value === null) return rejected('missing_field', field, `${field} is required${description}`);
  if (typeof value !== 'string' || value.length === 0) return rejected('wrong_type', field, `expected a non-empty string, found ${describeJsonType(value)}`);
  if (value.length > MAX_ID_LENGTH) return rejected('bad_value', field, `${field} is ${value.length} characters; at most ${MAX_ID_LENGTH} expected`);
  return value;
}

/** A required RFC 3339 time within the window, in epoch milliseconds. */
export function readRequiredTimestamp(record: Record<string, unknown>, field: string, window: TimestampWindow | undefined): number | Rejection {
  const value = record[field];
  if (value === undefined || value === null) return rejected('missing_field', field, `${field} is required (RFC 3339 with milliseconds)`);
  if (typeof value !== 'string') return rejected('wrong_type', field, `expected an RFC 3339 string, found ${describeJsonType(value)}`);
  return readTimestamp(value, field, window);
}

/**
 * An RFC 3339 time in epoch milliseconds, or the problem with it: not RFC 3339, or outside the
 * window (a clock fault upstream, or a parse gone wrong, that would skew every rate and rhythm).
 */
export function readTimestamp(text: string, field: string, window: TimestampWindow | undefined): number | Rejection {
  const ts = parseRfc3339(text);
  if (ts === null) return rejected('bad_timestamp', field, `expected RFC 3339 such as 2026-02-11T09:14:03.512Z, found ${JSON.stringify(text.slice(0, 60))}`);
  if (window !== undefined && !isInTimestampWindow(ts, window)) {
    return rejected('bad_timestamp', field, `${JSON.stringify(text.slice(0, 60))} is outside the accepted window ${describeTimestampWindow(window)} (--ts-window)`);
  }
  return ts;
}

/** An optional string; absent, null and empty all read as null. */
export function readOptionalString(record: Record<string, unknown>, field: string): string | null | Rejection {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return rejected('wrong_type', field, `expected a string or null, found ${describeJsonType(value)}`);
  return value.length === 0 ? null : value;
}

/** An optional whole number from 0 to `max`. */
export function readOptionalCount(record: Record<string, unknown>, field: string, max = 2147483647): number | null | Rejection {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    return rejected('wrong_type', field, `expected a whole number from 0 to ${max}, found ${describeJsonType(value)}`);
  }
  return value;
}

/** An optional client address, normalised, with its subnet (/24 or /48). */
export function readOptionalIp(record: Record<string, unknown>, field: string): ParsedIp | null | Rejection {
  const value = record[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return rejected('wrong_type', field, `expected an IPv4 or IPv6 address string, found ${describeJsonType(value)}`);
  const parsed = parseIp(value);
  if (parsed === null) return rejected('bad_ip', field, `expected an IPv4 or IPv6 address, found ${JSON.stringify(value.slice(0, 60))}`);
  return parsed;
}

/** An optional AS number; gateways that enrich with text ASNs write `AS13335` or `13335`. */
export function readOptionalAsn(record: Record<string, unknown>, field: string): number | null | Rejection {
  const value = record[field];
  if (value === undefined || value === null) return null;
  const asn = typeof value === 'string' ? parseAsnText(value) : value;
  if (typeof asn !== 'number' || !Number.isInteger(asn) || asn < 0 || asn > 4294967295) {
    return rejected('wrong_type', field, `expected an AS number (integer 0-4294967295), found ${describeJsonType(value)}`);
  }
  return asn;
}

function parseAsnText(text: string): number | string {
  const match = /^(?:AS)?(\d{1,10})$/i.exec(text.trim());
  return match === null ? text : Number(match[1]);
}
