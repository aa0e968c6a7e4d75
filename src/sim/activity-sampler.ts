import type { ActivityWindow, ProfileName, Schedule } from './world-model.js';
import { createRng, seedToUnit, type Rng } from './seeded-rng.js';

/**
 * When accounts are active. Each account has an intensity (sessions per unit of time) made of
 * a daily rhythm in its local time plus windows (evaluation runs, class meetings, shifts). The
 * sessions that start in a time block are a Poisson draw seeded by (account, block), so any
 * block can be generated on its own, in any worker, and always gives the same sessions.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const HALF_HOUR_MS = 1_800_000;
/** Sessions never last longer than this: a block looks back this far for sessions that started earlier. */
export const MAX_SESSION_MS = 30 * 60_000;

interface Profile {
  hours: Float64Array;
  weekday: number;
  weekend: number;
}

function profile(raw: number[], weekendRatio: number): Profile {
  const mean = raw.reduce((sum, value) => sum + value, 0) / 24;
  const hours = Float64Array.from(raw, (value) => value / mean);
  // Normalised over a week so that `sessionsPerDay` is the mean daily count.
  const weekday = 7 / (5 + 2 * weekendRatio);
  return { hours, weekday, weekend: weekday * weekendRatio };
}

export const PROFILES: Record<ProfileName, Profile> = {
  //                 0    1    2    3    4    5    6    7    8    9   10   11   12   13   14   15   16   17   18   19   20   21   22   23
  personal: profile([0.35, 0.2, 0.1, 0.06, 0.05, 0.08, 0.2, 0.45, 0.7, 0.85, 0.95, 1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.1, 1.3, 1.5, 1.65, 1.6, 1.3, 0.8], 1.15),
  work: profile([0.05, 0.03, 0.02, 0.02, 0.02, 0.04, 0.1, 0.3, 0.9, 1.6, 1.9, 1.9, 1.4, 1.7, 1.9, 1.85, 1.6, 1.1, 0.6, 0.4, 0.35, 0.3, 0.2, 0.1], 0.3),
  student: profile([0.6, 0.35, 0.15, 0.06, 0.04, 0.04, 0.08, 0.2, 0.5, 0.8, 0.9, 0.95, 0.9, 1.0, 1.1, 1.15, 1.2, 1.25, 1.3, 1.5, 1.7, 1.8, 1.6, 1.1], 0.8),
  global: profile([0.8, 0.75, 0.7, 0.7, 0.72, 0.78, 0.85, 0.95, 1.05, 1.15, 1.2, 1.2, 1.2, 1.2, 1.2, 1.15, 1.1, 1.1, 1.1, 1.1, 1.05, 1.0, 0.95, 0.85], 0.9),
  flat: profile(new Array<number>(24).fill(1), 1),
};

const PROFILE_INDEX: Record<ProfileName, number> = { personal: 0, work: 1, student: 2, global: 3, flat: 4 };
const PROFILE_NAMES: readonly ProfileName[] = ['personal', 'work', 'student', 'global', 'flat'];

/**
 * Builds a schedule with one fixed property order: every account's schedule then has the same
 * hidden class, which keeps the per-block scan over all accounts monomorphic (and fast).
 */
export function createSchedule(fields: Omit<Schedule, 'rhythmKey'>): Schedule {
  return {
    sessionsPerDay: fields.sessionsPerDay,
    profile: fields.profile,
    utcOffset: fields.utcOffset,
    windows: fields.windows,
    activeFromMs: fields.activeFromMs,
    activeToMs: fields.activeToMs,
    activeDays: fields.activeDays,
    turns: fields.turns,
    gapSeconds: fields.gapSeconds,
    rhythmKey: PROFILE_INDEX[fields.profile] * 64 + Math.round(fields.utcOffset * 2) + 32,
  };
}

export interface Segment {
  startMs: number;
  endMs: number;
  /** Sessions per millisecond. */
  rate: number;
  tag: number;
}

function dayActive(schedule: Schedule, windowStartMs: number, t: number): boolean {
  if (schedule.activeDays === null) return true;
  const day = Math.floor((t - windowStartMs) / DAY_MS);
  return day >= 0 && day < schedule.activeDays.length && schedule.activeDays[day] === 1;
}

/** Rhythm rate (sessions/ms) of the half hour that starts at `t`. */
function rhythmRate(schedule: Schedule, windowStartMs: number, t: number): number {
  if (schedule.sessionsPerDay <= 0 || !dayActive(schedule, windowStartMs, t)) return 0;
  const shape = PROFILES[schedule.profile];
  const localMs = t + schedule.utcOffset * HOUR_MS;
  const localHour = Math.floor(localMs / HOUR_MS) % 24;
  // 1970-01-01 was a Thursday: day 0 has weekday 4 (0 = Sunday).
  const weekday = (Math.floor(localMs / DAY_MS) + 4) % 7;
  const dayFactor = weekday === 0 || weekday === 6 ? shape.weekend : shape.weekday;
  return (schedule.sessionsPerDay / DAY_MS) * shape.hours[(localHour + 24) % 24]! * dayFactor;
}

/**
 * The intensity of an account over [from, to): half-hour pieces of its rhythm plus the windows
 * that overlap, clipped to the account's active span. `from` and `to` are half-hour aligned.
 */
export function segmentsOf(schedule: Schedule, windowStartMs: number, from: number, to: number): Segment[] {
  const lo = Math.max(from, schedule.activeFromMs);
  const hi = Math.min(to, schedule.activeToMs);
  const out: Segment[] = [];
  if (lo >= hi) return out;
  if (schedule.sessionsPerDay > 0) {
    for (let t = from; t < to; t += HALF_HOUR_MS) {
      const start = Math.max(t, lo);
      const end = Math.min(t + HALF_HOUR_MS, hi);
      if (start >= end) continue;
      const rate = rhythmRate(schedule, windowStartMs, t);
      if (rate > 0) out.push({ startMs: start, endMs: end, rate, tag: -1 });
    }
  }
  const windows: readonly ActivityWindow[] = schedule.windows;
  for (let i = 0; i < windows.length; i++) {
    const window = windows[i]!;
    if (window.startMs >= hi) break;
    if (window.endMs <= lo) continue;
    const start = Math.max(window.startMs, lo);
    const end = Math.min(window.endMs, hi);
    if (start < end && window.ratePerHour > 0) out.push({ startMs: start, endMs: end, rate: window.ratePerHour / HOUR_MS, tag: window.tag });
  }
  return out;
}

export interface SessionTiming {
  /** Unique per account: block index × 65,536 + session number. Seeds the session's streams. */
  key: number;
  startMs: number;
  tag: number;
  /** Offsets of the turns from the session start, in ms; the first is 0. */
  offsets: number[];
}


/**
 * One block's view of intensities. Most accounts have only a daily rhythm over the whole block,
 * and all accounts with the same rhythm and time zone share its mass, so the expected count
 * costs a table lookup; accounts with windows, rotations or partial spans take the exact path.
 * At seed scale a block looks at 100,000+ accounts twice (itself and the previous block), and
 * almost all of them have no session in it.
 */
export interface BlockIntensity {
  readonly from: number;
  readonly to: number;
  /** Expected sessions of the schedule starting in [from, to). */
  expected(schedule: Schedule): number;
  /** Sessions per (1 session/day) of a rhythm key over the whole block. */
  rhythmMass(rhythmKey: number): number;
}

export function createBlockIntensity(windowStartMs: number, from: number, to: number): BlockIntensity {
  const masses = new Float64Array(5 * 64).fill(Number.NaN);
  const rhythmMass = (key: number): number => {
    let mass = masses[key]!;
    if (Number.isNaN(mass)) {
      mass = 0;
      const unit = createSchedule({
        sessionsPerDay: 1,
        profile: PROFILE_NAMES[key >> 6]!,
        utcOffset: ((key & 63) - 32) / 2,
        windows: [],
        activeFromMs: from,
        activeToMs: to,
        activeDays: null,
        turns: [1, 1],
        gapSeconds: [1, 1],
      });
      for (let t = from; t < to; t += HALF_HOUR_MS) mass += rhythmRate(unit, windowStartMs, t) * (Math.min(t + HALF_HOUR_MS, to) - t);
      masses[key] = mass;
    }
    return mass;
  };
  return {
    from,
    to,
    rhythmMass,
    expected(schedule) {
      if (schedule.activeFromMs >= to || schedule.activeToMs <= from) return 0;
      let total = 0;
      if (schedule.sessionsPerDay > 0) {
        if (schedule.activeDays === null && schedule.activeFromMs <= from && schedule.activeToMs >= to) {
          total = schedule.sessionsPerDay * rhythmMass(schedule.rhythmKey);
        } else {
          const lo = Math.max(from, schedule.activeFromMs);
          const hi = Math.min(to, schedule.activeToMs);
          for (let t = from; t < to; t += HALF_HOUR_MS) {
            const start = Math.max(t, lo);
            const end = Math.min(t + HALF_HOUR_MS, hi);
            if (start < end) total += rhythmRate(schedule, windowStartMs, t) * (end - start);
          }
        }
      }
      const windows = schedule.windows;
      if (windows.length > 0) {
        const lo = Math.max(from, schedule.activeFromMs);
        const hi = Math.min(to, schedule.activeToMs);
        for (let i = 0; i < windows.length; i++) {
          const window = windows[i]!;
          if (window.startMs >= hi) break;
          if (window.endMs <= lo) continue;
          const start = Math.max(window.startMs, lo);
          const end = Math.min(window.endMs, hi);
          if (start < end) total += (window.ratePerHour / HOUR_MS) * (end - start);
        }
      }
      return total;
    },
  };
}

/** What a block's draw for one account is seeded from. */
export interface SessionDraw {
  /** Hash of (world seed, account, block): the uniform that decides the session count. */
  unitSeed: number;
  /** The world's sampling stream seed; with `account` and `block` it seeds the session details. */
  streamSeed: number;
  account: number;
  block: number;
}

/**
 * The sessions of one account that start in block [from, to), derived only from `draw`.
 * Counts use the inverse Poisson CDF on one hashed uniform, so the common case (no session)
 * costs a lookup, a hash and a comparison.
 */
export function sampleSessions(
  schedule: Schedule,
  windowStartMs: number,
  windowEndMs: number,
  intensity: BlockIntensity,
  draw: SessionDraw,
  total = intensity.expected(schedule),
): SessionTiming[] {
  const blockSeed = draw.unitSeed;
  if (!(total > 0)) return NO_SESSIONS;
  const u = seedToUnit(blockSeed);
  let count: number;
  let rng: Rng | null = null;
  if (total > 40) {
    rng = createRng(draw.streamSeed, draw.account, draw.block);
    count = Math.max(0, Math.round(total + Math.sqrt(total) * rng.normal()));
  } else {
    let p = Math.exp(-total);
    let cdf = p;
    count = 0;
    while (u > cdf && count < 1000) {
      count++;
      p *= total / count;
      cdf += p;
    }
  }
  if (count === 0) return NO_SESSIONS;
  rng ??= createRng(draw.streamSeed, draw.account, draw.block);
  const segments = segmentsOf(schedule, windowStartMs, intensity.from, intensity.to);
  if (segments.length === 0) return NO_SESSIONS;
  let mass = 0;
  for (const segment of segments) mass += segment.rate * (segment.endMs - segment.startMs);
  const sessions: SessionTiming[] = [];
  const [minTurns, maxTurns] = schedule.turns;
  const [minGap, maxGap] = schedule.gapSeconds;
  const sessionCount = Math.min(count, 65_535);
  for (let s = 0; s < sessionCount; s++) {
    let pick = rng.float() * mass;
    let segment = segments[segments.length - 1]!;
    for (const candidate of segments) {
      const mass = candidate.rate * (candidate.endMs - candidate.startMs);
      if (pick < mass) {
        segment = candidate;
        break;
      }
      pick -= mass;
    }
    const startMs = Math.floor(segment.startMs + rng.float() * (segment.endMs - segment.startMs));
    const turns = minTurns === maxTurns ? minTurns : rng.range(minTurns, maxTurns);
    const offsets = [0];
    let offset = 0;
    for (let k = 1; k < turns; k++) {
      offset += Math.floor((minGap + rng.float() * (maxGap - minGap)) * 1000);
      if (offset >= MAX_SESSION_MS || startMs + offset >= windowEndMs) break;
      offsets.push(offset);
    }
    sessions.push({ key: draw.block * 65_536 + s, startMs, tag: segment.tag, offsets });
  }
  return sessions;
}

const NO_SESSIONS: SessionTiming[] = [];

/** Expected sessions of a schedule over the whole window (analytic, for sizing and progress). */
export function expectedSessions(schedule: Schedule, windowStartMs: number, windowEndMs: number): number {
  const from = Math.max(windowStartMs, schedule.activeFromMs);
  const to = Math.min(windowEndMs, schedule.activeToMs);
  if (from >= to) return 0;
  let days = (to - from) / DAY_MS;
  if (schedule.activeDays !== null) {
    let active = 0;
    for (const flag of schedule.activeDays) active += flag;
    days = Math.min(days, active);
  }
  let total = schedule.sessionsPerDay * days;
  for (const window of schedule.windows) {
    const start = Math.max(window.startMs, from);
    const end = Math.min(window.endMs, to);
    if (end > start) total += (window.ratePerHour * (end - start)) / HOUR_MS;
  }
  return total;
}

/**
 * The accounts' rhythms as flat arrays, for the per-block scan: walking 100,000+ account objects
 * scattered over the heap is bound by memory latency, while these arrays are read in order.
 * Accounts whose schedule needs the exact path (windows, rotations, sign-ups inside the window)
 * or that are dormant are flagged.
 */
export interface ScheduleScan {
  sessionsPerDay: Float64Array;
  rhythmKey: Uint16Array;
  /** 0: rhythm only over its active span; 1: exact path; 2: never active (dormant). */
  mode: Uint8Array;
  activeFromMs: Float64Array;
  activeToMs: Float64Array;
  /** 1 when sessions can have several turns, so a session can reach into the next block. */
  multiTurn: Uint8Array;
}

/** The scan's `mode` of a schedule. */
export function scanModeOf(schedule: Schedule, dormant: boolean): number {
  return dormant ? 2 : schedule.windows.length > 0 || schedule.activeDays !== null ? 1 : 0;
}

export function createScheduleScan(schedules: readonly Schedule[], dormant: (index: number) => boolean): ScheduleScan {
  const n = schedules.length;
  const scan: ScheduleScan = {
    sessionsPerDay: new Float64Array(n),
    rhythmKey: new Uint16Array(n),
    mode: new Uint8Array(n),
    activeFromMs: new Float64Array(n),
    activeToMs: new Float64Array(n),
    multiTurn: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const schedule = schedules[i]!;
    scan.sessionsPerDay[i] = schedule.sessionsPerDay;
    scan.rhythmKey[i] = schedule.rhythmKey;
    scan.activeFromMs[i] = schedule.activeFromMs;
    scan.activeToMs[i] = schedule.activeToMs;
    scan.mode[i] = scanModeOf(schedule, dormant(i));
    scan.multiTurn[i] = schedule.turns[1] > 1 ? 1 : 0;
  }
  return scan;
}

/**
 * Expected sessions of account `i` in the intensity's block, from the scan arrays when the
 * account allows it, else null (use `intensity.expected` on its schedule). Gives exactly what
 * `intensity.expected` gives, so both paths pick the same sessions.
 */
export function scanExpected(scan: ScheduleScan, i: number, intensity: BlockIntensity): number | null {
  const mode = scan.mode[i]!;
  if (mode === 2) return 0;
  const from = scan.activeFromMs[i]!;
  const to = scan.activeToMs[i]!;
  if (from >= intensity.to || to <= intensity.from) return 0;
  if (mode === 1 || from > intensity.from || to < intensity.to) return null;
  const rate = scan.sessionsPerDay[i]!;
  return rate > 0 ? rate * intensity.rhythmMass(scan.rhythmKey[i]!) : 0;
}

/** True when a Poisson draw with this mean, made by `sampleSessions` from `blockSeed`, is 0. */
export function surelyNoSession(total: number, blockSeed: number): boolean {
  return !(total > 0) || (total <= 40 && seedToUnit(blockSeed) <= Math.exp(-total));
}
