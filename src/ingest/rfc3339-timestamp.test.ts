import { describe, expect, it } from 'vitest';
import { formatRfc3339, parseRfc3339 } from './rfc3339-timestamp.js';

describe('parseRfc3339', () => {
  it('reads UTC timestamps with milliseconds', () => {
    expect(parseRfc3339('2026-02-11T09:14:03.512Z')).toBe(Date.UTC(2026, 1, 11, 9, 14, 3, 512));
  });

  it('applies numeric offsets', () => {
    expect(parseRfc3339('2026-02-11T10:14:03.512+01:00')).toBe(Date.UTC(2026, 1, 11, 9, 14, 3, 512));
    expect(parseRfc3339('2026-02-11T04:44:03-04:30')).toBe(Date.UTC(2026, 1, 11, 9, 14, 3, 0));
  });

  it('keeps millisecond precision from longer fractions and pads shorter ones', () => {
    expect(parseRfc3339('2026-02-11T09:14:03.123456789Z')).toBe(Date.UTC(2026, 1, 11, 9, 14, 3, 123));
    expect(parseRfc3339('2026-02-11T09:14:03.5Z')).toBe(Date.UTC(2026, 1, 11, 9, 14, 3, 500));
  });

  it('accepts February 29th only in leap years', () => {
    expect(parseRfc3339('2024-02-29T00:00:00Z')).not.toBeNull();
    expect(parseRfc3339('2026-02-29T00:00:00Z')).toBeNull();
    expect(parseRfc3339('2000-02-29T00:00:00Z')).not.toBeNull();
    expect(parseRfc3339('1900-02-29T00:00:00Z')).toBeNull();
  });

  it.each([
    ['2026-02-30T09:14:03.512Z', 'impossible day'],
    ['2026-13-01T09:14:03Z', 'month 13'],
    ['2026-02-11T24:00:00Z', 'hour 24'],
    ['2026-02-11T09:14:03.512', 'no offset'],
    ['2026-02-11', 'date only'],
    ['1739265243512', 'epoch number as text'],
    ['Wed, 11 Feb 2026 09:14:03 GMT', 'HTTP date'],
  ])('rejects %s (%s)', (text) => {
    expect(parseRfc3339(text)).toBeNull();
  });

  it('reads years 0000-0099 as themselves, not as 1900-1999', () => {
    expect(parseRfc3339('0099-12-31T23:59:59.999Z')).toBe(Date.parse('0099-12-31T23:59:59.999Z'));
    expect(parseRfc3339('0000-01-01T00:00:00Z')).toBe(-62_167_219_200_000);
    expect(parseRfc3339('0026-02-11T09:14:03.512Z')).toBe(Date.parse('0026-02-11T09:14:03.512Z'));
    expect(new Date(parseRfc3339('0026-02-11T09:14:03.512Z')!).getUTCFullYear()).toBe(26);
    expect(parseRfc3339('0004-02-29T00:00:00Z')).toBe(Date.parse('0004-02-29T00:00:00Z'));
    expect(parseRfc3339('0100-01-01T00:00:00+01:00')).toBe(Date.parse('0100-01-01T00:00:00+01:00'));
  });

  it('round-trips through formatRfc3339', () => {
    const epoch = Date.UTC(2026, 1, 11, 9, 14, 3, 512);
    expect(parseRfc3339(formatRfc3339(epoch))).toBe(epoch);
  });
});
