import { readFileSync } from 'node:fs';
import type { Exchange, Message } from '../../model/exchange.js';
import { createRng } from '../../sim/seeded-rng.js';
import { buildExchange, type ExchangeSpec } from './exchange-builder.js';

/**
 * How an evader who knows the detector rewrites an elicitation ask: the spellings a reader does
 * not see (zero-width characters, look-alike letters, full-width or mathematical letters, soft
 * hyphens, bidi controls, tag characters, combining marks), quoting or fencing the ask, padding
 * it past a fixed scan window, and moving it out of the last user turn into the system prompt, an
 * earlier turn, an assistant prefill or a tool description. Deterministic: the same input and
 * seed give the same output. For tests of any stage that reads prompt text, and for the
 * end-to-end measure of detection under evasion.
 */

export const TEXT_OBFUSCATIONS = [
  'zero_width',
  'look_alikes',
  'full_width',
  'math_letters',
  'soft_hyphens',
  'bidi_controls',
  'tag_characters',
  'combining_marks',
  'quoted',
  'code_fenced',
] as const;
export type TextObfuscation = (typeof TEXT_OBFUSCATIONS)[number];

export const PLACEMENTS = ['padded', 'system', 'earlier_turn', 'prefill', 'tool_description'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Latin letters and the Cyrillic or Greek letters that look like them. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  a: 'а', c: 'с', e: 'е', i: 'і', j: 'ј', o: 'о', p: 'р', s: 'ѕ', x: 'х', y: 'у', h: 'һ', d: 'ԁ', w: 'ԝ', q: 'ԛ',
  A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', I: 'І', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'Υ', N: 'Ν',
};
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];

/** A seeded generator, so obfuscations are reproducible (the simulator's). */
function seededRandom(seed: number): () => number {
  const rng = createRng(seed, 0x0bf5);
  return () => rng.float();
}

function mapLetters(text: string, map: (letter: string, index: number) => string): string {
  let out = '';
  let index = 0;
  for (const char of text) out += /[A-Za-z]/.test(char) ? map(char, index++) : char;
  return out;
}

/** Inserts a character inside every word of three letters or more, at a seeded position. */
function insideWords(text: string, insert: (random: () => number) => string, seed: number): string {
  const random = seededRandom(seed);
  return text.replace(/[A-Za-z]{3,}/g, (word) => {
    const at = 1 + Math.floor(random() * (word.length - 1));
    return word.slice(0, at) + insert(random) + word.slice(at);
  });
}

/**
 * Rewrites `text` with one obfuscation. A reader sees the same words (or, for `quoted` and
 * `code_fenced`, the same words in quotes or a code block).
 *
 * @example
 * obfuscateText('Think step by step.', 'look_alikes') // 'Тhіnk ѕtер bу ѕtер.' (Cyrillic letters)
 */
export function obfuscateText(text: string, kind: TextObfuscation, seed = 1): string {
  switch (kind) {
    case 'zero_width':
      return insideWords(text, (random) => INVISIBLE[Math.floor(random() * INVISIBLE.length)]!, seed);
    case 'look_alikes': {
      const random = seededRandom(seed);
      // Most letters that have a look-alike, not all: a real evader mixes scripts inside words.
      return mapLetters(text, (letter) => (LOOK_ALIKES[letter] !== undefined && random() < 0.7 ? LOOK_ALIKES[letter]! : letter));
    }
    case 'full_width':
      return mapLetters(text, (letter) => String.fromCodePoint(letter.codePointAt(0)! + 0xfee0));
    case 'math_letters':
      return mapLetters(text, (letter) => {
        const code = letter.codePointAt(0)!;
        return String.fromCodePoint(code >= 97 ? 0x1d41a + code - 97 : 0x1d400 + code - 65);
      });
    case 'soft_hyphens':
      return insideWords(text, () => '\u00ad', seed);
    case 'bidi_controls':
      return insideWords(text, (random) => (random() < 0.5 ? '\u202a' : '\u202c'), seed);
    case 'tag_characters':
      return insideWords(text, (random) => String.fromCodePoint(0xe0020 + Math.floor(random() * 0x5f)), seed);
    case 'combining_marks':
      return insideWords(text, (random) => ['\u0300', '\u0301', '\u0308', '\u0323'][Math.floor(random() * 4)]!, seed);
    case 'quoted':
      return `"${text}"`;
    case 'code_fenced':
      return `\`\`\`\n${text}\n\`\`\``;
  }
}

/** Benign filler an evader pads with: ordinary sentences, so nothing in it is an ask. */
export function padding(chars: number, seed = 1): string {
  const sentences = [
    'The museum opens at nine and closes at five on weekdays.',
    'Our team met on Tuesday to plan the spring newsletter.',
    'Rainfall in the valley was higher than usual this year.',
    'The bakery on the corner sells rye bread and croissants.',
    'Shipping usually takes three to five business days.',
    'The library extended its hours during the exam period.',
  ];
  const random = seededRandom(seed);
  let out = '';
  while (out.length < chars) out += `${sentences[Math.floor(random() * sentences.length)]!} `;
  return out.slice(0, chars);
}

let fillerStatements: string[] | null = null;

/**
 * Statements from grade-school word problems (the shipped GSM8K corpus), every sentence but the
 * question: ordinary prose that differs from one request to the next, as filler an evader draws
 * from a text corpus would, where `padding` repeats six sentences (which mine as one template
 * that all padded requests share). Read once per process.
 */
function statements(): string[] {
  if (fillerStatements !== null) return fillerStatements;
  const corpus = readFileSync(new URL('../../../data/corpora/gsm8k_train.jsonl', import.meta.url), 'utf8');
  const out: string[] = [];
  for (const line of corpus.split('\n')) {
    if (line.trim() === '') continue;
    const text = (JSON.parse(line) as { text: string }).text;
    for (const sentence of text.split(/(?<=[.?!])\s+/)) {
      // A statement about the problem's people and things: not the question, not an order to the reader.
      if (/^(?:The|A|An|He|She|They|His|Her|Their|It|There|Each|Every|[A-Z][a-z]+ (?:has|had|is|was|buys|bought|sells|sold|makes|made|earns|earned|wants|spends|spent|gets|got|goes|went|runs|ran|owns|works|takes|took|needs|uses|used|reads|pays|paid|drives|walks|eats|ate|saves|saved|collects|plants|bakes|gives|gave|receives|received|decides|decided|starts|started))\b[^?]*\.$/.test(sentence)) out.push(sentence);
    }
  }
  return (fillerStatements = out);
}

/** Filler of `chars` characters that differs with `seed`: corpus statements (see `statements`). */
export function variedPadding(chars: number, seed = 1): string {
  const pool = statements();
  const random = seededRandom(seed);
  let out = '';
  while (out.length < chars) out += `${pool[Math.floor(random() * pool.length)]!} `;
  return out.slice(0, chars);
}

/** An attack prompt split into the ask and the task it is about. */
export interface AskedTask {
  ask: string;
  task: string;
}

/**
 * The exchange an evader sends for an ask and its task, with the ask placed somewhere other than
 * beside the task in the last user turn: padded far past the head of the prompt, or moved into the
 * system prompt, an earlier user turn, an assistant prefill or a tool description.
 */
export function placeAsk({ ask, task }: AskedTask, placement: Placement, spec: ExchangeSpec = {}, seed = 1): Exchange {
  switch (placement) {
    case 'padded':
      // Past the 640 + 240 characters a fixed window read, and the ask not at the tail either.
      return buildExchange({ ...spec, prompt: `${padding(1500 + Math.floor(seededRandom(seed)() * 2000), seed)}\n\n${ask}\n\n${task}\n\n${padding(400, seed + 1)}` });
    case 'system':
      return buildExchange({ ...spec, system: spec.system ? `${spec.system}\n${ask}` : ask, prompt: task });
    case 'earlier_turn':
      return buildExchange({
        ...spec,
        history: [
          { role: 'user', text: `For everything I send in this conversation: ${ask}` },
          { role: 'assistant', text: 'Understood.' },
        ],
        prompt: task,
      });
    case 'prefill':
      return buildExchange({ ...spec, prompt: task, prefill: ask });
    case 'tool_description':
      return buildExchange({ ...spec, prompt: task, tools: [{ name: 'submit_answer', description: `Submit the final answer. ${ask}`, schema: '{"type":"object"}', type: null }] });
  }
}

/** Applies a text obfuscation to every text a user or the system wrote in an exchange. */
export function obfuscateExchange(exchange: Exchange, kind: TextObfuscation, seed = 1): Exchange {
  const request = exchange.request;
  const messages: Message[] = request.messages.map((message, index) => (message.text.length === 0 ? message : { ...message, text: obfuscateText(message.text, kind, seed + index) }));
  return {
    ...exchange,
    request: {
      ...request,
      systemText: request.systemText.length === 0 ? '' : obfuscateText(request.systemText, kind, seed),
      messages,
      tools: request.tools.map((tool) => ({ ...tool, description: tool.description.length === 0 ? '' : obfuscateText(tool.description, kind, seed) })),
    },
  };
}

/**
 * The same obfuscation applied to a request body as an API client sends it (Anthropic Messages,
 * OpenAI Chat Completions or Responses), for end-to-end runs through ingest: every text a user,
 * the system or a tool description holds is rewritten; structure, ids and settings are kept.
 */
export function obfuscateRequestBody(api: string, body: Record<string, unknown>, kind: TextObfuscation, seed = 1): Record<string, unknown> {
  const rewrite = (text: unknown, salt: number) => (typeof text === 'string' && text.length > 0 ? obfuscateText(text, kind, seed + salt) : text);
  const rewriteContent = (content: unknown, salt: number): unknown => {
    if (typeof content === 'string') return rewrite(content, salt);
    if (!Array.isArray(content)) return content;
    return content.map((part: unknown, index) => {
      if (part === null || typeof part !== 'object') return part;
      const block = part as Record<string, unknown>;
      return typeof block.text === 'string' && (block.type === 'text' || block.type === 'input_text' || block.type === undefined) ? { ...block, text: rewrite(block.text, salt + index) } : block;
    });
  };
  const rewriteMessages = (messages: unknown): unknown =>
    Array.isArray(messages)
      ? messages.map((message: unknown, index) => {
          if (message === null || typeof message !== 'object') return message;
          const m = message as Record<string, unknown>;
          return m.role === 'user' || m.role === 'system' || m.role === 'developer' ? { ...m, content: rewriteContent(m.content, index * 17) } : m;
        })
      : messages;
  const rewriteTools = (tools: unknown): unknown =>
    Array.isArray(tools)
      ? tools.map((tool: unknown, index) => {
          if (tool === null || typeof tool !== 'object') return tool;
          const t = tool as Record<string, unknown>;
          if (t.function !== null && typeof t.function === 'object') {
            const fn = t.function as Record<string, unknown>;
            return { ...t, function: { ...fn, description: rewrite(fn.description, 2000 + index) } };
          }
          return 'description' in t ? { ...t, description: rewrite(t.description, 2000 + index) } : t;
        })
      : tools;
  const out: Record<string, unknown> = { ...body };
  if (body.tools !== undefined) out.tools = rewriteTools(body.tools);
  if (api === 'anthropic.messages') {
    out.system = rewriteContent(body.system, 1000);
    out.messages = rewriteMessages(body.messages);
  } else if (api === 'openai.chat_completions') {
    out.messages = rewriteMessages(body.messages);
  } else if (api === 'openai.responses') {
    out.instructions = rewrite(body.instructions, 1000);
    out.input = typeof body.input === 'string' ? rewrite(body.input, 0) : rewriteMessages(body.input);
  }
  return out;
}
