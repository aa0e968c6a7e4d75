/**
 * One stored exchange as the detection engine observes it: the row's facts and its content
 * features, never its text. Built from a store row (`exchangeRecordFromRow` in
 * `src/ingest/exchange-row.ts`), so the live service observes exactly what was committed and
 * the batch analysis reads the same columns.
 */
export interface ExchangeRecord {
  id: string;
  /** Epoch milliseconds. */
  ts: number;
  accountId: string;
  orgId: string | null;
  apiKeyId: string | null;
  clientIp: string | null;
  clientSubnet: string | null;
  clientAsn: number | null;
  clientCountry: string | null;
  userAgent: string | null;
  tlsFingerprint: string | null;
  api: string;
  status: number;
  model: string | null;
  messageCount: number;
  turnCount: number;
  toolCount: number;
  /** Tool calls and tool results in the messages sent plus tool calls in the response. */
  toolActivity: number;
  imageCount: number;
  maxTokens: number | null;
  thinkingBudget: number | null;
  reasoningEffort: string | null;
  n: number | null;
  temperature: number | null;
  outputChars: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  contentFlags: number;
  capability: number;
  promptHashHi: number;
  promptHashLo: number;
  /** 4 words. */
  promptSketch: ArrayLike<number>;
  promptTokens: number;
  /** 8 words (see `template-shape.ts`). */
  promptShape: ArrayLike<number>;
  systemTokens: number;
  systemShape: ArrayLike<number>;
  /** Index into `PROMPT_LANGUAGES` (0 for a store written before the column existed). */
  promptLanguage: number;
}

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

/** 0 for none, 1..4 for minimal..high. */
export function reasoningEffortCode(effort: string | null): number {
  if (effort === null) return 0;
  const index = (REASONING_EFFORTS as readonly string[]).indexOf(effort);
  return index === -1 ? 0 : index + 1;
}
