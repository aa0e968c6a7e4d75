import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRelinkScheduler } from './relink-scheduler.js';

describe('relink listeners', () => {
  it('hears of each successful relink, not of a failed one, until it stops listening', async () => {
    let fail = false;
    const scheduler = createRelinkScheduler({
      intervalMs: 3_600_000,
      relink: async () => {
        if (fail) throw new Error('the relink thread died');
      },
      isDirty: () => true,
      logger: pino({ level: 'silent' }),
    });
    let heard = 0;
    const stop = scheduler.onRelinked(() => heard++);
    await scheduler.runNow();
    expect(heard).toBe(1);
    fail = true;
    await scheduler.runNow();
    expect(heard).toBe(1);
    expect(scheduler.status().failures).toBe(1);
    fail = false;
    stop();
    await scheduler.runNow();
    expect(heard).toBe(1);
    await scheduler.stop();
  });
});
