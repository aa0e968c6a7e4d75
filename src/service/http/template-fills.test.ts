import { describe, expect, it } from 'vitest';
import { createTemplateMiner, shapeOfText, SHAPE_POSITIONS } from '../../features/index.js';
import { templateFills } from './template-fills.js';

/** Mines the texts as the engine does and returns the template they share. */
function mined(texts: readonly string[]): number[] {
  const miner = createTemplateMiner();
  let id = -1;
  for (const text of texts) {
    const { shape, tokens } = shapeOfText(text);
    id = miner.add(shape, tokens);
  }
  return [...miner.get(id)!.tokens];
}

describe('templateFills', () => {
  it('lists what filled the slot of a short frame, most frequent first, beside the frame', () => {
    const texts = ['Translate into French: good morning friend', 'Translate into French: thank you kindly', 'Translate into French: good morning friend', 'Translate into French: see you later'];
    const tokens = mined(texts);
    const result = templateFills(tokens, texts);
    expect(result.sampled).toBe(4);
    expect(result.text).toMatch(/^translate into french <\*>/);
    expect(result.fills[0]).toEqual({ value: 'good morning friend', count: 2 });
    expect(result.fills.map((fill) => fill.value).sort()).toEqual(['good morning friend', 'see you later', 'thank you kindly']);
  });

  it('takes the middle of a long text as its fill: the shape keeps only the first and last eight words', () => {
    const frame = (question: string) => `Problem for the reasoning set number one: ${question}. Now solve it and explain your reasoning step by step please.`;
    const texts = [frame('a train leaves a station at noon and travels east at constant speed'), frame('how many ways can seven people sit around one round table together')];
    const tokens = mined(texts);
    expect(tokens).toHaveLength(SHAPE_POSITIONS);
    const result = templateFills(tokens, texts);
    const values = result.fills.map((fill) => fill.value).join(' | ');
    expect(values).toContain('a train leaves a station at noon');
    expect(values).toContain('how many ways can seven people sit');
    for (const fill of result.fills) expect(fill.value).not.toContain('problem for the');
  });

  it('lists no fills for a long fixed text whose middle never changes', () => {
    const system = 'You are an expert evaluator. You grade responses strictly and fairly against the rubric provided and explain every score.';
    const result = templateFills(mined([system, system, system]), [system, system, system]);
    expect(result.fills).toEqual([]);
    expect(result.text).toContain('you are an expert evaluator');
  });

  it('gives nothing to show without texts (a store ingested with --text none)', () => {
    expect(templateFills(mined(['Translate into French: good morning friend', 'Translate into French: thank you kindly']), [])).toEqual({ text: null, fills: [], sampled: 0, distinct: 0 });
  });
});
