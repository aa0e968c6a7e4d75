import { describe, expect, it } from 'vitest';
import { decodeObservations, encodeObservations } from './observation-codec.js';

const record = (i: number) => ({
  id: `ex-${i}`,
  ts: 1_770_000_000_000 + i,
  accountId: `acct_${i % 3}`,
  orgId: i % 2 === 0 ? null : 'org_1',
  clientAsn: i % 4 === 0 ? null : 64_500 + i,
  flagged: i % 5 === 0 ? null : i % 2 === 0,
  ratio: i === 1 ? -0 : i / 7,
  sketch: i === 2 ? null : [i, 2 ** 32 - 1, 0, i * 3],
  empty: null,
});

describe('observation codec', () => {
  it('round-trips flat records of one shape in columns, leaving out skipped rows', () => {
    const records = Array.from({ length: 12 }, (_, i) => record(i));
    const encoded = encodeObservations(records);
    expect(decodeObservations(encoded)).toStrictEqual(records);
    expect(Object.is((decodeObservations(encoded)[1] as { ratio: number }).ratio, -0)).toBe(true);
    expect(decodeObservations(encoded, [0, 5, 11])).toStrictEqual(records.filter((_, i) => ![0, 5, 11].includes(i)));
    // Repeated strings are stored once.
    expect(encoded.byteLength).toBeLessThan(Buffer.byteLength(JSON.stringify(records)) * 2);
  });

  it('falls back to v8 serialization for what does not fit the columns, with the same result', () => {
    const nested = [record(0), { ...record(1), extra: { deep: [1, 'two'] } }];
    const undefinedValue = [record(0), { ...record(1), orgId: undefined }];
    const mixedKinds = [record(0), { ...record(1), ts: '2026-01-01' }];
    const arraysOfStrings = [{ tags: ['a', 'b'] }, { tags: ['c', 'd'] }];
    for (const observations of [nested, undefinedValue, mixedKinds, arraysOfStrings, [], [1, 2, 3]]) {
      expect(decodeObservations(encodeObservations(observations))).toStrictEqual(observations);
    }
    expect(decodeObservations(encodeObservations(nested), [0])).toStrictEqual([nested[1]]);
  });

  it('hands over a buffer of its own, so it can be transferred', () => {
    const encoded = encodeObservations([record(0), record(1)]);
    expect(encoded.byteOffset).toBe(0);
    expect(encoded.byteLength).toBe(encoded.buffer.byteLength);
  });
});
