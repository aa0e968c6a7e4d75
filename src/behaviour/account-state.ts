import { BlockSlabs } from './block-slabs.js';
import { ModelUse } from './model-use.js';
import type { AccountTier } from '../model/account.js';
import { CAPABILITIES, CONTENT_FLAG, CONTENT_FLAG_BITS } from '../features/content-signals.js';
import { BottomKSketch, EMPTY_SKETCH, SingleValueSketch, type SketchReader } from './bottom-k-sketch.js';
import { HourSeries, HOUR_MS } from './hour-series.js';
import { TopKCounter } from './top-k-counter.js';

/**
 * The per-account accumulator of the behaviour stage: counters, histograms and small sketches
 * that every exchange of an account is folded into, in a few kilobytes whatever its volume. The
 * batch analysis and the live service feed the same accumulator, exchange by exchange (or, for
 * infrastructure, pre-aggregated counts that give the same state); linking and scoring read
 * only these.
 */

/** Infrastructure an account's exchanges come from; each kept as a bottom-k sketch. */
export const EXCHANGE_INDICATORS = ['ip', 'subnet', 'asn', 'country', 'user_agent', 'tls', 'api_key'] as const;
export type ExchangeIndicator = (typeof EXCHANGE_INDICATORS)[number];

/** Values kept per indicator: enough to see sharing, small enough for 100k+ accounts. */
export const INDICATOR_SKETCH_SIZE: Readonly<Record<ExchangeIndicator, number>> = {
  ip: 32,
  subnet: 16,
  asn: 8,
  country: 4,
  user_agent: 8,
  tls: 8,
  api_key: 4,
};

export const PROMPT_SKETCH_SIZE = 64;
/** An account's most used prompt and system templates kept (a top-k): campaigns rotate a handful. */
const PROMPT_TEMPLATES_KEPT = 16;
const SYSTEM_TEMPLATES_KEPT = 8;
export const OUTPUT_HISTOGRAM_BUCKETS = 20;

/** What the accounts file says about an account. */
export interface AccountInfo {
  orgId: string | null;
  createdAt: number | null;
  tier: AccountTier | null;
  country: string | null;
  paymentFingerprint: string | null;
  emailDomain: string | null;
  /**
   * The mail domain in lower case unless it is a public provider's (gmail.com, gmx.de, ...):
   * the one linking and the shared-domain detector compare, since strangers share the others.
   */
  linkableMailDomain: string | null;
  /** Whether the mail domain is a university's or a college's (`isAcademicMailDomain`), public provider's or not. */
  academicMailDomain: boolean;
  emailLocalShape: string | null;
  signupIp: string | null;
  verification: readonly string[];
}

/** Whether the accounts file lists one of `checks` among the account's verified items, in any case. */
export function verifiedBy(info: AccountInfo | null, checks: ReadonlySet<string>): boolean {
  return info !== null && info.verification.some((item) => checks.has(item.toLowerCase()));
}

/** One exchange as the accumulator sees it, after the engine's per-exchange work. */
export interface ObservedExchange {
  ts: number;
  model: number;
  /** Milliseconds since the model was first seen in any account's traffic. */
  modelAgeMs: number;
  status: number;
  turnCount: number;
  messageCount: number;
  toolCount: number;
  toolActivity: number;
  imageCount: number;
  thinking: boolean;
  multiSample: boolean;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  contentFlags: number;
  capability: number;
  hasSystem: boolean;
  /** Template ids, -1 for none (or not yet seen twice). */
  promptTemplate: number;
  systemTemplate: number;
  /** 32-bit key of the verbatim prompt, 0 without a prompt. */
  promptKey: number;
  /** 0: no earlier near-duplicate; 1: one from this account; 2: one from another account. */
  nearDuplicate: number;
  /**
   * A single-turn request's prompt against this account's earlier ones (-1: not single-turn):
   * 0 new; 1 sent before and sent again deterministically, the way an evaluation re-runs its
   * items; 2 sent before and sampled again (temperature on or unknown, or n > 1).
   */
  verbatimRepeat: number;
  /** Maximum output tokens asked for, -1 when not set. */
  maxTokens: number;
}

/** An exchange with nothing in it: the scratch record the tracker fills for each exchange it folds in. */
export function blankObservedExchange(): ObservedExchange {
  return {
    ts: 0,
    model: -1,
    modelAgeMs: 0,
    status: 0,
    turnCount: 0,
    messageCount: 0,
    toolCount: 0,
    toolActivity: 0,
    imageCount: 0,
    maxTokens: -1,
    thinking: false,
    multiSample: false,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    contentFlags: 0,
    capability: 0,
    hasSystem: false,
    promptTemplate: -1,
    systemTemplate: -1,
    promptKey: 0,
    nearDuplicate: 0,
    verbatimRepeat: -1,
  };
}

const DAY_MS = 86_400_000;
const ELICITATION_BITS =
  CONTENT_FLAG.cotElicitation | CONTENT_FLAG.rubricGrading | CONTENT_FLAG.explainAnswer | CONTENT_FLAG.safeRewrite | CONTENT_FLAG.systemCot | CONTENT_FLAG.systemRubric;
const BURST_GAP_MS = 2_000;
/** Where each histogram starts in an account's block of counters. */
const HOUR_AT = 0;
const CAPABILITY_AT = HOUR_AT + 24;
const FLAG_AT = CAPABILITY_AT + CAPABILITIES.length;
const OUTPUT_AT = FLAG_AT + CONTENT_FLAG_BITS;
/**
 * Counts of exchanges with one property each (an error, a system prompt, a repeat...), after the
 * histograms in the same block, and their bit in a one-exchange account's `firstEvents`.
 */
const EVENT = {
  errors: 0,
  gaps: 1,
  burstGaps: 2,
  singleTurn: 3,
  withSystem: 4,
  withPrompt: 5,
  toolUse: 6,
  images: 7,
  thinking: 8,
  multiSample: 9,
  elicited: 10,
  templated: 11,
  nearDuplicates: 12,
  crossDuplicates: 13,
  singleTurnPrompts: 14,
  verbatimRepeats: 15,
  evaluationRepeats: 16,
} as const;
const EVENT_COUNT = Object.keys(EVENT).length;
const EVENT_AT = OUTPUT_AT + OUTPUT_HISTOGRAM_BUCKETS;
const COUNTER_LENGTH = EVENT_AT + EVENT_COUNT;

/** What an account without models or templates reads; frozen, so a write to it throws. */
const NO_MODELS: readonly ModelUse[] = Object.freeze([]);
const NO_TEMPLATES = Object.freeze(new TopKCounter(1)) as TopKCounter;

/** Read by every account before its second exchange; never written. */
const NO_COUNTS = new Uint32Array(COUNTER_LENGTH);
/** How one exchange's hour, capability and output bucket pack into a small integer. */
const FIRST_HOUR_MASK = 31;
const FIRST_CAPABILITY_SHIFT = 5;
const FIRST_CAPABILITY_MASK = 15;
const FIRST_BUCKET_SHIFT = 9;

/**
 * Counts one exchange into a block, given its packed (hour, capability, bucket), its content
 * flags and its events (a bit per `EVENT`).
 */
function addPackedCounts(counts: Uint32Array, at: number, packed: number, contentFlags: number, events: number): void {
  counts[at + HOUR_AT + (packed & FIRST_HOUR_MASK)]!++;
  counts[at + CAPABILITY_AT + ((packed >> FIRST_CAPABILITY_SHIFT) & FIRST_CAPABILITY_MASK)]!++;
  counts[at + OUTPUT_AT + (packed >> FIRST_BUCKET_SHIFT)]!++;
  let flags = contentFlags;
  for (let bit = 0; flags !== 0 && bit < CONTENT_FLAG_BITS; bit++, flags >>>= 1) if (flags & 1) counts[at + FLAG_AT + bit]!++;
  for (let bit = 0; events !== 0; bit++, events >>>= 1) if (events & 1) counts[at + EVENT_AT + bit]!++;
}

/** Where each real-valued field sits in an account's block of the scalar slab. */
const FIRST_TS = 0;
const LAST_TS = 1;
const PREVIOUS_TS = 2;
const LOG_GAP_SUM = 3;
const LOG_GAP_SQUARES = 4;
const SCALAR_LENGTH = 5;
/** The scalars of an account before its first exchange; never written. */
const NO_SCALARS = Float64Array.of(Infinity, -Infinity, Number.NaN, 0, 0);

/**
 * Accounts' counter blocks are carved from shared slabs: a typed array of its own would cost an
 * account a buffer allocation and headers worth more than a one-request account's counts. The
 * same for the fields that hold times and sums of logs: V8 keeps a non-integer field as a boxed
 * number of its own, an object per field and account for the collector to trace.
 */
const COUNTER_SLABS = new BlockSlabs((length) => new Uint32Array(length), COUNTER_LENGTH);
const SCALAR_SLABS = new BlockSlabs((length) => new Float64Array(length), SCALAR_LENGTH);

/**
 * An account's sketches by slot: its infrastructure kinds in `EXCHANGE_INDICATORS` order, then
 * its prompts. While a slot holds one value, its (hash, id, count) sit in the account's block of
 * a shared `Int32Array` slab, count 0 for none; from the second value, or a count a 32-bit
 * integer cannot hold, the slot has a `BottomKSketch` of its own. Most accounts of a flood hold
 * one value a kind, and a block costs less than one sketch object.
 */
const PROMPT_SLOT = EXCHANGE_INDICATORS.length;
const SKETCH_SLOTS = PROMPT_SLOT + 1;
const SLOT_OF: Readonly<Record<ExchangeIndicator, number>> = Object.fromEntries(EXCHANGE_INDICATORS.map((kind, slot) => [kind, slot])) as Record<ExchangeIndicator, number>;
const SLOT_SIZE = [...EXCHANGE_INDICATORS.map((kind) => INDICATOR_SKETCH_SIZE[kind]), PROMPT_SKETCH_SIZE];
const SINGLE_LENGTH = SKETCH_SLOTS * 3;
/** The single values of an account before its first; never written. */
const NO_SINGLES = new Int32Array(SINGLE_LENGTH);
const SINGLE_SLABS = new BlockSlabs((length) => new Int32Array(length), SINGLE_LENGTH);
const INT32_MAX = 2 ** 31 - 1;

export class AccountState {
  info: AccountInfo | null = null;
  /**
   * The tracker's revision (`BehaviourTracker.revision`) when anything of this account last
   * changed: what an input built at a later revision holds of it still holds.
   */
  changedAt = 0;
  exchanges = 0;
  inputTokens = 0;
  outputTokens = 0;
  reasoningTokens = 0;
  /**
   * The four histograms (hour of day, capability, content flag, output length) and the event
   * counts (`EVENT`): one block of a shared slab from `countsAt`, taken at the second exchange
   * and read through the methods below (docs/performance.md, "Memory per account").
   */
  private counts = NO_COUNTS;
  private countsAt = 0;
  /**
   * The first exchange's place in the histograms while it is the only one, so that an account
   * of one request (the unit of a flood of throwaway accounts) takes no block: its hour, its
   * capability << 5 and its output bucket << 9, or -1; its content flags; and its events.
   */
  private firstCounts = -1;
  private firstFlags = 0;
  private firstEvents = 0;
  readonly series: HourSeries;
  /** First and last exchange time, the previous one, and the sums of log gaps: a block of a shared slab from `scalarsAt`. */
  private scalars = NO_SCALARS;
  private scalarsAt = 0;
  /**
   * Per model used, in order of first use: null, the one model (most accounts use one, and a
   * one-request account holds no list), or a list from the second.
   */
  private modelUses: ModelUse | ModelUse[] | null = null;
  /** Shared and empty (`NO_TEMPLATES`) until the account fills a template. */
  promptTemplates = NO_TEMPLATES;
  systemTemplates = NO_TEMPLATES;
  /** Single values per sketch slot (see `PROMPT_SLOT`): a block of a shared slab from `singlesAt`, taken at the first value. */
  private singles = NO_SINGLES;
  private singlesAt = 0;
  /** Per sketch slot, its full sketch once it has one; null until any slot does. */
  private fullSketches: (BottomKSketch | undefined)[] | null = null;

  constructor(
    readonly index: number,
    readonly id: string,
    maxHours?: number,
  ) {
    this.series = new HourSeries(maxHours);
  }

  /** Per model used, in order of first use. */
  get models(): readonly ModelUse[] {
    const uses = this.modelUses;
    if (uses === null) return NO_MODELS;
    return uses instanceof ModelUse ? [uses] : uses;
  }

  modelUse(model: number): ModelUse | undefined {
    const uses = this.modelUses;
    if (uses === null) return undefined;
    if (uses instanceof ModelUse) return uses.model === model ? uses : undefined;
    for (const use of uses) if (use.model === model) return use;
    return undefined;
  }

  private addModelUse(use: ModelUse): void {
    const uses = this.modelUses;
    if (uses === null) this.modelUses = use;
    else if (uses instanceof ModelUse) this.modelUses = [uses, use];
    else uses.push(use);
  }

  private ownPromptTemplates(): TopKCounter {
    if (this.promptTemplates === NO_TEMPLATES) this.promptTemplates = new TopKCounter(PROMPT_TEMPLATES_KEPT);
    return this.promptTemplates;
  }

  private ownSystemTemplates(): TopKCounter {
    if (this.systemTemplates === NO_TEMPLATES) this.systemTemplates = new TopKCounter(SYSTEM_TEMPLATES_KEPT);
    return this.systemTemplates;
  }

  /** Prompts sent, by prompt key: a bottom-k sketch of `PROMPT_SKETCH_SIZE`. */
  get prompts(): SketchReader {
    return this.sketchAt(PROMPT_SLOT);
  }

  /** Infrastructure values of a kind seen: a bottom-k sketch of `INDICATOR_SKETCH_SIZE[kind]`. */
  indicator(kind: ExchangeIndicator): SketchReader {
    return this.sketchAt(SLOT_OF[kind]);
  }

  /** A slot's sketch: its own, a view of its single value, or the shared empty one. */
  private sketchAt(slot: number): SketchReader {
    const full = this.fullSketches?.[slot];
    if (full !== undefined) return full;
    const at = this.singlesAt + slot * 3;
    const count = this.singles[at + 2]!;
    return count === 0 ? EMPTY_SKETCH : new SingleValueSketch(this.singles[at]! >>> 0, this.singles[at + 1]!, count);
  }

  /** Adds `count` observations of value `id` (hash `hash`, unsigned 32-bit) to a sketch slot. */
  private addToSlot(slot: number, hash: number, id: number, count: number): void {
    const full = this.fullSketches?.[slot];
    if (full !== undefined) {
      full.add(hash, id, count);
      return;
    }
    if (count > 0 && count <= INT32_MAX && (count | 0) === count && (id | 0) === id) {
      if (this.singles === NO_SINGLES) {
        this.singlesAt = SINGLE_SLABS.take();
        this.singles = SINGLE_SLABS.current;
      }
      const singles = this.singles;
      const at = this.singlesAt + slot * 3;
      const held = singles[at + 2]!;
      if (held === 0) {
        singles[at] = hash | 0;
        singles[at + 1] = id;
        singles[at + 2] = count;
        return;
      }
      if (singles[at] === (hash | 0) && singles[at + 1] === id && held <= INT32_MAX - count) {
        singles[at + 2] = held + count;
        return;
      }
    }
    this.ownFullSketch(slot).add(hash, id, count);
  }

  /** The slot's full sketch, made from its single value if it has none yet. */
  private ownFullSketch(slot: number): BottomKSketch {
    const sketches = (this.fullSketches ??= new Array<BottomKSketch | undefined>(SKETCH_SLOTS).fill(undefined));
    let sketch = sketches[slot];
    if (sketch === undefined) {
      sketch = new BottomKSketch(SLOT_SIZE[slot]!);
      const at = this.singlesAt + slot * 3;
      const held = this.singles[at + 2]!;
      // The single value stays in the block, unread: a slot with a full sketch is read from it.
      if (held > 0) sketch.add(this.singles[at]! >>> 0, this.singles[at + 1]!, held);
      sketches[slot] = sketch;
    }
    return sketch;
  }

  /** Folds another account's sketch slot into this one's. */
  private mergeSlot(slot: number, other: AccountState): void {
    const theirs = other.fullSketches?.[slot];
    // A full sketch's total counts values it no longer keeps, which adding its values one by one would lose.
    if (theirs !== undefined) this.ownFullSketch(slot).merge(theirs);
    else other.sketchAt(slot).forEach((id, count, hash) => this.addToSlot(slot, hash, id, count));
  }

  /** Exchanges in UTC hour of day `hour` (0-23). */
  hourCount(hour: number): number {
    if (this.counts === NO_COUNTS) return this.firstCounts !== -1 && (this.firstCounts & FIRST_HOUR_MASK) === hour ? 1 : 0;
    return this.counts[this.countsAt + HOUR_AT + hour]!;
  }

  /** Exchanges labelled with capability `code` (`CAPABILITY_CODE`). */
  capabilityCount(code: number): number {
    if (this.counts === NO_COUNTS) return this.firstCounts !== -1 && ((this.firstCounts >> FIRST_CAPABILITY_SHIFT) & FIRST_CAPABILITY_MASK) === code ? 1 : 0;
    return this.counts[this.countsAt + CAPABILITY_AT + code]!;
  }

  /** Exchanges with `CONTENT_FLAG` bit `bit` (its position) set. */
  flagCount(bit: number): number {
    if (this.counts === NO_COUNTS) return this.firstCounts !== -1 && bit < CONTENT_FLAG_BITS ? (this.firstFlags >>> bit) & 1 : 0;
    return this.counts[this.countsAt + FLAG_AT + bit]!;
  }

  /** Exchanges whose output falls in log2 bucket `bucket`: outputs of [2^(b-1), 2^b) tokens, 0 for none. */
  outputCount(bucket: number): number {
    if (this.counts === NO_COUNTS) return this.firstCounts !== -1 && this.firstCounts >> FIRST_BUCKET_SHIFT === bucket ? 1 : 0;
    return this.counts[this.countsAt + OUTPUT_AT + bucket]!;
  }

  private eventCount(event: number): number {
    if (this.counts === NO_COUNTS) return this.firstCounts !== -1 ? (this.firstEvents >>> event) & 1 : 0;
    return this.counts[this.countsAt + EVENT_AT + event]!;
  }

  /** Exchanges refused or failed (status 400 and up). */
  get errors(): number {
    return this.eventCount(EVENT.errors);
  }

  /** Gaps between consecutive exchanges, and those under two seconds. */
  get gaps(): number {
    return this.eventCount(EVENT.gaps);
  }

  get burstGaps(): number {
    return this.eventCount(EVENT.burstGaps);
  }

  get singleTurn(): number {
    return this.eventCount(EVENT.singleTurn);
  }

  get withSystem(): number {
    return this.eventCount(EVENT.withSystem);
  }

  get withPrompt(): number {
    return this.eventCount(EVENT.withPrompt);
  }

  get toolUse(): number {
    return this.eventCount(EVENT.toolUse);
  }

  get images(): number {
    return this.eventCount(EVENT.images);
  }

  get thinking(): number {
    return this.eventCount(EVENT.thinking);
  }

  get multiSample(): number {
    return this.eventCount(EVENT.multiSample);
  }

  /** Exchanges with any training-value ask: reasoning, grading, explaining an answer, safe rewrite. */
  get elicited(): number {
    return this.eventCount(EVENT.elicited);
  }

  /** Exchanges that fill an established prompt or system template. */
  get templated(): number {
    return this.eventCount(EVENT.templated);
  }

  get nearDuplicates(): number {
    return this.eventCount(EVENT.nearDuplicates);
  }

  get crossDuplicates(): number {
    return this.eventCount(EVENT.crossDuplicates);
  }

  /** Single-turn exchanges with a prompt, and those whose prompt this account had sent verbatim before. */
  get singleTurnPrompts(): number {
    return this.eventCount(EVENT.singleTurnPrompts);
  }

  get verbatimRepeats(): number {
    return this.eventCount(EVENT.verbatimRepeats);
  }

  /** Of the repeats, those sent again deterministically: how evaluations re-send. */
  get evaluationRepeats(): number {
    return this.eventCount(EVENT.evaluationRepeats);
  }

  /** Time of the first exchange (ms since the epoch); Infinity before any. */
  get firstTs(): number {
    return this.scalars[this.scalarsAt + FIRST_TS]!;
  }

  /** Time of the last exchange; -Infinity before any. */
  get lastTs(): number {
    return this.scalars[this.scalarsAt + LAST_TS]!;
  }

  /** Sum of ln(1 + gap in seconds) over the gaps between consecutive exchanges, and of its squares. */
  get logGapSum(): number {
    return this.scalars[this.scalarsAt + LOG_GAP_SUM]!;
  }

  get logGapSquares(): number {
    return this.scalars[this.scalarsAt + LOG_GAP_SQUARES]!;
  }

  /** This account's scalar block, taken from a slab at first use and starting as `NO_SCALARS`. */
  private ownScalars(): Float64Array {
    if (this.scalars === NO_SCALARS) {
      this.scalarsAt = SCALAR_SLABS.take();
      this.scalars = SCALAR_SLABS.current;
      this.scalars.set(NO_SCALARS, this.scalarsAt);
    }
    return this.scalars;
  }

  /** This account's counter block, taken from a slab at first use. */
  private ownCounts(): Uint32Array {
    if (this.counts === NO_COUNTS) {
      this.countsAt = COUNTER_SLABS.take();
      this.counts = COUNTER_SLABS.current;
      if (this.firstCounts !== -1) {
        addPackedCounts(this.counts, this.countsAt, this.firstCounts, this.firstFlags, this.firstEvents);
        this.firstCounts = -1;
        this.firstFlags = 0;
        this.firstEvents = 0;
      }
    }
    return this.counts;
  }

  observe(x: ObservedExchange): void {
    const hour = Math.floor((x.ts % DAY_MS) / HOUR_MS);
    const packed = hour | (x.capability << FIRST_CAPABILITY_SHIFT) | (outputBucket(x.outputTokens) << FIRST_BUCKET_SHIFT);
    const first = this.exchanges === 0 && this.counts === NO_COUNTS;
    let events = 0;
    this.exchanges++;
    if (x.status >= 400) events |= 1 << EVENT.errors;
    this.inputTokens += x.inputTokens;
    this.outputTokens += x.outputTokens;
    this.reasoningTokens += x.reasoningTokens;
    const scalars = this.ownScalars();
    const scalarsAt = this.scalarsAt;
    if (x.ts < scalars[scalarsAt + FIRST_TS]!) scalars[scalarsAt + FIRST_TS] = x.ts;
    if (x.ts > scalars[scalarsAt + LAST_TS]!) scalars[scalarsAt + LAST_TS] = x.ts;
    this.series.add(x.ts);
    const previous = scalars[scalarsAt + PREVIOUS_TS]!;
    if (!Number.isNaN(previous) && x.ts >= previous) {
      const gap = x.ts - previous;
      const logGap = Math.log(1 + gap / 1000);
      events |= 1 << EVENT.gaps;
      scalars[scalarsAt + LOG_GAP_SUM]! += logGap;
      scalars[scalarsAt + LOG_GAP_SQUARES]! += logGap * logGap;
      if (gap < BURST_GAP_MS) events |= 1 << EVENT.burstGaps;
    }
    scalars[scalarsAt + PREVIOUS_TS] = x.ts;
    if (x.turnCount <= 1 && x.messageCount <= 1) events |= 1 << EVENT.singleTurn;
    if (x.hasSystem) events |= 1 << EVENT.withSystem;
    if (x.promptKey !== 0) {
      events |= 1 << EVENT.withPrompt;
      this.addToSlot(PROMPT_SLOT, x.promptKey >>> 0, x.promptKey | 0, 1);
    }
    if (x.toolCount > 0 || x.toolActivity > 0) events |= 1 << EVENT.toolUse;
    if (x.imageCount > 0) events |= 1 << EVENT.images;
    if (x.contentFlags & ELICITATION_BITS) events |= 1 << EVENT.elicited;
    if (x.thinking) events |= 1 << EVENT.thinking;
    if (x.multiSample) events |= 1 << EVENT.multiSample;
    if (x.model >= 0) {
      let use = this.modelUse(x.model);
      if (use === undefined) this.addModelUse((use = new ModelUse(x.model, x.ts)));
      use.observe(x);
    }
    if (x.promptTemplate >= 0) this.ownPromptTemplates().add(x.promptTemplate);
    if (x.systemTemplate >= 0) this.ownSystemTemplates().add(x.systemTemplate);
    if (x.promptTemplate >= 0 || x.systemTemplate >= 0) events |= 1 << EVENT.templated;
    if (x.nearDuplicate > 0) events |= 1 << EVENT.nearDuplicates;
    if (x.nearDuplicate === 2) events |= 1 << EVENT.crossDuplicates;
    if (x.verbatimRepeat >= 0) {
      events |= 1 << EVENT.singleTurnPrompts;
      if (x.verbatimRepeat > 0) events |= 1 << EVENT.verbatimRepeats;
      if (x.verbatimRepeat === 1) events |= 1 << EVENT.evaluationRepeats;
    }
    if (first) {
      this.firstCounts = packed;
      this.firstFlags = x.contentFlags | 0;
      this.firstEvents = events;
    } else {
      addPackedCounts(this.ownCounts(), this.countsAt, packed, x.contentFlags, events);
    }
  }

  /** Records `count` exchanges from one infrastructure value (`hash` of `valueId`). */
  observeIndicator(kind: ExchangeIndicator, hash: number, valueId: number, count = 1): void {
    this.addToSlot(SLOT_OF[kind], hash >>> 0, valueId, count);
  }

  /**
   * Folds another accumulator of the same account into this one (shards of one account's
   * traffic). Counters, histograms and sketches merge exactly; the inter-arrival measures lose
   * the one gap between the two parts.
   */
  merge(other: AccountState): void {
    this.info ??= other.info;
    this.exchanges += other.exchanges;
    this.inputTokens += other.inputTokens;
    this.outputTokens += other.outputTokens;
    this.reasoningTokens += other.reasoningTokens;
    if (other.scalars !== NO_SCALARS) {
      // The previous exchange stays this account's own: a merged account's gaps are the sum of both.
      const scalars = this.ownScalars();
      const at = this.scalarsAt;
      scalars[at + FIRST_TS] = Math.min(scalars[at + FIRST_TS]!, other.firstTs);
      scalars[at + LAST_TS] = Math.max(scalars[at + LAST_TS]!, other.lastTs);
      scalars[at + LOG_GAP_SUM]! += other.logGapSum;
      scalars[at + LOG_GAP_SQUARES]! += other.logGapSquares;
    }
    if (other.counts !== NO_COUNTS) {
      const counts = this.ownCounts();
      for (let i = 0; i < COUNTER_LENGTH; i++) counts[this.countsAt + i]! += other.counts[other.countsAt + i]!;
    } else if (other.firstCounts !== -1) {
      addPackedCounts(this.ownCounts(), this.countsAt, other.firstCounts, other.firstFlags, other.firstEvents);
    }
    this.series.merge(other.series);
    for (const use of other.models) {
      let mine = this.modelUse(use.model);
      if (mine === undefined) this.addModelUse((mine = new ModelUse(use.model, use.firstTs)));
      mine.merge(use);
    }
    if (other.promptTemplates.size > 0) this.ownPromptTemplates().merge(other.promptTemplates);
    if (other.systemTemplates.size > 0) this.ownSystemTemplates().merge(other.systemTemplates);
    for (let slot = 0; slot < SKETCH_SLOTS; slot++) this.mergeSlot(slot, other);
  }
}

export function outputBucket(tokens: number): number {
  if (tokens <= 0) return 0;
  return Math.min(OUTPUT_HISTOGRAM_BUCKETS - 1, 1 + Math.floor(Math.log2(tokens)));
}
