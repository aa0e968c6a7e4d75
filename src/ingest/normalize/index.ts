import type { ApiKind, NormalizedRequest, NormalizedResponse } from '../../model/exchange.js';
import { normalizeAnthropicRequest, normalizeAnthropicResponse } from './anthropic-messages-normalizer.js';
import { createEmptyRequest, createEmptyResponse } from './model-part-factory.js';
import { normalizeOpenAiChatRequest, normalizeOpenAiChatResponse } from './openai-chat-normalizer.js';
import { normalizeOpenAiResponsesRequest, normalizeOpenAiResponsesResponse } from './openai-responses-normalizer.js';
import { readResponseError } from './response-error-reader.js';

/**
 * Normalises a request body, in the shape of `api`, onto the internal model. Never throws: a
 * field of an unexpected type reads as empty or null, so one odd client cannot stop ingest.
 *
 * @example
 * normalizeRequest('openai.chat_completions', { model: 'gpt-4o', messages: [
 *   { role: 'developer', content: 'Answer in French.' }, { role: 'user', content: 'Hello' }] })
 * // { model: 'gpt-4o', systemText: 'Answer in French.', messages: [{ role: 'user', text: 'Hello', ... }], turnCount: 1, ... }
 */
export function normalizeRequest(api: ApiKind, body: Record<string, unknown>): NormalizedRequest {
  // The validator guarantees an object; the guard keeps the never-throw promise for other callers.
  if (typeof body !== 'object' || body === null) return createEmptyRequest();
  switch (api) {
    case 'anthropic.messages':
      return normalizeAnthropicRequest(body);
    case 'openai.chat_completions':
      return normalizeOpenAiChatRequest(body);
    case 'openai.responses':
      return normalizeOpenAiResponsesRequest(body);
    default:
      return createEmptyRequest();
  }
}

/**
 * Normalises a response body onto the internal model; null when the exchange has no response
 * body (the gateway recorded none). Streamed responses are expected already assembled into the
 * API's non-streamed shape. Never throws. An error body, or any status of 400 or more, sets
 * `error`.
 */
export function normalizeResponse(api: ApiKind, body: Record<string, unknown> | null, status: number): NormalizedResponse | null {
  if (typeof body !== 'object' || body === null) return null;
  switch (api) {
    case 'anthropic.messages':
      return normalizeAnthropicResponse(body, status);
    case 'openai.chat_completions':
      return normalizeOpenAiChatResponse(body, status);
    case 'openai.responses':
      return normalizeOpenAiResponsesResponse(body, status);
    default: {
      const response = createEmptyResponse();
      response.error = readResponseError(body, status);
      return response;
    }
  }
}
