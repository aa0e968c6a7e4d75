/**
 * The internal model of one API exchange, normalised from the request and response bodies of
 * every supported API. Every later stage (features, behaviour, linking, scoring, service) reads
 * this shape and never the raw bodies, so a new input format only needs a normaliser onto it.
 */

export const API_KINDS = ['anthropic.messages', 'openai.chat_completions', 'openai.responses'] as const;
export type ApiKind = (typeof API_KINDS)[number];

export function isApiKind(value: unknown): value is ApiKind {
  return typeof value === 'string' && (API_KINDS as readonly string[]).includes(value);
}

export type MessageRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id: string | null;
  name: string;
  /** Arguments as the API carried them, serialised to JSON text. */
  arguments: string;
}

export interface ToolResult {
  toolCallId: string | null;
  text: string;
  isError: boolean;
}

export interface Message {
  role: MessageRole;
  text: string;
  toolCalls: ToolCall[];
  toolResults: ToolResult[];
  imageCount: number;
  /** The message's images' identities combined (see the ingest's `imageSourceKey`); absent when it names none. */
  imageKey?: number;
  /** Reasoning the caller sent back in a prior assistant turn (thinking blocks, reasoning items). */
  reasoningText: string;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** The parameter schema serialised to JSON text, as sent. */
  schema: string;
  /** Server-side tool types such as `computer_20250124`, `web_search`, `code_interpreter`. */
  type: string | null;
}

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface SamplingParams {
  maxTokens: number | null;
  temperature: number | null;
  topP: number | null;
  n: number | null;
  /** Anthropic extended thinking budget in tokens. */
  thinkingBudget: number | null;
  /** OpenAI reasoning effort. */
  reasoningEffort: ReasoningEffort | null;
  stream: boolean;
}

export interface NormalizedRequest {
  model: string | null;
  systemText: string;
  messages: Message[];
  tools: ToolDefinition[];
  sampling: SamplingParams;
  imageCount: number;
  /** The request's images' identities combined, in order; absent when it names none. */
  imageKey?: number;
  /** Number of user turns in the conversation sent. */
  turnCount: number;
}

export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
  reasoningTokens: number | null;
  cacheReadTokens: number | null;
}

export interface ResponseError {
  type: string;
  message: string;
}

export interface NormalizedResponse {
  model: string | null;
  outputText: string;
  reasoningText: string;
  toolCalls: ToolCall[];
  usage: Usage;
  stopReason: string | null;
  /** Number of choices returned (OpenAI `n`). */
  choiceCount: number;
  error: ResponseError | null;
}

export interface Exchange {
  id: string;
  /** Epoch milliseconds. */
  ts: number;
  accountId: string;
  orgId: string | null;
  apiKeyId: string | null;
  clientIp: string | null;
  clientAsn: number | null;
  clientCountry: string | null;
  userAgent: string | null;
  tlsFingerprint: string | null;
  api: ApiKind;
  status: number;
  latencyMs: number | null;
  request: NormalizedRequest;
  response: NormalizedResponse | null;
}

export function emptyUsage(): Usage {
  return { inputTokens: null, outputTokens: null, reasoningTokens: null, cacheReadTokens: null };
}

/** The text of the last user message: the prompt that this exchange asks the model about. */
export function lastUserText(request: NormalizedRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role === 'user' && message.text.length > 0) return message.text;
  }
  return '';
}

/** The text of the first user message: the task as the conversation opened it. */
export function firstUserText(request: NormalizedRequest): string {
  for (const message of request.messages) {
    if (message.role === 'user' && message.text.length > 0) return message.text;
  }
  return '';
}
