import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiKind, Message, NormalizedRequest, NormalizedResponse, ToolCall } from '../../model/exchange.js';
import { API_KINDS } from '../../model/exchange.js';
import { normalizeRequest, normalizeResponse } from './index.js';
import { listFixtures, loadFixture, type ExchangeFixture } from './test-support/exchange-fixture-loader.js';

// Shape checks written out by hand rather than with a schema library so that a failure names
// the exact field that broke the model's contract.

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);
const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

function fail(path: string, value: unknown): never {
  throw new Error(`${path} breaks the model's type: ${JSON.stringify(value)}`);
}

function checkKeys(path: string, value: object, keys: string[], optional: string[] = []): void {
  const actual = Object.keys(value).filter((key) => !optional.includes(key)).sort();
  if (actual.join(',') !== [...keys].sort().join(',')) fail(`${path} keys`, actual);
}

function checkString(path: string, value: unknown): void {
  if (typeof value !== 'string') fail(path, value);
}

function checkNullableString(path: string, value: unknown): void {
  if (value !== null && typeof value !== 'string') fail(path, value);
}

function checkCount(path: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(path, value);
}

function checkNullableCount(path: string, value: unknown): void {
  if (value !== null) checkCount(path, value);
}

function checkNullableNumber(path: string, value: unknown): void {
  if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) fail(path, value);
}

function checkArray(path: string, value: unknown): asserts value is unknown[] {
  if (!Array.isArray(value)) fail(path, value);
}

function checkToolCalls(path: string, calls: unknown): void {
  checkArray(path, calls);
  calls.forEach((call, i) => {
    const c = call as ToolCall;
    checkKeys(`${path}[${i}]`, c, ['id', 'name', 'arguments']);
    checkNullableString(`${path}[${i}].id`, c.id);
    checkString(`${path}[${i}].name`, c.name);
    checkString(`${path}[${i}].arguments`, c.arguments);
  });
}

function checkMessage(path: string, message: Message): void {
  checkKeys(path, message, ['role', 'text', 'toolCalls', 'toolResults', 'imageCount', 'reasoningText'], ['imageKey']);
  if (message.imageKey !== undefined && (!Number.isInteger(message.imageKey) || message.imageKey <= 0 || message.imageCount === 0)) fail(`${path}.imageKey`, message.imageKey);
  if (!ROLES.has(message.role)) fail(`${path}.role`, message.role);
  checkString(`${path}.text`, message.text);
  checkString(`${path}.reasoningText`, message.reasoningText);
  checkCount(`${path}.imageCount`, message.imageCount);
  checkToolCalls(`${path}.toolCalls`, message.toolCalls);
  checkArray(`${path}.toolResults`, message.toolResults);
  message.toolResults.forEach((result, i) => {
    checkKeys(`${path}.toolResults[${i}]`, result, ['toolCallId', 'text', 'isError']);
    checkNullableString(`${path}.toolResults[${i}].toolCallId`, result.toolCallId);
    checkString(`${path}.toolResults[${i}].text`, result.text);
    if (typeof result.isError !== 'boolean') fail(`${path}.toolResults[${i}].isError`, result.isError);
  });
}

function checkRequest(request: NormalizedRequest): void {
  checkKeys('request', request, ['model', 'systemText', 'messages', 'tools', 'sampling', 'imageCount', 'turnCount'], ['imageKey']);
  if (request.imageKey !== undefined && (!Number.isInteger(request.imageKey) || request.imageKey <= 0 || request.imageCount === 0)) fail('request.imageKey', request.imageKey);
  checkNullableString('request.model', request.model);
  checkString('request.systemText', request.systemText);
  checkArray('request.messages', request.messages);
  request.messages.forEach((message, i) => checkMessage(`request.messages[${i}]`, message));
  checkArray('request.tools', request.tools);
  request.tools.forEach((tool, i) => {
    checkKeys(`request.tools[${i}]`, tool, ['name', 'description', 'schema', 'type']);
    checkString(`request.tools[${i}].name`, tool.name);
    checkString(`request.tools[${i}].description`, tool.description);
    checkString(`request.tools[${i}].schema`, tool.schema);
    checkNullableString(`request.tools[${i}].type`, tool.type);
  });
  const s = request.sampling;
  checkKeys('request.sampling', s, ['maxTokens', 'temperature', 'topP', 'n', 'thinkingBudget', 'reasoningEffort', 'stream']);
  checkNullableCount('sampling.maxTokens', s.maxTokens);
  checkNullableNumber('sampling.temperature', s.temperature);
  checkNullableNumber('sampling.topP', s.topP);
  checkNullableCount('sampling.n', s.n);
  checkNullableCount('sampling.thinkingBudget', s.thinkingBudget);
  if (s.reasoningEffort !== null && !EFFORTS.has(s.reasoningEffort)) fail('sampling.reasoningEffort', s.reasoningEffort);
  if (typeof s.stream !== 'boolean') fail('sampling.stream', s.stream);
  checkCount('request.imageCount', request.imageCount);
  checkCount('request.turnCount', request.turnCount);
  const images = request.messages.reduce((sum, m) => sum + m.imageCount, 0);
  if (request.imageCount !== images) fail('request.imageCount (sum over messages)', request.imageCount);
  const users = request.messages.filter((m) => m.role === 'user').length;
  if (request.turnCount > users) fail('request.turnCount (at most the user messages)', request.turnCount);
}

function checkResponse(response: NormalizedResponse): void {
  checkKeys('response', response, ['model', 'outputText', 'reasoningText', 'toolCalls', 'usage', 'stopReason', 'choiceCount', 'error']);
  checkNullableString('response.model', response.model);
  checkString('response.outputText', response.outputText);
  checkString('response.reasoningText', response.reasoningText);
  checkToolCalls('response.toolCalls', response.toolCalls);
  const u = response.usage;
  checkKeys('response.usage', u, ['inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens']);
  checkNullableCount('usage.inputTokens', u.inputTokens);
  checkNullableCount('usage.outputTokens', u.outputTokens);
  checkNullableCount('usage.reasoningTokens', u.reasoningTokens);
  checkNullableCount('usage.cacheReadTokens', u.cacheReadTokens);
  checkNullableString('response.stopReason', response.stopReason);
  checkCount('response.choiceCount', response.choiceCount);
  if (response.error !== null) {
    checkKeys('response.error', response.error, ['type', 'message']);
    checkString('response.error.type', response.error.type);
    if (response.error.type.length === 0) fail('response.error.type', '');
    checkString('response.error.message', response.error.message);
  }
}

function checkExchange(api: ApiKind, request: Record<string, unknown>, response: Record<string, unknown> | null, status: number): void {
  checkRequest(normalizeRequest(api, request));
  const normalized = normalizeResponse(api, response, status);
  if (response === null) {
    if (normalized !== null) fail('response of a null body', normalized);
  } else {
    if (normalized === null) fail('response of a body', normalized);
    checkResponse(normalized);
    if (status >= 400 && normalized.error === null) fail('response.error at an error status', status);
  }
}

// Field names and values the normalisers look for, so that random bodies reach deep into the
// branches instead of being rejected at the first unknown key.
const FIELD_NAMES = [
  'model', 'system', 'messages', 'role', 'content', 'type', 'text', 'tools', 'name', 'description', 'input_schema',
  'parameters', 'function', 'functions', 'tool_calls', 'function_call', 'id', 'call_id', 'tool_use_id', 'tool_call_id',
  'input', 'arguments', 'is_error', 'thinking', 'budget_tokens', 'max_tokens', 'max_completion_tokens',
  'max_output_tokens', 'temperature', 'top_p', 'n', 'stream', 'reasoning', 'effort', 'reasoning_effort',
  'instructions', 'output', 'summary', 'choices', 'message', 'usage', 'error', 'status', 'incomplete_details',
  'reason', 'output_text', 'custom', 'format', 'action', 'code', 'queries', 'stdout', 'input_tokens',
  'output_tokens', 'prompt_tokens', 'completion_tokens', 'cache_read_input_tokens', 'completion_tokens_details',
  'prompt_tokens_details', 'reasoning_tokens', 'cached_tokens', 'input_tokens_details', 'output_tokens_details',
  'finish_reason', 'stop_reason', 'reasoning_content', 'server_label', '__proto__', 'constructor', 'toString', 'length',
];
const FIELD_VALUES = [
  'user', 'assistant', 'system', 'developer', 'tool', 'function', 'text', 'image', 'image_url', 'input_image',
  'input_text', 'output_text', 'computer_screenshot', 'document', 'tool_use', 'tool_result', 'server_tool_use',
  'mcp_tool_use', 'mcp_tool_result', 'web_search_tool_result', 'web_search_tool_result_error', 'thinking',
  'redacted_thinking', 'enabled', 'disabled', 'message', 'reasoning', 'summary_text', 'function_call',
  'function_call_output', 'computer_call', 'computer_call_output', 'web_search_call', 'custom', 'mcp', 'incomplete',
  'completed', 'failed', 'minimal', 'low', 'medium', 'high', 'error', '',
];

const { body: vocabularyBody, value: vocabularyValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 6, depthIdentifier: 'vocabulary' },
    fc.constantFrom(...FIELD_VALUES),
    fc.oneof(fc.integer({ min: -3, max: 70000 }), fc.double(), fc.boolean(), fc.constant(null), fc.string()),
    fc.array(tie('value'), { maxLength: 5, depthIdentifier: 'vocabulary' }),
    tie('body'),
  ),
  body: fc.dictionary(fc.constantFrom(...FIELD_NAMES), tie('value'), { maxKeys: 8, depthIdentifier: 'vocabulary' }),
}));

/** Bodies reach the normalisers through JSON.parse, which makes `__proto__` an own property. */
function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const statusArb = fc.constantFrom(200, 200, 201, 400, 401, 429, 500, 503, 529);
const apiArb = fc.constantFrom(...API_KINDS);

type Path = Array<string | number>;

function subtreePaths(value: unknown, path: Path, into: Path[]): void {
  if (path.length > 0) into.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => subtreePaths(item, [...path, i], into));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) subtreePaths(item, [...path, key], into);
}

/** Replaces the subtree at `path` (or deletes it, for `undefined`), if the path still exists. */
function replaceAt(root: unknown, path: Path, replacement: unknown): void {
  let parent = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const next = parent[path[i]!];
    if (typeof next !== 'object' || next === null) return;
    parent = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (!(last in parent)) return;
  if (replacement === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
}

const FIXTURE_PREFIX: Record<ApiKind, string> = {
  'anthropic.messages': 'anthropic-',
  'openai.chat_completions': 'openai-chat-',
  'openai.responses': 'openai-responses-',
};

interface LoadedFixture {
  api: ApiKind;
  name: string;
  fixture: ExchangeFixture;
  paths: Path[];
}

const fixtures: LoadedFixture[] = API_KINDS.flatMap((api) =>
  listFixtures(FIXTURE_PREFIX[api]).map((name) => {
    const fixture = loadFixture(name);
    const paths: Path[] = [];
    subtreePaths({ request: fixture.request, response: fixture.response }, [], paths);
    // Keep the two bodies themselves objects: the upstream validator guarantees that much.
    return { api, name, fixture, paths: paths.filter((p) => p.length > 1) };
  }),
);

const replacementArb = fc.oneof(fc.jsonValue({ maxDepth: 3 }), vocabularyValue, fc.constant(undefined));

describe('normalizeRequest and normalizeResponse', () => {
  it('have a fixture for every API', () => {
    for (const api of API_KINDS) expect(fixtures.filter((f) => f.api === api).length).toBeGreaterThan(5);
  });

  it('read every fixture into the model types', () => {
    for (const { api, fixture } of fixtures) checkExchange(api, fixture.request, fixture.response, fixture.status);
  });

  it('never throw and keep the model types for arbitrary JSON objects', () => {
    fc.assert(
      fc.property(
        apiArb,
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: null }),
        statusArb,
        (api, request, response, status) => checkExchange(api, viaJson(request), response === null ? null : viaJson(response), status),
      ),
      { numRuns: 300 },
    );
  });

  it('never throw for objects holding values JSON cannot (undefined, NaN, -0, null prototypes)', () => {
    fc.assert(
      fc.property(apiArb, fc.object({ maxDepth: 4 }), fc.object({ maxDepth: 4 }), statusArb, (api, request, response, status) =>
        checkExchange(api, request, response, status),
      ),
      { numRuns: 300 },
    );
  });

  it('never throw for bodies built from the field names and values the APIs use', () => {
    fc.assert(
      fc.property(apiArb, vocabularyBody, fc.option(vocabularyBody, { nil: null }), statusArb, (api, request, response, status) =>
        checkExchange(api, viaJson(request), response === null ? null : viaJson(response), status),
      ),
      { numRuns: 1000 },
    );
  });

  it('never throw when any subtree of a realistic exchange is replaced by arbitrary JSON', () => {
    // Drawn as a fixture name and paths, so that a counterexample reads as the edit that broke it.
    const mutationArb = fc.integer({ min: 0, max: fixtures.length - 1 }).chain((index) => {
      const { name, paths } = fixtures[index]!;
      const edit = fc.record({ path: fc.constantFrom(...paths), replacement: replacementArb });
      return fc.record({ index: fc.constant(index), name: fc.constant(name), edits: fc.array(edit, { minLength: 1, maxLength: 4 }), status: statusArb });
    });
    fc.assert(
      fc.property(mutationArb, ({ index, edits, status }) => {
        const { api, fixture } = fixtures[index]!;
        const exchange = structuredClone({ request: fixture.request, response: fixture.response });
        for (const { path, replacement } of edits) replaceAt(exchange, path, replacement);
        checkExchange(api, exchange.request, exchange.response, status);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives an empty request and no response for an API it does not know, without throwing', () => {
    const api = 'google.generate_content' as ApiKind;
    const request = normalizeRequest(api, { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
    expect(request).toMatchObject({ model: null, systemText: '', messages: [], tools: [], imageCount: 0, turnCount: 0 });
    expect(normalizeResponse(api, {}, 500)!.error).toEqual({ type: 'http_500', message: '' });
    expect(normalizeResponse(api, null, 200)).toBeNull();
  });
});
