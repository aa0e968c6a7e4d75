import { describe, expect, it } from 'vitest';
import { CAPABILITY_CODE, CONTENT_FLAG, PROMPT_LANGUAGES } from './content-signals.js';
import { createExchangeFeatureExtractor, shapeOfText } from './exchange-features.js';
import { SHAPE_WORDS, packShape } from './template-shape.js';
import { buildExchange } from './test-support/exchange-builder.js';
import { padding } from './test-support/obfuscation.js';

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

  it('labels a computer-use loop built on function tools as computer use, whatever its images', () => {
    const functions = (...names: string[]) => names.map((name) => ({ name, description: '', schema: '{}', type: null }));
    const step = (tools: ReturnType<typeof functions>) => extract(buildExchange({ prompt: 'Open the settings and switch to dark mode.', tools, toolResults: 1 })).capability;
    expect(step(functions('click', 'double_click', 'scroll', 'type_text', 'press_key', 'screenshot'))).toBe(CAPABILITY_CODE.computer_use);
    expect(step(functions('read_file', 'write_file', 'run_tests'))).toBe(CAPABILITY_CODE.agentic);
    // The same agent's tools stop being a screen's once the pointer actions are gone.
    expect(step(functions('type_text', 'press_key', 'screenshot'))).toBe(CAPABILITY_CODE.agentic);
  });
});

describe('exchange features: every part the model reads, within a budget', () => {
  const extract = createExchangeFeatureExtractor();
  const filler = (chars: number) => 'The weather report said it would be mild and dry. '.repeat(Math.ceil(chars / 51)).slice(0, chars);

  it('marks prompts that contain code', () => {
    expect(extract(buildExchange({ prompt: 'What does `Array.prototype.flat` do?' })).contentFlags & CONTENT_FLAG.code).not.toBe(0);
  });

  it('finds an ask placed past the head and before the tail of a long prompt', () => {
    const prompt = `${filler(3000)} Explain your reasoning step by step. ${filler(1500)}`;
    expect(extract(buildExchange({ prompt })).contentFlags & CONTENT_FLAG.cotElicitation).not.toBe(0);
  });

  it('keeps the template features of a long prompt with no ask what its head and tail windows give', () => {
    const prompt = `${filler(3000)} The middle of this one says nothing new. ${filler(1500)}`;
    const features = extract(buildExchange({ prompt }));
    const expected = new Uint32Array(SHAPE_WORDS);
    packShape(shapeOfText(prompt).shape, expected);
    expect([...features.promptShape]).toEqual([...expected]);
    expect(features.promptTokens).toBe(shapeOfText(prompt).tokens);
  });

  it('reads the template of a padded prompt from the line its ask is on, as the unpadded prompt has it', () => {
    const ask = 'Solve the following problem. Think step by step and show your work before the final answer.';
    const tasks = ['Natalia sold clips to 48 of her friends in April. How many did she sell?', 'A train travels 60 miles per hour for 2 hours. How far does it go?'];
    const head = (shape: Uint32Array) => [...shape.slice(0, SHAPE_WORDS / 2)];
    const clean = tasks.map((task) => head(extract(buildExchange({ prompt: `${ask}\n\n${task}` })).promptShape));
    expect(clean[1]).toEqual(clean[0]);
    // Fillers of other lengths and words before and after it: what the head window reads differs.
    const paddings = [`${filler(1500)}\n\n`, `${'Rainfall in the valley was higher than usual. '.repeat(60)}\n`];
    for (const [index, task] of tasks.entries()) {
      for (const before of paddings) {
        const prompt = `${before}${ask}\n\n${task}\n\n${filler(400 + 97 * index)}`;
        expect(head(extract(buildExchange({ prompt })).promptShape), prompt.slice(0, 40)).toEqual(clean[0]);
      }
    }
    // An ask in the head window leaves the template where it was.
    const early = `${ask}\n\n${tasks[0]}\n\n${filler(3000)}`;
    const expected = new Uint32Array(SHAPE_WORDS);
    packShape(shapeOfText(early).shape, expected);
    expect([...extract(buildExchange({ prompt: early })).promptShape]).toEqual([...expected]);
  });

  it('reads the template of a padded prompt with no ask from its first request, and leaves out trailing statements', () => {
    const prompts = [
      'Write a Python function that returns the n-th Fibonacci number using memoization.',
      'What is the capital of Australia, and why was it chosen over Sydney?',
      'Here is a list of cities: Lyon, Porto, Graz.\nDescribe the climate of each one in two sentences.',
      'Write a haiku about autumn leaves.\n\nCan you also give it a title?',
      'Hi, I need help with my profit margin. My revenue was $50000 and my cost was $30000.',
      'I want you to act as a travel guide. I will tell you my location and you will suggest places to visit.',
      // An instruction and its input: the input stays in the template, only the filler after it goes.
      'Edit the given sentence for proper grammar.\n\nI seen the movie last night at the theater.',
    ];
    const paddings = [`${filler(1500)}\n\n`, `${'Rainfall in the valley was higher than usual. '.repeat(60)}\n\n`];
    const templateOf = (prompt: string) => {
      const features = extract(buildExchange({ prompt }));
      return { shape: [...features.promptShape], sketch: [...features.promptSketch], capability: features.capability };
    };
    for (const [index, prompt] of prompts.entries()) {
      const clean = templateOf(prompt);
      for (const before of paddings) {
        const padded = `${before}${prompt}\n\n${filler(400 + 97 * index)}`;
        expect(templateOf(padded), padded.slice(-60)).toEqual(clean);
      }
    }
    // A request in the head window leaves the template where it was, and so does a long prompt of statements only.
    for (const prompt of [`What is the capital of Australia?\n\n${filler(3000)}\n\nWrite a haiku about it.`, `${filler(3000)}\n\nThe middle says nothing new.\n\n${filler(600)}`]) {
      const expected = new Uint32Array(SHAPE_WORDS);
      packShape(shapeOfText(prompt).shape, expected);
      expect([...extract(buildExchange({ prompt })).promptShape]).toEqual([...expected]);
    }
  });

  it('reads earlier turns, a prefill and tool descriptions, and says where the ask was', () => {
    const earlier = extract(buildExchange({ prompt: 'And the next one: 17 * 23?', history: [{ role: 'user', text: 'Always show your work.' }, { role: 'assistant', text: 'OK.' }] }));
    expect(earlier.contentFlags & (CONTENT_FLAG.cotElicitation | CONTENT_FLAG.earlierTurn)).toBe(CONTENT_FLAG.cotElicitation | CONTENT_FLAG.earlierTurn);
    const prefill = extract(buildExchange({ prompt: 'What is 17 * 23?', prefill: "Let's think step by step." }));
    expect(prefill.contentFlags & (CONTENT_FLAG.cotElicitation | CONTENT_FLAG.prefill)).toBe(CONTENT_FLAG.cotElicitation | CONTENT_FLAG.prefill);
    const tool = { name: 'answer', description: 'Report the answer. Grade the response on a scale of 1 to 10.', schema: '{}', type: null };
    const tools = extract(buildExchange({ prompt: 'Here is the response: 391.', tools: [tool] }));
    expect(tools.contentFlags & (CONTENT_FLAG.rubricGrading | CONTENT_FLAG.toolDescription)).toBe(CONTENT_FLAG.rubricGrading | CONTENT_FLAG.toolDescription);
  });

  it('reads no more than its budget of a huge conversation, most recent turns first', () => {
    const history = Array.from({ length: 200 }, (_, i) => ({ role: 'user' as const, text: `${i === 199 ? 'Show your work. ' : ''}${filler(5000)}` }));
    const small = createExchangeFeatureExtractor({ detectionBudget: 4096 });
    expect(small(buildExchange({ prompt: 'Next?', history })).contentFlags & CONTENT_FLAG.earlierTurn).not.toBe(0);
    const oldest = history.map((turn, i) => (i === 0 ? { ...turn, text: `Show your work. ${turn.text}` } : { ...turn, text: filler(5000) }));
    expect(small(buildExchange({ prompt: 'Next?', history: oldest })).contentFlags & CONTENT_FLAG.earlierTurn).toBe(0);
  });

  it('stores the language of the prompt', () => {
    expect(PROMPT_LANGUAGES[extract(buildExchange({ prompt: 'Wie wird das Wetter morgen in Berlin?' })).promptLanguage]).toBe('de');
    expect(PROMPT_LANGUAGES[extract(buildExchange({ prompt: '请一步一步地解答这道题。' })).promptLanguage]).toBe('zh');
  });
});

describe('exchange features: follow-up probes', () => {
  const extract = createExchangeFeatureExtractor();
  const history = [
    { role: 'user' as const, text: 'A train leaves at 3 pm at 60 km/h; a second at 4 pm at 90 km/h. When does the second catch up?' },
    { role: 'assistant' as const, text: 'The second train catches up at 6 pm, 180 km from the station.' },
  ];
  const probed = (spec: Parameters<typeof buildExchange>[0]) => (extract(buildExchange(spec)).contentFlags & CONTENT_FLAG.followUpProbe) !== 0;

  it('marks a short turn that probes the answer before it', () => {
    expect(probed({ history, prompt: 'Why? Justify each step and list the assumptions you made.' })).toBe(true);
    expect(probed({ history, prompt: 'Are you sure? Try a different method.' })).toBe(true);
  });

  it('does not mark the same words without an answer before them, or in a turn that brings a task of its own', () => {
    expect(probed({ prompt: 'Why is the sky blue?' })).toBe(false);
    expect(probed({ history: [history[0]!], prompt: 'Why? Justify each step.' })).toBe(false);
    const newTask = `Thanks. Now a different problem: ${'a tank holds 500 litres and drains at 12 litres a minute while a pump adds 5 litres a minute; '.repeat(3)}why does it empty when it does?`;
    expect(probed({ history, prompt: newTask })).toBe(false);
  });

  it('still marks a probe put between filler statements, and not filler around a new task', () => {
    const padded = (text: string) => `${padding(1500, 3)}\n\n${text}\n\n${padding(400, 4)}`;
    expect(probed({ history, prompt: padded('Why? Justify each step and list the assumptions you made.') })).toBe(true);
    expect(probed({ history, prompt: padded('Are you sure? Try a different method.') })).toBe(true);
    const newTask = `Thanks. Now a different problem: ${'a tank holds 500 litres and drains at 12 litres a minute while a pump adds 5 litres a minute; '.repeat(3)}why does it empty when it does?`;
    expect(probed({ history, prompt: padded(newTask) })).toBe(false);
    // Filler alone, with no probe in the request, is no probe either.
    expect(probed({ history, prompt: padded('Please continue.') })).toBe(false);
  });
});

describe('exchange features: images are part of the prompt', () => {
  const extract = createExchangeFeatureExtractor();
  const key = (spec: Parameters<typeof buildExchange>[0]) => {
    const features = extract(buildExchange(spec));
    return [features.promptHashHi, features.promptHashLo];
  };

  it('tells one instruction over two pictures apart, and sees the same picture sent again as a repeat', () => {
    const prompt = 'Describe this image in detail.';
    expect(key({ prompt, imageCount: 1, imageKey: 11 })).not.toEqual(key({ prompt, imageCount: 1, imageKey: 12 }));
    expect(key({ prompt, imageCount: 1, imageKey: 11 })).toEqual(key({ prompt, imageCount: 1, imageKey: 11 }));
    expect(key({ prompt })).not.toEqual(key({ prompt, imageCount: 1, imageKey: 11 }));
    expect(key({ prompt: '', imageCount: 1, imageKey: 11 })).not.toEqual([0, 0]);
  });
});
