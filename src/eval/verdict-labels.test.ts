import { describe, expect, it } from 'vitest';
import { parseLabels } from './labels-parser.js';
import { labelsFromVerdicts } from './verdict-labels.js';

describe('labelsFromVerdicts', () => {
  it("labels a cluster's members as they were, lets an account's own verdict win, and writes what eval reads", () => {
    const { labels, clustersWithoutMembers } = labelsFromVerdicts(
      [
        { labelId: 1, target: 'cluster', targetId: 'c1', verdict: 'dismissed' },
        { labelId: 2, target: 'account', targetId: 'a2', verdict: 'confirmed' },
        { labelId: 3, target: 'cluster', targetId: 'c1', verdict: 'confirmed' },
        { labelId: 4, target: 'cluster', targetId: 'c9', verdict: 'confirmed' },
        { labelId: 5, target: 'account', targetId: 'a1', verdict: 'dismissed' },
      ],
      new Map([
        [1, ['a1']],
        [3, ['a1', 'a2', 'a3']],
      ]),
    );
    expect(labels).toEqual([
      { account_id: 'a1', label: 'benign', campaign: null, persona: 'analyst_verdict' },
      { account_id: 'a2', label: 'attack', campaign: 'c1', persona: 'analyst_verdict' },
      { account_id: 'a3', label: 'attack', campaign: 'c1', persona: 'analyst_verdict' },
    ]);
    expect(clustersWithoutMembers).toEqual(['c9']);
    expect(parseLabels(labels.map((label) => JSON.stringify(label)).join('\n'), 'verdicts.jsonl')).toEqual(labels);
  });
});
