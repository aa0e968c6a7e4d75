import type { Message, NormalizedRequest, NormalizedResponse, ToolCall, ToolDefinition, ToolResult } from '../../model/exchange.js';
import { emptyUsage } from '../../model/exchange.js';
import { readContentText, tallyImage } from './content-text-reader.js';
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
import { readResponseError } from './response-error-reader.js';

/**
 * Normalises an Anthropic Messages API request body (`POST /v1/messages`).
 *
 * @example
 * normalizeAnthropicRequest({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: 'Be brief.',
 *   messages: [{ role: 'user', content: 'Hi' }] }).systemText // 'Be brief.'
 */
export function normalizeAnthropicRequest(body: JsonRecord): NormalizedRequest {
  const thinking = body.thinking;
  const sampling = createSampling(
    readCount(body.max_tokens),
    readFiniteNumber(body.temperature),
    readFiniteNumber(body.top_p),
    null,
    isRecord(thinking) && thinking.type === 'enabled' ? readCount(thinking.budget_tokens) : null,
    null,
    body.stream === true,
  );
  return createRequest(
    readString(body.model),
    readContentText(body.system, '\n\n', null),
    readMessages(body.messages),
    readTools(body.tools),
    sampling,
  );
}

/** Normalises an Anthropic Messages API response body, streamed ones once assembled. */
export function normalizeAnthropicResponse(body: JsonRecord, status: number): NormalizedResponse {
  const content = body.content;
  const toolCalls: ToolCall[] = [];
  let outputText = '';
  let reasoningText = '';
  if (Array.isArray(content)) {
    const textParts: string[] = [];
    const reasoningParts: string[] = [];
    // Citations split one paragraph into several adjacent text blocks, so adjacent text blocks
    // are one run and join with nothing; runs separated by tool use or thinking get a newline.
    let runBroken = false;
    for (let i = 0; i < content.length; i++) {
      const block: unknown = content[i];
      if (!isRecord(block)) continue;
      const type = block.type;
      if (type === 'text') {
        const text = block.text;
        if (typeof text === 'string' && text.length > 0) {
          if (runBroken && textParts.length > 0) textParts.push('\n');
          textParts.push(text);
          runBroken = false;
        }
        continue;
      }
      runBroken = true;
      if (type === 'thinking') {
        const thinking = block.thinking;
        if (typeof thinking === 'string' && thinking.length > 0) reasoningParts.push(thinking);
      } else if (type === 'tool_use' || type === 'server_tool_use' || type === 'mcp_tool_use') {
        toolCalls.push(readToolUse(block));
      }
      // redacted_thinking carries only encrypted `data`: there is no text to read.
    }
    outputText = textParts.join('');
    reasoningText = reasoningParts.join('\n');
  }
  const usage = body.usage;
  return createResponse(
    readString(body.model),
    outputText,
    reasoningText,
    toolCalls,
    // `input_tokens` counts only the uncached part of the prompt; cache reads and cache writes
    // are reported beside it, unlike OpenAI where `prompt_tokens` includes the cached tokens.
    // Anthropic does not report thinking tokens apart from `output_tokens`.
    isRecord(usage)
      ? createUsage(readCount(usage.input_tokens), readCount(usage.output_tokens), null, readCount(usage.cache_read_input_tokens))
      : emptyUsage(),
    readString(body.stop_reason),
    Array.isArray(content) ? 1 : 0,
    readResponseError(body, status),
  );
}

function readMessages(raw: unknown): Message[] {
  const messages: Message[] = [];
  if (!Array.isArray(raw)) return messages;
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    if (!isRecord(item)) continue;
    const role = item.role;
    if (role !== 'user' && role !== 'assistant') continue;
    const content = item.content;
    messages.push(typeof content === 'string' ? createTextMessage(role, content) : readBlockMessage(role, content));
  }
  return messages;
}

function readBlockMessage(role: 'user' | 'assistant', content: unknown): Message {
  const builder = new MessageBuilder(role);
  if (!Array.isArray(content)) return builder.build();
  for (let i = 0; i < content.length; i++) {
    const block: unknown = content[i];
    if (!isRecord(block)) continue;
    const type = block.type;
    switch (type) {
      case 'text':
        builder.addText(block.text);
        break;
      case 'image':
        tallyImage(builder, block);
        break;
      case 'thinking':
        builder.addReasoning(block.thinking);
        break;
      case 'tool_use':
      case 'server_tool_use':
      case 'mcp_tool_use':
        builder.toolCalls.push(readToolUse(block));
        break;
      case 'tool_result':
      case 'mcp_tool_result':
        // Screenshots a computer-use client returns arrive as image blocks inside the result.
        builder.toolResults.push(
          createToolResult(readString(block.tool_use_id), readContentText(block.content, '\n', builder), block.is_error === true),
        );
        break;
      default:
        // Results of server-side tools (web_search_tool_result, code_execution_tool_result, ...)
        // sit in the assistant turn the client sends back.
        if (typeof type === 'string' && type.endsWith('_tool_result')) builder.toolResults.push(readServerToolResult(block));
    }
  }
  return builder.build();
}

function readToolUse(block: JsonRecord): ToolCall {
  return createToolCall(readString(block.id), readString(block.name) ?? '', toJsonText(block.input));
}

function readServerToolResult(block: JsonRecord): ToolResult {
  const content = block.content;
  if (isRecord(content)) {
    // A failed server tool call is `{type: 'web_search_tool_result_error', error_code}`; code
    // execution results carry their output in `stdout`.
    const type = content.type;
    const isError = typeof type === 'string' && type.endsWith('_error');
    return createToolResult(readString(block.tool_use_id), readString(content.stdout) ?? '', isError);
  }
  return createToolResult(readString(block.tool_use_id), readContentText(content, '\n', null), false);
}

function readTools(raw: unknown): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  if (!Array.isArray(raw)) return tools;
  for (let i = 0; i < raw.length; i++) {
    const tool: unknown = raw[i];
    if (!isRecord(tool)) continue;
    // Client tools may say `type: 'custom'` explicitly; only versioned server tool types such as
    // `web_search_20250305` or `computer_20250124` mark a tool the provider runs.
    const declared = readNonEmptyString(tool.type);
    const type = declared === 'custom' ? null : declared;
    tools.push(
      createToolDefinition(readNonEmptyString(tool.name) ?? type ?? '', readString(tool.description) ?? '', toJsonText(tool.input_schema), type),
    );
  }
  return tools;
}
