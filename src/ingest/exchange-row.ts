import { lastUserText, type Exchange } from '../model/exchange.js';
import { createExchangeFeatureExtractor, type ExchangeFeatures } from '../features/exchange-features.js';
import type { ExchangeRecord } from '../features/exchange-record.js';
import { EXCHANGE_COLUMNS, EXCHANGE_COLUMN_INDEX as C, type ColumnValue, type ExchangeColumnName } from '../store/exchange-columns.js';
import { applyTextPolicy, type TextPolicy } from './text-policy.js';

export interface RowContext {
  idKey: bigint;
  clientSubnet: string | null;
  sourceId: number;
  sourceLine: number;
  textPolicy: TextPolicy;
}

const SMALLINT_MAX = 32767;
const INTEGER_MAX = 2147483647;

// One extractor per thread (this module is loaded once per parser thread); it reuses its buffers.
const extractFeatures = createExchangeFeatureExtractor();

/** The stored row for one exchange, in `EXCHANGE_COLUMNS` order. */
export function buildExchangeRow(exchange: Exchange, context: RowContext): ColumnValue[] {
  const request = exchange.request;
  const features = extractFeatures(exchange);
  const response = exchange.response;
  const prompt = lastUserText(request);
  let toolCallCount = 0;
  let toolResultCount = 0;
  for (const message of request.messages) {
    toolCallCount += message.toolCalls.length;
    toolResultCount += message.toolResults.length;
  }
  const toolNames: string[] = [];
  const toolTypes: string[] = [];
  for (const tool of request.tools) {
    toolNames.push(tool.name);
    if (tool.type !== null) toolTypes.push(tool.type);
  }
  toolNames.sort();
  toolTypes.sort();
  const usage = response?.usage;
  const row: ColumnValue[] = [
    exchange.id,
    context.idKey,
    exchange.ts,
    exchange.accountId,
    exchange.orgId,
    exchange.apiKeyId,
    exchange.clientIp,
    context.clientSubnet,
    exchange.clientAsn === null ? null : Math.min(exchange.clientAsn, INTEGER_MAX),
    exchange.clientCountry,
    exchange.userAgent,
    exchange.tlsFingerprint,
    exchange.api,
    exchange.status,
    exchange.latencyMs === null ? null : Math.min(exchange.latencyMs, INTEGER_MAX),
    request.model,
    small(request.messages.length),
    small(request.turnCount),
    int(request.systemText.length),
    int(prompt.length),
    small(request.tools.length),
    toolNames.length === 0 ? null : toolNames.join(','),
    toolTypes.length === 0 ? null : toolTypes.join(','),
    small(toolCallCount),
    small(toolResultCount),
    small(request.imageCount),
    intOrNull(request.sampling.maxTokens),
    finiteOrNull(request.sampling.temperature),
    finiteOrNull(request.sampling.topP),
    request.sampling.n === null ? null : small(request.sampling.n),
    intOrNull(request.sampling.thinkingBudget),
    request.sampling.reasoningEffort,
    request.sampling.stream,
    response === null ? null : int(response.outputText.length),
    response === null ? null : int(response.reasoningText.length),
    response === null ? null : small(response.toolCalls.length),
    response === null ? null : small(response.choiceCount),
    intOrNull(usage?.inputTokens ?? null),
    intOrNull(usage?.outputTokens ?? null),
    intOrNull(usage?.reasoningTokens ?? null),
    intOrNull(usage?.cacheReadTokens ?? null),
    response?.stopReason ?? null,
    response?.error?.type ?? null,
    applyTextPolicy(request.systemText, context.textPolicy),
    applyTextPolicy(prompt, context.textPolicy),
    response === null ? null : applyTextPolicy(response.outputText, context.textPolicy),
    context.sourceId,
    Math.min(context.sourceLine, INTEGER_MAX),
    ...featureValues(features),
  ];
  if (row.length !== EXCHANGE_COLUMNS.length) {
    throw new Error(`exchange row has ${row.length} values for ${EXCHANGE_COLUMNS.length} columns: exchange-row.ts and exchange-columns.ts are out of step`);
  }
  return row;
}

// Turns two 32-bit halves into one unsigned 64-bit value through a shared typed array: one
// BigInt allocation per column instead of the four a shift-and-or expression makes.
const u64 = new BigUint64Array(1);
const u64Halves = new Uint32Array(u64.buffer);

function uint64(lo: number, hi: number): bigint {
  u64Halves[0] = lo;
  u64Halves[1] = hi;
  return u64[0]!;
}

/** The feature columns, in `EXCHANGE_COLUMNS` order (content_flags .. system_shape_4, prompt_language). */
function featureValues(features: ExchangeFeatures): ColumnValue[] {
  const { promptSketch: sketch, promptShape: prompt, systemShape: system } = features;
  return [
    features.contentFlags,
    features.capability,
    uint64(features.promptHashLo, features.promptHashHi),
    uint64(sketch[0]!, sketch[1]!),
    uint64(sketch[2]!, sketch[3]!),
    int(features.promptTokens),
    uint64(prompt[0]!, prompt[1]!),
    uint64(prompt[2]!, prompt[3]!),
    uint64(prompt[4]!, prompt[5]!),
    uint64(prompt[6]!, prompt[7]!),
    int(features.systemTokens),
    uint64(system[0]!, system[1]!),
    uint64(system[2]!, system[3]!),
    uint64(system[4]!, system[5]!),
    uint64(system[6]!, system[7]!),
    features.promptLanguage,
  ];
}

function small(value: number): number {
  return value > SMALLINT_MAX ? SMALLINT_MAX : value < -SMALLINT_MAX ? -SMALLINT_MAX : Math.trunc(value);
}

function int(value: number): number {
  return value > INTEGER_MAX ? INTEGER_MAX : value;
}

function intOrNull(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.max(-INTEGER_MAX, Math.min(INTEGER_MAX, Math.trunc(value)));
}

function finiteOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : value;
}

/** A 64-bit column's two 32-bit words, low first, through the shared typed array (no BigInt arithmetic). */
function words(value: ColumnValue): [lo: number, hi: number] {
  u64[0] = typeof value === 'bigint' ? value : BigInt((value as number | null) ?? 0);
  return [u64Halves[0]!, u64Halves[1]!];
}

/**
 * The columns `exchangeRecordFromRow` reads: what a start-up replay of the store needs to read
 * back (every other column of a row it is given may be null).
 */
export const RECORD_COLUMNS: readonly ExchangeColumnName[] = [
  'id',
  'ts',
  'account_id',
  'org_id',
  'api_key_id',
  'client_ip',
  'client_subnet',
  'client_asn',
  'client_country',
  'user_agent',
  'tls_fingerprint',
  'api',
  'status',
  'model',
  'message_count',
  'turn_count',
  'tool_count',
  'tool_call_count',
  'tool_result_count',
  'output_tool_calls',
  'image_count',
  'max_tokens',
  'thinking_budget',
  'reasoning_effort',
  'n',
  'temperature',
  'output_chars',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'content_flags',
  'capability',
  'prompt_hash',
  'prompt_sketch_1',
  'prompt_sketch_2',
  'prompt_tokens',
  'prompt_shape_1',
  'prompt_shape_2',
  'prompt_shape_3',
  'prompt_shape_4',
  'system_tokens',
  'system_shape_1',
  'system_shape_2',
  'system_shape_3',
  'system_shape_4',
  'prompt_language',
];

/**
 * The detection engine's view of a stored row: its facts and content features, no text. The
 * live service builds one per committed row (in the ingest worker, from the same row that is
 * staged for the store), so what the engine observes is exactly what was stored.
 */
export function exchangeRecordFromRow(row: readonly ColumnValue[]): ExchangeRecord {
  const [hashLo, hashHi] = words(row[C.prompt_hash]!);
  const pairs = (...columns: number[]): number[] => {
    const out: number[] = [];
    for (const column of columns) out.push(...words(row[column]!));
    return out;
  };
  const optional = (value: ColumnValue) => (value === null || value === undefined ? null : (value as number));
  return {
    id: row[C.id] as string,
    ts: row[C.ts] as number,
    accountId: row[C.account_id] as string,
    orgId: row[C.org_id] as string | null,
    apiKeyId: row[C.api_key_id] as string | null,
    clientIp: row[C.client_ip] as string | null,
    clientSubnet: row[C.client_subnet] as string | null,
    clientAsn: optional(row[C.client_asn]!),
    clientCountry: row[C.client_country] as string | null,
    userAgent: row[C.user_agent] as string | null,
    tlsFingerprint: row[C.tls_fingerprint] as string | null,
    api: row[C.api] as string,
    status: row[C.status] as number,
    model: row[C.model] as string | null,
    messageCount: row[C.message_count] as number,
    turnCount: row[C.turn_count] as number,
    toolCount: row[C.tool_count] as number,
    toolActivity: (row[C.tool_call_count] as number) + (row[C.tool_result_count] as number) + ((row[C.output_tool_calls] as number | null) ?? 0),
    imageCount: row[C.image_count] as number,
    maxTokens: optional(row[C.max_tokens]!),
    thinkingBudget: optional(row[C.thinking_budget]!),
    reasoningEffort: row[C.reasoning_effort] as string | null,
    n: optional(row[C.n]!),
    temperature: optional(row[C.temperature]!),
    outputChars: optional(row[C.output_chars]!),
    inputTokens: optional(row[C.input_tokens]!),
    outputTokens: optional(row[C.output_tokens]!),
    reasoningTokens: optional(row[C.reasoning_tokens]!),
    contentFlags: row[C.content_flags] as number,
    capability: row[C.capability] as number,
    promptHashHi: hashHi,
    promptHashLo: hashLo,
    promptSketch: pairs(C.prompt_sketch_1, C.prompt_sketch_2),
    promptTokens: row[C.prompt_tokens] as number,
    promptShape: pairs(C.prompt_shape_1, C.prompt_shape_2, C.prompt_shape_3, C.prompt_shape_4),
    systemTokens: row[C.system_tokens] as number,
    systemShape: pairs(C.system_shape_1, C.system_shape_2, C.system_shape_3, C.system_shape_4),
    promptLanguage: optional(row[C.prompt_language]!) ?? 0,
  };
}
