import { describe, expect, it } from 'vitest';
import { normalizeRequest, normalizeResponse } from './index.js';
import { loadFixture } from './test-support/exchange-fixture-loader.js';

const API = 'anthropic.messages';
const PNG_TOOL_RESULT_ID = 'toolu_01B7kXbQ2rT5e9pMZ3hWfN4c';

function load(name: string) {
  const fixture = loadFixture(name);
  return {
    request: normalizeRequest(API, fixture.request),
    response: normalizeResponse(API, fixture.response, fixture.status),
    fixture,
  };
}

describe('Anthropic Messages normaliser', () => {
  it('reads a plain single-turn exchange with a string system prompt', () => {
    const { request, response } = load('anthropic-single-turn');
    expect(request).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      systemText: 'You are a concise assistant for a freight forwarding company. Answer in plain English.',
      messages: [
        {
          role: 'user',
          text: 'What is the difference between FOB and CIF shipping terms?',
          toolCalls: [],
          toolResults: [],
          imageCount: 0,
          reasoningText: '',
        },
      ],
      tools: [],
      sampling: { maxTokens: 1024, temperature: 0.7, topP: null, n: null, thinkingBudget: null, reasoningEffort: null, stream: false },
      imageCount: 0,
      turnCount: 1,
    });
    expect(response).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      outputText: expect.stringMatching(/^Under FOB \(Free On Board\).*loaded\.$/s) as string,
      reasoningText: '',
      toolCalls: [],
      usage: { inputTokens: 41, outputTokens: 86, reasoningTokens: null, cacheReadTokens: 0 },
      stopReason: 'end_turn',
      choiceCount: 1,
      error: null,
    });
  });

  it('joins system text blocks with a blank line and counts user turns across a conversation', () => {
    const { request, response } = load('anthropic-multi-turn-system-blocks');
    expect(request.systemText).toBe(
      'You are a senior tax adviser. Cite the relevant section of the code for every claim.\n\n' +
        'Reference material:\nSection 179 allows businesses to deduct the full purchase price of qualifying equipment in the year it is placed in service, up to an annual limit.',
    );
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(request.messages[2]!.text).toBe(
      'It was delivered on December 28 but we only started using it in January.\nDoes that change the answer?',
    );
    expect(request.turnCount).toBe(2);
    expect(request.sampling).toMatchObject({ maxTokens: 2048, temperature: null, topP: 0.9 });
    expect(response!.usage).toEqual({ inputTokens: 27, outputTokens: 58, reasoningTokens: null, cacheReadTokens: 1864 });
  });

  it('reads client and server tool definitions, tool use and tool results of a follow-up turn', () => {
    const { request, response, fixture } = load('anthropic-tool-use');
    const rawTools = fixture.request.tools as Array<Record<string, unknown>>;
    expect(request.tools).toEqual([
      {
        name: 'run_tests',
        description: "Run the project's test suite for a path and return the failing tests.",
        schema: JSON.stringify(rawTools[0]!.input_schema),
        type: null,
      },
      { name: 'bash', description: '', schema: '', type: 'bash_20250124' },
      { name: 'str_replace_based_edit_tool', description: '', schema: '', type: 'text_editor_20250728' },
      { name: 'web_search', description: '', schema: '', type: 'web_search_20250305' },
      { name: 'computer', description: '', schema: '', type: 'computer_20250124' },
      { name: 'code_execution', description: '', schema: '', type: 'code_execution_20250522' },
    ]);

    const [first, assistant, results, secondAssistant, errorResult] = request.messages;
    expect(request.messages).toHaveLength(5);
    expect(first!.text).toBe('The CI job for the parser package is failing. Find out why and fix it.');
    expect(assistant).toEqual({
      role: 'assistant',
      text: "I'll run the parser tests first and look at the CI dashboard.",
      toolCalls: [
        { id: 'toolu_01A09q90qw90lq917835lq9', name: 'run_tests', arguments: '{"path":"packages/parser"}' },
        { id: PNG_TOOL_RESULT_ID, name: 'computer', arguments: '{"action":"screenshot"}' },
      ],
      toolResults: [],
      imageCount: 0,
      reasoningText: '',
    });
    expect(results).toEqual({
      role: 'user',
      text: '',
      toolCalls: [],
      toolResults: [
        {
          toolCallId: 'toolu_01A09q90qw90lq917835lq9',
          text: 'FAILED tests/test_dates.py::test_iso_week - AssertionError: assert 52 == 53',
          isError: false,
        },
        { toolCallId: PNG_TOOL_RESULT_ID, text: '', isError: false },
      ],
      imageCount: 1,
      reasoningText: '',
      imageKey: expect.any(Number),
    });
    expect(secondAssistant!.toolCalls).toEqual([
      { id: 'toolu_01C3nVq8sLm2xR6tYb9KdE1f', name: 'bash', arguments: '{"command":"cat packages/parser/src/dates.py"}' },
    ]);
    expect(errorResult!.toolResults).toEqual([
      { toolCallId: 'toolu_01C3nVq8sLm2xR6tYb9KdE1f', text: 'cat: packages/parser/src/dates.py: No such file or directory', isError: true },
    ]);
    // Only the opening message is the user speaking; the other user messages carry tool results.
    expect(request.turnCount).toBe(1);
    expect(request.imageCount).toBe(1);

    expect(response).toMatchObject({
      outputText: 'The module is not under src/. Let me open the package layout.',
      toolCalls: [
        { id: 'toolu_01D4pWr7uKn3yS8zAc0LfG2h', name: 'str_replace_based_edit_tool', arguments: '{"command":"view","path":"/repo/packages/parser"}' },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 5234, outputTokens: 94, reasoningTokens: null, cacheReadTokens: 0 },
    });
  });

  it('names a server tool after its type when it has no name, and treats type custom as a client tool', () => {
    const request = normalizeRequest(API, {
      tools: [
        { type: 'web_search_20250305', max_uses: 2 },
        { type: 'custom', name: 'lookup', description: 'Look up a SKU.', input_schema: { type: 'object' } },
      ],
      messages: [],
    });
    expect(request.tools).toEqual([
      { name: 'web_search_20250305', description: '', schema: '', type: 'web_search_20250305' },
      { name: 'lookup', description: 'Look up a SKU.', schema: '{"type":"object"}', type: null },
    ]);
  });

  it('reads the thinking budget, thinking sent back, and thinking in the response without redacted blocks', () => {
    const { request, response } = load('anthropic-extended-thinking');
    expect(request.sampling).toMatchObject({ maxTokens: 20000, thinkingBudget: 16000, reasoningEffort: null });
    const assistant = request.messages[1]!;
    expect(assistant.reasoningText).toBe(
      'The price is the present value of the coupons plus the face value. Coupons are 40 a year. I need 40/1.05 + 40/1.05^2 + 1040/1.05^3; let me compute it exactly with the calculator.',
    );
    expect(assistant.text).toBe('');
    expect(assistant.toolCalls).toEqual([
      { id: 'toolu_01Kq8cW3vNr5tY2xMb7LdH9a', name: 'calculator', arguments: '{"expression":"40/1.05 + 40/1.05**2 + 1040/1.05**3"}' },
    ]);
    expect(request.messages[2]!.toolResults).toEqual([{ toolCallId: 'toolu_01Kq8cW3vNr5tY2xMb7LdH9a', text: '972.7675197062', isError: false }]);
    expect(request.turnCount).toBe(1);

    expect(response!.reasoningText).toBe(
      'The calculator gives 972.77. The bond trades below par because its coupon (4%) is below the market yield (5%). I should lay out each discounted cash flow.',
    );
    expect(response!.outputText).toBe(
      'Step 1: the cash flows are 40, 40 and 1,040.\nStep 2: discount each at 5%: 38.10 + 36.28 + 898.39.\nStep 3: add them: the price is about 972.77, below par because the coupon is below the yield.',
    );
    expect(response!.usage).toEqual({ inputTokens: 612, outputTokens: 431, reasoningTokens: null, cacheReadTokens: 0 });
  });

  it('gives no thinking budget when thinking is disabled', () => {
    const request = normalizeRequest(API, { max_tokens: 100, thinking: { type: 'disabled' }, messages: [] });
    expect(request.sampling.thinkingBudget).toBeNull();
  });

  it('counts image blocks but not documents', () => {
    const { request, response } = load('anthropic-images');
    expect(request.messages).toHaveLength(1);
    expect(request.messages[0]).toMatchObject({
      role: 'user',
      text: 'Do the ants in these two photos match the species described in the report?',
      imageCount: 2,
    });
    expect(request.imageCount).toBe(2);
    expect(request.turnCount).toBe(1);
    expect(response!.outputText).toMatch(/^The second photo shows a Camponotus carpenter ant/);
  });

  it('joins citation-split text blocks without a separator and reads server tool use as a tool call', () => {
    const { request, response } = load('anthropic-web-search');
    expect(request.tools).toEqual([{ name: 'web_search', description: '', schema: '', type: 'web_search_20250305' }]);
    expect(response!.outputText).toBe(
      "I'll look up the latest ECB decision.\nAccording to the ECB's latest press release, the deposit facility rate stands at 2.00%.",
    );
    expect(response!.toolCalls).toEqual([
      { id: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE', name: 'web_search', arguments: '{"query":"ECB deposit facility rate latest decision"}' },
    ]);
    expect(response!.usage).toEqual({ inputTokens: 6039, outputTokens: 173, reasoningTokens: null, cacheReadTokens: 0 });
  });

  it('keeps server tool results found in an assistant turn the client sends back', () => {
    const { fixture } = load('anthropic-web-search');
    const request = normalizeRequest(API, {
      messages: [
        { role: 'user', content: 'What is the current ECB deposit facility rate?' },
        { role: 'assistant', content: fixture.response!.content },
        {
          role: 'assistant',
          content: [
            {
              type: 'web_search_tool_result',
              tool_use_id: 'srvtoolu_02',
              content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' },
            },
          ],
        },
      ],
    });
    const assistant = request.messages[1]!;
    expect(assistant.toolCalls.map((c) => c.name)).toEqual(['web_search']);
    expect(assistant.toolResults).toEqual([{ toolCallId: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE', text: '', isError: false }]);
    expect(assistant.text).toBe(
      "I'll look up the latest ECB decision.\nAccording to the ECB's latest press release, \nthe deposit facility rate stands at 2.00%\n.",
    );
    expect(request.messages[2]!.toolResults).toEqual([{ toolCallId: 'srvtoolu_02', text: '', isError: true }]);
  });

  it('reads an assembled streamed response like a plain one', () => {
    const { request, response } = load('anthropic-streamed');
    expect(request.sampling).toEqual({
      maxTokens: 64000,
      temperature: null,
      topP: null,
      n: null,
      thinkingBudget: null,
      reasoningEffort: null,
      stream: true,
    });
    expect(request.systemText).toBe(
      'You are an expert grader. Score the answer against the rubric and justify every point awarded or withheld.',
    );
    expect(response).toMatchObject({
      model: 'claude-haiku-4-5-20251001',
      outputText: expect.stringMatching(/^Score: 2\/3\.\n\(1\) Awarded/) as string,
      stopReason: 'end_turn',
      choiceCount: 1,
      usage: { inputTokens: 142, outputTokens: 71, reasoningTokens: null, cacheReadTokens: 0 },
      error: null,
    });
  });

  it.each([
    ['anthropic-error-invalid-request', 'invalid_request_error', /^max_tokens: 64001 > 64000/],
    ['anthropic-error-rate-limit', 'rate_limit_error', /^This request would exceed the rate limit/],
    ['anthropic-error-overloaded', 'overloaded_error', /^Overloaded$/],
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

  it('names the error after the status when an error status has no recognised error body', () => {
    expect(normalizeResponse(API, {}, 502)!.error).toEqual({ type: 'http_502', message: '' });
    expect(normalizeResponse(API, { type: 'error', error: 'upstream timeout' }, 504)!.error).toEqual({ type: 'http_504', message: '' });
  });

  it('returns null when the exchange has no response body', () => {
    expect(normalizeResponse(API, null, 200)).toBeNull();
    expect(normalizeResponse(API, null, 529)).toBeNull();
  });
});
