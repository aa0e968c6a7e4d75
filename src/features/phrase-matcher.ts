import { createTextScanner } from './text-scanner.js';

/**
 * Finds short phrases in a scanned token sequence by their token hashes, so the detectors never
 * run a regular expression over prompt text. A phrase is a few words, `*` standing for any one
 * token and `#` for a number (`scale of # to #`); it is read through the same scanner as the
 * prompts, so `step-by-step` and `step by step` are the same phrase.
 *
 * Matching costs one bit test per token: a 64 Ki-bit filter over the phrases' first words lets
 * almost every token through untouched, and only the few that pass look up their phrases.
 */

export interface PhraseRule<Tag> {
  phrase: string;
  tag: Tag;
}

export interface PhraseMatcher<Tag> {
  /** Calls `onMatch` once per occurrence of each phrase in `tokens[0..count)`. */
  match(tokens: Int32Array, count: number, onMatch: (tag: Tag) => void): void;
  readonly phraseCount: number;
}

const ANY_TOKEN = 0;

interface CompiledPhrase<Tag> {
  /** Token hashes after the first; `ANY_TOKEN` matches any token. */
  rest: Int32Array;
  tag: Tag;
}

/** Compiles phrase rules; throws on a phrase the scanner reads as no words (a bug in a table). */
export function createPhraseMatcher<Tag>(rules: readonly PhraseRule<Tag>[]): PhraseMatcher<Tag> {
  const scanner = createTextScanner({ headChars: 1000, tailChars: 0, maxTokens: 64 });
  const byFirst = new Map<number, CompiledPhrase<Tag>[]>();
  const filter = new Uint8Array(8192);
  for (const rule of rules) {
    const tokens = phraseTokens(rule.phrase, scanner);
    if (tokens.length === 0 || tokens[0] === ANY_TOKEN) throw new Error(`phrase "${rule.phrase}" must start with a word`);
    const first = tokens[0]!;
    const list = byFirst.get(first) ?? [];
    list.push({ rest: Int32Array.from(tokens.slice(1)), tag: rule.tag });
    byFirst.set(first, list);
    filter[(first & 0xffff) >>> 3]! |= 1 << (first & 7);
  }
  return {
    phraseCount: rules.length,
    match(tokens, count, onMatch) {
      for (let i = 0; i < count; i++) {
        const token = tokens[i]!;
        if ((filter[(token & 0xffff) >>> 3]! & (1 << (token & 7))) === 0) continue;
        const phrases = byFirst.get(token);
        if (phrases === undefined) continue;
        for (const phrase of phrases) {
          const rest = phrase.rest;
          if (i + rest.length >= count) continue;
          let ok = true;
          for (let j = 0; j < rest.length; j++) {
            const want = rest[j]!;
            if (want !== ANY_TOKEN && tokens[i + 1 + j] !== want) {
              ok = false;
              break;
            }
          }
          if (ok) onMatch(phrase.tag);
        }
      }
    },
  };
}

function phraseTokens(phrase: string, scanner: ReturnType<typeof createTextScanner>): number[] {
  const out: number[] = [];
  for (const word of phrase.trim().split(/\s+/)) {
    if (word === '*') {
      out.push(ANY_TOKEN);
      continue;
    }
    const scan = scanner.scan(word === '#' ? '1' : word);
    for (let i = 0; i < scan.count; i++) out.push(scan.tokens[i]!);
  }
  return out;
}
