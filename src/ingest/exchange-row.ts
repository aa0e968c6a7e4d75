import { lastUserText, type Exchange } from '../model/exchange.js';
import { EXCHANGE_COLUMNS, type ColumnValue } from '../store/exchange-columns.js';
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

/** The stored row for one exchange, in `EXCHANGE_COLUMNS` order. */
export function buildExchangeRow(exchange: Exchange, context: RowContext): ColumnValue[] {
  const request = exchange.request;
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
  ];
  if (row.length !== EXCHANGE_COLUMNS.length) {
    throw new Error(`exchange row has ${row.length} values for ${EXCHANGE_COLUMNS.length} columns: exchange-row.ts and exchange-columns.ts are out of step`);
  }
  return row;
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
