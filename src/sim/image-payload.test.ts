import { describe, expect, it } from 'vitest';
import { API_KINDS, type ApiKind } from '../model/exchange.js';
import { normalizeRequest } from '../ingest/normalize/index.js';
import { renderBodies } from './api-body-renderer.js';
import { baseRequest, type ExchangeSpec, type ImageSpec } from './exchange-spec.js';
import { imageBase64 } from './image-payload.js';
import { anthropicComputerTool, SCREEN_FUNCTION_TOOLS } from './computer-use-loop.js';
import type { ModelSpec } from './scenario-schema.js';
import { createRng } from './seeded-rng.js';
import { imageTokens } from './token-estimator.js';

const model: ModelSpec = { name: 'claude-sonnet-4-5-20250929', max_output_tokens: 64000, reasoning: false, weight: 1 };
const png: ImageSpec = { format: 'png', width: 1280, height: 800, bytes: 60_000, seed: 7, url: null, detail: 'high' };
const jpeg: ImageSpec = { format: 'jpeg', width: 1024, height: 768, bytes: 41_000, seed: 8, url: null, detail: null };
const linked: ImageSpec = { format: 'jpeg', width: 2048, height: 1536, bytes: 90_000, seed: 9, url: 'https://media.example.com/uploads/abc.jpg', detail: 'low' };

const call = { id: 'toolu_01', name: 'computer', args: { action: 'left_click', coordinate: [10, 20] }, argsJson: '{"action":"left_click","coordinate":[10,20]}' };

function spec(images: ImageSpec[], screenshot: ImageSpec | null = null): ExchangeSpec {
  const messages: ExchangeSpec['request']['messages'] = [{ role: 'user', text: 'Describe this image in detail.', images }];
  if (screenshot !== null) {
    messages.push({ role: 'assistant', text: 'Clicking.', toolCalls: [call] });
    messages.push({ role: 'user', text: '', toolResults: [{ id: call.id, text: 'ok', images: [screenshot] }] });
  }
  return { request: baseRequest({ messages, maxTokens: 1024 }), response: { texts: ['A street scene.'], reasoning: '', toolCalls: [] } };
}

function render(api: ApiKind, exchange: ExchangeSpec) {
  const rendered = renderBodies(exchange, { api, model, tsMs: Date.UTC(2026, 1, 3), rng: createRng(1), cacheWarm: false });
  return { request: JSON.parse(rendered.requestJson) as Record<string, unknown>, response: JSON.parse(rendered.responseJson) as { usage: Record<string, number> } };
}

function inputTokensOf(api: ApiKind, exchange: ExchangeSpec): number {
  const usage = render(api, exchange).response.usage;
  return api === 'openai.chat_completions' ? usage.prompt_tokens! : usage.input_tokens! + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}

/** Every base64 payload and data URL in a body, decoded. */
function payloadsOf(body: unknown): { mediaType: string; bytes: Buffer }[] {
  const out: { mediaType: string; bytes: Buffer }[] = [];
  JSON.stringify(body, (key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith('data:image/')) {
      const [head, data] = value.split(',');
      out.push({ mediaType: head!.slice(5, head!.indexOf(';')), bytes: Buffer.from(data!, 'base64') });
    }
    if (value !== null && typeof value === 'object' && (value as Record<string, unknown>).type === 'base64') {
      const source = value as { media_type: string; data: string };
      out.push({ mediaType: source.media_type, bytes: Buffer.from(source.data, 'base64') });
    }
    return value;
  });
  return out;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

describe('images in simulated requests', () => {
  it('are PNG or JPEG files of the stated size and dimensions, the same for the same seed', () => {
    const pngBytes = Buffer.from(imageBase64(png), 'base64');
    expect(pngBytes.subarray(0, 8)).toEqual(PNG_MAGIC);
    expect(pngBytes.length).toBe(png.bytes);
    expect([pngBytes.readUInt32BE(16), pngBytes.readUInt32BE(20)]).toEqual([1280, 800]);
    expect(pngBytes.subarray(-8, -4).toString('latin1')).toBe('IEND');
    const jpegBytes = Buffer.from(imageBase64(jpeg), 'base64');
    expect(jpegBytes.subarray(0, 3)).toEqual(JPEG_MAGIC);
    expect(jpegBytes.length).toBe(jpeg.bytes);
    const sof = jpegBytes.indexOf(Buffer.from([0xff, 0xc0]));
    expect([jpegBytes.readUInt16BE(sof + 7), jpegBytes.readUInt16BE(sof + 5)]).toEqual([1024, 768]);
    expect(jpegBytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(imageBase64({ ...png })).toBe(imageBase64(png));
    expect(imageBase64({ ...png, seed: 70 })).not.toBe(imageBase64(png));
  });

  it('renders the Anthropic shapes: base64 and url sources, images before the text, screenshots inside tool results', () => {
    const { request } = render('anthropic.messages', spec([png, linked], jpeg));
    const messages = request.messages as { content: Record<string, unknown>[] }[];
    expect(messages[0]!.content[0]).toMatchObject({ type: 'image', source: { type: 'base64', media_type: 'image/png' } });
    expect(messages[0]!.content[1]).toEqual({ type: 'image', source: { type: 'url', url: linked.url } });
    expect(messages[0]!.content[2]).toEqual({ type: 'text', text: 'Describe this image in detail.' });
    expect(messages[2]!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: 'ok' }, { type: 'image', source: { type: 'base64', media_type: 'image/jpeg' } }] });
  });

  it('renders the chat-completions shapes: image_url parts with data URLs or links and detail, screenshots in a user message after the tool message', () => {
    const { request } = render('openai.chat_completions', spec([png, linked], jpeg));
    const messages = request.messages as { role: string; content: unknown }[];
    expect(messages[0]!.content).toEqual([
      { type: 'text', text: 'Describe this image in detail.' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${imageBase64(png)}`, detail: 'high' } },
      { type: 'image_url', image_url: { url: linked.url, detail: 'low' } },
    ]);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(messages[3]!.content).toEqual([{ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${imageBase64(jpeg)}` } }]);
  });

  it('renders the responses shapes: input_image parts with detail, screenshots in function_call_output', () => {
    const { request } = render('openai.responses', spec([png, linked], jpeg));
    const input = request.input as Record<string, unknown>[];
    expect(input[0]).toEqual({
      role: 'user',
      content: [
        { type: 'input_text', text: 'Describe this image in detail.' },
        { type: 'input_image', image_url: `data:image/png;base64,${imageBase64(png)}`, detail: 'high' },
        { type: 'input_image', image_url: linked.url, detail: 'low' },
      ],
    });
    expect(input.at(-1)).toEqual({ type: 'function_call_output', call_id: call.id, output: [{ type: 'input_text', text: 'ok' }, { type: 'input_image', image_url: `data:image/jpeg;base64,${imageBase64(jpeg)}`, detail: 'auto' }] });
    // A lone user message with an image cannot use the bare-string input.
    expect(typeof render('openai.responses', spec([linked])).request.input).not.toBe('string');
  });

  it.each(API_KINDS)('%s: every inline image decodes to its format\'s magic bytes and media type', (api) => {
    const payloads = payloadsOf(render(api, spec([png, jpeg], png)).request);
    expect(payloads).toHaveLength(3);
    for (const payload of payloads) expect(payload.bytes.subarray(0, payload.mediaType === 'image/png' ? 8 : 3)).toEqual(payload.mediaType === 'image/png' ? PNG_MAGIC : JPEG_MAGIC);
  });

  it.each(API_KINDS)('%s: ingest counts every image, screenshots in tool results included', (api) => {
    const normalized = normalizeRequest(api, render(api, spec([png, linked], jpeg)).request);
    expect(normalized.imageCount).toBe(3);
  });

  it.each(API_KINDS)('%s: input usage grows by what the API bills for the image', (api) => {
    const without = inputTokensOf(api, spec([]));
    const withImage = inputTokensOf(api, spec([png]));
    expect(withImage - without).toBe(imageTokens(api === 'anthropic.messages' ? 'anthropic' : 'openai', 1280, 800, 'high'));
  });

  it('bills images like the APIs: Anthropic about width × height / 750, OpenAI 85 for low detail and 170 per tile', () => {
    expect(imageTokens('anthropic', 1000, 750, null)).toBe(1000);
    expect(imageTokens('anthropic', 4032, 3024, null)).toBeLessThanOrEqual(1600);
    expect(imageTokens('openai', 4032, 3024, 'low')).toBe(85);
    expect(imageTokens('openai', 1024, 1024, 'high')).toBe(85 + 170 * 4);
    expect(imageTokens('openai', 2048, 4096, 'auto')).toBe(85 + 170 * 6);
  });

  it('defines Anthropic\'s computer tool for its display, and function tools elsewhere', () => {
    const exchange = spec([]);
    exchange.request.tools = [anthropicComputerTool(1280, 800)];
    const tools = render('anthropic.messages', exchange).request.tools as Record<string, unknown>[];
    expect(tools).toEqual([{ type: 'computer_20250124', name: 'computer', display_width_px: 1280, display_height_px: 800, display_number: 1 }]);
    exchange.request.tools = SCREEN_FUNCTION_TOOLS;
    const functions = render('openai.chat_completions', exchange).request.tools as { type: string; function: { name: string } }[];
    expect(functions.map((tool) => tool.function.name)).toEqual(['click', 'double_click', 'type_text', 'press_key', 'scroll', 'screenshot']);
  });
});
