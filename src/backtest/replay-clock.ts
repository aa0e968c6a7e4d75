/**
 * When a replay commits and relinks, from the exchanges' times alone: a step ends where the next
 * exchange falls in another step, and a relink falls due before a step that begins a new relink
 * interval, once the first interval has passed and anything was observed since the last relink.
 * The replay and the thread that links ahead of it keep one each, so both relink at the same rows.
 */
export interface ReplayClock {
  /** Whether `ts` falls in another step than the last one entered. */
  newStep(ts: number): boolean;
  /** Enters the step of `ts`; true when it begins a relink interval other than the first. */
  enter(ts: number): boolean;
}

export function createReplayClock(stepMs: number, relinkIntervalMs: number): ReplayClock {
  if (!(stepMs > 0) || !(relinkIntervalMs > 0)) throw new RangeError('stepMs and relinkIntervalMs must be positive');
  let step = Number.NEGATIVE_INFINITY;
  let slot = Number.NEGATIVE_INFINITY;
  return {
    newStep: (ts) => Math.floor(ts / stepMs) !== step,
    enter(ts) {
      step = Math.floor(ts / stepMs);
      const entered = Math.floor((step * stepMs) / relinkIntervalMs);
      const began = entered !== slot && slot !== Number.NEGATIVE_INFINITY;
      slot = entered;
      return began;
    },
  };
}
