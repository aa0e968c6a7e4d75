import type { Rng } from './seeded-rng.js';
import { sliceText } from './text-slice.js';
import {
  AGENT_NARRATION,
  CODE_INTROS,
  CODE_NOTES,
  CODE_SNIPPETS,
  GRADE_PHRASES,
  PROSE_BULLET_LEADS,
  PROSE_CLOSERS,
  PROSE_OPENERS,
  PROSE_SENTENCES,
  REASONING_PHRASES,
  REFUSALS,
  SAFE_ALTERNATIVES,
  STEP_VERBS,
} from './response-bank.js';

/**
 * Response and reasoning text of a requested length, recombined from the banks and from corpus
 * sentences. Lengths are what matter for the usage numbers (see `token-estimator.ts`); the text
 * only has to read like an answer of the right kind (prose, code, worked steps, a grade).
 */
export type ResponseStyle = 'prose' | 'code' | 'steps' | 'grade' | 'refusal' | 'label';

export interface TextSources {
  /** Statement sentences from the corpora. */
  sentences: readonly string[];
}

/** A short phrase naming what the prompt is about: its first words, cut at a word boundary. */
export function topicOf(prompt: string): string {
  const head = sliceText(prompt, 60);
  const newline = head.indexOf('\n');
  const line = newline > 10 ? head.slice(0, newline) : head;
  const cut = line.length >= 60 ? line.lastIndexOf(' ') : -1;
  return (cut > 20 ? line.slice(0, cut) : line).trim();
}

function sentence(rng: Rng, sources: TextSources): string {
  if (sources.sentences.length > 0 && rng.chance(0.45)) return rng.pick(sources.sentences);
  return rng.pick(PROSE_SENTENCES);
}

export function proseText(rng: Rng, target: number, topic: string, sources: TextSources): string {
  let text = rng.pick(PROSE_OPENERS);
  if (rng.chance(0.15) && topic.length > 0) text += `On "${topic}": `;
  let inParagraph = 0;
  let paragraphs = 0;
  while (text.length < target) {
    if (inParagraph >= 2 && rng.chance(0.4)) {
      paragraphs++;
      inParagraph = 0;
      if (rng.chance(0.3)) {
        text += `\n\n${rng.pick(PROSE_BULLET_LEADS)}`;
        const bullets = rng.range(2, 3);
        for (let i = 0; i < bullets && text.length < target; i++) text += `\n- ${sentence(rng, sources)}`;
        continue;
      }
      text += '\n\n';
    } else if (inParagraph > 0) {
      text += ' ';
    }
    text += sentence(rng, sources);
    inParagraph++;
  }
  return paragraphs > 0 || rng.chance(0.5) ? text + rng.pick(PROSE_CLOSERS) : text;
}

const IDENTIFIERS = ['process_items', 'parse_input', 'merge_records', 'compute_total', 'normalize', 'dedupe', 'load_config', 'find_path', 'group_by', 'validate'];

export function codeText(rng: Rng, target: number, language: string, sources: TextSources): string {
  const bank = CODE_SNIPPETS[language] ?? CODE_SNIPPETS.python!;
  const name = rng.pick(IDENTIFIERS);
  const camel = name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const typeName = camel.charAt(0).toUpperCase() + camel.slice(1);
  const parts: string[] = [rng.pick(CODE_INTROS), '\n\n'];
  let length = 0;
  let blocks = 0;
  const first = rng.int(bank.length);
  // Distinct snippets only: an answer does not repeat a code block.
  while (blocks === 0 || (length < target * 0.75 && blocks < Math.min(3, bank.length))) {
    const snippet = bank[(first + blocks) % bank.length]!.split('{name}').join(language === 'python' ? name : camel).split('{Name}').join(typeName);
    const block = '```' + language + '\n' + snippet + '```\n\n';
    parts.push(block);
    length += block.length;
    blocks++;
  }
  while (length < target) {
    const note = `- ${rng.chance(0.7) ? rng.pick(CODE_NOTES) : sentence(rng, sources)}\n`;
    parts.push(note);
    length += note.length;
  }
  return parts.join('');
}

export function stepsText(rng: Rng, target: number, topic: string): string {
  const parts: string[] = [rng.pick(['Let\'s work through this step by step.', 'Here is the reasoning, step by step.', 'We can solve this in a few steps.']), '\n\n'];
  let length = 50;
  let value = rng.range(2, 90);
  let step = 1;
  if (topic.length > 0) {
    const restate = `**Step 1: ${STEP_VERBS[0]}.** The problem says: ${topic}... Let the unknown quantity be x.\n\n`;
    parts.push(restate);
    length += restate.length;
    step = 2;
  }
  while (length < target - 60) {
    const operand = rng.range(2, 60);
    const op = rng.int(3);
    const next = op === 0 ? value + operand : op === 1 ? value * operand : Math.max(1, value - operand);
    // ASCII operators: one non-Latin-1 character makes V8 store the whole line as two-byte text.
    const symbol = op === 0 ? '+' : op === 1 ? '*' : '-';
    const line = `**Step ${step}: ${rng.pick(STEP_VERBS)}.** ${value} ${symbol} ${operand} = ${next}. ${rng.pick(['This follows from the previous step.', 'We keep this value for the next step.', 'Note the units stay the same.', 'This matches the condition in the problem.', ''])}\n\n`;
    parts.push(line);
    length += line.length;
    value = next;
    step++;
  }
  parts.push(`**Answer:** ${value}`);
  return parts.join('');
}

export function gradeText(rng: Rng, target: number, pairwise: boolean): string {
  const parts: string[] = [];
  let length = 0;
  let criterion = 1;
  while (length < target - 80) {
    const line = `**Criterion ${criterion}:** ${rng.pick(GRADE_PHRASES)} ${rng.pick(GRADE_PHRASES)} Score: ${rng.range(3, 10)}/10.\n\n`;
    parts.push(line);
    length += line.length;
    criterion++;
  }
  parts.push(pairwise ? `Overall, response ${rng.pick(['A', 'B'])} is better. Verdict: [[${rng.pick(['A', 'B', 'A', 'tie'])}]]` : `Overall score: ${rng.range(3, 10)}/10. Rating: [[${rng.range(3, 10)}]]`);
  return parts.join('');
}

export function refusalText(rng: Rng, target: number, sources: TextSources): string {
  let text = `${rng.pick(REFUSALS)} ${rng.pick(SAFE_ALTERNATIVES)}`;
  while (text.length < target) text += ` ${sentence(rng, sources)}`;
  return text;
}

/** What an agent says before a tool call when it is told to explain itself. */
export function narrationText(rng: Rng, target: number): string {
  let text = rng.pick(AGENT_NARRATION);
  while (text.length < target) text += ' ' + rng.pick(REASONING_PHRASES);
  return text;
}

/** Visible reasoning (thinking blocks, reasoning summaries): musing phrases around the topic. */
export function reasoningText(rng: Rng, target: number, topic: string): string {
  const parts: string[] = [topic.length > 0 ? `The user is asking about ${topic}. ` : 'Let me understand the request. '];
  let length = parts[0]!.length;
  while (length < target) {
    const phrase = rng.pick(REASONING_PHRASES) + (rng.chance(0.3) ? `\n\n` : ' ');
    parts.push(phrase);
    length += phrase.length;
    if (rng.chance(0.2)) {
      const a = rng.range(2, 99);
      const b = rng.range(2, 99);
      const math = `${a} + ${b} = ${a + b}, and ${a + b} * 2 = ${(a + b) * 2}. `;
      parts.push(math);
      length += math.length;
    }
  }
  return parts.join('').trimEnd();
}

export function synthesize(style: ResponseStyle, rng: Rng, target: number, topic: string, sources: TextSources, language = 'python'): string {
  switch (style) {
    case 'prose':
      return proseText(rng, target, topic, sources);
    case 'code':
      return codeText(rng, target, language, sources);
    case 'steps':
      return stepsText(rng, target, topic);
    case 'grade':
      return gradeText(rng, target, false);
    case 'refusal':
      return refusalText(rng, target, sources);
    case 'label':
      return topic;
  }
}

/** The language a coding prompt is most likely about, from cheap keyword checks on its head. */
export function languageOf(prompt: string): string {
  const head = prompt.length > 300 ? prompt.slice(0, 300) : prompt;
  const lower = head.toLowerCase();
  if (lower.includes('sql')) return 'sql';
  if (lower.includes('typescript') || lower.includes('react') || lower.includes('angular')) return 'typescript';
  if (lower.includes('javascript') || lower.includes('node') || lower.includes('html')) return 'javascript';
  if (lower.includes('golang') || lower.includes(' go ')) return 'go';
  if (lower.includes('rust')) return 'rust';
  if (lower.includes('java ') || lower.includes('java.')) return 'java';
  if (lower.includes('bash') || lower.includes('shell')) return 'bash';
  return 'python';
}
