/**
 * Typed reads of one field of a parsed JSON body. Request and response bodies come straight from
 * clients and gateways, so every read is a plain `typeof` check that turns an unexpected shape
 * into null instead of throwing; these run for every exchange on the ingest hot path.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A token count or limit: a non-negative safe integer, anything else is null. */
export function readCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

export function readFiniteNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * JSON text of a value as the API carried it, '' when there is none (absent or null). OpenAI
 * already carries tool arguments as JSON text, so a string is kept verbatim rather than quoted a
 * second time.
 */
export function toJsonText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    // Only reachable with values JSON.parse cannot produce (BigInt, cycles); the body stays usable.
    return '';
  }
}

/** A string with at least one character; an empty string is treated like an absent one. */
export function readNonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
