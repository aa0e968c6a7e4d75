import type {
  Message,
  MessageRole,
  NormalizedRequest,
  NormalizedResponse,
  ReasoningEffort,
  ResponseError,
  SamplingParams,
  ToolCall,
  ToolDefinition,
  ToolResult,
  Usage,
} from '../../model/exchange.js';
import { combineImageKeys } from './content-text-reader.js';
import { emptyUsage } from '../../model/exchange.js';

// Every normaliser builds the model's objects through these factories so that each kind of
// object has one hidden class whatever API it came from, which keeps the property reads of the
// later stages monomorphic.

export function createToolCall(id: string | null, name: string, args: string): ToolCall {
  return { id, name, arguments: args };
}

export function createToolResult(toolCallId: string | null, text: string, isError: boolean): ToolResult {
  return { toolCallId, text, isError };
}

export function createToolDefinition(name: string, description: string, schema: string, type: string | null): ToolDefinition {
  return { name, description, schema, type };
}

/** A message that carries text only, the most common shape (`content` given as a string). */
export function createTextMessage(role: MessageRole, text: string): Message {
  return { role, text, toolCalls: [], toolResults: [], imageCount: 0, reasoningText: '' };
}

export function createSampling(
  maxTokens: number | null,
  temperature: number | null,
  topP: number | null,
  n: number | null,
  thinkingBudget: number | null,
  reasoningEffort: ReasoningEffort | null,
  stream: boolean,
): SamplingParams {
  return { maxTokens, temperature, topP, n, thinkingBudget, reasoningEffort, stream };
}

/**
 * Derives the request-wide counts from the messages, so that every API counts images and turns
 * the same way. A turn is a user message with text or images; one holding only tool results is
 * the client answering a tool call, not the user speaking. Images of a message that holds tool
 * results are taken to be inside them (computer-use screenshots), since a message keeps one image
 * count for both.
 */
export function createRequest(
  model: string | null,
  systemText: string,
  messages: Message[],
  tools: ToolDefinition[],
  sampling: SamplingParams,
): NormalizedRequest {
  let imageCount = 0;
  let imageKey = 0;
  let turnCount = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    imageCount += message.imageCount;
    if (message.imageKey !== undefined) imageKey = combineImageKeys(imageKey, message.imageKey);
    if (message.role === 'user' && (message.text.length > 0 || (message.imageCount > 0 && message.toolResults.length === 0))) turnCount++;
  }
  const request: NormalizedRequest = { model, systemText, messages, tools, sampling, imageCount, turnCount };
  if (imageKey !== 0) request.imageKey = imageKey;
  return request;
}

export function createEmptyRequest(): NormalizedRequest {
  return createRequest(null, '', [], [], createSampling(null, null, null, null, null, null, false));
}

export function createResponse(
  model: string | null,
  outputText: string,
  reasoningText: string,
  toolCalls: ToolCall[],
  usage: Usage,
  stopReason: string | null,
  choiceCount: number,
  error: ResponseError | null,
): NormalizedResponse {
  return { model, outputText, reasoningText, toolCalls, usage, stopReason, choiceCount, error };
}

/** Same key order as the model's `emptyUsage()`, so both share one hidden class. */
export function createUsage(
  inputTokens: number | null,
  outputTokens: number | null,
  reasoningTokens: number | null,
  cacheReadTokens: number | null,
): Usage {
  return { inputTokens, outputTokens, reasoningTokens, cacheReadTokens };
}

export function createEmptyResponse(): NormalizedResponse {
  return createResponse(null, '', '', [], emptyUsage(), null, 0, null);
}
