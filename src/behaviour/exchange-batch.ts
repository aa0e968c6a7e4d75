import { reasoningEffortCode, type ExchangeRecord } from '../features/exchange-record.js';
import { createExchangeBatch, type ExchangeBatch } from '../model/exchange-batch.js';

export { createExchangeBatch, type ExchangeBatch };

/** Word `w` of a packed multi-column value (sketch or shape) for row `row`. */
export function wordAt(columns: readonly Uint32Array[], row: number, w: number): number {
  return columns[w >> 1]![2 * row + (w & 1)]!;
}

/**
 * Packs records into a batch; `accountIndexOf` and `modelIndexOf` map names to the tracker's
 * indexes and `idKeyOf` gives the id's store key halves.
 */
export function batchFromRecords(
  records: readonly ExchangeRecord[],
  accountIndexOf: (id: string) => number,
  modelIndexOf: (name: string) => number,
  idKeyOf: (id: string) => { hi: number; lo: number },
): ExchangeBatch {
  const batch = createExchangeBatch(records.length);
  const orMinus = (value: number | null) => (value === null || !Number.isFinite(value) ? -1 : value);
  records.forEach((r, i) => {
    batch.account[i] = accountIndexOf(r.accountId);
    batch.ts[i] = r.ts;
    batch.model[i] = r.model === null ? -1 : modelIndexOf(r.model);
    batch.status[i] = r.status;
    batch.turnCount[i] = r.turnCount;
    batch.messageCount[i] = r.messageCount;
    batch.toolCount[i] = r.toolCount;
    batch.toolActivity[i] = r.toolActivity;
    batch.imageCount[i] = r.imageCount;
    batch.maxTokens[i] = orMinus(r.maxTokens);
    batch.thinkingBudget[i] = orMinus(r.thinkingBudget);
    batch.reasoningEffort[i] = reasoningEffortCode(r.reasoningEffort);
    batch.n[i] = orMinus(r.n);
    batch.temperature[i] = r.temperature === null || !Number.isFinite(r.temperature) ? -1 : Math.round(Math.max(0, r.temperature) * 1000);
    batch.inputTokens[i] = orMinus(r.inputTokens);
    batch.outputTokens[i] = orMinus(r.outputTokens);
    batch.reasoningTokens[i] = orMinus(r.reasoningTokens);
    batch.contentFlags[i] = r.contentFlags;
    batch.capability[i] = r.capability;
    batch.promptHash[2 * i] = r.promptHashLo;
    batch.promptHash[2 * i + 1] = r.promptHashHi;
    for (let w = 0; w < 4; w++) batch.promptSketch[w >> 1]![2 * i + (w & 1)] = r.promptSketch[w]!;
    batch.promptTokens[i] = r.promptTokens;
    batch.systemTokens[i] = r.systemTokens;
    for (let w = 0; w < 8; w++) {
      batch.promptShape[w >> 1]![2 * i + (w & 1)] = r.promptShape[w]!;
      batch.systemShape[w >> 1]![2 * i + (w & 1)] = r.systemShape[w]!;
    }
    const key = idKeyOf(r.id);
    batch.idKey[2 * i] = key.lo;
    batch.idKey[2 * i + 1] = key.hi;
  });
  batch.length = records.length;
  return batch;
}

/** Rows `from` to `to` of a batch as a batch of their own (views, not copies), with the given account and model columns. */
export function batchRange(batch: ExchangeBatch, from: number, to: number, account: Int32Array, model: Int32Array): ExchangeBatch {
  const rows = <T extends Int32Array | Float64Array>(column: T) => column.subarray(from, to) as T;
  const pairs = (column: Uint32Array) => column.subarray(2 * from, 2 * to);
  return {
    length: to - from,
    account,
    ts: rows(batch.ts),
    model,
    status: rows(batch.status),
    turnCount: rows(batch.turnCount),
    messageCount: rows(batch.messageCount),
    toolCount: rows(batch.toolCount),
    toolActivity: rows(batch.toolActivity),
    imageCount: rows(batch.imageCount),
    maxTokens: rows(batch.maxTokens),
    thinkingBudget: rows(batch.thinkingBudget),
    reasoningEffort: rows(batch.reasoningEffort),
    n: rows(batch.n),
    temperature: rows(batch.temperature),
    inputTokens: rows(batch.inputTokens),
    outputTokens: rows(batch.outputTokens),
    reasoningTokens: rows(batch.reasoningTokens),
    contentFlags: rows(batch.contentFlags),
    capability: rows(batch.capability),
    promptHash: pairs(batch.promptHash),
    promptSketch: batch.promptSketch.map(pairs),
    promptTokens: rows(batch.promptTokens),
    promptShape: batch.promptShape.map(pairs),
    systemTokens: rows(batch.systemTokens),
    systemShape: batch.systemShape.map(pairs),
    idKey: pairs(batch.idKey),
    ...(batch.promptTemplate === undefined ? {} : { promptTemplate: rows(batch.promptTemplate) }),
    ...(batch.systemTemplate === undefined ? {} : { systemTemplate: rows(batch.systemTemplate) }),
  };
}
