import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeJsonFile } from './json-file-writer.js';

const directory = mkdtempSync(join(tmpdir(), 'json-file-writer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('writeJsonFile at scale', () => {
  it('writes a document larger than V8 could hold as one string piece by piece', async () => {
    // 300,000 accounts of about 1.9 KB each: over 512 MB as one string, past V8's limit.
    const detail = 'x'.repeat(1_800);
    const rows = Array.from({ length: 300_000 }, (_, i) => ({ id: i, detail }));
    const path = join(directory, 'large.json');
    await writeJsonFile(path, { accounts: rows });
    const text = readFileSync(path);
    expect(text.length).toBeGreaterThan(2 ** 29);
    const small = JSON.stringify({ accounts: [rows[0], rows[1]] }, null, 2);
    const head = small.slice(0, small.indexOf('},') + 2);
    expect(text.subarray(0, head.length).toString()).toBe(head);
    expect(text.subarray(text.length - 40).toString()).toBe(small.slice(-39) + '\n');
  }, 120_000);
});
