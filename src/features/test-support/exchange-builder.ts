import type { Exchange, Message, ToolDefinition } from '../../model/exchange.js';

export interface ExchangeSpec {
  id?: string;
  ts?: number;
  accountId?: string;
  prompt?: string;
  system?: string;
  model?: string | null;
  tools?: ToolDefinition[];
  toolResults?: number;
  imageCount?: number;
  /** The images' identity, as ingest keys them. */
  imageKey?: number;
  maxTokens?: number | null;
  thinkingBudget?: number | null;
  n?: number | null;
  temperature?: number | null;
  outputText?: string;
  outputTokens?: number | null;
  /** Messages sent before the prompt (earlier turns), oldest first. */
  history?: { role: 'user' | 'assistant'; text: string }[];
  /** A trailing assistant message the model is to continue. */
  prefill?: string;
}

function message(role: Message['role'], text: string): Message {
  return { role, text, toolCalls: [], toolResults: [], imageCount: 0, reasoningText: '' };
}

/** A normalised exchange with only what a test cares about set. */
export function buildExchange(spec: ExchangeSpec = {}): Exchange {
  const user: Message = { role: 'user', text: spec.prompt ?? 'Hello there, how are you?', toolCalls: [], toolResults: [], imageCount: spec.imageCount ?? 0, reasoningText: '' };
  for (let i = 0; i < (spec.toolResults ?? 0); i++) user.toolResults.push({ toolCallId: `call_${i}`, text: 'ok', isError: false });
  return {
    id: spec.id ?? 'req_1',
    ts: spec.ts ?? Date.UTC(2026, 1, 2, 12),
    accountId: spec.accountId ?? 'acct_1',
    orgId: null,
    apiKeyId: null,
    clientIp: '198.51.100.7',
    clientAsn: 64500,
    clientCountry: 'US',
    userAgent: 'anthropic-python/0.40.0',
    tlsFingerprint: null,
    api: 'anthropic.messages',
    status: 200,
    latencyMs: 900,
    request: {
      model: spec.model === undefined ? 'claude-sonnet-4-5-20250929' : spec.model,
      systemText: spec.system ?? '',
      messages: [...(spec.history ?? []).map((turn) => message(turn.role, turn.text)), user, ...(spec.prefill === undefined ? [] : [message('assistant', spec.prefill)])],
      tools: spec.tools ?? [],
      sampling: { maxTokens: spec.maxTokens ?? 1024, temperature: spec.temperature ?? null, topP: null, n: spec.n ?? null, thinkingBudget: spec.thinkingBudget ?? null, reasoningEffort: null, stream: false },
      imageCount: spec.imageCount ?? 0,
      ...(spec.imageKey === undefined ? {} : { imageKey: spec.imageKey }),
      turnCount: 1 + (spec.history ?? []).filter((turn) => turn.role === 'user').length,
    },
    response: {
      model: null,
      outputText: spec.outputText ?? 'Sure.',
      reasoningText: '',
      toolCalls: [],
      usage: { inputTokens: 20, outputTokens: spec.outputTokens ?? 10, reasoningTokens: null, cacheReadTokens: null },
      stopReason: 'end_turn',
      choiceCount: 1,
      error: null,
    },
  };
}
