import { describe, expect, it } from 'vitest';
import type { AccountFinding } from '../model/findings.js';
import { buildAccountsTableData } from './accounts-table-data.js';

const account = (account_id: string, extra: Partial<AccountFinding>): AccountFinding => ({
  account_id,
  score: 0.5,
  flagged: false,
  cluster_id: null,
  linked_cluster_id: null,
  evidence: [],
  volume: { exchanges: 10, input_tokens: 0, output_tokens: 0, reasoning_tokens: 0 },
  capabilities: {},
  tier: null,
  first_seen: null,
  last_seen: null,
  ...extra,
});

describe('buildAccountsTableData', () => {
  it('stores repeated strings once and refers to them by index, clusters in rank order', () => {
    const shared = { signal: 'shared_template', weight: 0.8, detail: 'fills template T1' };
    const data = buildAccountsTableData(
      [
        account('a', { score: 0.9123, flagged: true, cluster_id: 'k2', tier: 'free', evidence: [shared, { signal: 'cot_elicitation', weight: 0.95, detail: 'asks for reasoning' }] }),
        account('b', { cluster_id: 'k1', tier: 'free', evidence: [shared] }),
        account('c', { cluster_id: 'orphan' }),
      ],
      ['k1', 'k2'],
      { evidencePerAccount: 5, evidenceChars: 200 },
    );
    expect(data.clusters).toEqual(['k1', 'k2', 'orphan']);
    expect(data.clusterCount).toBe(2);
    expect(data.texts).toEqual(['asks for reasoning', 'fills template T1']);
    expect(data.rows).toEqual([
      ['a', 912, 1, 1, 10, 0, [[0, 95, 0], [1, 80, 1]], 2],
      ['b', 500, 0, 0, 10, 0, [[1, 80, 1]], 1],
      ['c', 500, 0, 2, 10, -1, [], 0],
    ]);
  });

  it('keeps the strongest evidence items, cut to length, and counts the rest', () => {
    const evidence = Array.from({ length: 6 }, (_, i) => ({ signal: `s${i}`, weight: i / 10, detail: `${'x'.repeat(50)}${i}` }));
    const data = buildAccountsTableData([account('a', { evidence })], [], { evidencePerAccount: 2, evidenceChars: 20 });
    const row = data.rows[0]!;
    expect(row[6].map(([signal]) => data.signals[signal])).toEqual(['s5', 's4']);
    expect(data.texts[row[6][0]![2]]).toBe(`${'x'.repeat(19)}…`);
    expect(row[7]).toBe(6);
  });
});
