/** Number and time formats shared by the server-side views; the page script mirrors them. */

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 1,234 → "1.2k", 3,400,000 → "3.4M": for chart axes and dense cells. */
export function formatCompact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trimZero((value / 1e9).toFixed(1))}B`;
  if (abs >= 1e6) return `${trimZero((value / 1e6).toFixed(1))}M`;
  if (abs >= 1e4) return `${Math.round(value / 1e3)}k`;
  if (abs >= 1e3) return `${trimZero((value / 1e3).toFixed(1))}k`;
  return String(Math.round(value));
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

export function formatScore(score: number): string {
  return score.toFixed(2);
}

export function formatShare(share: number): string {
  const percent = share * 100;
  return `${percent > 0 && percent < 1 ? percent.toFixed(1) : Math.round(percent)}%`;
}

/**
 * "2026-02-11 09:14 UTC". Always UTC and never the viewer's locale, so two analysts reading the
 * same report (or the logs) see the same times. Text that is not a timestamp is returned as is.
 */
export function formatTimestamp(iso: string | null): string {
  if (iso === null) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2026-02-11 09:14", for dense tables whose header says UTC. */
export function formatTimestampShort(iso: string | null): string {
  const text = formatTimestamp(iso);
  return text.endsWith(' UTC') ? text.slice(0, -4) : text;
}

export function formatDate(iso: string | null): string {
  if (iso === null) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 10);
}

/** Span between two timestamps in words: "14 days", "6 hours". */
export function formatSpan(fromIso: string | null, toIso: string | null): string | null {
  if (fromIso === null || toIso === null) return null;
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return null;
  const hours = ms / 3_600_000;
  if (hours < 48) return `${Math.max(1, Math.round(hours))} hour${Math.round(hours) === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `${days} days`;
}

/** Cuts text to `max` characters (on a code-point boundary) with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** The largest capability shares, highest first. */
export function topEntries(record: Record<string, number>, limit: number): [string, number][] {
  return Object.entries(record)
    .filter(([, value]) => Number.isFinite(value) && value > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit);
}
