import type { Message, NormalizedRequest, NormalizedResponse, ToolCall, ToolDefinition, Usage } from '../../model/exchange.js';
import { emptyUsage } from '../../model/exchange.js';
import { readContentText } from './content-text-reader.js';
import { isRecord, readCount, readFiniteNumber, readNonEmptyString, readString, toJsonText, type JsonRecord } from './json-value-reader.js';
import {
  createRequest,
  createResponse,
  createSampling,
  createTextMessage,
  createToolCall,
  createToolDefinition,
  createToolResult,
  createUsage,
} from './model-part-factory.js';
import { readReasoningEffort } from './reasoning-effort-reader.js';
import { readResponseError } from './response-error-reader.js';

/**
 * Normalises an OpenAI Chat Completions request body (`POST /v1/chat/completions`). System and
 * developer messages become `systemText` and are not kept in `messages`, matching the other APIs
 * where the system prompt sits outside the conversation.
 */
export function normalizeOpenAiChatRequest(body: JsonRecord): NormalizedRequest {
  const systemParts: string[] = [];
  const messages: Message[] = [];
  const raw = body.messages;
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      const item: unknown = raw[i];
      if (!isRecord(item)) continue;
      switch (item.role) {
        case 'system':
        case 'developer': {
          const text = readContentText(item.content, '\n', null);
          if (text.length > 0) systemParts.push(text);
          break;
        }
        case 'user': {
          const content = item.content;
          if (typeof content === 'string') {
            messages.push(createTextMessage('user', content));
          } else {
            const message = createTextMessage('user', '');
            message.text = readContentText(content, '\n', message);
            messages.push(message);
          }
          break;
        }
        case 'assistant':
          messages.push(readAssistantMessage(item));
          break;
        case 'tool':
          messages.push(readToolMessage(readString(item.tool_call_id), item.content));
          break;
        case 'function':
          // Legacy function results name the function but carry no call id.
          messages.push(readToolMessage(null, item.content));
          break;
      }
    }
  }
  const sampling = createSampling(
    // `max_tokens` is deprecated in favour of `max_completion_tokens` and rejected by o-series models.
    readCount(body.max_completion_tokens) ?? readCount(body.max_tokens),
    readFiniteNumber(body.temperature),
    readFiniteNumber(body.top_p),
    readCount(body.n),
    null,
    readReasoningEffort(body.reasoning_effort),
    body.stream === true,
  );
  return createRequest(readString(body.model), systemParts.join('\n\n'), messages, readTools(body.tools, body.functions), sampling);
}

/**
 * Normalises an OpenAI Chat Completions response body. With `n > 1` only the first choice's
 * text, reasoning and tool calls are read; `choiceCount` says how many there were.
 */
export function normalizeOpenAiChatResponse(body: JsonRecord, status: number): NormalizedResponse {
  const choices = body.choices;
  const toolCalls: ToolCall[] = [];
  let outputText = '';
  let reasoningText = '';
  let stopReason: string | null = null;
  let choiceCount = 0;
  if (Array.isArray(choices)) {
    choiceCount = choices.length;
    const choice: unknown = choices[0];
    if (isRecord(choice)) {
      stopReason = readString(choice.finish_reason);
      const message = choice.message;
      if (isRecord(message)) {
        outputText = readContentText(message.content, '\n', null);
        reasoningText = readReasoningField(message);
        readToolCalls(message, toolCalls);
      }
    }
  }
  const usage = body.usage;
  return createResponse(
    readString(body.model),
    outputText,
    reasoningText,
    toolCalls,
    isRecord(usage) ? readUsage(usage) : emptyUsage(),
    stopReason,
    choiceCount,
    readResponseError(body, status),
  );
}

function readAssistantMessage(item: JsonRecord): Message {
  // Content is null when the assistant only called tools.
  const message = createTextMessage('assistant', readContentText(item.content, '\n', null));
  readToolCalls(item, message.toolCalls);
  message.reasoningText = readReasoningField(item);
  return message;
}

function readToolMessage(toolCallId: string | null, content: unknown): Message {
  const message = createTextMessage('tool', '');
  message.toolResults.push(createToolResult(toolCallId, readContentText(content, '\n', message), false));
  return message;
}

/**
 * Chat Completions has no reasoning field of its own; OpenAI-compatible servers return the chain
 * of thought as `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter, Ollama).
 */
function readReasoningField(message: JsonRecord): string {
  return readString(message.reasoning_content) ?? readString(message.reasoning) ?? '';
}

/** Reads `tool_calls` and the legacy single `function_call` of an assistant message into `into`. */
function readToolCalls(message: JsonRecord, into: ToolCall[]): void {
  const calls = message.tool_calls;
  if (Array.isArray(calls)) {
    for (let i = 0; i < calls.length; i++) {
      const call: unknown = calls[i];
      if (!isRecord(call)) continue;
      const id = readString(call.id);
      const fn = call.function;
      const custom = call.custom;
      if (isRecord(fn)) into.push(createToolCall(id, readString(fn.name) ?? '', toJsonText(fn.arguments)));
      else if (isRecord(custom)) into.push(createToolCall(id, readString(custom.name) ?? '', toJsonText(custom.input)));
      else into.push(createToolCall(id, readNonEmptyString(call.type) ?? '', ''));
    }
  }
  const legacy = message.function_call;
  if (isRecord(legacy)) into.push(createToolCall(null, readString(legacy.name) ?? '', toJsonText(legacy.arguments)));
}

function readTools(tools: unknown, functions: unknown): ToolDefinition[] {
  const result: ToolDefinition[] = [];
  if (Array.isArray(tools)) {
    for (let i = 0; i < tools.length; i++) {
      const tool: unknown = tools[i];
      if (!isRecord(tool)) continue;
      const type = readNonEmptyString(tool.type);
      const fn = tool.function;
      const custom = tool.custom;
      if (isRecord(fn)) {
        result.push(readFunctionDefinition(fn));
      } else if (type === 'custom' && isRecord(custom)) {
        // Custom tools take free-form text; their `format` (text or a grammar) plays the schema's part.
        result.push(createToolDefinition(readString(custom.name) ?? '', readString(custom.description) ?? '', toJsonText(custom.format), null));
      } else {
        result.push(createToolDefinition(readNonEmptyString(tool.name) ?? type ?? '', readString(tool.description) ?? '', '', type));
      }
    }
  }
  if (Array.isArray(functions)) {
    for (let i = 0; i < functions.length; i++) {
      const fn: unknown = functions[i];
      if (isRecord(fn)) result.push(readFunctionDefinition(fn));
    }
  }
  return result;
}

function readFunctionDefinition(fn: JsonRecord): ToolDefinition {
  return createToolDefinition(readString(fn.name) ?? '', readString(fn.description) ?? '', toJsonText(fn.parameters), null);
}

function readUsage(usage: JsonRecord): Usage {
  const completionDetails = usage.completion_tokens_details;
  const promptDetails = usage.prompt_tokens_details;
  return createUsage(
    readCount(usage.prompt_tokens),
    readCount(usage.completion_tokens),
    isRecord(completionDetails) ? readCount(completionDetails.reasoning_tokens) : null,
    isRecord(promptDetails) ? readCount(promptDetails.cached_tokens) : null,
  );
}
