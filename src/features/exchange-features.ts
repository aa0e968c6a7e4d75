import { lastUserText, type Exchange, type Message } from '../model/exchange.js';
import { fmix32 } from '../util/hash64.js';
import { CONTENT_FLAG, createContentSignalDetector, isObfuscated, partFlags, screenActionsOf, type RequestPart, type RequestShape } from './content-signals.js';
import { SKETCH_BINS, SKETCH_WORDS, computeMinHashSketch } from './minhash-sketch.js';
import { createTextScanner, isSpace, SLOT_BREAK, SLOT_SENTENCE, WHOLE_QUOTES, wordHash, type TextScan, type TextScannerOptions } from './text-scanner.js';
import { SHAPE_POSITIONS, SHAPE_WORDS, packShape, shapeOfScan } from './template-shape.js';
import { isAsciiLetter } from './text-normalizer.js';

/**
 * The content features of one exchange, computed from its full text at ingest and stored as
 * numbers, so analysis works the same whether the store keeps the text or not.
 */
export interface ExchangeFeatures {
  /** `CONTENT_FLAG` bits. */
  contentFlags: number;
  /** Index into `CAPABILITIES`. */
  capability: number;
  /** Index into `PROMPT_LANGUAGES`. */
  promptLanguage: number;
  /** Hash of the last user prompt as written (numbers included): equal for verbatim repeats. */
  promptHashHi: number;
  promptHashLo: number;
  /** MinHash sketch of the prompt (4 words of two 16-bit bins), all zero for an empty prompt. */
  promptSketch: Uint32Array;
  /** Estimated tokens (words and slots) in the prompt, or in the part its template is read from when anchored. */
  promptTokens: number;
  /** Template shape of the prompt, packed (8 words). */
  promptShape: Uint32Array;
  systemTokens: number;
  systemShape: Uint32Array;
}

export type ExchangeFeatureExtractor = (exchange: Exchange) => ExchangeFeatures;

export interface ExchangeFeatureOptions {
  /**
   * Characters of text the elicitation detectors read per exchange, over every part the model
   * reads. Parts that fit are read whole; longer ones share what is left equally and are read at
   * their head and tail plus sampled windows of their middle.
   */
  detectionBudget?: number;
  /** Seeds where sampled windows fall; a deployment can set its own so padding cannot aim at the gaps. */
  sampleSeed?: number;
}

/** How much of the prompt the template features read: the instruction of a prompt sits at its head or tail. */
export const PROMPT_SCAN: Readonly<TextScannerOptions> = { headChars: 640, tailChars: 240, maxTokens: 512 };
/** System prompts are long and fixed: their head and tail carry the template and the framing. */
export const SYSTEM_SCAN: Readonly<TextScannerOptions> = { headChars: 320, tailChars: 120, maxTokens: 256 };
/** Default `detectionBudget`. */
export const DETECTION_BUDGET = 6144;
/** Head and tail shares of a part read for detection only (earlier turns, prefill, tools). */
const PART_SCAN: Readonly<TextScannerOptions> = { headChars: 384, tailChars: 192, template: false };
/** A part with less than this left of the budget is not read. */
const MIN_PART_CHARS = 48;
/** What each part gets, in order, when there are too many for an equal share of the budget. */
const SMALL_SLICE = 192;
/** An assistant reply at least this long answered the user turn before it. */
const ANSWERED_CHARS = 200;
/** Parts considered per exchange; in a longer conversation the most recent turns come first. */
const MAX_PARTS = 256;

/**
 * The template shape and token count of a text as ingest computes them, for tests and for
 * matching stored text to mined templates.
 */
export function shapeOfText(text: string, kind: 'prompt' | 'system' = 'prompt'): { shape: Uint16Array; tokens: number } {
  const scan = createTextScanner(kind === 'prompt' ? PROMPT_SCAN : SYSTEM_SCAN).scan(text);
  const shape = new Uint16Array(SHAPE_POSITIONS);
  shapeOfScan(scan, shape);
  return { shape, tokens: scan.estimatedTokens };
}

/**
 * Creates an extractor with its own scanners and buffers; the features object it returns is
 * reused by the next call, so copy what you keep. One per thread (the ingest parser threads
 * each hold one), budgeted at a few microseconds per exchange.
 *
 * @example
 * const extract = createExchangeFeatureExtractor();
 * const features = extract(exchange);
 * const elicits = (features.contentFlags & CONTENT_FLAG.cotElicitation) !== 0;
 */
export function createExchangeFeatureExtractor({ detectionBudget = DETECTION_BUDGET, sampleSeed }: ExchangeFeatureOptions = {}): ExchangeFeatureExtractor {
  const maxWords = detectionBudget + 64;
  const promptScanner = createTextScanner({ ...PROMPT_SCAN, maxWords, sampleSeed });
  const systemScanner = createTextScanner({ ...SYSTEM_SCAN, maxWords, sampleSeed });
  const partScanner = createTextScanner({ ...PART_SCAN, maxWords, sampleSeed });
  const anchoredScanner = createTextScanner(PROMPT_SCAN);
  const detector = createContentSignalDetector();
  const shape = new Uint16Array(SHAPE_POSITIONS);
  const binScratch = new Uint32Array(SKETCH_BINS);
  const plan = createBudgetPlan(detectionBudget);
  // System prompts, tool descriptions and schemas repeat verbatim across many exchanges (one
  // app or agent framework sends the same ones on every call): what a text read whole gave is kept.
  const systemCache = createTextCache<{ flags: number; tokens: number; shape: Uint32Array }>();
  const partCache = createTextCache<number>();
  // An agent sends the same tool definitions on every step.
  const toolActionCache = createTextCache<number>();
  const requestShape: { imageCount: number; toolCount: number; toolActivity: number; toolTypes: string[]; screenActions: number } = {
    imageCount: 0,
    toolCount: 0,
    toolActivity: 0,
    toolTypes: [],
    screenActions: 0,
  };
  const features: ExchangeFeatures = {
    contentFlags: 0,
    capability: 0,
    promptLanguage: 0,
    promptHashHi: 0,
    promptHashLo: 0,
    promptSketch: new Uint32Array(SKETCH_WORDS),
    promptTokens: 0,
    promptShape: new Uint32Array(SHAPE_WORDS),
    systemTokens: 0,
    systemShape: new Uint32Array(SHAPE_WORDS),
  };

  return (exchange) => {
    const request = exchange.request;
    const promptText = lastUserText(request);
    plan.collect(exchange, promptText);
    let flags = 0;

    const systemText = request.systemText;
    if (systemText.length > 0) {
      const whole = plan.chars[1]! >= systemText.length && systemText.length >= CACHED_CHARS;
      const cached = whole ? systemCache.get(systemText) : undefined;
      if (cached !== undefined) {
        features.systemShape.set(cached.shape);
        features.systemTokens = cached.tokens;
        flags |= cached.flags;
      } else {
        const system = systemScanner.scan(systemText, plan.chars[1]!);
        shapeOfScan(system, shape);
        packShape(shape, features.systemShape);
        features.systemTokens = system.estimatedTokens;
        const systemFlags = partFlags('system', detector.part(system)) | (isObfuscated(system.normalization) ? CONTENT_FLAG.obfuscated : 0);
        flags |= systemFlags;
        if (whole) systemCache.set(systemText, { flags: systemFlags, tokens: system.estimatedTokens, shape: features.systemShape.slice() });
      }
    } else {
      features.systemShape.fill(0);
      features.systemTokens = 0;
    }

    for (let p = 2; p < plan.count; p++) {
      const text = plan.texts[p]!;
      const chars = plan.chars[p]!;
      if (chars < Math.min(MIN_PART_CHARS, text.length)) continue;
      const whole = chars >= text.length && text.length >= CACHED_CHARS;
      let asks = whole ? partCache.get(text) : undefined;
      if (asks === undefined) {
        const scan = partScanner.scan(text, chars);
        asks = scan.wordCount === 0 ? 0 : detector.part(scan);
        if (isObfuscated(scan.normalization)) asks |= CONTENT_FLAG.obfuscated;
        if (whole) partCache.set(text, asks);
      }
      flags |= partFlags(plan.kinds[p]!, asks) | (asks & CONTENT_FLAG.obfuscated);
    }

    const prompt = promptScanner.scan(promptText, plan.chars[0]!);
    const promptAsks = detector.part(prompt);
    const askWord = detector.askWord;
    // A prompt with no ask is anchored at its first request or, where the rules see none, at an
    // ask phrase that gave no verdict (a request in a language whose questions the sentence marks
    // miss). Such a phrase never takes the anchor from a request: ordinary statements hold them
    // ("she has answered 16 of the questions"), so filler could carry one ahead of the request.
    const requested = askWord >= 0 ? -1 : requestWord(prompt);
    const cue = askWord >= 0 ? -1 : detector.cueWord;
    const byCue = cue >= 0 && requested < 0;
    const line = outsideQuotation(prompt.text, askAnchor(prompt, askWord >= 0 ? askWord : byCue ? cue : requested));
    const anchor = withMaterialBefore(prompt.text, askWord >= 0 ? line : paragraphStart(prompt.text, line), line);
    flags |= partFlags('prompt', promptAsks);
    if (isObfuscated(prompt.normalization)) flags |= CONTENT_FLAG.obfuscated;
    // What the template windows give (shape, sketch, capability) comes from the anchored windows
    // when there are some, and so does the token count the miners group templates by (filler
    // would put a padded harness in another length group than the same harness unpadded); the
    // verbatim key stays the whole prompt's.
    const template = anchor > 0 ? anchoredScanner.scan(prompt.text.slice(anchor, requestEnd(prompt, anchor))) : prompt;
    // A probe is a short turn after an answer. Filler put around it (statements the anchor leaves
    // out) does not make it long; the probe must then be in the anchored request itself.
    if (promptAsks & CONTENT_FLAG.probeAsk && followsAnAnswer(request.messages)) {
      const short = prompt.wordCount <= PROBE_MAX_WORDS || (template !== prompt && template.wordCount <= PROBE_MAX_WORDS && (detector.part(template) & CONTENT_FLAG.probeAsk) !== 0);
      if (short) flags |= CONTENT_FLAG.followUpProbe;
    }
    shapeOfScan(template, shape);
    packShape(shape, features.promptShape);
    features.promptTokens = template.estimatedTokens;
    computeMinHashSketch(template.tokens, template.count, features.promptSketch, binScratch);
    // The images sent are part of the prompt: one instruction over many pictures is many
    // prompts, and the same picture with the same instruction is a repeat.
    const imageKey = request.imageKey ?? 0;
    if (prompt.length === 0 && imageKey === 0) {
      features.promptHashHi = 0;
      features.promptHashLo = 0;
    } else {
      let h = 0x3c6ef372;
      for (let i = 0; i < prompt.count; i++) h = Math.imul(h ^ prompt.tokens[i]!, 0x85ebca6b);
      features.promptHashHi = prompt.rawHash;
      features.promptHashLo = fmix32((h ^ prompt.estimatedTokens ^ Math.imul(imageKey, 0x27d4eb2f)) >>> 0);
    }
    // Code in an anchored request counts where filler pushed it past the prompt's windows.
    if (prompt.codeBlocks > 0 || template.codeBlocks > 0) flags |= CONTENT_FLAG.code;

    let toolActivity = exchange.response?.toolCalls.length ?? 0;
    for (const message of request.messages) toolActivity += message.toolCalls.length + message.toolResults.length;
    requestShape.imageCount = request.imageCount;
    requestShape.toolCount = request.tools.length;
    requestShape.toolActivity = toolActivity;
    requestShape.toolTypes.length = 0;
    requestShape.screenActions = 0;
    for (const tool of request.tools) {
      if (tool.type !== null) requestShape.toolTypes.push(tool.type);
      let actions = toolActionCache.get(tool.name);
      if (actions === undefined) toolActionCache.set(tool.name, (actions = screenActionsOf(tool.name)));
      requestShape.screenActions |= actions;
    }
    features.contentFlags = flags;
    const signals = detector.prompt(template, requestShape as RequestShape);
    features.capability = signals.capability;
    features.promptLanguage = signals.language;
    return features;
  };
}

/**
 * Where a prompt's template is read from when its ask lies past the head window and before the
 * tail: the start of the line the ask is on, or of its sentence when that line began in the head
 * window or out of sight (-1: from the start, as for any other prompt). The template windows read
 * a prompt's head and tail because that is where an instruction sits; text put before and after
 * it to push it out of them (padding) would otherwise be the template, the same for every
 * campaign that pads alike, and the harness's own would be lost.
 */
function askAnchor(prompt: TextScan, askWord: number): number {
  if (askWord < prompt.headWordCount || askWord >= prompt.tailWordStart) return -1;
  let k = prompt.sentenceCount - 1;
  while (k >= 0 && prompt.sentenceWords[k]! > askWord) k--;
  if (k < 0) return -1;
  const sentence = prompt.sentenceChars[k]!;
  for (let line = k; line >= 0 && prompt.sentenceWords[line]! >= prompt.headWordCount; line--) {
    const offset = prompt.sentenceChars[line]!;
    if (offset === -1) break;
    if (startsLine(prompt.text, offset)) return offset;
  }
  return sentence;
}

/**
 * An anchor inside a paragraph that is one quotation, moved to its opening mark: a prompt sent
 * in quotes between filler is read whole, as its content (the scanner unwraps a text that is
 * one quotation), as it is when sent in quotes alone.
 */
function outsideQuotation(text: string, anchor: number): number {
  if (anchor <= 0) return anchor;
  const start = skipSpace(text, text.lastIndexOf('\n\n', anchor - 1) + 1);
  const opening = text.charCodeAt(start);
  const closing = WHOLE_QUOTES.find(([mark]) => mark === opening)?.[1];
  if (closing === undefined || start >= anchor) return anchor;
  const blank = text.indexOf('\n\n', anchor);
  let end = blank === -1 ? text.length : blank;
  while (end > anchor && isSpace(text.charCodeAt(end - 1))) end--;
  return text.charCodeAt(end - 1) === closing ? start : anchor;
}

/**
 * Words that open a request to the model in English: an imperative, a polite opener or a
 * question word. Read only in prompts where no ask was found.
 */
const REQUEST_OPENERS = new Set(
  (
    'please write explain solve describe list give create generate summarize summarise translate compare calculate compute find ' +
    'determine prove show provide implement design analyze analyse classify extract rewrite convert identify evaluate answer ' +
    'tell help make draft outline suggest recommend build fix debug refactor review complete derive simplify estimate predict ' +
    'propose discuss define transcribe run use get check sort format plot draw let imagine pretend act consider assume ' +
    'suppose choose select rank rate edit paraphrase improve optimize optimise verify transform invent produce reword ' +
    'brainstorm construct compose formulate categorize categorise arrange shorten expand elaborate interpret justify ' +
    'critique assess research search fetch retrieve add remove delete insert replace change modify update correct ' +
    'log go open click navigate visit enter scroll press type fill submit download upload install configure save send copy ' +
    'paste read look walk continue try repeat redo recap teach rename pick express detect locate ' +
    'unscramble differentiate restate retell combine reorder rearrange guess name come ' +
    'book order buy reserve schedule cancel execute launch start stop close set turn switch enable disable toggle ' +
    'print count measure test deploy compile plan prepare organize organise sign register apply ' +
    'defend examine reexamine confirm spell enumerate clarify reconsider rethink revisit recheck ocr ' +
    'can could would will how what why which who where when is are does do should'
  )
    .split(' ')
    .map(wordHash),
);

/**
 * The first token of the first request before the tail window of a prompt: a sentence opening
 * with a word of `REQUEST_OPENERS` or ending in a question mark; -1 when there is none. One in
 * the head window leaves the template where it is (`askAnchor`). Text put before an
 * instruction to push it out of the head window must leave the instruction one the model reads
 * as such; ordinary filler is statements.
 */
function requestWord(prompt: TextScan): number {
  if (prompt.tailWordStart <= prompt.headWordCount) return -1;
  let introduction = -1;
  for (let k = 0; k < prompt.sentenceCount; k++) {
    const word = prompt.sentenceWords[k]!;
    if (word >= prompt.tailWordStart) break;
    if (isRequest(prompt, k)) return word;
    if (introduction < 0 && introducesMaterial(prompt, k)) introduction = word;
  }
  return introduction;
}

/**
 * Whether sentence `k` opens with a short introduction and a colon, with material after it: "I
 * get this error when I run it: TypeError ...", "Here is my code:" and a block. A person pasting
 * an error, an output or a file asks for help with it without a request word. Taken only where
 * a prompt holds no request at all: an introduction put in filler before a request must not take
 * the anchor from it, and where there is none the filler's own head is the template anyway.
 */
function introducesMaterial(prompt: TextScan, k: number): boolean {
  const offset = prompt.sentenceChars[k]!;
  if (offset === -1) return false;
  const text = prompt.text;
  const from = skipSpace(text, offset);
  const next = k + 1 < prompt.sentenceCount ? prompt.sentenceChars[k + 1]! : -1;
  const limit = Math.min(next > 0 ? next : text.length, from + CLAUSE_CHARS, text.length);
  // A colon followed by a space or a line break: not the one of a time or an address ("9:30",
  // "https://"). Looked for within the introduction's reach only, so a prompt of many sentences
  // and no colon costs a bounded scan per sentence, not one to the end of the text.
  for (let colon = from + 1; colon < limit; colon++) {
    if (text.charCodeAt(colon) === 58 && colon + 1 < text.length && isSpace(text.charCodeAt(colon + 1))) return skipSpace(text, colon + 1) < text.length;
  }
  return false;
}

/** Whether sentence `k` of a scan ends in a question mark or opens with a request word. */
function isRequest(prompt: TextScan, k: number): boolean {
  const next = k + 1 < prompt.sentenceCount ? prompt.sentenceChars[k + 1]! : -1;
  if (next > 0 && prompt.text.charCodeAt(next - 1) === 63) return true;
  // A window that begins inside a sentence marks a start that is none (offset -1): its first word opens nothing.
  const word = prompt.sentenceWords[k]!;
  if (prompt.sentenceChars[k]! === -1 || word >= prompt.wordCount) return false;
  if (CLAUSE_OPENERS.has(prompt.words[word]!) && requestAfterClause(prompt.text, prompt.sentenceChars[k]!, next)) return true;
  // "Shorter please.", "The summary in French, please."
  let last = (k + 1 < prompt.sentenceCount ? Math.min(prompt.sentenceWords[k + 1]!, prompt.wordCount) : prompt.wordCount) - 1;
  while (last > word && (prompt.words[last] === SLOT_SENTENCE || prompt.words[last] === SLOT_BREAK)) last--;
  if (prompt.words[last] === PLEASE) return true;
  // Up to two words a request may follow ("Great, now write ...", "Task: Write ..."), the label included.
  const label = isLabel(prompt.text, prompt.sentenceChars[k]!);
  for (let at = word; at < Math.min(word + 3, prompt.wordCount); at++) {
    const first = prompt.words[at]!;
    if (REQUEST_OPENERS.has(first) || (FIRST_PERSONS.has(first) && at + 1 < prompt.wordCount && FIRST_PERSON_ASKS.has(prompt.words[at + 1]!))) return true;
    if (!LEAD_INS.has(first) && !(label && at === word)) return false;
  }
  return false;
}

const PLEASE = wordHash('please');

/** Words that open a clause a request may follow: "Given a topic, write ...", "On booking.com, compare ...". */
const CLAUSE_OPENERS = new Set(['given', 'based', 'using', 'assuming', 'considering', 'as', 'if', 'for', 'with', 'after', 'before', 'once', 'in', 'on', 'at', 'to', 'from'].map(wordHash));
/** Characters an opening clause runs to, at most, before its comma: a longer one is a sentence of its own. */
const CLAUSE_CHARS = 100;
/** Openers that after a clause's comma begin a relative clause as often as a question ("In the valley, which ..."). */
const RELATIVE_WORDS = new Set(['what', 'why', 'how', 'which', 'who', 'where', 'when'].map(wordHash));

/**
 * Whether the sentence at `offset` (ending before `next`, -1: not known) opens with a short
 * clause whose comma a request word follows, an imperative or polite opener: "Given a topic,
 * write a list of five facts about it", "Assuming I have never seen a fish, please ...".
 */
function requestAfterClause(text: string, offset: number, next: number): boolean {
  const from = skipSpace(text, offset);
  const limit = Math.min(next > 0 ? next : text.length, from + CLAUSE_CHARS, text.length);
  let comma = from;
  while (comma < limit && text.charCodeAt(comma) !== 44 && text.charCodeAt(comma) !== 10) comma++;
  if (comma >= limit || text.charCodeAt(comma) !== 44) return false;
  const start = skipSpace(text, comma + 1);
  let end = start;
  while (end < text.length && end - start <= LABEL_CHARS && isAsciiLetter(text.charCodeAt(end))) end++;
  if (end === start) return false;
  const word = wordHash(text.slice(start, end).toLowerCase());
  return REQUEST_OPENERS.has(word) && !RELATIVE_WORDS.has(word);
}

/** Letters of a label a request may follow ("Task: Write ...", "Q: How ..."), at most. */
const LABEL_CHARS = 16;

/** Whether the sentence at `offset` opens with one word and a colon, a label for what follows. */
function isLabel(text: string, offset: number): boolean {
  const from = skipSpace(text, offset);
  let at = from;
  while (at < text.length && at - from <= LABEL_CHARS && isAsciiLetter(text.charCodeAt(at))) at++;
  return at > from && at - from <= LABEL_CHARS && text.charCodeAt(at) === 58 && at + 1 < text.length && isSpace(text.charCodeAt(at + 1));
}

/**
 * A word a request may follow: "Hi, can you ...", "Now write ...", "So what ...". 're' is the
 * prefix a hyphen splits off an imperative ("Re-examine your answer").
 */
const LEAD_INS = new Set(['hi', 'hello', 'hey', 'ok', 'okay', 'now', 'so', 'also', 'thanks', 'great', 'sure', 'next', 'then', 'finally', 're'].map(wordHash));
/** "I need ...", "We want you to ...", "I would like ...": a request in the first person. */
const FIRST_PERSONS = new Set(['i', 'we'].map(wordHash));
const FIRST_PERSON_ASKS = new Set(['need', 'want', 'would', 'wish'].map(wordHash));

/**
 * Where the template text of an anchored prompt ends: before the last paragraphs
 * (blocks after a blank line) that hold no request, as few as cover the tail window, which is
 * what padding put after the instruction has to fill. Fewer would leave filler in the window;
 * more would take the material an instruction is followed by ("Edit the sentence.", a blank
 * line, the sentence). The whole text when no such paragraphs cover the window, or when part of
 * it went unread, since an unread paragraph may hold a request.
 */
function requestEnd(prompt: TextScan, anchor: number): number {
  const text = prompt.text;
  if (prompt.detectionChars < text.length) return text.length;
  const from = skipSpace(text, anchor);
  let end = text.length;
  let k = prompt.sentenceCount - 1;
  while (text.length - end < PROMPT_SCAN.tailChars!) {
    const cut = text.lastIndexOf('\n\n', end - 1);
    if (cut < from) return text.length;
    // Sentences from the end back to the blank line (a sentence starts where its first word
    // does); a start not known (-1) is taken as in this paragraph.
    for (; k >= 0 && (prompt.sentenceChars[k]! === -1 || skipSpace(text, prompt.sentenceChars[k]!) >= cut); k--) if (isRequest(prompt, k)) return text.length;
    end = cut;
  }
  return end;
}

/**
 * Where the template of an anchored prompt starts: at the paragraphs before the anchor's line
 * (the ask's or the request's) that fit with it in the head window, the material an instruction
 * follows ("A train leaves at nine...", a blank line, "Explain step by step."), which the head
 * window reads with it when nothing is put before them. Text that does not fit is what pushed
 * the instruction out of sight.
 */
function withMaterialBefore(text: string, anchor: number, line: number): number {
  if (anchor <= 0) return anchor;
  let lineEnd = text.indexOf('\n', line);
  if (lineEnd < 0) lineEnd = text.length;
  let start = anchor;
  for (let cursor = anchor; ; ) {
    const blank = text.lastIndexOf('\n\n', cursor - 1);
    if (blank < 0) return start;
    const candidate = skipSpace(text, blank + 2);
    if (candidate < start) {
      if (lineEnd - candidate > PROMPT_SCAN.headChars!) return start;
      start = candidate;
    }
    // On from the start of the run of blank lines, so that a run of thousands is passed once.
    cursor = blank;
    while (cursor > 0 && isSpace(text.charCodeAt(cursor - 1))) cursor--;
  }
}

/**
 * The start of the paragraph (the text after a blank line) that holds the line at `anchor`, when
 * it begins past the head window: a request's paragraph may open with the material it is about
 * ("Here is a list: ...\nDescribe each."). Otherwise the line itself.
 */
function paragraphStart(text: string, anchor: number): number {
  if (anchor <= 0) return anchor;
  const blank = text.lastIndexOf('\n\n', anchor - 1);
  return blank + 2 > PROMPT_SCAN.headChars! ? blank + 2 : anchor;
}

function skipSpace(text: string, offset: number): number {
  let at = offset;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** Whether a sentence that begins at `offset` (after its end mark) is the first on its line. */
function startsLine(text: string, offset: number): boolean {
  if (text.charCodeAt(offset - 1) === 10) return true;
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return false;
}

/**
 * Words a follow-up may have and still read as a probe of the answer before it: a question or
 * two about that answer. A longer turn brings material of its own, a new task that happens to
 * contain "why" or "what if".
 */
const PROBE_MAX_WORDS = 40;

/** Whether the last user turn with text comes after an answer of the model (text, not only tool calls). */
function followsAnAnswer(messages: readonly Message[]): boolean {
  let last = messages.length - 1;
  while (last >= 0 && !(messages[last]!.role === 'user' && messages[last]!.text.length > 0)) last--;
  for (let i = last - 1; i >= 0; i--) if (messages[i]!.role === 'assistant' && messages[i]!.text.length > 0) return true;
  return false;
}

/**
 * Texts shorter than this are read again rather than looked up: they cost little to scan, and
 * short system prompts are often filled per request (a name, a date), so they would rarely be hit.
 */
const CACHED_CHARS = 400;
/** Characters of text a cache may hold before it starts over (about 8 MB of strings). */
const CACHE_CHARS = 4_000_000;
const CACHE_ENTRIES = 4096;

interface TextCache<Value> {
  get(text: string): Value | undefined;
  set(text: string, value: Value): void;
}

/** A map from texts to what they gave, emptied when it holds too many entries or characters. */
function createTextCache<Value>(): TextCache<Value> {
  const entries = new Map<string, Value>();
  let chars = 0;
  return {
    get: (text) => entries.get(text),
    set(text, value) {
      if (entries.size >= CACHE_ENTRIES || chars + text.length > CACHE_CHARS) {
        entries.clear();
        chars = 0;
      }
      entries.set(text, value);
      chars += text.length;
    },
  };
}

interface BudgetPlan {
  /** Gathers the parts of an exchange and shares the budget among them. Slot 0 is the prompt, 1 the system prompt. */
  collect(exchange: Exchange, promptText: string): void;
  count: number;
  readonly texts: string[];
  readonly kinds: RequestPart[];
  /** Characters each part may read for detection. */
  readonly chars: Int32Array;
}

/**
 * The per-exchange scan budget. The prompt's and the system prompt's template windows are always
 * read (the stored template features need them); what is left goes to every part the model
 * reads, max-min fair: parts shorter than an equal share are read whole and the rest share the
 * remainder equally. A padded part therefore costs its share, never more, and an attacker who
 * moves an ask into an earlier turn, a prefill or a tool description finds it read there too.
 */
function createBudgetPlan(budget: number): BudgetPlan {
  const promptFloor = PROMPT_SCAN.headChars! + PROMPT_SCAN.tailChars!;
  const systemFloor = SYSTEM_SCAN.headChars! + SYSTEM_SCAN.tailChars!;
  const lengths = new Float64Array(MAX_PARTS);
  const floors = new Float64Array(MAX_PARTS);
  const plan: BudgetPlan = {
    count: 0,
    texts: new Array<string>(MAX_PARTS).fill(''),
    kinds: new Array<RequestPart>(MAX_PARTS).fill('prompt'),
    chars: new Int32Array(MAX_PARTS),
    collect(exchange, promptText) {
      const request = exchange.request;
      let n = 0;
      function add(text: string, kind: RequestPart): void {
        if (n >= MAX_PARTS) return;
        plan.texts[n] = text;
        plan.kinds[n] = kind;
        n++;
      }
      add(promptText, 'prompt');
      add(request.systemText, 'system');
      const messages = request.messages;
      const last = messages.length - 1;
      if (last >= 0 && messages[last]!.role === 'assistant' && messages[last]!.text.length > 0) add(messages[last]!.text, 'prefill');
      let promptSeen = false;
      for (let i = last; i >= 0; i--) {
        const message: Message = messages[i]!;
        if (message.role !== 'user' || message.text.length === 0) continue;
        // The prompt is the last user message with text: skip it once.
        if (!promptSeen && message.text === promptText) {
          promptSeen = true;
          continue;
        }
        // An earlier ask the model already answered in full is history: every later exchange of
        // the conversation re-sends it, and counting it again would make any chat that once asked
        // "can you explain each step?" look like a harvest. A standing ask (no answer, or only an
        // acknowledgement such as "Understood.") still governs what the model writes next.
        const reply = messages[i + 1];
        if (reply !== undefined && reply.role === 'assistant' && reply.text.length >= ANSWERED_CHARS) continue;
        add(message.text, 'earlier_turn');
      }
      for (const tool of request.tools) if (tool.description.length > 0) add(tool.description, 'tool_description');
      for (const tool of request.tools) if (tool.schema.length > 2) add(tool.schema, 'tool_description');
      plan.count = n;

      let total = 0;
      let left = budget;
      for (let p = 0; p < n; p++) {
        const length = plan.texts[p]!.length;
        const floor = p === 0 ? Math.min(length, promptFloor) : p === 1 ? Math.min(length, systemFloor) : 0;
        floors[p] = floor;
        lengths[p] = length - floor;
        total += length - floor;
        left -= floor;
      }
      if (total <= left) {
        for (let p = 0; p < n; p++) plan.chars[p] = plan.texts[p]!.length;
        return;
      }
      // Max-min fair share of what is left: the largest level x with sum(min(length, x)) <= left.
      let low = 0;
      let high = Math.max(0, left);
      while (high - low > 1) {
        const level = (low + high) >>> 1;
        let used = 0;
        for (let p = 0; p < n; p++) used += Math.min(lengths[p]!, level);
        if (used <= left) low = level;
        else high = level;
      }
      if (low >= MIN_PART_CHARS) {
        for (let p = 0; p < n; p++) plan.chars[p] = floors[p]! + Math.min(lengths[p]!, low);
        return;
      }
      // Too many parts for a useful equal share (a long conversation, many tools): serve them in
      // order (prompt, system, prefill, the most recent turns, tools) a slice each while it lasts.
      for (let p = 0; p < n; p++) {
        const slice = Math.min(lengths[p]!, SMALL_SLICE, Math.max(0, left));
        plan.chars[p] = floors[p]! + slice;
        left -= slice;
      }
    },
  };
  return plan;
}
