import type { ApiKind } from '../model/exchange.js';
import type { ExchangeSpec, ImageSpec, RequestSpec, ResponseSpec, ToolCallSpec } from './exchange-spec.js';
import type { ModelSpec } from './scenario-schema.js';
import type { ToolSpec } from './tool-catalog.js';
import { BASE62, HEX, BASE64URL, type Rng } from './seeded-rng.js';
import { MESSAGE_OVERHEAD_TOKENS, charsFor, imageTokens, tokensOf } from './token-estimator.js';
import { MEDIA_TYPES, imageBase64, imageUrlOf } from './image-payload.js';
import { sliceText } from './text-slice.js';

/**
 * Renders an `ExchangeSpec` as the request and response bodies of one API, in that API's own
 * shape (as a gateway logs them, streamed responses assembled), with usage that follows the
 * token rule of `token-estimator.ts` exactly.
 *
 * Bodies are written as JSON text pieces, not built as objects and serialised: this runs for
 * every exchange, and building then walking the objects (or concatenating template strings,
 * which leaves ropes to flatten) cost a third of the generation time. Only strings go through
 * `JSON.stringify`; keys and numbers are written as they are. Tests parse every body written.
 */
export interface RenderedBodies {
  requestJson: string;
  responseJson: string;
  outputTokens: number;
}

export type ErrorKind = 'rate_limited' | 'server_error' | 'overloaded';

export interface RenderContext {
  api: ApiKind;
  model: ModelSpec;
  tsMs: number;
  rng: Rng;
  /** Prompt cache is warm (a repeated prefix within the last minutes). */
  cacheWarm: boolean;
}

const q = JSON.stringify as (value: string) => string;

const SNAPSHOTS: Record<string, string> = {
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  o3: 'o3-2025-04-16',
  'o4-mini': 'o4-mini-2025-04-16',
};

const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

type ToolShape = 'anthropic' | 'chat' | 'responses';

interface ToolJson {
  json: string;
  tokens: number;
}

const toolJson = new WeakMap<ToolSpec, Record<ToolShape, ToolJson>>();
const toolSetJson = new WeakMap<readonly ToolSpec[], Partial<Record<ToolShape, ToolJson>>>();

function definitionJsonOf(tool: ToolSpec): Record<ToolShape, ToolJson> {
  let cached = toolJson.get(tool);
  if (cached === undefined) {
    const make = (definition: unknown): ToolJson => {
      const json = JSON.stringify(definition);
      return { json, tokens: tokensOf(json) };
    };
    cached = {
      anthropic:
        tool.anthropicBuiltin === undefined
          ? make({ name: tool.name, description: tool.description, input_schema: tool.parameters })
          : { json: JSON.stringify(tool.anthropicBuiltin.definition), tokens: tool.anthropicBuiltin.tokens },
      chat: make({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }),
      responses: make({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false }),
    };
    toolJson.set(tool, cached);
  }
  return cached;
}

/**
 * The `tools` array of a tool set as JSON, with its tokens (the sum over definitions). Tool sets
 * are shared by an account's or a campaign's requests, so each is serialised once per shape.
 */
function toolsJsonOf(tools: readonly ToolSpec[], shape: ToolShape): ToolJson {
  let cached = toolSetJson.get(tools);
  if (cached === undefined) toolSetJson.set(tools, (cached = {}));
  let entry = cached[shape];
  if (entry === undefined) {
    const definitions = tools.map((tool) => definitionJsonOf(tool)[shape]);
    entry = cached[shape] = { json: `[${definitions.map((definition) => definition.json).join(',')}]`, tokens: definitions.reduce((sum, definition) => sum + definition.tokens, 0) };
  }
  return entry;
}

export function snapshotOf(model: string): string {
  return SNAPSHOTS[model] ?? model;
}

/** max_tokens as sent: the model limit when maxed, the spec's value otherwise, room for thinking. */
function resolveMaxTokens(spec: RequestSpec, model: ModelSpec, budget: number | null, fallback: number | null): number | null {
  let value = spec.maxedTokens ? model.max_output_tokens : (spec.maxTokens ?? fallback);
  if (value !== null && budget !== null && value <= budget) value = Math.min(model.max_output_tokens, budget + 4096);
  return value === null ? null : Math.min(value, model.max_output_tokens);
}

function thinkingBudgetOf(spec: RequestSpec, model: ModelSpec): number | null {
  if (!model.reasoning || spec.reasoning === null) return null;
  if (spec.thinkingBudget !== null) return Math.min(spec.thinkingBudget, model.max_output_tokens - 1024);
  return spec.reasoning === 'high' ? 16000 : spec.reasoning === 'medium' ? 8000 : 2048;
}

/** Trims response texts so that output fits max_tokens, as the API would cut them off. */
function fitOutput(texts: readonly string[], maxTokens: number | null, reasoningTokens: number): { texts: string[]; truncated: boolean } {
  if (maxTokens === null) return { texts: texts as string[], truncated: false };
  let truncated = false;
  const room = Math.max(0, maxTokens - reasoningTokens);
  const fitted = texts.map((text) => {
    if (tokensOf(text) <= room) return text;
    truncated = true;
    return sliceText(text, charsFor(room));
  });
  return { texts: fitted, truncated };
}

// ---------------------------------------------------------------------------------------------
// Images. Base64 data needs no JSON escaping; links go through JSON.stringify like any text.

function pushAnthropicImage(b: string[], image: ImageSpec): number {
  if (image.url !== null) b.push('{"type":"image","source":{"type":"url","url":', q(image.url), '}}');
  else b.push('{"type":"image","source":{"type":"base64","media_type":"', MEDIA_TYPES[image.format], '","data":"', imageBase64(image), '"}}');
  return imageTokens('anthropic', image.width, image.height, image.detail);
}

function pushChatImage(b: string[], image: ImageSpec): number {
  b.push('{"type":"image_url","image_url":{"url":', image.url !== null ? q(image.url) : `"${imageUrlOf(image)}"`);
  if (image.detail !== null) b.push(',"detail":"', image.detail, '"');
  b.push('}}');
  return imageTokens('openai', image.width, image.height, image.detail);
}

function pushResponsesImage(b: string[], image: ImageSpec): number {
  // The Responses API requires `detail`; clients send "auto" when they do not choose.
  b.push('{"type":"input_image","image_url":', image.url !== null ? q(image.url) : `"${imageUrlOf(image)}"`, ',"detail":"', image.detail ?? 'auto', '"}');
  return imageTokens('openai', image.width, image.height, image.detail);
}

// ---------------------------------------------------------------------------------------------
// Anthropic Messages

function renderAnthropic(spec: ExchangeSpec, context: RenderContext, b: string[], o: string[]): number {
  const { request: r, response: out } = spec;
  const { model, rng } = context;
  const budget = thinkingBudgetOf(r, model);
  const maxTokens = resolveMaxTokens(r, model, budget, DEFAULT_ANTHROPIC_MAX_TOKENS)!;

  b.push('{"model":', q(model.name), ',"max_tokens":', String(maxTokens));
  let inputTokens = 0;
  let cacheable = 0;
  if (r.system !== null) {
    if (r.cacheSystem) b.push(',"system":[{"type":"text","text":', q(r.system), ',"cache_control":{"type":"ephemeral"}}]');
    else b.push(',"system":', q(r.system));
    inputTokens += tokensOf(r.system);
    if (r.cacheSystem) cacheable += tokensOf(r.system);
  }
  b.push(',"messages":[');
  let first = true;
  for (const turn of r.messages) {
    b.push(first ? '{"role":"' : ',{"role":"');
    first = false;
    inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
    if (turn.role === 'user') {
      if (turn.toolResults && turn.toolResults.length > 0) {
        b.push('user","content":[');
        let firstBlock = true;
        for (const result of turn.toolResults) {
          b.push(firstBlock ? '{"type":"tool_result","tool_use_id":' : ',{"type":"tool_result","tool_use_id":', q(result.id), ',"content":');
          firstBlock = false;
          if (result.images === undefined || result.images.length === 0) {
            b.push(q(result.text), '}');
          } else {
            // A screenshot result: the image blocks, after the result's text when it has one.
            let sep = '[';
            if (result.text.length > 0) {
              b.push('[{"type":"text","text":', q(result.text), '}');
              sep = ',';
            }
            for (const image of result.images) {
              b.push(sep);
              inputTokens += pushAnthropicImage(b, image);
              sep = ',';
            }
            b.push(']}');
          }
          inputTokens += tokensOf(result.text);
        }
        if (turn.text.length > 0) b.push(',{"type":"text","text":', q(turn.text), '}');
        b.push(']}');
      } else if (turn.images !== undefined && turn.images.length > 0) {
        // Images go before the question, as Anthropic recommends and its SDK examples do.
        b.push('user","content":[');
        turn.images.forEach((image, index) => {
          if (index > 0) b.push(',');
          inputTokens += pushAnthropicImage(b, image);
        });
        if (turn.text.length > 0) b.push(',{"type":"text","text":', q(turn.text), '}');
        b.push(']}');
      } else {
        b.push('user","content":', q(turn.text), '}');
      }
      continue;
    }
    const thinking = budget !== null && turn.thinking ? turn.thinking : '';
    const calls = turn.toolCalls ?? [];
    if (thinking.length === 0 && calls.length === 0 && turn.text.length > 0) {
      b.push('assistant","content":', q(turn.text), '}');
      continue;
    }
    b.push('assistant","content":[');
    let sep = '';
    if (thinking.length > 0) {
      b.push('{"type":"thinking","thinking":', q(thinking), ',"signature":"', signature(rng), '"}');
      inputTokens += tokensOf(thinking);
      sep = ',';
    }
    if (turn.text.length > 0) {
      b.push(sep, '{"type":"text","text":', q(turn.text), '}');
      sep = ',';
    }
    for (const call of calls) {
      b.push(sep, '{"type":"tool_use","id":', q(call.id), ',"name":', q(call.name), ',"input":', call.argsJson, '}');
      inputTokens += tokensOf(call.argsJson);
      sep = ',';
    }
    b.push(']}');
  }
  b.push(']');
  if (budget !== null) b.push(',"thinking":{"type":"enabled","budget_tokens":', String(budget), '}');
  else pushSampling(b, r);
  if (r.stream) b.push(',"stream":true');
  if (r.endUser !== null) b.push(',"metadata":{"user_id":', q(r.endUser), '}');
  if (r.tools !== null && r.tools.length > 0) {
    const tools = toolsJsonOf(r.tools, 'anthropic');
    b.push(',"tools":', tools.json);
    inputTokens += tools.tokens;
    if (r.cacheSystem) cacheable += tools.tokens;
  }
  b.push('}');

  const thinking = budget !== null ? sliceText(out.reasoning, charsFor(budget)) : '';
  const thinkingTokens = tokensOf(thinking);
  const { texts, truncated } = fitOutput(out.texts.slice(0, 1), maxTokens, thinkingTokens);
  const text = texts[0] ?? '';
  o.push('{"id":"', rng.chars(22, BASE62, 'msg_01'), '","type":"message","role":"assistant","model":', q(model.name), ',"content":[');
  let sep = '';
  if (thinking.length > 0) {
    o.push('{"type":"thinking","thinking":', q(thinking), ',"signature":"', signature(rng), '"}');
    sep = ',';
  }
  if (text.length > 0) {
    o.push(sep, '{"type":"text","text":', q(text), '}');
    sep = ',';
  }
  let outputTokens = thinkingTokens + tokensOf(text);
  const calls = truncated ? [] : out.toolCalls;
  for (const call of calls) {
    o.push(sep, '{"type":"tool_use","id":', q(call.id), ',"name":', q(call.name), ',"input":', call.argsJson, '}');
    outputTokens += tokensOf(call.argsJson);
    sep = ',';
  }
  const cacheRead = cacheable > 0 && context.cacheWarm ? cacheable : 0;
  const cacheWrite = cacheable > 0 && !context.cacheWarm ? cacheable : 0;
  const stop = truncated ? 'max_tokens' : calls.length > 0 ? 'tool_use' : 'end_turn';
  o.push(
    '],"stop_reason":"', stop, '","stop_sequence":null,"usage":{"input_tokens":', String(inputTokens - cacheRead - cacheWrite),
    ',"cache_creation_input_tokens":', String(cacheWrite), ',"cache_read_input_tokens":', String(cacheRead), ',"output_tokens":', String(outputTokens), '}}',
  );
  return outputTokens;
}

function signature(rng: Rng): string {
  return rng.chars(42, BASE64URL, 'Eq') + '==';
}

function pushSampling(b: string[], r: RequestSpec): void {
  if (r.temperature !== null) b.push(',"temperature":', String(r.temperature));
  if (r.topP !== null) b.push(',"top_p":', String(r.topP));
}

// ---------------------------------------------------------------------------------------------
// OpenAI Chat Completions

function effortOf(r: RequestSpec, model: ModelSpec): 'low' | 'medium' | 'high' | null {
  return model.reasoning && r.reasoning !== null ? r.reasoning : null;
}

function hiddenReasoningTokens(out: ResponseSpec, effort: 'low' | 'medium' | 'high' | null): number {
  if (effort === null) return 0;
  // Hidden reasoning costs what the visible reasoning would have, at least a floor per effort.
  const floor = effort === 'high' ? 600 : effort === 'medium' ? 200 : 40;
  return Math.max(floor, tokensOf(out.reasoning));
}

function pushChatToolCalls(b: string[], calls: readonly ToolCallSpec[]): void {
  b.push(',"tool_calls":[');
  calls.forEach((call, index) => b.push(index === 0 ? '{"id":' : ',{"id":', q(call.id), ',"type":"function","function":{"name":', q(call.name), ',"arguments":', q(call.argsJson), '}}'));
  b.push(']');
}

function renderChat(spec: ExchangeSpec, context: RenderContext, b: string[], o: string[]): number {
  const { request: r, response: out } = spec;
  const { model, rng } = context;
  const effort = effortOf(r, model);
  let inputTokens = 0;
  let prefix = 0;
  b.push('{"model":', q(model.name), ',"messages":[');
  let sep = '';
  if (r.system !== null) {
    b.push(model.reasoning ? '{"role":"developer","content":' : '{"role":"system","content":', q(r.system), '}');
    inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(r.system);
    prefix = inputTokens;
    sep = ',';
  }
  for (const turn of r.messages) {
    if (turn.role === 'user') {
      if (turn.toolResults) {
        const screenshots: ImageSpec[] = [];
        for (const result of turn.toolResults) {
          b.push(sep, '{"role":"tool","tool_call_id":', q(result.id), ',"content":', q(result.text), '}');
          inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(result.text);
          sep = ',';
          if (result.images !== undefined) screenshots.push(...result.images);
        }
        if (screenshots.length > 0) {
          // Tool messages carry text only, so clients send the screenshots in a user message after them.
          b.push(sep, '{"role":"user","content":[');
          if (turn.text.length > 0) b.push('{"type":"text","text":', q(turn.text), '},');
          screenshots.forEach((image, index) => {
            if (index > 0) b.push(',');
            inputTokens += pushChatImage(b, image);
          });
          b.push(']}');
          inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
        } else if (turn.text.length > 0) {
          b.push(sep, '{"role":"user","content":', q(turn.text), '}');
          inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
        }
      } else if (turn.images !== undefined && turn.images.length > 0) {
        b.push(sep, '{"role":"user","content":[{"type":"text","text":', q(turn.text), '}');
        for (const image of turn.images) {
          b.push(',');
          inputTokens += pushChatImage(b, image);
        }
        b.push(']}');
        inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
      } else {
        b.push(sep, '{"role":"user","content":', q(turn.text), '}');
        inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
      }
      sep = ',';
      continue;
    }
    inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
    b.push(sep, '{"role":"assistant","content":', turn.text.length > 0 ? q(turn.text) : 'null');
    if (turn.toolCalls && turn.toolCalls.length > 0) {
      pushChatToolCalls(b, turn.toolCalls);
      for (const call of turn.toolCalls) inputTokens += tokensOf(call.argsJson);
    }
    b.push('}');
    sep = ',';
  }
  b.push(']');
  const maxTokens = resolveMaxTokens(r, model, null, null);
  if (maxTokens !== null) b.push(model.reasoning ? ',"max_completion_tokens":' : ',"max_tokens":', String(maxTokens));
  if (effort !== null) b.push(',"reasoning_effort":"', effort, '"');
  // Reasoning models reject sampling parameters, so clients leave them out.
  if (!model.reasoning) pushSampling(b, r);
  const n = Math.max(1, Math.min(r.n, out.texts.length));
  if (n > 1) b.push(',"n":', String(n));
  if (r.jsonOutput) b.push(',"response_format":{"type":"json_object"}');
  if (r.stream) b.push(',"stream":true,"stream_options":{"include_usage":true}');
  if (r.endUser !== null) b.push(',"user":', q(r.endUser));
  if (r.tools !== null && r.tools.length > 0) {
    const tools = toolsJsonOf(r.tools, 'chat');
    b.push(',"tools":', tools.json);
    inputTokens += tools.tokens;
    prefix += tools.tokens;
  }
  b.push('}');

  const hidden = hiddenReasoningTokens(out, effort);
  const { texts, truncated } = fitOutput(out.texts.slice(0, n), maxTokens, hidden);
  let outputTokens = 0;
  o.push('{"id":"', rng.chars(29, BASE62, 'chatcmpl-'), '","object":"chat.completion","created":', String(Math.floor(context.tsMs / 1000)), ',"model":', q(snapshotOf(model.name)), ',"choices":[');
  texts.forEach((text, index) => {
    const calls = index === 0 && !truncated ? out.toolCalls : [];
    outputTokens += tokensOf(text) + hidden;
    for (const call of calls) outputTokens += tokensOf(call.argsJson);
    o.push(index === 0 ? '{"index":' : ',{"index":', String(index), ',"message":{"role":"assistant","content":', text.length > 0 ? q(text) : 'null', ',"refusal":null');
    if (calls.length > 0) pushChatToolCalls(o, calls);
    o.push('},"logprobs":null,"finish_reason":"', truncated ? 'length' : calls.length > 0 ? 'tool_calls' : 'stop', '"}');
  });
  // OpenAI caches prompts automatically from 1024 tokens on, in 128-token steps.
  const cached = context.cacheWarm && prefix >= 1024 ? Math.floor(prefix / 128) * 128 : 0;
  o.push(
    '],"usage":{"prompt_tokens":', String(inputTokens), ',"completion_tokens":', String(outputTokens), ',"total_tokens":', String(inputTokens + outputTokens),
    ',"prompt_tokens_details":{"cached_tokens":', String(cached), '},"completion_tokens_details":{"reasoning_tokens":', String(hidden * texts.length),
    '}},"system_fingerprint":"fp_', fingerprintOf(model.name), '"}',
  );
  return outputTokens;
}

const fingerprints = new Map<string, string>();

function fingerprintOf(model: string): string {
  let value = fingerprints.get(model);
  if (value === undefined) {
    let h = 0x811c9dc5;
    for (let i = 0; i < model.length; i++) h = Math.imul(h ^ model.charCodeAt(i), 0x01000193);
    value = (h >>> 0).toString(16).padStart(8, '0') + 'a1';
    fingerprints.set(model, value);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// OpenAI Responses

function renderResponses(spec: ExchangeSpec, context: RenderContext, b: string[], o: string[]): number {
  const { request: r, response: out } = spec;
  const { model, rng } = context;
  const effort = effortOf(r, model);
  let inputTokens = 0;
  let prefix = 0;
  b.push('{"model":', q(model.name));
  if (r.system !== null) {
    b.push(',"instructions":', q(r.system));
    inputTokens += tokensOf(r.system);
    prefix = inputTokens;
  }
  const only = r.messages[0];
  if (r.messages.length === 1 && only !== undefined && only.role === 'user' && !only.toolResults && (only.images === undefined || only.images.length === 0)) {
    b.push(',"input":', q(only.text));
    inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(only.text);
  } else {
    b.push(',"input":[');
    let sep = '';
    for (const turn of r.messages) {
      if (turn.role === 'user') {
        if (turn.toolResults) {
          for (const result of turn.toolResults) {
            b.push(sep, '{"type":"function_call_output","call_id":', q(result.id), ',"output":');
            if (result.images === undefined || result.images.length === 0) {
              b.push(q(result.text), '}');
            } else {
              // Function outputs may be a list of content parts, screenshots included.
              b.push('[');
              if (result.text.length > 0) b.push('{"type":"input_text","text":', q(result.text), '},');
              result.images.forEach((image, index) => {
                if (index > 0) b.push(',');
                inputTokens += pushResponsesImage(b, image);
              });
              b.push(']}');
            }
            inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(result.text);
            sep = ',';
          }
        }
        if (turn.images !== undefined && turn.images.length > 0) {
          b.push(sep, '{"role":"user","content":[{"type":"input_text","text":', q(turn.text), '}');
          for (const image of turn.images) {
            b.push(',');
            inputTokens += pushResponsesImage(b, image);
          }
          b.push(']}');
          inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
          sep = ',';
        } else if (turn.text.length > 0) {
          b.push(sep, '{"role":"user","content":[{"type":"input_text","text":', q(turn.text), '}]}');
          inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
          sep = ',';
        }
        continue;
      }
      if (turn.text.length > 0) {
        b.push(sep, '{"type":"message","role":"assistant","content":[{"type":"output_text","text":', q(turn.text), '}]}');
        inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(turn.text);
        sep = ',';
      }
      for (const call of turn.toolCalls ?? []) {
        b.push(sep, '{"type":"function_call","call_id":', q(call.id), ',"name":', q(call.name), ',"arguments":', q(call.argsJson), '}');
        inputTokens += MESSAGE_OVERHEAD_TOKENS + tokensOf(call.argsJson);
        sep = ',';
      }
    }
    b.push(']');
  }
  const maxTokens = resolveMaxTokens(r, model, null, null);
  if (maxTokens !== null) b.push(',"max_output_tokens":', String(maxTokens));
  const summarised = effort !== null && out.reasoning.length > 0 && rng.chance(0.5);
  if (effort !== null) b.push(',"reasoning":{"effort":"', effort, summarised ? '","summary":"auto"}' : '"}');
  if (!model.reasoning) pushSampling(b, r);
  if (r.jsonOutput) b.push(',"text":{"format":{"type":"json_object"}}');
  b.push(',"store":false');
  if (r.stream) b.push(',"stream":true');
  if (r.endUser !== null) b.push(',"user":', q(r.endUser));
  if (r.tools !== null && r.tools.length > 0) {
    const tools = toolsJsonOf(r.tools, 'responses');
    b.push(',"tools":', tools.json);
    inputTokens += tools.tokens;
    prefix += tools.tokens;
  }
  b.push('}');

  const hidden = hiddenReasoningTokens(out, effort);
  const { texts, truncated } = fitOutput(out.texts.slice(0, 1), maxTokens, hidden);
  const text = texts[0] ?? '';
  const status = truncated ? 'incomplete' : 'completed';
  o.push('{"id":"', rng.chars(32, HEX, 'resp_'), '","object":"response","created_at":', String(Math.floor(context.tsMs / 1000)), ',"status":"', status, '","incomplete_details":');
  o.push(truncated ? '{"reason":"max_output_tokens"}' : 'null', ',"model":', q(snapshotOf(model.name)), ',"output":[');
  let sep = '';
  if (effort !== null) {
    // The summary is the opening of the reasoning: never more tokens than the hidden count.
    const summary = summarised ? sliceText(out.reasoning, 600) : '';
    o.push('{"id":"', rng.chars(24, HEX, 'rs_'), '","type":"reasoning","summary":[');
    if (summary.length > 0) o.push('{"type":"summary_text","text":', q(summary), '}');
    o.push(']}');
    sep = ',';
  }
  let outputTokens = hidden;
  if (text.length > 0) {
    o.push(sep, '{"id":"', rng.chars(24, HEX, 'msg_'), '","type":"message","status":"', status, '","role":"assistant","content":[{"type":"output_text","text":', q(text), ',"annotations":[]}]}');
    outputTokens += tokensOf(text);
    sep = ',';
  }
  for (const call of truncated ? [] : out.toolCalls) {
    o.push(sep, '{"id":"', rng.chars(24, HEX, 'fc_'), '","type":"function_call","status":"completed","call_id":', q(call.id), ',"name":', q(call.name), ',"arguments":', q(call.argsJson), '}');
    outputTokens += tokensOf(call.argsJson);
    sep = ',';
  }
  const cached = context.cacheWarm && prefix >= 1024 ? Math.floor(prefix / 128) * 128 : 0;
  o.push(
    '],"usage":{"input_tokens":', String(inputTokens), ',"input_tokens_details":{"cached_tokens":', String(cached), '},"output_tokens":', String(outputTokens),
    ',"output_tokens_details":{"reasoning_tokens":', String(hidden), '},"total_tokens":', String(inputTokens + outputTokens), '}}',
  );
  return outputTokens;
}

// ---------------------------------------------------------------------------------------------

/**
 * Appends the request body's JSON pieces to `requestParts` and the response body's to
 * `responseParts` (pieces, joined once per line by the caller, so no intermediate strings are
 * built), and returns the output tokens.
 */
export function renderBodyParts(spec: ExchangeSpec, context: RenderContext, requestParts: string[], responseParts: string[]): number {
  switch (context.api) {
    case 'anthropic.messages':
      return renderAnthropic(spec, context, requestParts, responseParts);
    case 'openai.chat_completions':
      return renderChat(spec, context, requestParts, responseParts);
    case 'openai.responses':
      return renderResponses(spec, context, requestParts, responseParts);
  }
}

/** The request and response bodies as JSON text (for tests and one-off use). */
export function renderBodies(spec: ExchangeSpec, context: RenderContext): RenderedBodies {
  const requestParts: string[] = [];
  const responseParts: string[] = [];
  const outputTokens = renderBodyParts(spec, context, requestParts, responseParts);
  return { requestJson: requestParts.join(''), responseJson: responseParts.join(''), outputTokens };
}

const ANTHROPIC_ERRORS: Record<ErrorKind, { status: number; type: string; message: string }> = {
  rate_limited: { status: 429, type: 'rate_limit_error', message: 'This request would exceed the rate limit for your organization of 4,000 output tokens per minute. Please reduce the prompt length or the maximum tokens requested, or try again later.' },
  server_error: { status: 500, type: 'api_error', message: 'Internal server error' },
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
};

/** The status and error body the API returns for a failed request. */
export function renderError(api: ApiKind, kind: ErrorKind, model: string): { status: number; body: Record<string, unknown> } {
  if (api === 'anthropic.messages') {
    const error = ANTHROPIC_ERRORS[kind];
    return { status: error.status, body: { type: 'error', error: { type: error.type, message: error.message } } };
  }
  if (kind === 'rate_limited') {
    return {
      status: 429,
      body: { error: { message: `Rate limit reached for ${model} on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.`, type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    };
  }
  if (kind === 'overloaded') {
    return { status: 503, body: { error: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', param: null, code: null } } };
  }
  return { status: 500, body: { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } } };
}
