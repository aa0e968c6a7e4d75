import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAccountFiles, type AccountFilePaths } from './account-files.js';
import { buildWorld } from './world-builder.js';
import { smokeScenario, testCorpora } from './test-support/sim-fixtures.js';

const world = buildWorld(smokeScenario(), testCorpora(), { scale: 0.2, seed: 5, accountFiles: true });

function writeTo(linesPerWrite?: number): { accounts: string; labels: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dg-accounts-'));
  const paths: AccountFilePaths = { accounts: join(dir, 'accounts.jsonl'), labels: join(dir, 'labels.jsonl') };
  writeAccountFiles(world, paths, linesPerWrite);
  return { accounts: readFileSync(paths.accounts, 'utf8'), labels: readFileSync(paths.labels, 'utf8') };
}

describe('account files', () => {
  it('writes one line per account to each file, sorted by account id', () => {
    const { accounts, labels } = writeTo();
    const accountIds = accounts.trimEnd().split('\n').map((line) => (JSON.parse(line) as { account_id: string }).account_id);
    const labelIds = labels.trimEnd().split('\n').map((line) => (JSON.parse(line) as { account_id: string }).account_id);
    expect(accountIds).toHaveLength(world.accounts.length);
    expect(accountIds).toEqual(Array.from({ length: world.accounts.length }, (_, index) => world.accounts.idOf(index)).sort());
    expect(labelIds).toEqual(accountIds);
    expect(accounts.endsWith('}\n')).toBe(true);
  });

  it('writes the same bytes whatever the batch size, including batches that end on the last account', () => {
    const whole = writeTo();
    expect(world.accounts.length).toBeGreaterThan(20);
    for (const linesPerWrite of [1, 7, world.accounts.length]) expect(writeTo(linesPerWrite)).toEqual(whole);
  });
});
