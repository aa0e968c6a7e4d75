import type { Message, NormalizedRequest, NormalizedResponse, ToolCall, ToolDefinition, Usage } from '../../model/exchange.js';
import { emptyUsage } from '../../model/exchange.js';
import { isImagePartType, readContentText, tallyImage } from './content-text-reader.js';
import { isRecord, readCount, readFiniteNumber, readNonEmptyString, readString, toJsonText, type JsonRecord } from './json-value-reader.js';
import { MessageBuilder } from './message-builder.js';
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
 * Normalises an OpenAI Responses API request body (`POST /v1/responses`). `input` is either a
 * bare string (one user message) or a flat list of items; the items the model produced in one
 * turn (reasoning, assistant message, tool calls) are gathered into one assistant message, and
 * every tool output becomes a `tool` message, as in Chat Completions.
 *
 * @example
 * normalizeOpenAiResponsesRequest({ model: 'gpt-4.1', instructions: 'Be brief.', input: 'Hi' })
 * // systemText 'Be brief.', one user message 'Hi', turnCount 1
 */
export function normalizeOpenAiResponsesRequest(body: JsonRecord): NormalizedRequest {
  const systemParts: string[] = [];
  const instructions = readNonEmptyString(body.instructions);
  if (instructions !== null) systemParts.push(instructions);
  const messages: Message[] = [];
  const input = body.input;
  if (typeof input === 'string') messages.push(createTextMessage('user', input));
  else if (Array.isArray(input)) readInputItems(input, systemParts, messages);
  const reasoning = body.reasoning;
  const sampling = createSampling(
    readCount(body.max_output_tokens),
    readFiniteNumber(body.temperature),
    readFiniteNumber(body.top_p),
    null,
    null,
    isRecord(reasoning) ? readReasoningEffort(reasoning.effort) : null,
    body.stream === true,
  );
  return createRequest(readString(body.model), systemParts.join('\n\n'), messages, readTools(body.tools), sampling);
}

/**
 * Normalises an OpenAI Responses API response object, streamed ones taken from the final
 * `response.completed` (or `response.incomplete`) event.
 */
export function normalizeOpenAiResponsesResponse(body: JsonRecord, status: number): NormalizedResponse {
  const output = body.output;
  const toolCalls: ToolCall[] = [];
  const textParts: string[] = [];
  const reasoningParts: string[] = [];
  if (Array.isArray(output)) {
    for (let i = 0; i < output.length; i++) {
      const item: unknown = output[i];
      if (!isRecord(item)) continue;
      const type = item.type;
      if (type === 'message') {
        const content = item.content;
        if (!Array.isArray(content)) continue;
        for (let j = 0; j < content.length; j++) {
          const part: unknown = content[j];
          if (isRecord(part) && part.type === 'output_text' && typeof part.text === 'string') textParts.push(part.text);
        }
      } else if (type === 'reasoning') {
        pushReasoningTexts(item, reasoningParts);
      } else if (typeof type === 'string' && type.endsWith('_call')) {
        toolCalls.push(readCallItem(item, type));
      }
    }
  }
  // `output_text` exists only where an SDK added it before the gateway logged the body; the raw
  // HTTP body never has it. Joining the parts with nothing gives the same text the SDKs build.
  const convenienceText = body.output_text;
  const outputText = typeof convenienceText === 'string' ? convenienceText : textParts.join('');
  const state = readString(body.status);
  const incomplete = body.incomplete_details;
  const stopReason = state === 'incomplete' && isRecord(incomplete) ? (readString(incomplete.reason) ?? state) : state;
  const usage = body.usage;
  return createResponse(
    readString(body.model),
    outputText,
    reasoningParts.join('\n'),
    toolCalls,
    isRecord(usage) ? readUsage(usage) : emptyUsage(),
    stopReason,
    Array.isArray(output) || typeof convenienceText === 'string' ? 1 : 0,
    readResponseError(body, status),
  );
}

function readInputItems(input: unknown[], systemParts: string[], messages: Message[]): void {
  // The assistant turn being gathered; it is closed by the next user message or tool output.
  let assistant: MessageBuilder | null = null;
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    if (!isRecord(item)) continue;
    const type = item.type;
    // `type: 'message'` may be left out on messages ("easy input messages").
    if (type === undefined || type === null || type === 'message') {
      const role = item.role;
      if (role === 'user') {
        if (assistant !== null) {
          messages.push(assistant.build());
          assistant = null;
        }
        const message = createTextMessage('user', '');
        message.text = readContentText(item.content, '\n', message);
        messages.push(message);
      } else if (role === 'assistant') {
        assistant ??= new MessageBuilder('assistant');
        assistant.addText(readContentText(item.content, '\n', null));
      } else if (role === 'system' || role === 'developer') {
        const text = readContentText(item.content, '\n', null);
        if (text.length > 0) systemParts.push(text);
      }
    } else if (type === 'reasoning') {
      assistant ??= new MessageBuilder('assistant');
      pushReasoningTexts(item, assistant.reasoningParts);
    } else if (typeof type === 'string') {
      if (type.endsWith('_call_output')) {
        if (assistant !== null) {
          messages.push(assistant.build());
          assistant = null;
        }
        messages.push(readCallOutputItem(item));
      } else if (type.endsWith('_call')) {
        assistant ??= new MessageBuilder('assistant');
        assistant.toolCalls.push(readCallItem(item, type));
      }
      // item_reference, mcp_list_tools and approvals carry no conversation text.
    }
  }
  if (assistant !== null) messages.push(assistant.build());
}

/**
 * A tool call item of any kind: `function_call`, `custom_tool_call`, `computer_call`,
 * `web_search_call`, `code_interpreter_call`, `mcp_call`, ... Built-in tools have no name, so
 * the item type names them, and their input is whichever field the kind carries it in.
 */
function readCallItem(item: JsonRecord, type: string): ToolCall {
  // `call_id` is what the matching `*_call_output` refers to; built-in calls have only `id`.
  const id = readNonEmptyString(item.call_id) ?? readString(item.id);
  let args = item.arguments;
  if (args === undefined) args = item.input;
  if (args === undefined) args = item.action;
  if (args === undefined) args = item.code;
  if (args === undefined) args = item.queries;
  return createToolCall(id, readNonEmptyString(item.name) ?? type, toJsonText(args));
}

function readCallOutputItem(item: JsonRecord): Message {
  const message = createTextMessage('tool', '');
  const output = item.output;
  let text = '';
  if (isRecord(output)) {
    // computer_call_output returns its screenshot as a single `computer_screenshot` object.
    if (isImagePartType(output.type)) tallyImage(message, output);
  } else {
    text = readContentText(output, '\n', message);
  }
  message.toolResults.push(createToolResult(readString(item.call_id), text, false));
  return message;
}

/** Reasoning summaries and, where the model returns it, the raw reasoning text. */
function pushReasoningTexts(item: JsonRecord, into: string[]): void {
  pushPartTexts(item.summary, into);
  pushPartTexts(item.content, into);
}

function pushPartTexts(parts: unknown, into: string[]): void {
  if (!Array.isArray(parts)) return;
  for (let i = 0; i < parts.length; i++) {
    const part: unknown = parts[i];
    if (!isRecord(part)) continue;
    const text = part.text;
    if (typeof text === 'string' && text.length > 0) into.push(text);
  }
}

function readTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  if (!Array.isArray(raw)) return tools;
  for (let i = 0; i < raw.length; i++) {
    const tool: unknown = raw[i];
    if (!isRecord(tool)) continue;
    const type = readNonEmptyString(tool.type);
    const nested = tool.function;
    if (type === 'function' || type === null) {
      // Clients ported from Chat Completions often still nest the function (`{type, function: {...}}`);
      // the API rejects it, but the gateway logs the request all the same.
      const fn = isRecord(nested) ? nested : tool;
      tools.push(createToolDefinition(readString(fn.name) ?? '', readString(fn.description) ?? '', toJsonText(fn.parameters), null));
    } else if (type === 'custom') {
      tools.push(createToolDefinition(readString(tool.name) ?? '', readString(tool.description) ?? '', toJsonText(tool.format), null));
    } else {
      // Built-in tools have no name; an MCP server is named by its label.
      const name = readNonEmptyString(tool.name) ?? (type === 'mcp' ? readNonEmptyString(tool.server_label) : null) ?? type;
      const description = readString(tool.description) ?? readString(tool.server_description) ?? '';
      tools.push(createToolDefinition(name, description, '', type));
    }
  }
  return tools;
}

function readUsage(usage: JsonRecord): Usage {
  const outputDetails = usage.output_tokens_details;
  const inputDetails = usage.input_tokens_details;
  return createUsage(
    readCount(usage.input_tokens),
    readCount(usage.output_tokens),
    isRecord(outputDetails) ? readCount(outputDetails.reasoning_tokens) : null,
    isRecord(inputDetails) ? readCount(inputDetails.cached_tokens) : null,
  );
}
