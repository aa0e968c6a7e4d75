import { formatRfc3339, parseRfc3339 } from './rfc3339-timestamp.js';

/** The span of exchange times an ingest accepts, in epoch milliseconds, both ends included. */
export interface TimestampWindow {
  fromMs: number;
  toMs: number;
}

/** A window as configured: either end may be left to its default (null). */
export interface TimestampWindowSpec {
  fromMs: number | null;
  toMs: number | null;
}

/** No LLM API gateway log this tool reads predates 2020; earlier times are clock or parsing faults. */
export const DEFAULT_WINDOW_START_MS = Date.UTC(2020, 0, 1);
/** A record may run ahead of the ingest's clock by clock skew and time zones, not by more than a day. */
export const DEFAULT_WINDOW_LEAD_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_WINDOW_SPEC: TimestampWindowSpec = { fromMs: null, toMs: null };

/**
 * The window an ingest starting at `startedAtMs` applies: the configured ends, or 2020-01-01
 * and one day after the start.
 */
export function resolveTimestampWindow(spec: TimestampWindowSpec, startedAtMs: number): TimestampWindow {
  return { fromMs: spec.fromMs ?? DEFAULT_WINDOW_START_MS, toMs: spec.toMs ?? startedAtMs + DEFAULT_WINDOW_LEAD_MS };
}

export function isInTimestampWindow(ts: number, window: TimestampWindow): boolean {
  return ts >= window.fromMs && ts <= window.toMs;
}

export function describeTimestampWindow(window: TimestampWindow): string {
  return `${formatRfc3339(window.fromMs)}..${formatRfc3339(window.toMs)}`;
}

/**
 * Reads `FROM..TO`, each end an RFC 3339 time or a date (midnight UTC), either end empty for
 * its default. Throws an Error saying what was expected.
 *
 * @example parseTimestampWindow('2025-01-01..') // { fromMs: Date.UTC(2025, 0, 1), toMs: null }
 */
export function parseTimestampWindow(text: string): TimestampWindowSpec {
  const parts = text.split('..');
  if (parts.length !== 2) throw new Error(`expected FROM..TO (RFC 3339 times or dates, either may be empty), found ${JSON.stringify(text)}`);
  const fromMs = parseWindowEnd(parts[0]!.trim());
  const toMs = parseWindowEnd(parts[1]!.trim());
  if (fromMs !== null && toMs !== null && fromMs > toMs) throw new Error(`the window starts after it ends: ${JSON.stringify(text)}`);
  return { fromMs, toMs };
}

function parseWindowEnd(text: string): number | null {
  if (text === '') return null;
  const ms = parseRfc3339(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (ms === null) throw new Error(`expected an RFC 3339 time such as 2026-02-01T00:00:00Z or a date such as 2026-02-01, found ${JSON.stringify(text)}`);
  return ms;
}
