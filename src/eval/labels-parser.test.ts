import { describe, expect, it } from 'vitest';
import { InputError } from '../util/errors.js';
import { parseLabels } from './labels-parser.js';

const line = (record: unknown) => JSON.stringify(record);

describe('parseLabels', () => {
  it('reads attack and benign labels, skipping blank lines, CRLF and a byte-order mark', () => {
    const text =
      '\uFEFF' +
      line({ account_id: 'a1', label: 'attack', campaign: 'hydra-1', persona: 'proxy_network' }) +
      '\r\n\n' +
      line({ account_id: 'b1', label: 'benign', campaign: null, persona: 'classroom' }) +
      '\n';
    expect(parseLabels(text, 'labels.jsonl')).toEqual([
      { account_id: 'a1', label: 'attack', campaign: 'hydra-1', persona: 'proxy_network' },
      { account_id: 'b1', label: 'benign', campaign: null, persona: 'classroom' },
    ]);
  });

  it.each([
    ['{"account_id": "a1", "label": "attack"', null, 'not valid JSON'],
    ['[1, 2]', null, 'expected a JSON object, found an array'],
    [line({ label: 'benign', campaign: null, persona: 'x' }), 'account_id', 'expected a non-empty string, found nothing'],
    [line({ account_id: 'a', label: 'malicious', campaign: null, persona: 'x' }), 'label', 'expected "attack" or "benign", found the string "malicious"'],
    [line({ account_id: 'a', label: 'attack', campaign: null, persona: 'x' }), 'campaign', 'expected a campaign name (non-empty string) for an attack account, found null'],
    [line({ account_id: 'a', label: 'benign', campaign: 'c1', persona: 'x' }), 'campaign', 'expected null for a benign account'],
    [line({ account_id: 'a', label: 'benign', persona: 'x' }), 'campaign', 'missing'],
    [line({ account_id: 'a', label: 'benign', campaign: null, persona: 3 }), 'persona', 'expected a non-empty string, found number 3'],
  ])('rejects %s, naming the file, line and field %s', (bad, field, message) => {
    const text = line({ account_id: 'ok', label: 'benign', campaign: null, persona: 'chat_user' }) + '\n' + bad + '\n';
    let error: unknown;
    try {
      parseLabels(text, 'labels.jsonl');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    const text2 = (error as Error).message;
    expect(text2).toContain(`labels.jsonl:2${field === null ? ':' : `: ${field}:`}`);
    expect(text2).toContain(message);
  });

  it('rejects an account labelled twice, pointing at both lines', () => {
    const record = line({ account_id: 'a1', label: 'benign', campaign: null, persona: 'developer' });
    expect(() => parseLabels(`${record}\n${record}\n`, 'l.jsonl')).toThrow(/l\.jsonl:2: account_id: .*already labelled on line 1/);
  });

  it('lists the first ten problems and counts the rest', () => {
    const text = Array.from({ length: 13 }, () => '{}').join('\n');
    const message = (() => {
      try {
        parseLabels(text, 'l.jsonl');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^l\.jsonl: 13 bad label lines/);
    expect(message).toContain('l.jsonl:10: account_id');
    expect(message).not.toContain('l.jsonl:11:');
    expect(message).toContain('… and 3 more');
  });

  it('rejects an empty file', () => {
    expect(() => parseLabels('\n\n', 'empty.jsonl')).toThrow(/empty\.jsonl: no labels found/);
  });
});
