import { describe, expect, it } from 'vitest';
import { createReplayClock } from './replay-clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The clock over a run of exchange times: where steps start and where a relink falls due. */
function walk(times: readonly number[], stepMs: number, relinkMs: number): { steps: number[]; relinks: number[] } {
  const clock = createReplayClock(stepMs, relinkMs);
  const steps: number[] = [];
  const relinks: number[] = [];
  for (const ts of times) {
    if (!clock.newStep(ts)) continue;
    steps.push(ts);
    if (clock.enter(ts)) relinks.push(ts);
  }
  return { steps, relinks };
}

describe('the replay clock', () => {
  it('starts a step where an exchange falls in another step, and a relink where a step begins another relink interval', () => {
    const times = [0, 10_000, 59_999, MINUTE, 2 * MINUTE + 5, 59 * MINUTE, HOUR + 30_000, HOUR + 40_000, 3 * HOUR + 1];
    const { steps, relinks } = walk(times, MINUTE, HOUR);
    expect(steps).toEqual([0, MINUTE, 2 * MINUTE + 5, 59 * MINUTE, HOUR + 30_000, 3 * HOUR + 1]);
    // Not before the first interval's first step; once per interval with traffic, a gap of two hours gives one.
    expect(relinks).toEqual([HOUR + 30_000, 3 * HOUR + 1]);
  });

  it('relinks at the step that holds an interval boundary when steps are coarser than intervals', () => {
    const { relinks } = walk([0, 30 * MINUTE, 2 * HOUR, 4 * HOUR], 2 * HOUR, HOUR);
    expect(relinks).toEqual([2 * HOUR, 4 * HOUR]);
  });

  it('refuses a step or interval that is not positive', () => {
    expect(() => createReplayClock(0, HOUR)).toThrow(RangeError);
    expect(() => createReplayClock(MINUTE, Number.NaN)).toThrow(RangeError);
  });
});
