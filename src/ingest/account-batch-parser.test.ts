import { describe, expect, it } from 'vitest';
import { parseAccountBatch } from './account-batch-parser.js';

const hashKey = Buffer.alloc(32, 7);

function batch(lines: (string | Buffer)[]): Buffer {
  return Buffer.concat(lines.flatMap((line) => [Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from('\n')]));
}

describe('parseAccountBatch', () => {
  it('keeps good records with their line, counts blank lines, and quarantines the rest by line and reason', () => {
    const result = parseAccountBatch(
      batch([
        JSON.stringify({ account_id: 'a1', tier: 'startup' }),
        '   ',
        '{"account_id": ',
        Buffer.concat([Buffer.from('{"account_id": "a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
        JSON.stringify({ account_id: 'a2', email: 'jo@uni.example' }) + '\r',
        JSON.stringify({ org_id: 'o' }),
      ]),
      10,
      3,
      hashKey,
      64,
    );
    expect(result.accounts.map(({ account, sourceId, line }) => [account.accountId, sourceId, line])).toEqual([
      ['a1', 3, 10],
      ['a2', 3, 14],
    ]);
    expect(result.accounts[1]!.account.emailDomain).toBe('uni.example');
    expect(result.blank).toBe(1);
    expect(result.lineCount).toBe(6);
    expect(result.problems.map(({ line, reason, field }) => [line, reason, field])).toEqual([
      [12, 'malformed_json', null],
      [13, 'invalid_utf8', null],
      [15, 'missing_field', 'account_id'],
    ]);
    expect(result.problems[1]!.rawBytes).toBe(21);
  });

  it('keeps no raw text of a bad line when the excerpt size is 0', () => {
    const result = parseAccountBatch(batch(['{"account_id": 5}']), 1, 1, hashKey, 0);
    expect(result.problems).toEqual([{ line: 1, reason: 'wrong_type', field: 'account_id', message: expect.any(String), raw: null, rawBytes: 17 }]);
  });
});
