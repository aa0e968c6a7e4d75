import { describe, expect, it } from 'vitest';
import { CAPABILITY_CODE, CONTENT_FLAG } from './content-signals.js';
import { createExchangeFeatureExtractor, shapeOfText } from './exchange-features.js';
import { SHAPE_WORDS, packShape } from './template-shape.js';
import { buildExchange } from './test-support/exchange-builder.js';

describe('exchange features', () => {
  const extract = createExchangeFeatureExtractor();
  const copy = (features: ReturnType<typeof extract>) => ({ ...features, promptSketch: [...features.promptSketch], promptShape: [...features.promptShape], systemShape: [...features.systemShape] });

  it('computes flags, capability, hash, sketch and shapes from the full text', () => {
    const features = copy(
      extract(buildExchange({ system: 'You are a careful math tutor who always explains.', prompt: 'Solve x^2 - 4 = 0 for x and show your work step by step.' })),
    );
    expect(features.contentFlags & CONTENT_FLAG.cotElicitation).not.toBe(0);
    expect(features.capability).toBe(CAPABILITY_CODE.math);
    expect(features.promptHashHi).not.toBe(0);
    expect(features.promptSketch.some((word) => word !== 0)).toBe(true);
    expect(features.promptTokens).toBeGreaterThan(10);
    expect(features.systemTokens).toBe(9);
    const expected = new Uint32Array(SHAPE_WORDS);
    packShape(shapeOfText('Solve x^2 - 4 = 0 for x and show your work step by step.').shape, expected);
    expect(features.promptShape).toEqual([...expected]);
  });

  it('gives a verbatim repeat the same prompt hash and a different prompt another', () => {
    const a = copy(extract(buildExchange({ prompt: 'What is the boiling point of water at 2000 m altitude?' })));
    const b = copy(extract(buildExchange({ prompt: 'What is the boiling point of water at 2000 m altitude?', system: 'Be brief.' })));
    const c = copy(extract(buildExchange({ prompt: 'What is the boiling point of water at 3000 m altitude?' })));
    expect([b.promptHashHi, b.promptHashLo]).toEqual([a.promptHashHi, a.promptHashLo]);
    expect([c.promptHashHi, c.promptHashLo]).not.toEqual([a.promptHashHi, a.promptHashLo]);
  });

  it('zeroes the text features of an exchange without system prompt or user text', () => {
    const features = copy(extract(buildExchange({ prompt: '' })));
    expect(features.promptHashHi).toBe(0);
    expect(features.promptSketch).toEqual([0, 0, 0, 0]);
    expect(features.systemShape.every((word) => word === 0)).toBe(true);
    expect(features.systemTokens).toBe(0);
  });

  it('labels an agent loop with tools as agentic', () => {
    const tool = { name: 'read_file', description: '', schema: '{}', type: null };
    expect(extract(buildExchange({ prompt: 'Continue.', tools: [tool], toolResults: 1 })).capability).toBe(CAPABILITY_CODE.agentic);
  });
});
