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
  /** Sampling temperature in thousandths, -1 when the request did not set one. */
  temperature: Int32Array;
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
  /**
   * Each row's prompt and system-prompt template as the tracker would count it (-1: none, or a
   * template filled once so far), mined ahead on another thread by miners that saw the same
   * exchanges in the same order with the tracker's options (`createTemplatePreminer`). When
   * present, the tracker takes them and its own miners are not asked.
   */
  promptTemplate?: Int32Array;
  systemTemplate?: Int32Array;
}

/** An empty batch with room for `capacity` rows (`length` 0). */
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
    temperature: ints(),
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
