import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { writeJsonFile } from './json-file-writer.js';

const directory = mkdtempSync(join(tmpdir(), 'json-file-writer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('writeJsonFile', () => {
  it('writes the same text as JSON.stringify with two-space indentation, and a final newline', async () => {
    const value = {
      schema: 'findings/1',
      empty: [],
      nothing: null,
      skipped: undefined,
      notANumber: Number.NaN,
      text: 'quote " backslash \\ newline \n tab \t \u2028 ☃ \u0000',
      nested: { list: [1, -2.5, 1e21, true, false, { deep: ['a', { b: [] }] }], object: {} },
      date: new Date(Date.UTC(2026, 11, 3)),
    };
    const path = join(directory, 'value.json');
    await writeJsonFile(path, value);
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify(value, null, 2) + '\n');
  });

  it('writes an object stream inside the value as the array of what it yields, read one item at a time', async () => {
    const items = [{ id: 'a', list: [1, 2], nested: {} }, { id: 'b', list: [], text: 'line\nbreak' }];
    for (const yielded of [items, []]) {
      let read = 0;
      function* accounts() {
        for (const item of yielded) {
          read++;
          yield item;
        }
      }
      const path = join(directory, `stream-${yielded.length}.json`);
      await writeJsonFile(path, { before: 1, accounts: Readable.from(accounts()), after: [] });
      expect(read).toBe(yielded.length);
      expect(readFileSync(path, 'utf8')).toBe(JSON.stringify({ before: 1, accounts: yielded, after: [] }, null, 2) + '\n');
    }
  });
});
