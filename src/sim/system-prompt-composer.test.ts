import { describe, expect, it } from 'vitest';
import { CAMPAIGN_TASKS } from './scenario-schema.js';
import { composeSystemPrompts } from './system-prompt-composer.js';

describe('system prompt composer', () => {
  it.each(CAMPAIGN_TASKS)('composes 50 distinct system prompts for %s, the same for the same seed', (task) => {
    const prompts = composeSystemPrompts(task, 50, 7);
    expect(new Set(prompts).size).toBe(50);
    expect(composeSystemPrompts(task, 50, 7)).toEqual(prompts);
    expect(composeSystemPrompts(task, 50, 8)).not.toEqual(prompts);
    for (const prompt of prompts) expect(prompt).toMatch(/^(You are|Act as|ROLE:|You will play|# Role)/);
  });

  it('gives a campaign with fewer prompts a prefix of the same rotation', () => {
    expect(composeSystemPrompts('cot', 5, 3)).toEqual(composeSystemPrompts('cot', 20, 3).slice(0, 5));
  });
});
