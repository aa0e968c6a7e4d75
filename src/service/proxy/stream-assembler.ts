import { StringDecoder } from 'node:string_decoder';
import type { ApiKind } from '../../model/exchange.js';

/**
 * Rebuilds a streamed (SSE) response into the API's non-streamed body, which is what the
 * exchange contract records, from the chunks as they pass through. It parses events as they
 * complete and keeps only the body being built, so memory follows the response's text, and it
 * stops reading (but never stops the stream) past `maxBytes`.
 */
export interface StreamAssembler {
  push(chunk: Buffer): void;
  /** The assembled body, or null when nothing could be read (or the limit was passed). */
  finish(): Record<string, unknown> | null;
}

export function createStreamAssembler(api: ApiKind, maxBytes: number): StreamAssembler {
  const decoder = new StringDecoder('utf8');
  const fold = api === 'anthropic.messages' ? anthropicFold() : api === 'openai.chat_completions' ? chatFold() : responsesFold();
  let pending = '';
  let bytes = 0;
  let overflow = false;
  const consume = (block: string): void => {
    let event = '';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    const text = data.join('\n');
    if (text === '[DONE]') return;
    try {
      fold.event(event, JSON.parse(text) as Record<string, unknown>);
    } catch {
      // An event that is not JSON (a comment, a keep-alive) carries nothing for the record.
    }
  };
  return {
    push(chunk) {
      if (overflow) return;
      bytes += chunk.length;
      if (bytes > maxBytes) {
        overflow = true;
        return;
      }
      pending += decoder.write(chunk);
      let end: number;
      while ((end = pending.search(/\r?\n\r?\n/)) !== -1) {
        const separator = /\r?\n\r?\n/.exec(pending.slice(end))![0].length;
        consume(pending.slice(0, end));
        pending = pending.slice(end + separator);
      }
    },
    finish() {
      if (overflow) return null;
      pending += decoder.end();
      if (pending.trim() !== '') consume(pending);
      pending = '';
      return fold.result();
    },
  };
}

interface Fold {
  event(name: string, data: Record<string, unknown>): void;
  result(): Record<string, unknown> | null;
}

/** Messages streaming: message_start, content_block_start/delta/stop, message_delta, message_stop. */
function anthropicFold(): Fold {
  let message: Record<string, unknown> | null = null;
  const blocks: Record<string, unknown>[] = [];
  const json: string[] = [];
  return {
    event(name, data) {
      const type = typeof data.type === 'string' ? data.type : name;
      if (type === 'message_start' && isObject(data.message)) {
        message = { ...data.message, content: blocks };
      } else if (type === 'content_block_start' && isObject(data.content_block) && typeof data.index === 'number') {
        blocks[data.index] = { ...data.content_block };
      } else if (type === 'content_block_delta' && isObject(data.delta) && typeof data.index === 'number') {
        const block = (blocks[data.index] ??= { type: 'text', text: '' });
        const delta = data.delta;
        if (delta.type === 'text_delta') block.text = String(block.text ?? '') + String(delta.text ?? '');
        else if (delta.type === 'thinking_delta') block.thinking = String(block.thinking ?? '') + String(delta.thinking ?? '');
        else if (delta.type === 'signature_delta') block.signature = String(block.signature ?? '') + String(delta.signature ?? '');
        else if (delta.type === 'input_json_delta') json[data.index] = (json[data.index] ?? '') + String(delta.partial_json ?? '');
      } else if (type === 'content_block_stop' && typeof data.index === 'number' && json[data.index] !== undefined) {
        try {
          blocks[data.index]!.input = JSON.parse(json[data.index]!) as unknown;
        } catch {
          // A tool input cut short stays as the block started it.
        }
      } else if (type === 'message_delta' && message !== null) {
        const delta = isObject(data.delta) ? data.delta : {};
        if (delta.stop_reason !== undefined) message.stop_reason = delta.stop_reason;
        if (isObject(data.usage)) message.usage = { ...(isObject(message.usage) ? message.usage : {}), ...data.usage };
      } else if (type === 'error' && isObject(data.error)) {
        message = { type: 'error', error: data.error };
      }
    },
    result: () => message,
  };
}

/** Chat Completions streaming: chunks of choices[].delta, usage in the last chunk when asked for. */
function chatFold(): Fold {
  let body: Record<string, unknown> | null = null;
  const choices: { index: number; message: { role: string; content: string; tool_calls?: Record<string, unknown>[] }; finish_reason: unknown }[] = [];
  return {
    event(_name, data) {
      if (isObject(data.error)) {
        body = { error: data.error };
        return;
      }
      body ??= { id: data.id, object: 'chat.completion', created: data.created, model: data.model, choices };
      if (isObject(data.usage)) body.usage = data.usage;
      for (const choice of Array.isArray(data.choices) ? data.choices : []) {
        if (!isObject(choice) || typeof choice.index !== 'number') continue;
        const target = (choices[choice.index] ??= { index: choice.index, message: { role: 'assistant', content: '' }, finish_reason: null });
        const delta = isObject(choice.delta) ? choice.delta : {};
        if (typeof delta.content === 'string') target.message.content += delta.content;
        if (Array.isArray(delta.tool_calls)) {
          const calls = (target.message.tool_calls ??= []);
          for (const call of delta.tool_calls) {
            if (!isObject(call) || typeof call.index !== 'number') continue;
            const fn = isObject(call.function) ? call.function : {};
            const existing = (calls[call.index] ??= { id: call.id, type: 'function', function: { name: fn.name, arguments: '' } });
            const existingFn = existing.function as Record<string, unknown>;
            existingFn.arguments = String(existingFn.arguments ?? '') + String(fn.arguments ?? '');
          }
        }
        if (choice.finish_reason !== undefined && choice.finish_reason !== null) target.finish_reason = choice.finish_reason;
      }
    },
    result: () => body,
  };
}

/**
 * Responses streaming: the final `response.completed` (or `.incomplete`, `.failed`) event holds
 * the whole response. A stream cut short before it has only `response.created`, whose output is
 * empty, so the items and their text deltas are kept as they arrive to stand in for it.
 */
function responsesFold(): Fold {
  let started: Record<string, unknown> | null = null;
  let final: Record<string, unknown> | null = null;
  const items: Record<string, unknown>[] = [];
  const itemAt = (data: Record<string, unknown>): Record<string, unknown> | undefined => (typeof data.output_index === 'number' ? items[data.output_index] : undefined);
  return {
    event(name, data) {
      const type = typeof data.type === 'string' ? data.type : name;
      if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') {
        if (isObject(data.response)) final = data.response;
      } else if (type === 'response.created') {
        if (isObject(data.response)) started ??= data.response;
      } else if (type === 'error') {
        final = { error: data };
      } else if (final === null) {
        if ((type === 'response.output_item.added' || type === 'response.output_item.done') && isObject(data.item) && typeof data.output_index === 'number') {
          items[data.output_index] = { ...data.item, ...(Array.isArray(data.item.content) ? { content: [...(data.item.content as unknown[])] } : {}) };
        } else if (type === 'response.content_part.added' && isObject(data.part) && typeof data.content_index === 'number') {
          const item = itemAt(data);
          if (item !== undefined) ((item.content ??= []) as unknown[])[data.content_index] = { ...data.part };
        } else if (type === 'response.output_text.delta' && typeof data.content_index === 'number') {
          const item = itemAt(data);
          if (item === undefined) return;
          const content = (item.content ??= []) as Record<string, unknown>[];
          const part = (content[data.content_index] ??= { type: 'output_text', text: '', annotations: [] });
          part.text = String(part.text ?? '') + String(data.delta ?? '');
        } else if (type === 'response.function_call_arguments.delta') {
          const item = itemAt(data);
          if (item !== undefined) item.arguments = String(item.arguments ?? '') + String(data.delta ?? '');
        }
      }
    },
    result: () => final ?? (started === null ? null : { ...started, output: items.filter((item) => item !== undefined) }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
