import { InvalidArgumentError, type Command } from 'commander';
import { parseTimestampWindow, type TimestampWindowSpec } from '../ingest/timestamp-window.js';

/** `0.01`, `1%` → 0.01. */
export function parseFraction(text: string): number {
  const trimmed = text.trim();
  const value = trimmed.endsWith('%') ? Number(trimmed.slice(0, -1)) / 100 : Number(trimmed);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new InvalidArgumentError('expected a share between 0 and 1, such as 0.01 or 1%');
  return value;
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };

/** `1048576`, `512KiB`, `1MiB`, `2MB` → bytes. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match ? BYTE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new InvalidArgumentError('expected a size such as 1048576, 512KiB or 1MiB');
  const bytes = Math.round(Number(match[1]) * unit);
  if (bytes < 1) throw new InvalidArgumentError('expected a size of at least 1 byte');
  return bytes;
}

export function parseWorkerCount(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 64) throw new InvalidArgumentError('expected a whole number of threads from 0 to 64');
  return value;
}

export function parseNonNegativeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return value;
}

/** `2025-01-01..`, `2026-02-01T00:00:00Z..2026-03-01` → a window with defaults for empty ends. */
export function parsePort(text: string): number {
  const value = parseNonNegativeInteger(text);
  if (value > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return value;
}

export function parsePositiveInteger(text: string): number {
  const value = parseNonNegativeInteger(text);
  if (value < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return value;
}

export function parsePositiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('expected a number > 0');
  return value;
}

export function parseTimestampWindowOption(text: string): TimestampWindowSpec {
  try {
    return parseTimestampWindow(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export const TIMESTAMP_WINDOW_HELP =
  'exchange times accepted, FROM..TO (RFC 3339 times or dates; an empty end keeps its default); ' +
  'times outside it are quarantined as bad_timestamp (default 2020-01-01..one day after the start)';

/** `15s`, `500ms`, `2m`, or a plain number of seconds → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!match) throw new InvalidArgumentError('expected a duration such as 15s, 500ms or 2m');
  const unit = (match[2] ?? 's').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(Number(match[1]) * factor);
}

/** 1048576 → `1MiB`, 1500 → `1500B`: a size as a user would write it. */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

/** 15000 → `15s`, 500 → `500ms`, 120000 → `2m`: milliseconds as a user would write them. */
export function formatMilliseconds(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Shows the defaults of size and duration options in `--help` the way the docs write them
 * (`16MiB`, `15s`) instead of as raw numbers, in the command and every subcommand under it. A
 * raw default would mislead: a plain number given to a duration option is seconds, so the help
 * of `policy backtest` once showed `(default: 60000)` for one minute.
 */
export function describeUnitDefaults(command: Command): Command {
  for (const option of command.options) {
    if (typeof option.defaultValue !== 'number' || option.defaultValueDescription !== undefined) continue;
    if (option.parseArg === parseByteSize) option.defaultValueDescription = formatByteSize(option.defaultValue);
    else if (option.parseArg === parseDuration) option.defaultValueDescription = formatMilliseconds(option.defaultValue);
  }
  for (const subcommand of command.commands) describeUnitDefaults(subcommand);
  return command;
}
