import { describe, expect, it } from 'vitest';
import type { ApiKind } from '../../model/exchange.js';
import { createStreamAssembler } from './stream-assembler.js';

type Event = [name: string | null, data: unknown];

function sse(events: Event[], newline = '\n'): string {
  return events.map(([name, data]) => `${name === null ? '' : `event: ${name}${newline}`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}${newline}${newline}`).join('');
}

/**
 * Upstreams and the network cut a stream anywhere, inside an event, a line, or a UTF-8
 * character, so every stream is fed whole and in pieces of each size from 1 to 7 bytes, and the
 * record must be the same each way.
 */
function assemble(api: ApiKind, text: string, maxBytes = 1 << 20): Record<string, unknown> | null {
  const bytes = Buffer.from(text, 'utf8');
  const whole = createStreamAssembler(api, maxBytes);
  whole.push(bytes);
  const expected = whole.finish();
  for (let size = 1; size <= 7; size++) {
    const pieces = createStreamAssembler(api, maxBytes);
    for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
    expect(pieces.finish(), `fed ${size} bytes at a time`).toEqual(expected);
  }
  return expected;
}

const anthropicMessage = { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } };

describe('Anthropic Messages stream', () => {
  const textEvents: Event[] = [
    ['message_start', { type: 'message_start', message: anthropicMessage }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['ping', { type: 'ping' }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Grüße, ' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'world 🌍.' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ];
  const ending: Event[] = [
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 12 } }],
    ['message_stop', { type: 'message_stop' }],
  ];

  it('rebuilds text deltas and the final usage into the non-streamed message', () => {
    expect(assemble('anthropic.messages', sse([...textEvents, ...ending]))).toEqual({
      ...anthropicMessage,
      content: [{ type: 'text', text: 'Grüße, world 🌍.' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 25, output_tokens: 12 },
    });
  });

  it('reads CRLF line ends as LF ones', () => {
    expect(assemble('anthropic.messages', sse([...textEvents, ...ending], '\r\n'))).toEqual(assemble('anthropic.messages', sse([...textEvents, ...ending])));
  });

  it('rebuilds a tool call from its partial JSON, beside thinking and text blocks', () => {
    const events: Event[] = [
      ['message_start', { type: 'message_start', message: anthropicMessage }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'The user wants ' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'the weather.' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Checking.' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
      ['content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} } }],
      ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"location": "San Fra' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: 'ncisco, CA", "unit": "celsius"}' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 2 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } }],
      ['message_stop', { type: 'message_stop' }],
    ];
    expect(assemble('anthropic.messages', sse(events))).toEqual({
      ...anthropicMessage,
      content: [
        { type: 'thinking', thinking: 'The user wants the weather.', signature: 'EqQB' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { location: 'San Francisco, CA', unit: 'celsius' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 25, output_tokens: 89 },
    });
  });

  it('keeps what arrived of a stream cut short, inside an event', () => {
    const cut = sse(textEvents.slice(0, 4)) + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_d';
    expect(assemble('anthropic.messages', cut)).toEqual({ ...anthropicMessage, content: [{ type: 'text', text: 'Grüße, ' }] });
  });

  it('keeps a tool call cut short as the block started it', () => {
    const events: Event[] = [
      ['message_start', { type: 'message_start', message: anthropicMessage }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_02', name: 'search', input: {} } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"query": "how to' } }],
    ];
    expect(assemble('anthropic.messages', sse(events))).toEqual({ ...anthropicMessage, content: [{ type: 'tool_use', id: 'toolu_02', name: 'search', input: {} }] });
  });

  it('records an error event mid-stream as the error body', () => {
    const events: Event[] = [...textEvents.slice(0, 3), ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]];
    expect(assemble('anthropic.messages', sse(events))).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });
});

describe('OpenAI Chat Completions stream', () => {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Event => [null, { id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1772445600, model: 'gpt-4o', choices, ...extra }];

  it('rebuilds content deltas, the finish reason and the usage chunk', () => {
    const text = sse([
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: 'Bonjour' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: ' à tous.' }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      chunk([], { usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } }),
      [null, '[DONE]'],
    ]);
    expect(assemble('openai.chat_completions', text)).toEqual({
      id: 'chatcmpl-9',
      object: 'chat.completion',
      created: 1772445600,
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Bonjour à tous.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
  });

  it('rebuilds parallel tool calls and several choices, ignoring comments', () => {
    const text =
      ': keep-alive\n\n' +
      sse([
        chunk([{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }]),
        chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null }]),
        chunk([{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } }] }, finish_reason: null }]),
        chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }, { index: 1, function: { arguments: '{"tz":"CET"}' } }] }, finish_reason: null }]),
        chunk([{ index: 1, delta: { role: 'assistant', content: 'Other choice.' }, finish_reason: null }]),
        chunk([
          { index: 0, delta: {}, finish_reason: 'tool_calls' },
          { index: 1, delta: {}, finish_reason: 'stop' },
        ]),
        [null, '[DONE]'],
      ]);
    expect(assemble('openai.chat_completions', text)).toEqual({
      id: 'chatcmpl-9',
      object: 'chat.completion',
      created: 1772445600,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: '',
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
              { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
        { index: 1, message: { role: 'assistant', content: 'Other choice.' }, finish_reason: 'stop' },
      ],
    });
  });

  it('keeps what arrived of a stream cut short, with no finish reason or usage', () => {
    const text = sse([chunk([{ index: 0, delta: { role: 'assistant', content: 'Half an ans' }, finish_reason: null }])]) + 'data: {"id":"chatcmpl-9","choices":[{"index":0,"delta":{"content":"we';
    expect(assemble('openai.chat_completions', text)).toEqual({
      id: 'chatcmpl-9',
      object: 'chat.completion',
      created: 1772445600,
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Half an ans' }, finish_reason: null }],
    });
  });

  it('records an error chunk as the error body', () => {
    const text = sse([chunk([{ index: 0, delta: { content: 'x' }, finish_reason: null }]), [null, { error: { message: 'The server had an error', type: 'server_error' } }]]);
    expect(assemble('openai.chat_completions', text)).toEqual({ error: { message: 'The server had an error', type: 'server_error' } });
  });
});

describe('OpenAI Responses stream', () => {
  const created = { id: 'resp_1', object: 'response', created_at: 1772445600, status: 'in_progress', model: 'gpt-4.1', output: [], usage: null };
  const message = { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
  const call = { id: 'fc_1', type: 'function_call', status: 'in_progress', call_id: 'call_1', name: 'lookup', arguments: '' };
  const opening: Event[] = [
    ['response.created', { type: 'response.created', sequence_number: 0, response: created }],
    ['response.in_progress', { type: 'response.in_progress', sequence_number: 1, response: created }],
    ['response.output_item.added', { type: 'response.output_item.added', output_index: 0, item: message }],
    ['response.content_part.added', { type: 'response.content_part.added', item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }],
    ['response.output_text.delta', { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Sure, ' }],
    ['response.output_text.delta', { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'looking it up.' }],
    ['response.output_item.added', { type: 'response.output_item.added', output_index: 1, item: call }],
    ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '{"q":' }],
    ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '"llama"}' }],
  ];

  it('records the response of response.completed, with its usage', () => {
    const completed = {
      ...created,
      status: 'completed',
      output: [
        { ...message, status: 'completed', content: [{ type: 'output_text', text: 'Sure, looking it up.', annotations: [] }] },
        { ...call, status: 'completed', arguments: '{"q":"llama"}' },
      ],
      usage: { input_tokens: 30, output_tokens: 18, total_tokens: 48 },
    };
    const text = sse([...opening, ['response.completed', { type: 'response.completed', sequence_number: 12, response: completed }]]);
    expect(assemble('openai.responses', text)).toEqual(completed);
  });

  it('records an incomplete response as it ended', () => {
    const incomplete = { ...created, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] };
    expect(assemble('openai.responses', sse([...opening, ['response.incomplete', { type: 'response.incomplete', response: incomplete }]]))).toEqual(incomplete);
  });

  it('rebuilds the output from the deltas of a stream cut short before its last event', () => {
    expect(assemble('openai.responses', sse(opening) + 'event: response.output_text.delta\ndata: {"type":"resp')).toEqual({
      ...created,
      output: [
        { ...message, content: [{ type: 'output_text', text: 'Sure, looking it up.', annotations: [] }] },
        { ...call, arguments: '{"q":"llama"}' },
      ],
    });
  });

  it('records an error event as the error body', () => {
    const error = { type: 'error', code: 'rate_limit_exceeded', message: 'Slow down', param: null };
    expect(assemble('openai.responses', sse([opening[0]!, ['error', error]]))).toEqual({ error });
  });
});

describe('limits and empty streams', () => {
  it('gives up reading past maxBytes but says so with null', () => {
    const text = sse([[null, { id: 'c', choices: [{ index: 0, delta: { content: 'x'.repeat(200) }, finish_reason: null }] }]]);
    const assembler = createStreamAssembler('openai.chat_completions', 100);
    assembler.push(Buffer.from(text));
    expect(assembler.finish()).toBeNull();
  });

  it('records nothing for a stream with no events', () => {
    expect(assemble('anthropic.messages', '')).toBeNull();
    expect(assemble('openai.chat_completions', ': ping\n\n')).toBeNull();
    expect(assemble('openai.responses', 'data: [DONE]\n\n')).toBeNull();
  });
});
