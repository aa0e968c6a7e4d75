import { describe, expect, it } from 'vitest';
import { normalizeRequest, normalizeResponse } from './index.js';
import { loadFixture } from './test-support/exchange-fixture-loader.js';

const API = 'openai.chat_completions';

function load(name: string) {
  const fixture = loadFixture(name);
  return {
    request: normalizeRequest(API, fixture.request),
    response: normalizeResponse(API, fixture.response, fixture.status),
    fixture,
  };
}

describe('OpenAI Chat Completions normaliser', () => {
  it('reads a plain single-turn exchange with a system message', () => {
    const { request, response } = load('openai-chat-single-turn');
    expect(request).toEqual({
      model: 'gpt-4o-mini',
      systemText: 'You classify customer e-mails as billing, technical or other. Reply with the label only.',
      messages: [
        {
          role: 'user',
          text: 'Hi, I was charged twice for my March invoice. Can you refund one of the payments?',
          toolCalls: [],
          toolResults: [],
          imageCount: 0,
          reasoningText: '',
        },
      ],
      tools: [],
      sampling: { maxTokens: 5, temperature: 0, topP: null, n: null, thinkingBudget: null, reasoningEffort: null, stream: false },
      imageCount: 0,
      turnCount: 1,
    });
    expect(response).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      outputText: 'billing',
      reasoningText: '',
      toolCalls: [],
      usage: { inputTokens: 46, outputTokens: 1, reasoningTokens: 0, cacheReadTokens: 0 },
      stopReason: 'stop',
      choiceCount: 1,
      error: null,
    });
  });

  it('moves developer and system messages into systemText and keeps the conversation', () => {
    const { request, response } = load('openai-chat-multi-turn-developer');
    expect(request.systemText).toBe(
      'You are a Socratic maths tutor. Never give the final answer; ask one guiding question at a time.\n\n' +
        'The student is in year 9.\nUse metric units.',
    );
    expect(request.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'How do I find the area of a triangle with sides 5, 5 and 6?'],
      ['assistant', 'What happens if you draw a line from the top vertex straight down to the side of length 6?'],
      ['user', 'It splits it into two right triangles with a base of 3.'],
    ]);
    expect(request.turnCount).toBe(2);
    expect(request.sampling.temperature).toBe(0.4);
    expect(response!.outputText).toBe('Exactly. Now, which theorem lets you find the height of one of those right triangles?');
  });

  it('reads function tools, assistant tool calls and tool results of a follow-up turn', () => {
    const { request, response, fixture } = load('openai-chat-tool-calls');
    const rawTools = fixture.request.tools as Array<{ function: { parameters: unknown } }>;
    expect(request.tools).toEqual([
      {
        name: 'get_order_status',
        description: 'Look up the fulfilment status of an order.',
        schema: JSON.stringify(rawTools[0]!.function.parameters),
        type: null,
      },
      {
        name: 'notify_when_in_stock',
        description: 'Subscribe the customer to a back-in-stock e-mail for an order.',
        schema: JSON.stringify(rawTools[1]!.function.parameters),
        type: null,
      },
    ]);
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      text: '',
      toolCalls: [
        { id: 'call_Jk3vB8nQ2rXw5tYc9LmP4dZe', name: 'get_order_status', arguments: '{"order_id":"10452"}' },
        { id: 'call_Rt7mW1kP6sXq3vNb8YcL2hFa', name: 'get_order_status', arguments: '{"order_id":"10453"}' },
      ],
      toolResults: [],
      imageCount: 0,
      reasoningText: '',
    });
    expect(request.messages[2]).toEqual({
      role: 'tool',
      text: '',
      toolCalls: [],
      toolResults: [
        {
          toolCallId: 'call_Jk3vB8nQ2rXw5tYc9LmP4dZe',
          text: '{"order_id":"10452","status":"shipped","carrier":"DHL","tracking":"JD014600003828"}',
          isError: false,
        },
      ],
      imageCount: 0,
      reasoningText: '',
    });
    expect(request.messages[3]!.toolResults).toEqual([
      { toolCallId: 'call_Rt7mW1kP6sXq3vNb8YcL2hFa', text: '{"order_id":"10453","status":"awaiting_stock"}', isError: false },
    ]);
    expect(request.turnCount).toBe(1);

    expect(response).toMatchObject({
      outputText: '',
      toolCalls: [{ id: 'call_Wb5nL8qT3vXk1rYm6PcZ9dHs', name: 'notify_when_in_stock', arguments: '{"order_id":"10453"}' }],
      stopReason: 'tool_calls',
      usage: { inputTokens: 238, outputTokens: 19, reasoningTokens: 0, cacheReadTokens: 0 },
    });
  });

  it('reads legacy functions, function_call and function-role results', () => {
    const { request, response } = load('openai-chat-legacy-functions');
    expect(request.tools.map((t) => [t.name, t.type])).toEqual([
      ['get_current_weather', null],
      ['get_forecast', null],
    ]);
    expect(request.tools[0]!.schema).toContain('"enum":["celsius","fahrenheit"]');
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(request.messages[1]!.toolCalls).toEqual([{ id: null, name: 'get_current_weather', arguments: '{\n  "location": "Boston, MA"\n}' }]);
    expect(request.messages[2]!.toolResults).toEqual([
      { toolCallId: null, text: '{"temperature": "22", "unit": "celsius", "description": "Sunny"}', isError: false },
    ]);
    expect(response).toMatchObject({
      toolCalls: [{ id: null, name: 'get_forecast', arguments: '{\n  "location": "Chicago, IL"\n}' }],
      stopReason: 'function_call',
      usage: { inputTokens: 151, outputTokens: 18, reasoningTokens: null, cacheReadTokens: null },
    });
  });

  it('reads custom (free-form) tools and their calls', () => {
    const request = normalizeRequest(API, {
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'Sum the first 100 primes.' }],
      tools: [{ type: 'custom', custom: { name: 'code_exec', description: 'Executes arbitrary Python code.', format: { type: 'text' } } }],
    });
    expect(request.tools).toEqual([{ name: 'code_exec', description: 'Executes arbitrary Python code.', schema: '{"type":"text"}', type: null }]);
    const response = normalizeResponse(
      API,
      {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'call_1', type: 'custom', custom: { name: 'code_exec', input: 'print(sum(primes[:100]))' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
      },
      200,
    );
    expect(response!.toolCalls).toEqual([{ id: 'call_1', name: 'code_exec', arguments: 'print(sum(primes[:100]))' }]);
  });

  it('counts image_url parts but not files, and joins text parts with a newline', () => {
    const { request } = load('openai-chat-images');
    expect(request.messages[0]).toEqual({
      role: 'user',
      text: 'Transcribe the handwritten notes in both photos.\nKeep the original line breaks.',
      toolCalls: [],
      toolResults: [],
      imageCount: 2,
      reasoningText: '',
      imageKey: expect.any(Number),
    });
    expect(request.imageCount).toBe(2);
    expect(request.turnCount).toBe(1);
    expect(request.sampling.maxTokens).toBe(1500);
  });

  it('reads only the first choice when n > 1 but counts all choices', () => {
    const { request, response } = load('openai-chat-n-choices');
    expect(request.sampling).toEqual({
      maxTokens: 200,
      temperature: 1.2,
      topP: 0.95,
      n: 3,
      thinkingBudget: null,
      reasoningEffort: null,
      stream: false,
    });
    expect(response).toMatchObject({
      outputText: 'What is the mechanical principle behind pin tumbler locks?',
      choiceCount: 3,
      stopReason: 'stop',
      usage: { inputTokens: 36, outputTokens: 37, reasoningTokens: 0, cacheReadTokens: 0 },
    });
  });

  it('reads reasoning effort, max_completion_tokens and reasoning and cached token counts', () => {
    const { request, response } = load('openai-chat-reasoning-effort');
    expect(request.systemText).toBe('Formatting re-enabled\nYou are an olympiad coach. Show the full derivation.');
    expect(request.sampling).toMatchObject({ maxTokens: 25000, reasoningEffort: 'high', temperature: null });
    expect(response).toMatchObject({
      model: 'o4-mini-2025-04-16',
      reasoningText: '',
      usage: { inputTokens: 1187, outputTokens: 2214, reasoningTokens: 1920, cacheReadTokens: 1024 },
    });
  });

  it('prefers max_completion_tokens over max_tokens and ignores efforts outside the scale', () => {
    const request = normalizeRequest(API, { messages: [], max_tokens: 100, max_completion_tokens: 400, reasoning_effort: 'none' });
    expect(request.sampling.maxTokens).toBe(400);
    expect(request.sampling.reasoningEffort).toBeNull();
    expect(normalizeRequest(API, { messages: [], reasoning_effort: 'minimal' }).sampling.reasoningEffort).toBe('minimal');
  });

  it('reads reasoning_content from OpenAI-compatible servers', () => {
    const { response } = load('openai-chat-compatible-reasoning-content');
    expect(response).toMatchObject({
      outputText: '9.8 is greater than 9.11.',
      reasoningText: 'Compare the tenths first: 9.8 has 8 tenths, 9.11 has 1 tenth. So 9.8 is larger.',
      usage: { inputTokens: 18, outputTokens: 96, reasoningTokens: 81, cacheReadTokens: 0 },
    });
    const viaReasoning = normalizeResponse(API, { choices: [{ message: { content: 'Yes.', reasoning: 'Checked both cases.' } }] }, 200);
    expect(viaReasoning!.reasoningText).toBe('Checked both cases.');
  });

  it('reads an assembled streamed response cut at the token limit', () => {
    const { request, response } = load('openai-chat-streamed');
    expect(request.sampling).toMatchObject({ stream: true, maxTokens: 256 });
    expect(response).toMatchObject({
      model: 'gpt-4.1-mini-2025-04-14',
      stopReason: 'length',
      choiceCount: 1,
      usage: { inputTokens: 40, outputTokens: 256, reasoningTokens: 0, cacheReadTokens: 0 },
      error: null,
    });
    expect(response!.outputText).toMatch(/^import pytest\nfrom slug import slugify\n/);
  });

  it.each([
    ['openai-chat-error-invalid-request', 'invalid_request_error', /^This model's maximum context length is 128000 tokens/],
    // Rate-limit errors name the exhausted limit in `type`; `code` is rate_limit_exceeded.
    ['openai-chat-error-rate-limit', 'tokens', /^Rate limit reached for gpt-4o/],
    ['openai-chat-error-overloaded', 'server_error', /^The engine is currently overloaded/],
  ])('reads the error of %s', (name, type, message) => {
    const { response } = load(name);
    expect(response).toEqual({
      model: null,
      outputText: '',
      reasoningText: '',
      toolCalls: [],
      usage: { inputTokens: null, outputTokens: null, reasoningTokens: null, cacheReadTokens: null },
      stopReason: null,
      choiceCount: 0,
      error: { type, message: expect.stringMatching(message) as string },
    });
  });

  it('falls back to the error code, then to the status, when the error has no type', () => {
    expect(normalizeResponse(API, { error: { message: 'Quota exceeded.', code: 'insufficient_quota' } }, 429)!.error).toEqual({
      type: 'insufficient_quota',
      message: 'Quota exceeded.',
    });
    expect(normalizeResponse(API, { error: { message: 'Bad gateway' } }, 502)!.error).toEqual({ type: 'http_502', message: 'Bad gateway' });
  });
});
