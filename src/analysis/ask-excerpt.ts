import { CONTENT_PHRASES } from '../features/content-signals.js';
import { excerpt } from '../scoring/index.js';

/** The phrases each elicitation detector cites a prompt for: the ask, not its context words. */
const ASK_PHRASES: Readonly<Record<string, readonly string[]>> = {
  cot_elicitation: CONTENT_PHRASES.cot_elicitation,
  rubric_grading: [...CONTENT_PHRASES.rubric_grading.strong, ...CONTENT_PHRASES.rubric_grading.score_ask],
  explain_answer: CONTENT_PHRASES.explain_answer.explain_ask,
  safe_rewrite: CONTENT_PHRASES.safe_rewrite.rewrite_ask,
};

const patterns = new Map<string, RegExp | null>();

function patternFor(signal: string): RegExp | null {
  if (!patterns.has(signal)) {
    const phrases = ASK_PHRASES[signal];
    const alternatives = (phrases ?? []).map((phrase) =>
      phrase
        .split('*')
        .map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
        .join('\\s+(?:\\S+\\s+){1,3}'),
    );
    patterns.set(signal, alternatives.length === 0 ? null : new RegExp(`\\b(?:${alternatives.join('|')})`, 'i'));
  }
  return patterns.get(signal)!;
}

/**
 * An excerpt of a prompt that shows what an elicitation detector cited it for: the text around
 * the first ask it matched (a prompt's opening is often the same boilerplate in every request
 * of a template). Falls back to the opening when the ask was only found after normalising
 * obfuscated text.
 *
 * @example askExcerpt(longPreamble + ' Show your work.', 'cot_elicitation') // '… Show your work.'
 */
export function askExcerpt(text: string, signal: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const match = patternFor(signal)?.exec(flat);
  if (match === null || match === undefined || flat.length <= max) return excerpt(flat, max);
  const start = Math.max(0, Math.min(match.index - Math.floor(max / 3), flat.length - (max - 1)));
  const body = flat.slice(start, start + max - (start > 0 ? 2 : 1));
  return `${start > 0 ? '…' : ''}${body}${start + body.length < flat.length ? '…' : ''}`;
}

/**
 * Excerpts for one evidence item, each different (members of a template send the same prompt),
 * those where the ask is in the stored text first: under `--text excerpt` it may lie past what
 * was kept, or in the system prompt or an earlier turn.
 */
export function distinctExcerpts(texts: Iterable<string>, signal: string, limit: number): string[] {
  const withAsk: string[] = [];
  const without: string[] = [];
  const pattern = patternFor(signal);
  for (const text of texts) {
    if (withAsk.length >= limit) break;
    const cited = askExcerpt(text, signal);
    const list = pattern !== null && pattern.test(text.replace(/\s+/g, ' ')) ? withAsk : without;
    if (!withAsk.includes(cited) && !without.includes(cited)) list.push(cited);
  }
  return [...withAsk, ...without].slice(0, limit);
}
