import { describe, expect, it } from 'vitest';
import { normalizeRequest, normalizeResponse } from './index.js';
import { loadFixture } from './test-support/exchange-fixture-loader.js';

const API = 'openai.responses';

function load(name: string) {
  const fixture = loadFixture(name);
  return {
    request: normalizeRequest(API, fixture.request),
    response: normalizeResponse(API, fixture.response, fixture.status),
    fixture,
  };
}

describe('OpenAI Responses normaliser', () => {
  it('reads input given as a bare string, with instructions as the system text', () => {
    const { request, response } = load('openai-responses-bare-string');
    expect(request).toEqual({
      model: 'gpt-4.1',
      systemText: 'You are a poet who only writes haiku.',
      messages: [
        { role: 'user', text: 'Write a haiku about a lighthouse in winter.', toolCalls: [], toolResults: [], imageCount: 0, reasoningText: '' },
      ],
      tools: [],
      sampling: { maxTokens: null, temperature: null, topP: null, n: null, thinkingBudget: null, reasoningEffort: null, stream: false },
      imageCount: 0,
      turnCount: 1,
    });
    expect(response).toEqual({
      model: 'gpt-4.1-2025-04-14',
      outputText: 'Frozen gulls stand still\nthe beam sweeps an empty sea\nice sings on the glass',
      reasoningText: '',
      toolCalls: [],
      usage: { inputTokens: 29, outputTokens: 22, reasoningTokens: 0, cacheReadTokens: 0 },
      stopReason: 'completed',
      choiceCount: 1,
      error: null,
    });
  });

  it('prefers the output_text convenience field when the logged body has it', () => {
    const { fixture } = load('openai-responses-bare-string');
    const response = normalizeResponse(API, { ...fixture.response, output_text: 'as the SDK joined it' }, 200);
    expect(response!.outputText).toBe('as the SDK joined it');
  });

  it('reads a multi-turn input of easy and typed messages, with system and developer items as system text', () => {
    const { request, response } = load('openai-responses-multi-turn');
    expect(request.systemText).toBe('Answer as a travel agent for rail journeys in Europe.\n\nToday is 2025-06-02.');
    expect(request.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'I want to go from Paris to Milan by train.'],
      ['assistant', 'The direct TGV via Turin takes about 7 hours. Would you like a morning or an afternoon departure?'],
      ['user', 'Morning, and I have a bike.'],
    ]);
    expect(request.turnCount).toBe(2);
    expect(request.sampling).toMatchObject({ maxTokens: 500, temperature: 0.3 });
    // Output text parts are joined with nothing, as the SDKs build `output_text`.
    expect(response!.outputText).toBe(
      'Take the 06:28 TGV from Paris Gare de Lyon. Bikes must be dismantled and packed in a cover of at most 120 x 90 cm.',
    );
  });

  it('reads reasoning effort, reasoning items and function calls sent back, and reasoning summaries returned', () => {
    const { request, response, fixture } = load('openai-responses-reasoning');
    expect(request.sampling).toMatchObject({ reasoningEffort: 'high', maxTokens: 40000 });
    const rawTools = fixture.request.tools as Array<Record<string, unknown>>;
    expect(request.tools).toEqual([
      {
        name: 'get_exchange_rate',
        description: 'Get the latest exchange rate between two currencies.',
        schema: JSON.stringify(rawTools[0]!.parameters),
        type: null,
      },
    ]);
    expect(request.messages).toEqual([
      {
        role: 'user',
        text: 'I earn 4,200 EUR a month. How much is that in yen after a 1.5% conversion fee? Show your reasoning.',
        toolCalls: [],
        toolResults: [],
        imageCount: 0,
        reasoningText: '',
      },
      {
        role: 'assistant',
        text: '',
        toolCalls: [{ id: 'call_4yRAy7cDgo2uYq0KUv9xYw8z', name: 'get_exchange_rate', arguments: '{"base":"EUR","quote":"JPY"}' }],
        toolResults: [],
        imageCount: 0,
        reasoningText: '**Fetching the EUR/JPY rate**\n\nI need the current rate before applying the fee.',
      },
      {
        role: 'tool',
        text: '',
        toolCalls: [],
        toolResults: [{ toolCallId: 'call_4yRAy7cDgo2uYq0KUv9xYw8z', text: '{"rate": 162.35, "as_of": "2025-05-11T09:00:00Z"}', isError: false }],
        imageCount: 0,
        reasoningText: '',
      },
    ]);
    expect(request.turnCount).toBe(1);

    expect(response).toEqual({
      model: 'o4-mini-2025-04-16',
      outputText: 'At 162.35 JPY per EUR, 4,200 EUR is 681,870 JPY. The 1.5% fee is 10,228 JPY, so you receive about 671,642 JPY.',
      reasoningText:
        '**Applying the rate**\n\n4,200 x 162.35 = 681,870 yen before the fee.\n' +
        '**Subtracting the fee**\n\n1.5% of 681,870 is 10,228.05, leaving 671,641.95 yen.',
      toolCalls: [],
      usage: { inputTokens: 412, outputTokens: 1350, reasoningTokens: 1216, cacheReadTokens: 256 },
      stopReason: 'completed',
      choiceCount: 1,
      error: null,
    });
  });

  it('reads built-in tools with their type and built-in calls named by item type', () => {
    const { request, response } = load('openai-responses-built-in-tools');
    expect(request.tools.map((t) => [t.name, t.type, t.schema === ''])).toEqual([
      ['create_ticket', null, false],
      ['web_search_preview', 'web_search_preview', true],
      ['file_search', 'file_search', true],
      ['code_interpreter', 'code_interpreter', true],
      ['image_generation', 'image_generation', true],
      ['deepwiki', 'mcp', true],
    ]);
    expect(response).toMatchObject({
      outputText: "The status page still lists the login outage as ongoing. I'm opening a ticket.",
      toolCalls: [
        {
          id: 'ws_68a1f0d5a7b48191a9c1e3f5b7d9f1a30c1e3a5b7d9f1e3a',
          name: 'web_search_call',
          arguments: '{"type":"search","query":"status.example.com login outage"}',
        },
        {
          id: 'call_Nq8vT3kW5rXb1yLm7PcZ2dHs',
          name: 'create_ticket',
          arguments: '{"title":"Login outage still ongoing","priority":"high"}',
        },
      ],
      stopReason: 'completed',
    });
  });

  it('reads a computer-use loop: screenshots count as images, the screenshot result is no new turn', () => {
    const { request, response } = load('openai-responses-computer-use');
    expect(request.tools).toEqual([{ name: 'computer_use_preview', description: '', schema: '', type: 'computer_use_preview' }]);
    expect(request.sampling.reasoningEffort).toBeNull();
    expect(request.messages).toEqual([
      {
        role: 'user',
        text: 'Find the cheapest flight from Oslo to Rome next Friday on the open airline site.',
        toolCalls: [],
        toolResults: [],
        imageCount: 1,
        reasoningText: '',
        imageKey: expect.any(Number),
      },
      {
        role: 'assistant',
        text: '',
        toolCalls: [{ id: 'call_zw3QJkd5GEWa3bE9XnCnL0pr', name: 'computer_call', arguments: '{"type":"click","button":"left","x":156,"y":50}' }],
        toolResults: [],
        imageCount: 0,
        reasoningText: 'Clicking the departure field to enter Oslo.',
      },
      {
        role: 'tool',
        text: '',
        toolCalls: [],
        toolResults: [{ toolCallId: 'call_zw3QJkd5GEWa3bE9XnCnL0pr', text: '', isError: false }],
        imageCount: 1,
        reasoningText: '',
        imageKey: expect.any(Number),
      },
    ]);
    expect(request.imageCount).toBe(2);
    expect(request.turnCount).toBe(1);
    expect(response).toMatchObject({
      outputText: '',
      reasoningText: 'Typing the departure city.',
      toolCalls: [{ id: 'call_Hk2vR9nT4sXq7yLm1PcZ5dWa', name: 'computer_call', arguments: '{"type":"type","text":"Oslo"}' }],
      usage: { inputTokens: 1593, outputTokens: 38, reasoningTokens: 0, cacheReadTokens: 0 },
    });
  });

  it('counts input_image parts but not input files', () => {
    const { request } = load('openai-responses-images');
    expect(request.messages).toHaveLength(1);
    expect(request.messages[0]).toMatchObject({
      role: 'user',
      text: 'Which of these two dashboards matches the numbers in the attached CSV export?',
      imageCount: 2,
    });
    expect(request.imageCount).toBe(2);
  });

  it('gathers the items of one model turn into one assistant message and each tool output into a tool message', () => {
    const request = normalizeRequest(API, {
      input: [
        { role: 'user', content: 'Compare the weather in Oslo and Rome.' },
        { type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: 'Two lookups needed.' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking both cities.' }] },
        { type: 'function_call', call_id: 'call_a', name: 'weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call', call_id: 'call_b', name: 'weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_a', output: '4°C' },
        {
          type: 'function_call_output',
          call_id: 'call_b',
          output: [
            { type: 'input_text', text: '19°C' },
            { type: 'input_image', image_url: 'https://example.com/rome-radar.png' },
          ],
        },
        { type: 'item_reference', id: 'msg_123' },
        { role: 'user', content: [{ type: 'input_text', text: 'And tomorrow?' }] },
      ],
    });
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user']);
    expect(request.messages[1]).toMatchObject({
      text: 'Checking both cities.',
      reasoningText: 'Two lookups needed.',
      toolCalls: [
        { id: 'call_a', name: 'weather', arguments: '{"city":"Oslo"}' },
        { id: 'call_b', name: 'weather', arguments: '{"city":"Rome"}' },
      ],
    });
    expect(request.messages[3]).toMatchObject({ imageCount: 1, toolResults: [{ toolCallId: 'call_b', text: '19°C', isError: false }] });
    expect(request.turnCount).toBe(2);
    expect(request.imageCount).toBe(1);
  });

  it('reads an assembled streamed response that stopped at max_output_tokens', () => {
    const { request, response } = load('openai-responses-streamed-incomplete');
    expect(request.sampling).toEqual({
      maxTokens: 2000,
      temperature: null,
      topP: null,
      n: null,
      thinkingBudget: null,
      reasoningEffort: 'medium',
      stream: true,
    });
    expect(response).toMatchObject({
      model: 'o3-2025-04-16',
      stopReason: 'max_output_tokens',
      reasoningText: "**Setting up the hedged portfolio**\n\nI'll start from geometric Brownian motion and Ito's lemma.",
      usage: { inputTokens: 24, outputTokens: 2000, reasoningTokens: 1856, cacheReadTokens: 0 },
      error: null,
    });
    expect(response!.outputText).toMatch(/^Assumption 1: the stock price follows/);
  });

  it('reads the error of a response that failed after the stream had started (HTTP 200)', () => {
    const { request, response } = load('openai-responses-failed-stream');
    expect(request.sampling.reasoningEffort).toBe('minimal');
    expect(response).toMatchObject({
      outputText: '',
      stopReason: 'failed',
      usage: { inputTokens: null, outputTokens: null, reasoningTokens: null, cacheReadTokens: null },
      error: { type: 'server_error', message: expect.stringMatching(/^An error occurred while processing your request/) as string },
    });
  });

  it('reads a function tool nested the Chat Completions way in a request the API rejected', () => {
    const { request, response } = load('openai-responses-error-invalid-request');
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the weather for a city.',
        schema: '{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}',
        type: null,
      },
    ]);
    expect(response!.error).toEqual({ type: 'invalid_request_error', message: "Missing required parameter: 'tools[0].name'." });
  });

  it.each([
    ['openai-responses-error-rate-limit', 'requests', /^Rate limit reached for o3/],
    ['openai-responses-error-overloaded', 'server_error', /^The engine is currently overloaded/],
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

  it('keeps reasoning efforts outside the model scale as null', () => {
    expect(normalizeRequest(API, { input: 'x', reasoning: { effort: 'xhigh' } }).sampling.reasoningEffort).toBeNull();
    expect(normalizeRequest(API, { input: 'x', reasoning: { effort: 'low' } }).sampling.reasoningEffort).toBe('low');
  });
});
