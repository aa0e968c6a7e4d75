import { WORD_FIELD, createTextScanner } from './text-scanner.js';

/**
 * Finds short phrases in a scanned token sequence by their token hashes, so the detectors never
 * run a regular expression over prompt text. A phrase is a few words, `*` standing for any one
 * token and `#` for a number (`scale of # to #`); a word written with a trailing colon
 * (`reasoning:`) matches only a field label (`WORD_FIELD`). Phrases are read through the same
 * scanner as the prompts, so `step-by-step` and `step by step` are the same phrase, a phrase in
 * another script is normalised like the text, and a phrase in Chinese or Japanese is a sequence
 * of one-character tokens.
 *
 * Matching costs one bit test per token: a 64 Ki-bit filter over the phrases' first words lets
 * almost every token through untouched, and only the few that pass look up their phrases.
 */

export interface PhraseRule<Tag> {
  phrase: string;
  tag: Tag;
}

export interface PhraseMatcher<Tag> {
  /**
   * Calls `onMatch` once per occurrence of each phrase in `tokens[0..count)`, in order of the
   * phrase's start, with the start position and the phrase's length in tokens. `flags` (the
   * scanner's `wordFlags`) is needed for phrases with field labels; without it they never match.
   */
  match(tokens: Int32Array, count: number, onMatch: (tag: Tag, position: number, length: number) => void, flags?: Uint8Array): void;
  readonly phraseCount: number;
}

const ANY_TOKEN = 0;

interface CompiledPhrase<Tag> {
  /** Token hashes after the first two; `ANY_TOKEN` matches any token. */
  rest: Int32Array;
  /** `WORD_FIELD` where a token must be a field label, one per token (the first included). */
  fields: Uint8Array | null;
  tag: Tag;
  length: number;
}

/** The phrases that start with one token: one-word phrases, and the longer ones by their second token. */
interface FirstGroup<Tag> {
  singles: CompiledPhrase<Tag>[];
  /** Phrases whose second token is `*`. */
  anySecond: CompiledPhrase<Tag>[];
  hasPairs: boolean;
}

/**
 * Open addressing over 32-bit token keys (one or two tokens mixed): a `Map` would box half of
 * the hashes, which do not fit a small integer, on every look-up.
 */
class TokenTable<Value> {
  private readonly keys: Int32Array;
  private readonly firsts: Int32Array;
  private readonly used: Uint8Array;
  private readonly values: (Value | undefined)[];
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Int32Array(size);
    this.firsts = new Int32Array(size);
    this.used = new Uint8Array(size);
    // Filled up front: an array written at scattered indices would fall back to a dictionary.
    this.values = new Array<Value | undefined>(size).fill(undefined);
    this.mask = size - 1;
  }

  get(first: number, second: number): Value | undefined {
    const key = mixKey(first, second);
    let slot = key & this.mask;
    while (this.used[slot] !== 0) {
      if (this.keys[slot] === second && this.firsts[slot] === first) return this.values[slot];
      slot = (slot + 1) & this.mask;
    }
    return undefined;
  }

  getOrAdd(first: number, second: number, make: () => Value): Value {
    const key = mixKey(first, second);
    let slot = key & this.mask;
    while (this.used[slot] !== 0) {
      if (this.keys[slot] === second && this.firsts[slot] === first) return this.values[slot]!;
      slot = (slot + 1) & this.mask;
    }
    this.used[slot] = 1;
    this.keys[slot] = second;
    this.firsts[slot] = first;
    const value = make();
    this.values[slot] = value;
    return value;
  }
}

function mixKey(first: number, second: number): number {
  let h = Math.imul(first ^ Math.imul(second, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return h;
}

/** Compiles phrase rules; throws on a phrase the scanner reads as no words (a bug in a table). */
export function createPhraseMatcher<Tag>(rules: readonly PhraseRule<Tag>[]): PhraseMatcher<Tag> {
  const scanner = createTextScanner({ headChars: 1000, tailChars: 0, maxTokens: 64 });
  const firsts = new TokenTable<FirstGroup<Tag>>(rules.length);
  const pairs = new TokenTable<CompiledPhrase<Tag>[]>(rules.length);
  const filter = new Uint8Array(8192);
  // Pairs of first and second tokens, so that a common first word ("the", a number) costs one
  // more bit test instead of a table probe when the word after it starts no phrase.
  const pairFilter = new Uint8Array(8192);
  for (const rule of rules) {
    const { tokens, fields } = phraseTokens(rule.phrase, scanner);
    if (tokens.length === 0 || tokens[0] === ANY_TOKEN) throw new Error(`phrase "${rule.phrase}" must start with a word`);
    const first = tokens[0]!;
    const phrase: CompiledPhrase<Tag> = {
      rest: Int32Array.from(tokens.slice(2)),
      fields: fields.some((flag) => flag !== 0) ? Uint8Array.from(fields) : null,
      tag: rule.tag,
      length: tokens.length,
    };
    const group = firsts.getOrAdd(first, 0, () => ({ singles: [], anySecond: [], hasPairs: false }));
    if (tokens.length === 1) group.singles.push(phrase);
    else if (tokens[1] === ANY_TOKEN) group.anySecond.push(phrase);
    else {
      group.hasPairs = true;
      pairs.getOrAdd(first, tokens[1]!, () => []).push(phrase);
      const bit = mixKey(first, tokens[1]!) & 0xffff;
      pairFilter[bit >>> 3]! |= 1 << (bit & 7);
    }
    filter[(first & 0xffff) >>> 3]! |= 1 << (first & 7);
  }

  function check(phrase: CompiledPhrase<Tag>, tokens: Int32Array, count: number, i: number, flags: Uint8Array | undefined): boolean {
    const rest = phrase.rest;
    if (i + phrase.length > count) return false;
    for (let j = 0; j < rest.length; j++) {
      const want = rest[j]!;
      if (want !== ANY_TOKEN && tokens[i + 2 + j] !== want) return false;
    }
    const fields = phrase.fields;
    if (fields !== null) {
      for (let j = 0; j < fields.length; j++) {
        if (fields[j] !== 0 && (flags === undefined || (flags[i + j]! & WORD_FIELD) === 0)) return false;
      }
    }
    return true;
  }

  return {
    phraseCount: rules.length,
    match(tokens, count, onMatch, flags) {
      for (let i = 0; i < count; i++) {
        const token = tokens[i]!;
        if ((filter[(token & 0xffff) >>> 3]! & (1 << (token & 7))) === 0) continue;
        const group = firsts.get(token, 0);
        if (group === undefined) continue;
        // Phrases are reported shortest first among those starting here; detectors only need
        // every match once, in order of start.
        const singles = group.singles;
        for (let k = 0; k < singles.length; k++) {
          const phrase = singles[k]!;
          if (phrase.fields === null || check(phrase, tokens, count, i, flags)) onMatch(phrase.tag, i, 1);
        }
        if (i + 1 >= count) continue;
        const anySecond = group.anySecond;
        for (let k = 0; k < anySecond.length; k++) {
          const phrase = anySecond[k]!;
          if (check(phrase, tokens, count, i, flags)) onMatch(phrase.tag, i, phrase.length);
        }
        if (!group.hasPairs) continue;
        const bit = mixKey(token, tokens[i + 1]!) & 0xffff;
        if ((pairFilter[bit >>> 3]! & (1 << (bit & 7))) === 0) continue;
        const paired = pairs.get(token, tokens[i + 1]!);
        if (paired === undefined) continue;
        for (const phrase of paired) if (check(phrase, tokens, count, i, flags)) onMatch(phrase.tag, i, phrase.length);
      }
    },
  };
}

function phraseTokens(phrase: string, scanner: ReturnType<typeof createTextScanner>): { tokens: number[]; fields: number[] } {
  const tokens: number[] = [];
  const fields: number[] = [];
  for (const word of phrase.trim().split(/\s+/)) {
    if (word === '*') {
      tokens.push(ANY_TOKEN);
      fields.push(0);
      continue;
    }
    const scan = scanner.scan(word === '#' ? '1' : word);
    for (let i = 0; i < scan.wordCount; i++) {
      tokens.push(scan.words[i]!);
      fields.push(scan.wordFlags[i]! & WORD_FIELD);
    }
  }
  return { tokens, fields };
}
