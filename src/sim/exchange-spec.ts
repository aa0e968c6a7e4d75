import type { ToolSpec } from './tool-catalog.js';

/**
 * What one exchange says, independent of the API it is sent through. Task generators produce
 * it; `api-body-renderer.ts` turns it into the request and response bodies of a concrete API,
 * with usage computed from the rendered text.
 */
export interface ToolCallSpec {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** `JSON.stringify(args)`, kept so that usage and the body agree without serialising twice. */
  argsJson: string;
}

export interface ToolResultSpec {
  id: string;
  text: string;
  /** Screenshots a computer-use client returns with the result. */
  images?: readonly ImageSpec[];
}

export type ImageFormat = 'png' | 'jpeg';
export type ImageDetail = 'low' | 'high' | 'auto';

/**
 * An image a request carries. The bytes are not stored: `image-payload.ts` derives them from
 * `seed`, so the same spec always renders the same bytes, and an image re-sent (in a later
 * request, by another account) is the same spec.
 */
export interface ImageSpec {
  format: ImageFormat;
  width: number;
  height: number;
  /** Size of the decoded file in bytes. */
  bytes: number;
  seed: number;
  /** A link the client sends instead of the bytes; null sends them inline (base64). */
  url: string | null;
  /** OpenAI's `detail`; null leaves it out where the API allows. */
  detail: ImageDetail | null;
}

export interface TurnSpec {
  role: 'user' | 'assistant';
  text: string;
  /** Assistant turns: tools called in that turn. */
  toolCalls?: ToolCallSpec[];
  /** User turns: results for the previous assistant turn's tool calls. */
  toolResults?: ToolResultSpec[];
  /** Assistant turns: thinking that must be sent back with a tool-use turn. */
  thinking?: string;
  /** User turns: images sent with the text. */
  images?: readonly ImageSpec[];
}

export type ReasoningLevel = 'low' | 'medium' | 'high';

export interface RequestSpec {
  system: string | null;
  /** Anthropic prompt caching on the system prompt (and tool definitions). */
  cacheSystem: boolean;
  messages: TurnSpec[];
  tools: readonly ToolSpec[] | null;
  /** max_tokens as the client sets it; null means omitted where the API allows it. */
  maxTokens: number | null;
  /** Send the model's output limit as max_tokens (resolved by the renderer, which knows the model). */
  maxedTokens: boolean;
  temperature: number | null;
  topP: number | null;
  /** Choices requested (chat completions only). */
  n: number;
  /** Wants extended reasoning: a thinking budget (Anthropic) or an effort (OpenAI). */
  reasoning: ReasoningLevel | null;
  thinkingBudget: number | null;
  stream: boolean;
  /** The end user a reseller or app passes through (`user`, `metadata.user_id`). */
  endUser: string | null;
  jsonOutput: boolean;
}

export interface ResponseSpec {
  /** One text per choice; more than one only when `n > 1` and the API supports it. */
  texts: string[];
  /** Reasoning behind the answer: shown as thinking (Anthropic), summarised or hidden (OpenAI). */
  reasoning: string;
  toolCalls: ToolCallSpec[];
}

export interface ExchangeSpec {
  request: RequestSpec;
  response: ResponseSpec;
}

export function baseRequest(overrides: Partial<RequestSpec> & Pick<RequestSpec, 'messages'>): RequestSpec {
  return {
    system: null,
    cacheSystem: false,
    tools: null,
    maxTokens: null,
    maxedTokens: false,
    temperature: null,
    topP: null,
    n: 1,
    reasoning: null,
    thinkingBudget: null,
    stream: false,
    endUser: null,
    jsonOutput: false,
    ...overrides,
  };
}
