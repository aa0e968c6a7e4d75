import { describe, expect, it } from 'vitest';
import { parseFindingsForEvaluation } from './findings-reader.js';

const account = (id: string, extra: Record<string, unknown> = {}) => ({ account_id: id, score: 0.5, flagged: false, cluster_id: null, evidence: [], ...extra });

describe('parseFindingsForEvaluation', () => {
  it('keeps the fields evaluation reads and ignores the rest of the document', () => {
    const parsed = parseFindingsForEvaluation(
      JSON.stringify({ generated_at: '2026-02-20T00:00:00.000Z', thresholds: { account: 0.6, cluster: 0.7 }, accounts: [account('a')], clusters: [], timings: { link: 1 } }),
      'f.json',
    );
    expect(parsed.accounts).toEqual([{ account_id: 'a', score: 0.5, flagged: false, cluster_id: null }]);
    expect(parsed.thresholds).toEqual({ account: 0.6, cluster: 0.7 });
  });

  it('names the file and the path of each problem', () => {
    const text = JSON.stringify({ accounts: [account('a'), account('b', { score: 1.5 }), account('c', { flagged: 'yes' })], clusters: [{ cluster_id: 'k', flagged: true }] });
    expect(() => parseFindingsForEvaluation(text, 'f.json')).toThrow(/f\.json: accounts\[1\]\.score: expected a number from 0 to 1/);
    expect(() => parseFindingsForEvaluation(text, 'f.json')).toThrow(/f\.json: accounts\[2\]\.flagged: Expected boolean/);
    expect(() => parseFindingsForEvaluation(text, 'f.json')).toThrow(/f\.json: clusters\[0\]\.accounts: Required/);
  });

  it('rejects text that is not JSON and an account listed twice', () => {
    expect(() => parseFindingsForEvaluation('{"accounts": [', 'f.json')).toThrow(/f\.json: not valid JSON/);
    expect(() => parseFindingsForEvaluation(JSON.stringify({ accounts: [account('a'), account('a')], clusters: [] }), 'f.json')).toThrow(/accounts\[1\]\.account_id: account "a" appears twice/);
  });
});
