import { reasoningEffortCode, type ExchangeRecord } from '../features/exchange-record.js';

/**
 * Exchanges in columns, the form the behaviour stage consumes: the batch analysis fills it
 * straight from DuckDB's result vectors (the typed arrays are used as they come, without a copy
 * or an object per row), the live service from `ExchangeRecord`s. Integers that may be missing
 * hold -1. 64-bit columns are viewed as pairs of 32-bit words, low word first.
 */
export interface ExchangeBatch {
  length: number;
  /** Account index in the tracker (`BehaviourTracker.accountIndexOf`). */
  account: Int32Array;
  /** Epoch milliseconds. */
  ts: Float64Array;
  /** Model index in the tracker, -1 for none. */
  model: Int32Array;
  status: Int32Array;
  turnCount: Int32Array;
  messageCount: Int32Array;
  toolCount: Int32Array;
  toolActivity: Int32Array;
  imageCount: Int32Array;
  maxTokens: Int32Array;
  thinkingBudget: Int32Array;
  /** 0 none, 1..4 minimal..high. */
  reasoningEffort: Int32Array;
  n: Int32Array;
  inputTokens: Int32Array;
  outputTokens: Int32Array;
  reasoningTokens: Int32Array;
  contentFlags: Int32Array;
  capability: Int32Array;
  /** Per row: low word, high word. */
  promptHash: Uint32Array;
  /** Two columns, each two words per row: sketch words 0-1 and 2-3. */
  promptSketch: readonly Uint32Array[];
  promptTokens: Int32Array;
  /** Four columns, each two words per row: shape words 0-1, 2-3, 4-5, 6-7. */
  promptShape: readonly Uint32Array[];
  systemTokens: Int32Array;
  systemShape: readonly Uint32Array[];
  /** The store's `id_key` per row (low word, high word), to find an example's text later. */
  idKey: Uint32Array;
}

/** Word `w` of a packed multi-column value (sketch or shape) for row `row`. */
export function wordAt(columns: readonly Uint32Array[], row: number, w: number): number {
  return columns[w >> 1]![2 * row + (w & 1)]!;
}

export function createExchangeBatch(capacity: number): ExchangeBatch {
  const ints = () => new Int32Array(capacity);
  const pairs = (columns: number) => Array.from({ length: columns }, () => new Uint32Array(capacity * 2));
  return {
    length: 0,
    account: ints(),
    ts: new Float64Array(capacity),
    model: ints(),
    status: ints(),
    turnCount: ints(),
    messageCount: ints(),
    toolCount: ints(),
    toolActivity: ints(),
    imageCount: ints(),
    maxTokens: ints(),
    thinkingBudget: ints(),
    reasoningEffort: ints(),
    n: ints(),
    inputTokens: ints(),
    outputTokens: ints(),
    reasoningTokens: ints(),
    contentFlags: ints(),
    capability: ints(),
    promptHash: new Uint32Array(capacity * 2),
    promptSketch: pairs(2),
    promptTokens: ints(),
    promptShape: pairs(4),
    systemTokens: ints(),
    systemShape: pairs(4),
    idKey: new Uint32Array(capacity * 2),
  };
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
