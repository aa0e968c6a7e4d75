import { describe, expect, it } from 'vitest';
import { createBlockIntensity, createSchedule, createScheduleScan, DAY_MS, expectedSessions, HOUR_MS, MAX_SESSION_MS, sampleSessions, scanExpected, surelyNoSession } from './activity-sampler.js';
import { seedToUnit, deriveSeed } from './seeded-rng.js';
import type { Schedule } from './world-model.js';

const start = Date.UTC(2026, 1, 2);
const end = start + 7 * DAY_MS;

function schedule(overrides: Partial<Parameters<typeof createSchedule>[0]> = {}): Schedule {
  return createSchedule({
    sessionsPerDay: 6,
    profile: 'work',
    utcOffset: -5,
    windows: [],
    activeFromMs: start,
    activeToMs: end,
    activeDays: null,
    turns: [1, 4],
    gapSeconds: [10, 60],
    ...overrides,
  });
}

function draw(account: number, block: number) {
  return { unitSeed: deriveSeed(7, account, block), streamSeed: 99, account, block };
}

function sessionsOver(s: Schedule, account: number, blockMs = 30 * 60_000) {
  const out = [];
  for (let from = start, block = 0; from < end; from += blockMs, block++) {
    out.push(...sampleSessions(s, start, end, createBlockIntensity(start, from, from + blockMs), draw(account, block)));
  }
  return out;
}

describe('activity sampler', () => {
  it('samples the same sessions for the same account and block, whoever asks', () => {
    const s = schedule();
    expect(sessionsOver(s, 3)).toEqual(sessionsOver(s, 3));
    expect(sessionsOver(s, 3)).not.toEqual(sessionsOver(s, 4));
  });

  it('matches the analytic expectation on average', () => {
    const s = schedule();
    let total = 0;
    for (let account = 0; account < 60; account++) total += sessionsOver(s, account).length;
    const expected = expectedSessions(s, start, end);
    expect(total / 60).toBeGreaterThan(expected * 0.9);
    expect(total / 60).toBeLessThan(expected * 1.1);
  });

  it('follows the working-day rhythm in local time', () => {
    let day = 0;
    let night = 0;
    for (let account = 0; account < 40; account++) {
      for (const session of sessionsOver(schedule({ profile: 'work', utcOffset: 0 }), account)) {
        const hour = new Date(session.startMs).getUTCHours();
        if (hour >= 9 && hour < 18) day++;
        if (hour < 6) night++;
      }
    }
    expect(day).toBeGreaterThan(night * 10);
  });

  it('keeps sessions inside the block they start in, with turns no longer than the cap', () => {
    const blockMs = 30 * 60_000;
    for (let from = start, block = 0; from < start + DAY_MS; from += blockMs, block++) {
      for (const session of sampleSessions(schedule({ sessionsPerDay: 200, turns: [1, 30], gapSeconds: [60, 120] }), start, end, createBlockIntensity(start, from, from + blockMs), draw(1, block))) {
        expect(session.startMs).toBeGreaterThanOrEqual(from);
        expect(session.startMs).toBeLessThan(from + blockMs);
        expect(session.offsets[0]).toBe(0);
        expect(session.offsets.at(-1)!).toBeLessThan(MAX_SESSION_MS);
      }
    }
  });

  it('puts window sessions inside their windows and tags them', () => {
    const window = { startMs: start + 26 * HOUR_MS, endMs: start + 27 * HOUR_MS, ratePerHour: 300, tag: 9 };
    const sessions = sessionsOver(schedule({ sessionsPerDay: 0, windows: [window], turns: [1, 1] }), 2);
    expect(sessions.length).toBeGreaterThan(200);
    for (const session of sessions) {
      expect(session.tag).toBe(9);
      expect(session.startMs).toBeGreaterThanOrEqual(window.startMs);
      expect(session.startMs).toBeLessThan(window.endMs);
    }
  });

  it('respects the active span and the active days', () => {
    const from = start + 2 * DAY_MS;
    const sessions = sessionsOver(schedule({ sessionsPerDay: 40, activeFromMs: from, activeToMs: from + DAY_MS }), 5);
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) expect(session.startMs).toBeGreaterThanOrEqual(from);
    const days = new Uint8Array(7);
    days[4] = 1;
    for (const session of sessionsOver(schedule({ sessionsPerDay: 40, activeDays: days }), 5)) {
      expect(Math.floor((session.startMs - start) / DAY_MS)).toBe(4);
    }
  });

  it('gives the same expectation from the flat scan arrays as from the schedule, and the same zero decisions', () => {
    const schedules = [schedule(), schedule({ profile: 'personal', utcOffset: 5.5 }), schedule({ windows: [{ startMs: start, endMs: start + HOUR_MS, ratePerHour: 5, tag: 1 }] }), schedule({ activeFromMs: start + 100 * 60_000 })];
    const scan = createScheduleScan(schedules, () => false);
    for (let from = start, block = 0; from < start + 2 * DAY_MS; from += 30 * 60_000, block++) {
      const intensity = createBlockIntensity(start, from, from + 30 * 60_000);
      schedules.forEach((s, i) => {
        const fast = scanExpected(scan, i, intensity);
        const exact = intensity.expected(s);
        if (fast !== null) expect(fast).toBe(exact);
        const seed = deriveSeed(1, i, block);
        if (surelyNoSession(exact, seed)) expect(sampleSessions(s, start, end, intensity, { unitSeed: seed, streamSeed: 1, account: i, block })).toEqual([]);
      });
    }
    expect(scanExpected(createScheduleScan([schedule()], () => true), 0, createBlockIntensity(start, start, start + HOUR_MS))).toBe(0);
    expect(seedToUnit(5)).toBeLessThan(1);
  });
});
