import { describe, expect, it } from 'vitest';
import { combineImageKeys, imageSourceKey } from './content-text-reader.js';
import { normalizeRequest } from './index.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const OTHER_PNG = PNG.replace('mNk', 'mNl');

function anthropic(data: string, text = 'Transcribe every line of this page.') {
  return { model: 'm', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data } }, { type: 'text', text }] }] };
}

describe('image keys', () => {
  it('gives one image one key through every API shape', () => {
    const key = imageSourceKey({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } });
    expect(key).not.toBe(0);
    expect(imageSourceKey({ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'auto' } })).toBe(key);
    expect(imageSourceKey({ type: 'input_image', image_url: `data:image/png;base64,${PNG}` })).toBe(key);
    expect(imageSourceKey({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: OTHER_PNG } })).not.toBe(key);
    expect(imageSourceKey({ type: 'image_url', image_url: { url: 'https://example.com/a.png' } })).not.toBe(imageSourceKey({ type: 'image_url', image_url: { url: 'https://example.com/b.png' } }));
    expect(imageSourceKey({ type: 'image' })).toBe(0);
  });

  it('keys a request by its images in order, and leaves a request without images unkeyed', () => {
    const same = normalizeRequest('anthropic.messages', anthropic(PNG));
    expect(same.imageKey).toBeDefined();
    expect(normalizeRequest('anthropic.messages', anthropic(PNG)).imageKey).toBe(same.imageKey);
    expect(normalizeRequest('anthropic.messages', anthropic(OTHER_PNG)).imageKey).not.toBe(same.imageKey);
    const chat = normalizeRequest('openai.chat_completions', {
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }, { type: 'text', text: 'Transcribe every line of this page.' }] }],
    });
    expect(chat.imageKey).toBe(same.imageKey);
    expect(normalizeRequest('anthropic.messages', { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).imageKey).toBeUndefined();
    const a = imageSourceKey({ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } });
    const b = imageSourceKey({ type: 'image', source: { type: 'url', url: 'https://example.com/b.png' } });
    expect(combineImageKeys(combineImageKeys(0, a), b)).not.toBe(combineImageKeys(combineImageKeys(0, b), a));
  });
});
