import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SPEC, describeTimestampWindow, isInTimestampWindow, parseTimestampWindow, resolveTimestampWindow } from './timestamp-window.js';

describe('timestamp window', () => {
  const started = Date.UTC(2026, 11, 3, 6, 0, 0);

  it('defaults to 2020-01-01 up to one day after the ingest started, both ends included', () => {
    const window = resolveTimestampWindow(DEFAULT_WINDOW_SPEC, started);
    expect(describeTimestampWindow(window)).toBe('2020-01-01T00:00:00.000Z..2026-12-04T06:00:00.000Z');
    expect(isInTimestampWindow(Date.UTC(2020, 0, 1), window)).toBe(true);
    expect(isInTimestampWindow(Date.UTC(2019, 11, 31, 23, 59, 59, 999), window)).toBe(false);
    expect(isInTimestampWindow(started + 24 * 3600_000, window)).toBe(true);
    expect(isInTimestampWindow(started + 24 * 3600_000 + 1, window)).toBe(false);
  });

  it('reads FROM..TO with RFC 3339 times or dates, and keeps the default for an empty end', () => {
    expect(parseTimestampWindow('2025-01-01..2026-02-01T12:00:00+01:00')).toEqual({ fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2026, 1, 1, 11) });
    expect(resolveTimestampWindow(parseTimestampWindow('2010-06-01..'), started)).toEqual({ fromMs: Date.UTC(2010, 5, 1), toMs: started + 24 * 3600_000 });
    expect(resolveTimestampWindow(parseTimestampWindow('..2026-03-01'), started)).toEqual({ fromMs: Date.UTC(2020, 0, 1), toMs: Date.UTC(2026, 2, 1) });
  });

  it.each([
    ['2025-01-01', /FROM\.\.TO/],
    ['2025-13-01..', /RFC 3339 time .* or a date/],
    ['yesterday..', /RFC 3339/],
    ['2026-01-01..2025-01-01', /starts after it ends/],
  ])('refuses %s with a message saying what was expected', (text, message) => {
    expect(() => parseTimestampWindow(text)).toThrow(message);
  });
});
