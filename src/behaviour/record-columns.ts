import type { ExchangeRecord } from '../features/exchange-record.js';
import { hash64 } from '../util/hash64.js';
import type { ExchangeIndicator } from './account-state.js';
import { batchFromRecords, type ExchangeBatch } from './exchange-batch.js';

/**
 * The infrastructure values of a record, in the order the tracker observes them. One list, so
 * records and their columns are observed alike.
 */
export const RECORD_INDICATORS: readonly (readonly [ExchangeIndicator, (record: ExchangeRecord) => string | null])[] = [
  ['ip', (record) => record.clientIp],
  ['subnet', (record) => record.clientSubnet],
  ['asn', (record) => (record.clientAsn === null ? null : String(record.clientAsn))],
  ['country', (record) => record.clientCountry],
  ['user_agent', (record) => record.userAgent],
  ['tls', (record) => record.tlsFingerprint],
  ['api_key', (record) => record.apiKeyId],
];

/** One infrastructure value per record, as a code into the column's own list (-1: none). */
export interface CodedColumn {
  values: string[];
  codes: Int32Array;
}

/**
 * Records as columns, made where the records are read and handed to the tracker whole
 * (`BehaviourTracker.observeColumns`): no object per exchange crosses to the tracker's thread,
 * and each distinct name (account, model, infrastructure value) is looked up in the tracker once
 * per chunk instead of once per record. The batch's `account` and `model` hold codes into
 * `accounts` and `models` (-1: no model), not tracker indexes.
 */
export interface RecordColumns {
  batch: ExchangeBatch;
  accounts: string[];
  models: string[];
  /** In `RECORD_INDICATORS` order. */
  indicators: CodedColumn[];
}

export function recordColumns(records: readonly ExchangeRecord[]): RecordColumns {
  const accounts = codeList();
  const models = codeList();
  const batch = batchFromRecords(records, accounts.codeOf, models.codeOf, hash64);
  const indicators = RECORD_INDICATORS.map(([, valueOf]) => {
    const list = codeList();
    const codes = new Int32Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const value = valueOf(records[i]!);
      codes[i] = value === null ? -1 : list.codeOf(value);
    }
    return { values: list.values, codes };
  });
  return { batch, accounts: accounts.values, models: models.values, indicators };
}

/** The buffers of a chunk of columns, to transfer it to another thread instead of copying it. */
export function recordColumnBuffers({ batch, indicators }: RecordColumns): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const value of Object.values(batch)) {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
    else if (Array.isArray(value)) for (const column of value as ArrayBufferView[]) buffers.add(column.buffer as ArrayBuffer);
  }
  for (const column of indicators) buffers.add(column.codes.buffer as ArrayBuffer);
  return [...buffers];
}

function codeList(): { values: string[]; codeOf: (value: string) => number } {
  const codes = new Map<string, number>();
  const values: string[] = [];
  return {
    values,
    codeOf: (value) => {
      let code = codes.get(value);
      if (code === undefined) {
        code = values.length;
        codes.set(value, code);
        values.push(value);
      }
      return code;
    },
  };
}
