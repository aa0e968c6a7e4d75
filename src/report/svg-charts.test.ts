import { describe, expect, it } from 'vitest';
import { capabilityChart, niceCeiling, timeTicks, timelineChart } from './svg-charts.js';

const hourly = (hours: number, value: (hour: number) => number) =>
  Array.from({ length: hours }, (_, hour) => ({ start: new Date(Date.UTC(2026, 1, 2) + hour * 3_600_000).toISOString(), exchanges: value(hour) }));

describe('capabilityChart', () => {
  it('draws one bar per capability, largest first, and sums the tail into "other"', () => {
    const shares = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`cap_${i}`, 10 - i]));
    const svg = capabilityChart(shares).value;
    expect(svg).toContain('data-bars="9"');
    expect(svg.match(/<rect /g)).toHaveLength(9);
    expect(svg.indexOf('>cap_0<')).toBeLessThan(svg.indexOf('>cap_1<'));
    expect(svg).toContain('>other (2)<');
    expect(svg).toContain('>18%<'); // 10 / 55
  });

  it('says so when there is no data', () => {
    expect(capabilityChart({}).value).toContain('No capability data.');
  });
});

describe('timelineChart', () => {
  it('keeps every point of a short timeline and names the peak', () => {
    const svg = timelineChart(hourly(48, (hour) => (hour === 30 ? 500 : 10))).value;
    expect(svg).toContain('data-points="48"');
    expect(svg).toContain('peak 500 at 2026-02-03 06:00 UTC');
    expect(svg).toContain('Exchanges per hour: 970 in all');
  });

  it('sums a long timeline into wider buckets without losing exchanges', () => {
    const svg = timelineChart(hourly(24 * 30, () => 3)).value;
    const values = /data-values="([^"]+)"/.exec(svg)![1]!.split(',').map(Number);
    expect(values.length).toBeLessThanOrEqual(168);
    expect(values.reduce((a, b) => a + b, 0)).toBe(24 * 30 * 3);
    expect(svg).toContain('Exchanges per 5 hours');
  });

  it('says so when there is no data', () => {
    expect(timelineChart([]).value).toContain('No timeline data.');
  });
});

describe('chart axes', () => {
  it('rounds the y axis up to a top whose half is a whole round number', () => {
    expect([1, 3, 7, 10, 12, 22, 180, 251, 4_100, 9_000].map(niceCeiling)).toEqual([2, 4, 8, 10, 20, 40, 200, 400, 6_000, 10_000]);
  });

  it('puts at most seven date ticks on round UTC midnights inside the window', () => {
    const from = Date.UTC(2026, 1, 2);
    const ticks = timeTicks(from, from + 14 * 86_400_000);
    expect(ticks.length).toBeLessThanOrEqual(7);
    expect(ticks[0]!.label).toBe('Feb 4');
    expect(ticks.every((tick) => tick.ms % 86_400_000 === 0)).toBe(true);
  });

  it('uses hours for a window shorter than two days', () => {
    const from = Date.UTC(2026, 1, 2, 5);
    const labels = timeTicks(from, from + 12 * 3_600_000).map((tick) => tick.label);
    expect(labels).toEqual(['Feb 2 06:00', '08:00', '10:00', '12:00', '14:00', '16:00']);
  });
});
