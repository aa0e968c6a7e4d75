import { defineConfig } from 'vitest/config';

// Two tiers: fast unit tests next to the code, and integration tests that build real stores,
// run the CLI or start servers. CI runs both through `npm test`.
export default defineConfig({
  test: {
    pool: 'forks',
    // One test process at a time: integration tests start CLI processes and DuckDB, which take
    // every core, and with a second test process beside them the runner's own process could miss
    // a test process's 60-second progress call ("Timeout calling onTaskUpdate", failing a run
    // whose tests all passed). One process leaves it a core; the suite takes longer, not more.
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.integration.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/**/*.integration.test.ts', 'test/**/*.integration.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
