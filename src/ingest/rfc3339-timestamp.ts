const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses an RFC 3339 date-time (`2026-02-11T09:14:03.512Z`, any offset, fraction optional) to
 * epoch milliseconds, or returns null. Unlike `Date.parse` it rejects impossible dates such as
 * February 30th and local times without an offset, which gateways must not emit.
 */
export function parseRfc3339(text: string): number | null {
  const match = RFC3339.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  let second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  const leap = month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return null;
  // A leap second is folded into the second before it; ordering matters more than the extra second.
  if (second === 60) second = 59;
  const fraction = match[7];
  const millis = fraction === undefined ? 0 : Number((fraction + '00').slice(0, 3));
  let offsetMinutes = 0;
  if (match[8] === undefined) {
    const offsetHours = Number(match[10]);
    const offsetMins = Number(match[11]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (offsetHours * 60 + offsetMins) * (match[9] === '-' ? -1 : 1);
  }
  // Date.UTC reads years 0-99 as 1900-1999; the same date 400 years on (a whole Gregorian cycle,
  // the same weekdays and leap days) is computed instead and the cycle taken off again.
  const utc = year < 100 ? Date.UTC(year + 400, month - 1, day, hour, minute, second, millis) - GREGORIAN_CYCLE_MS : Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return utc - offsetMinutes * 60_000;
}

const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;

/** Epoch milliseconds to RFC 3339 with milliseconds in UTC. */
export function formatRfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
