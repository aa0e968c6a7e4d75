import { describe, expect, it } from 'vitest';
import { askExcerpt, distinctExcerpts } from './ask-excerpt.js';

const PREAMBLE = 'You are helping with a homework set for an introductory statistics course taught this term at the university. '.repeat(3);

describe('askExcerpt', () => {
  it('shows the ask a detector cited, not the boilerplate a long prompt opens with', () => {
    const cited = askExcerpt(`${PREAMBLE}What is the variance of 2, 4, 6? Show your work and think it through.`, 'cot_elicitation');
    expect(cited).toMatch(/^….*Show your work/);
    expect(cited.length).toBeLessThanOrEqual(160);
  });

  it('matches phrases with a wildcard word and keeps short prompts whole', () => {
    expect(askExcerpt(`${PREAMBLE}Please explain all of your reasoning.`, 'cot_elicitation')).toContain('explain all of your reasoning');
    expect(askExcerpt('Rewrite this so it is safe.', 'safe_rewrite')).toBe('Rewrite this so it is safe.');
  });

  it('falls back to the opening when no phrase is found as written', () => {
    expect(askExcerpt(`${PREAMBLE}s.h.o.w y.o.u.r w.o.r.k`, 'cot_elicitation')).toMatch(/^You are helping/);
  });

  it('puts excerpts that show the ask before those whose ask is not in the stored text', () => {
    expect(distinctExcerpts([`${PREAMBLE}(cut)`, 'Think step by step: 2 + 2?'], 'cot_elicitation', 2)).toEqual(['Think step by step: 2 + 2?', expect.stringMatching(/^You are helping/)]);
  });

  it('lists each excerpt once, as members of one template send the same prompt', () => {
    const prompt = `${PREAMBLE}Grade the response below against the rubric.`;
    expect(distinctExcerpts([prompt, prompt, `${PREAMBLE}Act as a judge: which answer is better?`], 'rubric_grading', 3)).toHaveLength(2);
  });
});
