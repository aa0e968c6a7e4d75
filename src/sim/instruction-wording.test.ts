import { describe, expect, it } from 'vitest';
import { drawSketchWording, paraphrasedGradingRequest, paraphrasedReasoningRequest, paraphrasedRewriteRequest, rationaleRequest } from './instruction-wording.js';
import { createRng } from './seeded-rng.js';

const composers = { reasoning: paraphrasedReasoningRequest, rationale: rationaleRequest, grading: paraphrasedGradingRequest, rewrite: paraphrasedRewriteRequest };

describe('instruction wording', () => {
  it.each(Object.entries(composers))('never writes "step by step" in a paraphrased %s request', (_, compose) => {
    const rng = createRng(11);
    for (let i = 0; i < 5000; i++) expect(compose(rng).toLowerCase()).not.toMatch(/step[ -]by[ -]step/);
  });

  it('words reasoning requests in hundreds of ways, some with an output format that carries a rationale field', () => {
    const rng = createRng(12);
    const seen = Array.from({ length: 2000 }, () => paraphrasedReasoningRequest(rng));
    expect(new Set(seen).size).toBeGreaterThan(800);
    expect(seen.some((text) => text.includes('"rationale"'))).toBe(true);
    expect(seen.some((text) => /^Format:\nReasoning:/m.test(text))).toBe(true);
    const openings = new Set(seen.map((text) => text.split(' ')[0]));
    expect(openings.size).toBeGreaterThan(10);
  });

  it('asks for grades on several scales and for rewrites in several wordings', () => {
    const rng = createRng(13);
    const grading = Array.from({ length: 500 }, () => paraphrasedGradingRequest(rng));
    expect(new Set(grading).size).toBeGreaterThan(300);
    for (const scale of ['1-10', 'A to F', 'pass or fail', 'out of 100']) expect(grading.some((text) => text.includes(scale))).toBe(true);
    const rewrites = Array.from({ length: 500 }, () => paraphrasedRewriteRequest(rng));
    expect(new Set(rewrites).size).toBeGreaterThan(300);
  });

  it('gives a sketch a handful of wordings, the same for the same seed', () => {
    const a = drawSketchWording(createRng(5));
    const b = drawSketchWording(createRng(5));
    expect(a).toEqual(b);
    expect(a.reasoning.length).toBeGreaterThanOrEqual(2);
    expect(a.reasoning.length).toBeLessThanOrEqual(4);
    expect(drawSketchWording(createRng(6))).not.toEqual(a);
  });
});
