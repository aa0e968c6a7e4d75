import { describe, expect, it } from 'vitest';
import { HourSeries, HOUR_MS } from './hour-series.js';
import { TopKCounter } from './top-k-counter.js';
import { NearDuplicateTable } from './near-duplicate-table.js';

describe('hour series', () => {
  it('counts exchanges per clock hour, in or out of order', () => {
    const series = new HourSeries();
    const t0 = Date.UTC(2026, 1, 2, 10);
    series.add(t0 + 5 * HOUR_MS + 10);
    series.add(t0);
    series.add(t0 + 60_000);
    series.add(t0 - 2 * HOUR_MS);
    const seen: [number, number][] = [];
    series.forEach((hour, count) => seen.push([hour - t0 / HOUR_MS, count]));
    expect(seen).toEqual([
      [-2, 1],
      [0, 2],
      [5, 1],
    ]);
    expect(series.activeHours()).toBe(3);
  });

  it('counts the first hour of the epoch like any other', () => {
    const series = new HourSeries();
    expect(series.countAt(0)).toBe(0);
    series.addHour(0, 2);
    series.addHour(3, 1);
    const seen: [number, number][] = [];
    series.forEach((hour, count) => seen.push([hour, count]));
    expect(seen).toEqual([
      [0, 2],
      [3, 1],
    ]);
  });

  it('answers for an account active in one hour as it does once the account moves on', () => {
    const series = new HourSeries();
    series.addHour(500, 2);
    series.addHour(500, 1);
    expect(series.activeHours()).toBe(1);
    expect(series.countAt(500)).toBe(3);
    expect(series.countAt(501)).toBe(0);
    const seen: [number, number][] = [];
    series.forEach((hour, count) => seen.push([hour, count]));
    expect(seen).toEqual([[500, 3]]);

    const merged = new HourSeries();
    merged.addHour(499, 1);
    merged.merge(series);
    series.addHour(512, 4);
    expect(series.activeHours()).toBe(2);
    expect([series.countAt(500), series.countAt(512)]).toEqual([3, 4]);
    expect([merged.activeHours(), merged.countAt(499), merged.countAt(500)]).toEqual([2, 1, 3]);
    expect(new HourSeries().activeHours()).toBe(0);
  });

  it('counts the UTC days with traffic, in one hour or many', () => {
    const series = new HourSeries();
    expect(series.activeDays()).toBe(0);
    series.addHour(24 * 100 + 23, 1);
    expect(series.activeDays()).toBe(1);
    series.addHour(24 * 101, 2);
    series.addHour(24 * 101 + 5, 1);
    series.addHour(24 * 99 + 1, 1);
    series.addHour(24 * 104 + 12, 1);
    expect(series.activeDays()).toBe(4);
  });

  it('keeps only the last maxHours hours', () => {
    const series = new HourSeries(24);
    for (let h = 0; h < 100; h++) series.addHour(1000 + h, 1);
    expect(series.activeHours()).toBe(24);
    expect(series.countAt(1000 + 99)).toBe(1);
    expect(series.countAt(1000 + 10)).toBe(0);
  });
});

describe('top-k counter', () => {
  it('is exact up to k keys', () => {
    const counter = new TopKCounter(3);
    for (const key of [7, 7, 8, 9, 7]) counter.add(key);
    expect(counter.entries()).toEqual([
      [7, 3],
      [8, 1],
      [9, 1],
    ]);
  });

  it('keeps every key seen more than N/k times beyond k keys (Space-Saving)', () => {
    const counter = new TopKCounter(3);
    for (let i = 0; i < 50; i++) counter.add(1);
    for (let i = 0; i < 40; i++) counter.add(2);
    for (let i = 0; i < 20; i++) counter.add(100 + i);
    const kept = new Map(counter.entries());
    expect(kept.get(1)).toBeGreaterThanOrEqual(50);
    expect(kept.get(2)).toBeGreaterThanOrEqual(40);
    expect(counter.size).toBe(3);
  });
});

describe('near-duplicate table', () => {
  it('tells first sight, a repeat from the same account and one from another', () => {
    const table = new NearDuplicateTable(1000, 4);
    expect(table.visit(42, 1)).toBe(0);
    expect(table.visit(42, 1)).toBe(1);
    expect(table.visit(42, 2)).toBe(2);
    expect(table.visit(42, 1)).toBe(2);
    for (let k = 1; k < 200; k++) table.visit(1000 + k, 3);
    expect(table.visit(42, 2)).toBe(2);
  });

  it('stops taking keys at its cap and keeps answering for the ones it has', () => {
    const table = new NearDuplicateTable(10);
    for (let k = 1; k <= 20; k++) table.visit(k, 1);
    expect(table.size).toBe(10);
    expect(table.full).toBe(true);
    expect(table.visit(1, 1)).toBe(1);
  });
});
