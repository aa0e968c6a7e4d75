import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shapeOfText } from './exchange-features.js';
import { createTemplateMiner, lengthGroupOf, renderTemplate } from './template-miner.js';
import { WILDCARD } from './template-shape.js';

interface Golden {
  texts: { text: string; template: string | null }[];
  expected_templates: Record<string, string>;
}

const golden = JSON.parse(readFileSync(new URL('./fixtures/template-golden.json', import.meta.url), 'utf8')) as Golden;

function mine(texts: readonly string[], options = {}) {
  const miner = createTemplateMiner(options);
  const ids = texts.map((text) => {
    const { shape, tokens } = shapeOfText(text);
    return miner.add(shape, tokens);
  });
  return { miner, ids };
}

/** Random lowercase words from a seed, a new one per call. */
function randomWords(seed: number): () => string {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    // Letters only: digits would be masked as a number slot and every text would look alike.
    return Array.from(state.toString(26), (digit) => String.fromCharCode(97 + parseInt(digit, 26))).join('');
  };
}

describe('template miner', () => {
  it('puts every fill of a template under one id, and organic prompts under none of them (golden set)', () => {
    const { ids } = mine(golden.texts.map((entry) => entry.text));
    const byTemplate = new Map<string, Set<number>>();
    golden.texts.forEach((entry, i) => {
      const key = entry.template ?? `organic-${i}`;
      if (!byTemplate.has(key)) byTemplate.set(key, new Set());
      byTemplate.get(key)!.add(ids[i]!);
    });
    for (const name of Object.keys(golden.expected_templates)) expect(byTemplate.get(name)?.size, name).toBe(1);
    const templateIds = new Set(Object.keys(golden.expected_templates).map((name) => [...byTemplate.get(name)!][0]));
    expect(templateIds.size).toBe(Object.keys(golden.expected_templates).length);
    golden.texts.forEach((entry, i) => {
      if (entry.template === null) expect(templateIds.has(ids[i]!), entry.text).toBe(false);
    });
  });

  it('shows each template with its slots as <*> and masked values as <num>, <quote>', () => {
    const { miner, ids } = mine(golden.texts.map((entry) => entry.text));
    for (const [name, expected] of Object.entries(golden.expected_templates)) {
      const i = golden.texts.findIndex((entry) => entry.template === name);
      expect(renderTemplate(miner.get(ids[i]!)!, golden.texts[i]!.text), name).toBe(expected);
    }
  });

  it('gives the same ids for the same texts in the same order', () => {
    const texts = golden.texts.map((entry) => entry.text);
    expect(mine(texts).ids).toEqual(mine(texts).ids);
  });

  it('gives no template to texts shorter than the minimum', () => {
    const { ids } = mine(['hello there', 'thanks a lot']);
    expect(ids).toEqual([-1, -1]);
  });

  it('gives a short instruction sent with an image a template that only the same words join', () => {
    const miner = createTemplateMiner({ minTokens: 12 });
    const add = (text: string, withImage: boolean) => {
      const { shape, tokens } = shapeOfText(text);
      return miner.add(shape, tokens, withImage);
    };
    const transcribe = add('Transcribe the text in this image.', true);
    expect(transcribe).toBeGreaterThanOrEqual(0);
    expect(add('Transcribe the text in this image.', true)).toBe(transcribe);
    expect(add('transcribe the TEXT in this image', true)).toBe(transcribe);
    // Five of six words agree: enough for a long template, not for a short one.
    const describe = add('Describe the text in this image.', true);
    expect(describe).toBeGreaterThanOrEqual(0);
    expect(describe).not.toBe(transcribe);
    expect(miner.get(transcribe)!.count).toBe(3);
    expect(miner.get(transcribe)!.tokens).not.toContain(WILDCARD);
    // The same words typed without an image are a message, not a harness.
    expect(add('Transcribe the text in this image.', false)).toBe(-1);
  });

  it('keeps a template findable after thousands of unrelated texts, and forgets one-off texts past its cap', () => {
    const miner = createTemplateMiner({ maxTemplates: 500 });
    const fill = (i: number) => `You are a meticulous math tutor. Solve the following problem and show every step. Problem number ${i}: what is the remainder of ${i * 7} divided by ${i % 13 + 2}, and why does it not depend on the order?`;
    const add = (text: string) => {
      const { shape, tokens } = shapeOfText(text);
      const id = miner.add(shape, tokens);
      // An id handed out must resolve, also when adding it made the miner forget one-off texts.
      if (id >= 0) expect(miner.get(id)).toBeDefined();
      return id;
    };
    const first = add(fill(1));
    for (let i = 0; i < 3000; i++) {
      add(`organic question ${['alpha', 'beta', 'gamma', 'delta'][i % 4]} word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)}${String.fromCharCode(97 + ((i / 676) | 0) % 26)} about a topic that nobody else asks about`);
      if (i % 100 === 0) expect(add(fill(i + 2))).toBe(first);
    }
    expect(miner.size).toBeLessThanOrEqual(500);
  });

  it('hands out only ids it can resolve while it forgets one-off texts past its cap', () => {
    const miner = createTemplateMiner({ maxTemplates: 50 });
    const word = randomWords(12345);
    for (let i = 0; i < 400; i++) {
      const { shape, tokens } = shapeOfText(Array.from({ length: 20 }, word).join(' '));
      const id = miner.add(shape, tokens);
      expect(id).toBeGreaterThanOrEqual(0);
      expect(miner.get(id), `text ${i}`).toBeDefined();
    }
    expect(miner.size).toBeLessThanOrEqual(50);
  });

  it('stays within its cap when every text is sent twice, freeing a quarter of the room at a time, and keeps a busy template', () => {
    const maxTemplates = 100;
    const miner = createTemplateMiner({ maxTemplates });
    const word = randomWords(777);
    const busy = shapeOfText('You are a careful grader. Read the answer below and give it a score from one to ten with reasons.');
    const busyId = miner.add(busy.shape, busy.tokens);
    let sweeps = 0;
    const distinctTexts = 2000;
    for (let i = 0; i < distinctTexts; i++) {
      const { shape, tokens } = shapeOfText(Array.from({ length: 20 }, word).join(' '));
      const before = miner.size;
      miner.add(shape, tokens);
      miner.add(shape, tokens);
      miner.add(busy.shape, busy.tokens);
      if (miner.size < before) {
        sweeps++;
        expect(miner.size).toBeLessThanOrEqual(maxTemplates * 0.75 + 1);
      }
      expect(miner.size).toBeLessThanOrEqual(maxTemplates);
    }
    // One sweep per quarter of the room filled, not one per new template.
    expect(sweeps).toBeGreaterThan(0);
    expect(sweeps).toBeLessThanOrEqual(Math.ceil(distinctTexts / (maxTemplates / 4)) + 1);
    expect(miner.add(busy.shape, busy.tokens)).toBe(busyId);
  });

  it('keeps every surviving template\'s shape intact while forgotten ones make room for new ones', () => {
    const miner = createTemplateMiner({ maxTemplates: 40 });
    const word = randomWords(4242);
    // Texts sent twice keep their templates through sweeps; once-only ones are forgotten and
    // their room reused. Every template alive at the end must still hold its own shape.
    const shapes = new Map<number, number[]>();
    for (let i = 0; i < 600; i++) {
      const { shape, tokens } = shapeOfText(Array.from({ length: 18 }, word).join(' '));
      const id = miner.add(shape, tokens);
      if (i % 3 === 0) {
        miner.add(shape, tokens);
        shapes.set(id, Array.from(miner.get(id)!.tokens));
      }
    }
    let alive = 0;
    for (const template of miner.templates()) {
      const expected = shapes.get(template.id);
      if (expected === undefined) continue;
      alive++;
      expect(Array.from(template.tokens), `template ${template.id}`).toEqual(expected);
    }
    expect(alive).toBeGreaterThan(10);
  });

  it('groups lengths exactly up to 16 tokens and by half-octaves above', () => {
    expect(lengthGroupOf(5)).toBe(5);
    expect(lengthGroupOf(16)).toBe(16);
    expect(lengthGroupOf(17)).toBe(17);
    expect(lengthGroupOf(23)).toBe(18);
    expect(lengthGroupOf(64)).toBe(21);
  });
});
