/** Why a record was quarantined. Stable strings: they appear in summaries, JSON and metrics. */
export const QUARANTINE_REASONS = [
  'malformed_json',
  'not_an_object',
  'missing_field',
  'wrong_type',
  'bad_value',
  'unknown_api',
  'bad_timestamp',
  'bad_ip',
  'oversize',
  'invalid_utf8',
  'truncated_gzip',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

export interface RecordProblem {
  reason: QuarantineReason;
  /** The offending field, or null when the problem is the record as a whole. */
  field: string | null;
  /** What was found and what was expected, in words. */
  message: string;
}

export function problem(reason: QuarantineReason, field: string | null, message: string): RecordProblem {
  return { reason, field, message };
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: RecordProblem };

export function rejected(reason: QuarantineReason, field: string | null, message: string): { ok: false; problem: RecordProblem } {
  return { ok: false, problem: problem(reason, field, message) };
}
