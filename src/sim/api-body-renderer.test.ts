import { describe, expect, it } from 'vitest';
import { API_KINDS, type ApiKind } from '../model/exchange.js';
import { normalizeRequest, normalizeResponse } from '../ingest/normalize/index.js';
import { renderBodies, renderError } from './api-body-renderer.js';
import { baseRequest, type ExchangeSpec } from './exchange-spec.js';
import type { ModelSpec } from './scenario-schema.js';
import { createRng } from './seeded-rng.js';
import { AGENT_TOOLS } from './tool-catalog.js';
import { usageAgreement } from './test-support/sim-fixtures.js';

const reasoningModel: ModelSpec = { name: 'claude-sonnet-4-5-20250929', max_output_tokens: 64000, reasoning: true, weight: 1 };
const plainModel: ModelSpec = { name: 'gpt-4.1', max_output_tokens: 32768, reasoning: false, weight: 1 };

const call = { id: 'call_1', name: 'bash', args: { command: 'pytest -q' }, argsJson: '{"command":"pytest -q"}' };

function agentSpec(overrides: Partial<ExchangeSpec['request']> = {}): ExchangeSpec {
  return {
    request: baseRequest({
      system: 'You are a careful coding agent.',
      messages: [
        { role: 'user', text: 'Fix the failing test in src/app.py.' },
        { role: 'assistant', text: 'Let me run the tests first.', toolCalls: [call], thinking: 'I should look at the failure.' },
        { role: 'user', text: '', toolResults: [{ id: 'call_1', text: '1 failed, 12 passed' }] },
      ],
      tools: AGENT_TOOLS.slice(0, 3),
      maxTokens: 8192,
      temperature: 0.2,
      reasoning: 'high',
      thinkingBudget: 16000,
      ...overrides,
    }),
    response: { texts: ['The assertion compares the wrong field; here is the fix.'], reasoning: 'The test expects sorted output, so the function must sort.', toolCalls: [{ ...call, id: 'call_2' }] },
  };
}

function render(api: ApiKind, model: ModelSpec, spec = agentSpec()) {
  const rendered = renderBodies(spec, { api, model, tsMs: Date.UTC(2026, 1, 3), rng: createRng(1), cacheWarm: true });
  return { ...rendered, request: JSON.parse(rendered.requestJson) as Record<string, unknown>, response: JSON.parse(rendered.responseJson) as Record<string, unknown> };
}

describe('api body renderer', () => {
  it.each(API_KINDS)('renders %s bodies whose usage follows the token rule exactly', (api) => {
    for (const model of [reasoningModel, plainModel]) {
      const rendered = render(api, model);
      const usage = usageAgreement(api, rendered.request, rendered.response);
      expect(usage.reportedInput).toBe(usage.expectedInput);
      expect(usage.reportedOutput).toBe(usage.expectedOutput);
      expect(rendered.outputTokens).toBeGreaterThan(0);
    }
  });

  it.each(API_KINDS)('renders %s bodies that the ingest normalisers read back faithfully', (api) => {
    const rendered = render(api, reasoningModel);
    const request = normalizeRequest(api, rendered.request);
    expect(request.model).toBe(reasoningModel.name);
    expect(request.systemText).toBe('You are a careful coding agent.');
    expect(request.tools.map((tool) => tool.name)).toEqual(['bash', 'read_file', 'edit_file']);
    expect(request.messages.some((message) => message.toolCalls.some((toolCall) => toolCall.name === 'bash'))).toBe(true);
    expect(request.messages.some((message) => message.toolResults.some((result) => result.text === '1 failed, 12 passed'))).toBe(true);
    const response = normalizeResponse(api, rendered.response, 200)!;
    expect(response.outputText).toContain('here is the fix');
    expect(response.toolCalls.map((toolCall) => toolCall.name)).toEqual(['bash']);
    expect(response.usage.outputTokens).toBe(rendered.outputTokens);
    expect(response.error).toBeNull();
  });

  it('sends thinking to Anthropic reasoning models, with max_tokens above the budget and no temperature', () => {
    const request = render('anthropic.messages', reasoningModel).request;
    expect(request.thinking).toEqual({ type: 'enabled', budget_tokens: 16000 });
    expect(request.max_tokens as number).toBeGreaterThan(16000);
    expect(request.temperature).toBeUndefined();
    const response = render('anthropic.messages', reasoningModel).response as { content: { type: string }[] };
    expect(response.content[0]!.type).toBe('thinking');
  });

  it('uses the developer role, max_completion_tokens and reasoning_effort for OpenAI reasoning models only', () => {
    const reasoning = render('openai.chat_completions', { ...reasoningModel, name: 'o3' }).request;
    expect((reasoning.messages as { role: string }[])[0]!.role).toBe('developer');
    expect(reasoning.max_completion_tokens).toBe(8192);
    expect(reasoning.reasoning_effort).toBe('high');
    expect(reasoning.temperature).toBeUndefined();
    const plain = render('openai.chat_completions', plainModel).request;
    expect((plain.messages as { role: string }[])[0]!.role).toBe('system');
    expect(plain.max_tokens).toBe(8192);
    expect(plain.temperature).toBe(0.2);
    expect(plain.reasoning_effort).toBeUndefined();
  });

  it('sets max_tokens to the model limit when the spec asks for maxed tokens', () => {
    const spec = agentSpec({ maxedTokens: true, reasoning: null });
    expect(render('anthropic.messages', reasoningModel, spec).request.max_tokens).toBe(64000);
    expect(render('openai.responses', plainModel, spec).request.max_output_tokens).toBe(32768);
  });

  it('cuts the output at max_tokens and says so in each API\'s own words', () => {
    const spec = agentSpec({ maxTokens: 5, reasoning: null });
    spec.response.texts = ['x'.repeat(400)];
    const anthropic = render('anthropic.messages', plainModel, spec).response as { stop_reason: string; usage: { output_tokens: number } };
    expect(anthropic.stop_reason).toBe('max_tokens');
    expect(anthropic.usage.output_tokens).toBe(5);
    const chat = render('openai.chat_completions', plainModel, spec).response as { choices: { finish_reason: string }[] };
    expect(chat.choices[0]!.finish_reason).toBe('length');
    const responses = render('openai.responses', plainModel, spec).response as { status: string; incomplete_details: { reason: string } };
    expect(responses.status).toBe('incomplete');
    expect(responses.incomplete_details.reason).toBe('max_output_tokens');
  });

  it('returns n choices for chat completions and counts all of them', () => {
    const spec = agentSpec({ n: 3, reasoning: null, tools: null });
    spec.response = { texts: ['one', 'two two', 'three three three'], reasoning: '', toolCalls: [] };
    const rendered = render('openai.chat_completions', plainModel, spec);
    expect(rendered.request.n).toBe(3);
    const response = rendered.response as { choices: unknown[]; usage: { completion_tokens: number } };
    expect(response.choices).toHaveLength(3);
    expect(response.usage.completion_tokens).toBe(1 + 2 + 5);
  });

  it('writes error bodies in each API\'s shape, which the normalisers read as errors', () => {
    for (const api of API_KINDS) {
      for (const kind of ['rate_limited', 'server_error', 'overloaded'] as const) {
        const { status, body } = renderError(api, kind, 'gpt-4.1');
        expect(status).toBeGreaterThanOrEqual(429);
        expect(normalizeResponse(api, body, status)!.error).not.toBeNull();
      }
    }
    expect(renderError('anthropic.messages', 'overloaded', 'm').status).toBe(529);
    expect(renderError('openai.chat_completions', 'overloaded', 'm').status).toBe(503);
  });
});
