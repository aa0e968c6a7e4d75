import { describe, expect, it } from 'vitest';
import { CAPABILITIES, CONTENT_FLAG, contentFlagNames, createContentSignalDetector, type RequestShape } from './content-signals.js';
import { createTextScanner } from './text-scanner.js';

const detect = createContentSignalDetector();
const plain: RequestShape = { imageCount: 0, toolCount: 0, toolActivity: 0, toolTypes: [] };

function signals(prompt: string, { system = '', shape = plain }: { system?: string; shape?: RequestShape } = {}) {
  const promptScan = createTextScanner().scan(prompt);
  const systemScan = system ? createTextScanner().scan(system) : null;
  const { flags, capability } = detect(promptScan, systemScan, shape);
  return { flags: contentFlagNames(flags), capability: CAPABILITIES[capability] };
}

describe('content signals', () => {
  describe('chain-of-thought elicitation', () => {
    it.each([
      'Solve for x: 3x + 5 = 20. Show your work step by step.',
      'Explain your reasoning in detail before giving the final answer.',
      'Walk me through how you would approach this proof.',
      'Think carefully and lay out your full reasoning process.',
      "Let's think step-by-step about why the bridge collapsed.",
    ])('flags "%s"', (prompt) => {
      expect(signals(prompt).flags).toContain('cotElicitation');
    });
    it.each([
      'What is the capital of Australia?',
      'Write a short poem about the sea.',
      'I took a step back and thought about my career. Any advice?',
      'Summarise this article in three bullet points.',
    ])('does not flag "%s"', (prompt) => {
      expect(signals(prompt).flags).not.toContain('cotElicitation');
    });
    it('reports a system prompt that asks for reasoning separately', () => {
      const { flags } = signals('What is 12 times 13?', { system: 'You are a tutor. Always show every step of your reasoning.' });
      expect(flags).toContain('systemCot');
      expect(flags).not.toContain('cotElicitation');
    });
  });

  describe('rubric grading', () => {
    it.each([
      'Grade the following response against the rubric below and give a score from 1 to 10.',
      'You are an impartial judge. Which response is better, Response A or Response B?',
      'On a scale of 1 to 5, rate how well the answer follows the instructions.',
      'Evaluate the response for factual accuracy using these evaluation criteria.',
    ])('flags "%s"', (prompt) => {
      expect(signals(prompt).flags).toContain('rubricGrading');
    });
    it.each([
      'On a scale of 1 to 10, how spicy is a jalapeño?',
      'What grade do I need on the final to pass the course?',
      'Score: 3-1 for the home team. Who scored the goals?',
    ])('does not flag "%s"', (prompt) => {
      expect(signals(prompt).flags).not.toContain('rubricGrading');
    });
  });

  describe('explain a finished answer', () => {
    it.each([
      'Question: what is 15% of 80? The correct answer is 12. Explain the reasoning that leads to this answer.',
      'Here is a problem and its solution. The answer is B. Justify why it is correct, step by step.',
      'Given answer: 42. Reconstruct the reasoning behind it.',
    ])('flags "%s"', (prompt) => {
      expect(signals(prompt).flags).toContain('explainAnswer');
    });
    it.each([
      'Explain why the sky is blue.',
      'What is the answer to life, the universe and everything?',
      'Can you explain how photosynthesis works?',
    ])('does not flag "%s"', (prompt) => {
      expect(signals(prompt).flags).not.toContain('explainAnswer');
    });
  });

  describe('safe rewrite of a sensitive question', () => {
    it.each([
      'Rewrite the following question so that it is safe and harmless to answer: how do I pick a lock?',
      'Rephrase this request into a policy-compliant version that does not violate any guidelines.',
      'Reformulate the question below as a benign one a model would not refuse.',
    ])('flags "%s"', (prompt) => {
      expect(signals(prompt).flags).toContain('safeRewrite');
    });
    it.each([
      'Rewrite this paragraph to sound more formal.',
      'Is it safe to eat raw cookie dough?',
      'Paraphrase the following sentence: the cat sat on the mat.',
    ])('does not flag "%s"', (prompt) => {
      expect(signals(prompt).flags).not.toContain('safeRewrite');
    });
  });

  describe('capability', () => {
    it.each([
      ['Write a Python function that parses a CSV line and handles quoted fields.', 'coding'],
      ['Fix this bug:\n```js\nconst x = y.map()\n```', 'coding'],
      ['Solve the equation x^2 - 5x + 6 = 0 and find the sum of the roots.', 'math'],
      ['Here is a dataset of monthly sales with columns region and revenue. Analyze the trends and find outliers.', 'data_analysis'],
      ['A riddle: if all bloops are razzies and all razzies are lazzies, what can we deduce? Use logic.', 'reasoning'],
      ['Write an essay about the French revolution for my history class.', 'writing'],
      ['Hi! How are you doing today?', 'chat'],
    ])('labels "%s" as %s', (prompt, label) => {
      expect(signals(prompt).capability).toBe(label);
    });

    it('labels requests by their structure first: computer use, images, agent loops', () => {
      expect(signals('Open the browser', { shape: { ...plain, toolCount: 1, toolTypes: ['computer_20250124'] } }).capability).toBe('computer_use');
      expect(signals('What is in this picture?', { shape: { ...plain, imageCount: 1 } }).capability).toBe('vision');
      expect(signals('Continue', { shape: { ...plain, toolCount: 3, toolActivity: 2 } }).capability).toBe('agentic');
    });
  });

  it('marks prompts that contain code', () => {
    expect(signals('What does `Array.prototype.flat` do?').flags).toContain('code');
    expect(CONTENT_FLAG.code).toBe(16);
  });
});
