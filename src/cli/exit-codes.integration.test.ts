import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../ingest/test-support/cli-runner.js';

// The README's promise: 2 for a usage error (a bad flag, a missing file), with the reason on stderr.
const dir = mkdtempSync(join(tmpdir(), 'distillguard-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exit codes', () => {
  it.each([
    ['a missing --db', ['analyze'], /--db/],
    ['an unknown flag', ['analyze', '--db', join(dir, 'x.duckdb'), '--bogus'], /unknown option '--bogus'/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a store that does not exist', ['analyze', '--db', join(dir, 'none.duckdb')], /no store at .*none\.duckdb/],
  ])('exits 2 for %s', async (_what, args, message) => {
    const result = await runCli(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 for a missing input file and leaves no empty store behind', async () => {
    const db = join(dir, 'typo.duckdb');
    const result = await runCli(['ingest', join(dir, 'missing.jsonl'), '--db', db, '--no-progress']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/cannot read .*missing\.jsonl: no such file/);
    expect(existsSync(db)).toBe(false);
  });
});
