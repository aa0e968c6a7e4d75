import { describe, expect, it } from 'vitest';
import { parseLabels } from './labels-parser.js';
import { createGlasswallyLabelReader } from './peer-labels.js';

function event(accountId: string, campaign: string | null): string {
  return JSON.stringify({ account_id: accountId, timestamp: '2026-02-27T20:08:29.150463+00:00', prompt: 'p', campaign_label: campaign });
}

describe('createGlasswallyLabelReader', () => {
  it('labels each account once, in order of first appearance, as eval reads labels', () => {
    const reader = createGlasswallyLabelReader();
    [event('sk-b', null), event('sk-a', 'campaign_0001'), '', event('sk-b', null), event('sk-c', 'campaign_0002'), event('sk-a', 'campaign_0001')].forEach((line, i) =>
      reader.add(line, 'set.jsonl', i + 1),
    );
    const labels = reader.finish();
    expect(labels).toEqual([
      { account_id: 'sk-b', label: 'benign', campaign: null, persona: 'glasswally_benign' },
      { account_id: 'sk-a', label: 'attack', campaign: 'campaign_0001', persona: 'glasswally_campaign' },
      { account_id: 'sk-c', label: 'attack', campaign: 'campaign_0002', persona: 'glasswally_campaign' },
    ]);
    expect(parseLabels(labels.map((label) => JSON.stringify(label)).join('\n'), 'labels.jsonl')).toEqual(labels);
  });

  it('refuses the set when an account is labelled two ways, or a line is not an event, naming file and line', () => {
    const reader = createGlasswallyLabelReader();
    reader.add(event('sk-a', 'campaign_0001'), 'one.jsonl', 1);
    reader.add(event('sk-a', null), 'two.jsonl', 4);
    reader.add('{"account_id": "sk-d"}', 'two.jsonl', 5);
    reader.add('not json', 'two.jsonl', 6);
    expect(() => reader.finish()).toThrow(
      /3 bad lines.*\n {2}two\.jsonl:4: campaign_label: account "sk-a" is legitimate \(null\) here but in "campaign_0001" at one\.jsonl:1.*\n {2}two\.jsonl:5: campaign_label: expected a campaign name.*\n {2}two\.jsonl:6: not valid JSON/,
    );
  });

  it('refuses a set with no events', () => {
    expect(() => createGlasswallyLabelReader().finish()).toThrow(/no events found/);
  });
});
