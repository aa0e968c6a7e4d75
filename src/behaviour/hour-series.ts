const HOUR_MS = 3_600_000;
/** Starts small and doubles: anyone can open many accounts active for an hour or two, and each should cost little. */
const INITIAL_HOURS = 8;
const NO_HOURS = new Uint32Array(0);

/**
 * Exchanges per clock hour over an account's active span, in a typed array that grows as time
 * goes on: what the timeline chart, the activity-synchronisation link and the rhythm measures
 * read. Bounded to `maxHours`; older hours fall off the front (the live service runs for months).
 * An account active in one hour keeps its count in a field and allocates no array: a typed
 * array's headers cost more than a one-request account's other state.
 */
export class HourSeries {
  /**
   * Hour index (hours since the epoch) of `counts[0]`; 0 while empty. Never NaN: V8 keeps a
   * field that has ever held a non-integer as a boxed number in every instance of the class, an
   * extra object per account (docs/performance.md, "Memory per account").
   */
  start = 0;
  private counts = NO_HOURS;
  private used = 0;
  /** The count of hour `start` while the account has been active in that hour alone (`counts` unallocated). */
  private single = 0;

  constructor(readonly maxHours = 24 * 62) {}

  add(ts: number, count = 1): void {
    this.addHour(Math.floor(ts / HOUR_MS), count);
  }

  addHour(hour: number, count: number): void {
    if (this.used === 0 && this.counts === NO_HOURS) {
      this.start = hour;
      this.single = count;
      this.used = 1;
      return;
    }
    if (this.counts === NO_HOURS) {
      if (hour === this.start) {
        this.single += count;
        return;
      }
      this.counts = new Uint32Array(INITIAL_HOURS);
      this.counts[0] = this.single;
    }
    if (hour < this.start) {
      const shift = this.start - hour;
      if (this.used + shift > this.maxHours) return; // older than the window keeps: dropped
      const grown = new Uint32Array(Math.max(this.counts.length, this.used + shift));
      grown.set(this.counts.subarray(0, this.used), shift);
      this.counts = grown;
      this.used += shift;
      this.start = hour;
    }
    let offset = hour - this.start;
    if (offset >= this.maxHours) {
      const drop = offset - this.maxHours + 1;
      if (drop >= this.used) {
        this.counts.fill(0);
        this.used = 0;
      } else {
        this.counts.copyWithin(0, drop, this.used);
        this.counts.fill(0, this.used - drop, this.used);
        this.used -= drop;
      }
      this.start += drop;
      offset = hour - this.start;
    }
    if (offset >= this.counts.length) {
      const grown = new Uint32Array(Math.min(this.maxHours, Math.max(offset + 1, this.counts.length * 2)));
      grown.set(this.counts.subarray(0, this.used));
      this.counts = grown;
    }
    this.counts[offset]! += count;
    if (offset >= this.used) this.used = offset + 1;
  }

  merge(other: HourSeries): void {
    other.forEach((hour, count) => this.addHour(hour, count));
  }

  /** Calls `visit` for each hour with traffic, oldest first. */
  forEach(visit: (hour: number, count: number) => void): void {
    if (this.counts === NO_HOURS) {
      if (this.single > 0) visit(this.start, this.single);
      return;
    }
    for (let i = 0; i < this.used; i++) if (this.counts[i]! > 0) visit(this.start + i, this.counts[i]!);
  }

  /** Hours with traffic. */
  activeHours(): number {
    if (this.counts === NO_HOURS) return this.single > 0 ? 1 : 0;
    let active = 0;
    for (let i = 0; i < this.used; i++) if (this.counts[i]! > 0) active++;
    return active;
  }

  /** UTC days with traffic. */
  activeDays(): number {
    if (this.counts === NO_HOURS) return this.single > 0 ? 1 : 0;
    let days = 0;
    let lastDay = Number.NaN;
    for (let i = 0; i < this.used; i++) {
      if (this.counts[i] === 0) continue;
      const day = Math.floor((this.start + i) / 24);
      if (day !== lastDay) {
        days++;
        lastDay = day;
      }
    }
    return days;
  }

  countAt(hour: number): number {
    if (this.counts === NO_HOURS) return this.used === 1 && hour === this.start ? this.single : 0;
    const offset = hour - this.start;
    return offset >= 0 && offset < this.used ? this.counts[offset]! : 0;
  }
}

export { HOUR_MS };
