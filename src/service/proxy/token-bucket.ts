/**
 * Per-account token buckets for throttled accounts: `rate` requests a second, `burst` at once.
 * Buckets of accounts not seen for a while are dropped, so memory follows the throttled accounts
 * that are active, not every account ever throttled.
 */
export interface TokenBuckets {
  /** Takes a token; 0 when one was there, else the seconds until the next one. */
  take(account: string): number;
  readonly size: number;
}

export function createTokenBuckets({ rate, burst, now = () => performance.now() }: { rate: number; burst: number; now?: () => number }): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const idleMs = Math.max(60_000, (burst / rate) * 1000 * 2);
  let lastSweep = now();
  return {
    take(account) {
      const t = now();
      if (t - lastSweep > idleMs) {
        for (const [key, bucket] of buckets) if (t - bucket.at > idleMs) buckets.delete(key);
        lastSweep = t;
      }
      let bucket = buckets.get(account);
      if (bucket === undefined) {
        bucket = { tokens: burst, at: t };
        buckets.set(account, bucket);
      } else {
        bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * rate);
        bucket.at = t;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return (1 - bucket.tokens) / rate;
    },
    get size() {
      return buckets.size;
    },
  };
}
