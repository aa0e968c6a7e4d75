import { displayTokens, PAD, renderTemplate, SHAPE_HEAD, SHAPE_POSITIONS, SHAPE_TAIL, WILDCARD } from '../../features/index.js';

export interface TemplateFills {
  /** The template with its slots as `<*>`, read from the first text; null without texts. */
  text: string | null;
  /** What filled the slots, most frequent first. */
  fills: { value: string; count: number }[];
  /** Texts read, and the distinct fills among them (more than `fills` lists when many). */
  sampled: number;
  distinct: number;
}

/** The positions of a template's shape that hold a word (not a slot, not the padding of a short text). */
export function fixedPositions(tokens: readonly number[]): { position: number; token: number }[] {
  return tokens.flatMap((token, position) => (token === WILDCARD || token === PAD ? [] : [{ position, token }]));
}

/**
 * What varies between the texts that fill a template: of each text, its words from the
 * template's first slot to its last. The shape keeps a text's first and last eight words, so in
 * a longer text everything between those varies too. Counted over the texts, so the fills an
 * operator's harness pushes through one frame read as a list, next to the frame itself.
 */
export function templateFills(tokens: readonly number[], texts: readonly string[], { maxFills = 8, maxChars = 120 }: { maxFills?: number; maxChars?: number } = {}): TemplateFills {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const fill = fillOf(tokens, displayTokens(text), maxChars);
    if (fill !== '') counts.set(fill, (counts.get(fill) ?? 0) + 1);
  }
  // One value across several texts is no slot: the middle of a long fixed text (a system prompt).
  const varies = counts.size > 1 || texts.length === 1;
  const fills = varies ? [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)) : [];
  const template = { id: 0, tokens: Uint16Array.from(tokens), lengthGroup: 0, count: 0 };
  return { text: texts.length === 0 ? null : renderTemplate(template, texts[0]!), fills: fills.slice(0, maxFills), sampled: texts.length, distinct: fills.length };
}

function fillOf(tokens: readonly number[], words: readonly string[], maxChars: number): string {
  const n = words.length;
  const long = n > SHAPE_POSITIONS;
  let first = -1;
  let last = -1;
  for (let i = 0; i < SHAPE_POSITIONS; i++) {
    if (tokens[i] !== WILDCARD) continue;
    const at = long && i >= SHAPE_HEAD ? n - SHAPE_POSITIONS + i : i;
    if (at >= n) continue;
    first = first === -1 ? at : Math.min(first, at);
    last = Math.max(last, at);
  }
  if (long) {
    first = first === -1 ? SHAPE_HEAD : Math.min(first, SHAPE_HEAD);
    last = Math.max(last, n - SHAPE_TAIL - 1);
  }
  if (first === -1) return '';
  const fill = words.slice(first, last + 1).join(' ');
  return fill.length > maxChars ? `${fill.slice(0, maxChars - 1)}…` : fill;
}
