import { CAPABILITIES, CAPABILITY_CODE, CONTENT_FLAG } from '../features/content-signals.js';
import { OUTPUT_HISTOGRAM_BUCKETS, verifiedBy, type AccountState } from './account-state.js';
import { isVariedTemplate, templateKey, type BehaviourTracker } from './behaviour-tracker.js';
import { HOUR_MS } from './hour-series.js';
import { signupOrder, type SignupOrder } from './signup-order.js';
import { EMPTY_REFERENCE, ReferenceBuilder, ShareReferenceBuilder, weightedMedian, referenceWeight, type Reference } from './population-reference.js';
import { sortShortList } from '../util/short-list-sort.js';

/**
 * Measures read off the accumulators: what the scoring detectors weigh. Two parts: facts about
 * the whole population (which models are new, how many accounts fill each template) and, per
 * account, shares and spreads that make accounts of any size comparable.
 */

export interface NewModel {
  model: number;
  name: string;
  /** First appearance in the traffic (epoch ms). */
  release: number;
  exchanges: number;
}

/** What the typical account asks of one model: the weighted median of accounts' mean log2 values. */
export interface ModelReference {
  /** log2 of max_tokens. */
  maxTokensLog: number;
  /** log2 of 1 + output tokens. */
  outputLog: number;
}

export interface PopulationContext {
  windowStart: number;
  windowEnd: number;
  exchanges: number;
  accountsWithTraffic: number;
  newModels: NewModel[];
  /** Accounts filling each template (key: `templateKey`); only templates (see `isVariedTemplate`). */
  templateAccounts: Map<number, number>;
  /** Keys of the mined templates that are templates, not repeated prompts. */
  variedTemplates: Set<number>;
  /** Per model index: what its typical account asks for and gets. */
  modelReferences: Map<number, ModelReference>;
  /** Per measure: the population's centre and spread (see `measureReferences`); empty until set. */
  references: Record<MeasureName, Reference>;
  /** The store's accounts in sign-up order. */
  signups: SignupOrder;
}

/**
 * Measures that are shares of an account's requests (`count` of `total`), compared with the
 * population as rates.
 */
export const SHARE_MEASURES = [
  'cot',
  'rubric',
  'explainAnswer',
  'safeRewrite',
  'thinking',
  'multiSample',
  'freshSingleTurn',
  'targetedCapability',
  'newModelEarly',
  'evaluationRepeats',
  'identityVerified',
  'followUpProbes',
] as const;
/** Measures on a continuous scale, each with its own measurement noise. */
export const LEVEL_MEASURES = ['maxTokens', 'outputLength', 'volume', 'hourSpread', 'accountAge'] as const;
export type ShareMeasureName = (typeof SHARE_MEASURES)[number];
export type LevelMeasureName = (typeof LEVEL_MEASURES)[number];
export type MeasureName = ShareMeasureName | LevelMeasureName;

export interface ShareMeasure {
  count: number;
  total: number;
}

export interface LevelMeasure {
  value: number;
  /** Standard error of `value` for this account (how much it would move with other requests). */
  noise: number;
  /** Requests it was measured on. */
  total: number;
}

export type Measures = { [K in ShareMeasureName]: ShareMeasure } & { [K in LevelMeasureName]: LevelMeasure | null };

/** The capabilities the public reports name as distillation targets. */
export const TARGETED_CAPABILITIES = ['coding', 'math', 'reasoning', 'agentic', 'data_analysis', 'computer_use', 'vision'] as const;

export interface PopulationOptions {
  /** A model first seen this long after the window opens is a new release. */
  newModelAfterHours?: number;
  /** ...and only with at least this many exchanges. */
  newModelMinExchanges?: number;
  /** A prompt template needs this many different fills... */
  templateMinDistinct?: number;
  /** ...and this share of its fills different, or it is a repeated prompt, not a template. */
  templateMinVariety?: number;
}

export function summarizePopulation(
  tracker: BehaviourTracker,
  { newModelAfterHours = 24, newModelMinExchanges = 50, templateMinDistinct = 3, templateMinVariety = 0.1 }: PopulationOptions = {},
): PopulationContext {
  const variedTemplates = new Set<number>();
  for (const stats of tracker.templates.values()) if (isVariedTemplate(stats, templateMinDistinct, templateMinVariety)) variedTemplates.add(stats.key);
  const templateAccounts = new Map<number, number>();
  let accountsWithTraffic = 0;
  for (const state of tracker.accounts) {
    if (state.exchanges === 0) continue;
    accountsWithTraffic++;
    state.promptTemplates.forEach((id) => {
      const key = templateKey('prompt', id);
      if (variedTemplates.has(key)) increment(templateAccounts, key);
    });
    state.systemTemplates.forEach((id) => {
      const key = templateKey('system', id);
      if (variedTemplates.has(key)) increment(templateAccounts, key);
    });
  }
  const newModels: NewModel[] = [];
  tracker.models.forEach((model, index) => {
    if (model.exchanges >= newModelMinExchanges && model.firstSeen >= tracker.firstTs + newModelAfterHours * HOUR_MS) {
      newModels.push({ model: index, name: model.name, release: model.firstSeen, exchanges: model.exchanges });
    }
  });
  return {
    windowStart: tracker.firstTs,
    windowEnd: tracker.lastTs,
    exchanges: tracker.exchanges,
    accountsWithTraffic,
    newModels,
    templateAccounts,
    variedTemplates,
    modelReferences: modelReferences(tracker),
    references: emptyReferences(),
    signups: signupOrder(tracker),
  };
}

function emptyReferences(): Record<MeasureName, Reference> {
  return Object.fromEntries([...SHARE_MEASURES, ...LEVEL_MEASURES].map((name) => [name, EMPTY_REFERENCE])) as Record<MeasureName, Reference>;
}

/** Per model: the weighted median over accounts of their mean log2 max_tokens and output. */
function modelReferences(tracker: BehaviourTracker): Map<number, ModelReference> {
  const values = new Map<number, { max: number[]; maxWeights: number[]; out: number[]; outWeights: number[] }>();
  for (const state of tracker.accounts) {
    for (const use of state.models) {
      let entry = values.get(use.model);
      if (entry === undefined) values.set(use.model, (entry = { max: [], maxWeights: [], out: [], outWeights: [] }));
      if (use.maxTokensCount > 0) {
        entry.max.push(use.maxTokensLog / use.maxTokensCount);
        entry.maxWeights.push(referenceWeight(use.maxTokensCount));
      }
      if (use.outputCount > 0) {
        entry.out.push(use.outputLog / use.outputCount);
        entry.outWeights.push(referenceWeight(use.outputCount));
      }
    }
  }
  const out = new Map<number, ModelReference>();
  for (const [model, entry] of values) out.set(model, { maxTokensLog: weightedMedian(entry.max, entry.maxWeights), outputLog: weightedMedian(entry.out, entry.outWeights) });
  return out;
}

/**
 * Fills `context.references` from the accounts' summaries: per measure, the centre and spread
 * over accounts with at least `minExchanges` exchanges (fewer say too little to shape "usual").
 */
export function measureReferences(context: PopulationContext, summaries: Iterable<AccountSummary>, minExchanges = 5): void {
  const shares = Object.fromEntries(SHARE_MEASURES.map((name) => [name, new ShareReferenceBuilder()])) as Record<ShareMeasureName, ShareReferenceBuilder>;
  const levels = Object.fromEntries(LEVEL_MEASURES.map((name) => [name, new ReferenceBuilder()])) as Record<LevelMeasureName, ReferenceBuilder>;
  for (const summary of summaries) {
    if (summary.exchanges < minExchanges) continue;
    for (const name of SHARE_MEASURES) {
      const measure = summary.measures[name];
      shares[name].add(measure.count, measure.total);
    }
    for (const name of LEVEL_MEASURES) {
      const measure = summary.measures[name];
      if (measure !== null) levels[name].add(measure.value, measure.total);
    }
  }
  for (const name of SHARE_MEASURES) context.references[name] = shares[name].build();
  for (const name of LEVEL_MEASURES) context.references[name] = levels[name].build();
}

function increment(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export interface TemplateUse {
  key: number;
  kind: 'prompt' | 'system';
  templateId: number;
  exchanges: number;
  /** Other accounts that fill the same template. */
  otherAccounts: number;
}

export interface AccountSummary {
  exchanges: number;
  activeDays: number;
  activeHours: number;
  perActiveDay: number;
  spanDays: number;
  shares: {
    cot: number;
    systemCot: number;
    rubric: number;
    explainAnswer: number;
    safeRewrite: number;
    elicited: number;
    thinking: number;
    multiSample: number;
    longOutputs: number;
    singleTurn: number;
    toolUse: number;
    errors: number;
    /** Exchanges filling an established template (own or shared). */
    templated: number;
    /** Exchanges filling a template that other accounts fill too. */
    sharedTemplate: number;
    nearDuplicate: number;
    crossDuplicate: number;
    /** Distinct prompts / exchanges with a prompt: near 1 for fresh prompts, low for re-runs. */
    uniquePrompts: number;
    /** Single-turn prompts the account had already sent verbatim. */
    verbatimRepeats: number;
    /** Of the single-turn prompts, those re-sent deterministically, the way an evaluation does. */
    evaluationRepeats: number;
  };
  /** The measures compared with the population (`PopulationContext.references`). */
  measures: Measures;
  singleTurnPrompts: number;
  medianOutputTokens: number;
  /** Share of traffic per capability label. */
  capabilities: Record<string, number>;
  /** Normalised entropy of the capability mix (0: one capability, 1: all equally). */
  capabilityEntropy: number;
  topCapability: string;
  topCapabilityShare: number;
  /** Normalised entropy of traffic over the hours of the day (1: round the clock). */
  hourEntropy: number;
  /** Hours of the day holding at least a 48th of the traffic. */
  busyHoursOfDay: number;
  /** Share of consecutive requests less than 2 s apart. */
  burstShare: number;
  /** Spread of log inter-arrival times (low: machine-regular). */
  gapSpread: number;
  templates: TemplateUse[];
  /** Strongest move to a new model: share of the account's traffic in the 24 h after the release. */
  newModel: { name: string; share: number; hoursAfterRelease: number } | null;
  /** Days between sign-up and first request, when the accounts file gives a sign-up time. */
  ageAtFirstUseDays: number | null;
}

const DAY_MS = 24 * HOUR_MS;

function bitShare(state: AccountState, flag: number): number {
  return state.flagCount(Math.log2(flag)) / Math.max(1, state.exchanges);
}

/** Share of the account's exchanges per capability label, for the labels it used. */
export function capabilityShares(state: AccountState): Record<string, number> {
  const n = Math.max(1, state.exchanges);
  const shares: Record<string, number> = {};
  CAPABILITIES.forEach((name, code) => {
    const count = state.capabilityCount(code);
    if (count > 0) shares[name] = count / n;
  });
  return shares;
}

/**
 * Every account's summary at one tracker revision, made once for linking and scoring. Those of
 * accounts with fewer than `keepFrom` exchanges are not kept but made again when asked: they
 * shape no population reference and no fingerprint, each is cheap to make, and kept they would
 * be most of the memory a flood of throwaway accounts costs (docs/performance.md, "Memory per
 * account").
 */
export class AccountSummaries {
  private readonly kept: (AccountSummary | undefined)[];

  constructor(
    private readonly tracker: BehaviourTracker,
    readonly context: PopulationContext,
    readonly keepFrom: number,
  ) {
    this.kept = tracker.accounts.map((state) => (state.exchanges >= keepFrom ? summarizeAccount(state, context) : undefined));
  }

  /** Accounts summarised (the tracker's accounts when the table was made). */
  get length(): number {
    return this.kept.length;
  }

  exchanges(index: number): number {
    return this.tracker.accounts[index]?.exchanges ?? 0;
  }

  of(index: number): AccountSummary {
    return this.kept[index] ?? summarizeAccount(this.tracker.accounts[index]!, this.context);
  }

  /** The summaries of accounts with at least `minExchanges` exchanges, in account order. */
  *withAtLeast(minExchanges: number): Generator<AccountSummary> {
    for (let index = 0; index < this.kept.length; index++) if (this.exchanges(index) >= minExchanges) yield this.of(index);
  }
}

export function summarizeAccount(state: AccountState, context: PopulationContext): AccountSummary {
  const n = Math.max(1, state.exchanges);
  const activeHours = state.series.activeHours();
  const activeDays = Math.max(1, state.series.activeDays());

  const capabilities = capabilityShares(state);
  let entropy = 0;
  let topCapability = 'chat';
  let topShare = 0;
  for (const name of CAPABILITIES) {
    const share = capabilities[name] ?? 0;
    if (share > 0) entropy -= share * Math.log(share);
    if (share > topShare) {
      topShare = share;
      topCapability = name;
    }
  }

  let hourEntropy = 0;
  let busyHours = 0;
  for (let h = 0; h < 24; h++) {
    const share = state.hourCount(h) / n;
    if (share > 0) hourEntropy -= share * Math.log(share);
    if (share >= 1 / 48) busyHours++;
  }

  const templates: TemplateUse[] = [];
  let sharedPrompt = 0;
  let sharedSystem = 0;
  const templated = { prompt: 0, system: 0 };
  for (const [kind, counter] of [
    ['prompt', state.promptTemplates],
    ['system', state.systemTemplates],
  ] as const) {
    counter.forEach((id, count) => {
      const key = templateKey(kind, id);
      if (!context.variedTemplates.has(key)) return;
      templated[kind] += count;
      const otherAccounts = (context.templateAccounts.get(key) ?? 1) - 1;
      templates.push({ key, kind, templateId: id, exchanges: count, otherAccounts });
      if (otherAccounts > 0) {
        if (kind === 'prompt') sharedPrompt += count;
        else sharedSystem += count;
      }
    });
  }
  // Keys are unique, so this order does not depend on the counter's.
  sortShortList(templates, byUse);

  let newModel: AccountSummary['newModel'] = null;
  const newModelCounts: ShareMeasure = { count: 0, total: 0 };
  for (const release of context.newModels) {
    const use = state.modelUse(release.model);
    if (use === undefined) continue;
    const startHour = Math.floor(release.release / HOUR_MS);
    let during = 0;
    for (let hour = startHour; hour < startHour + 24; hour++) during += state.series.countAt(hour);
    if (during === 0) continue;
    const share = Math.min(1, use.early / during);
    if (newModel === null || share > newModel.share) {
      newModel = { name: release.name, share, hoursAfterRelease: Math.max(0, (use.firstTs - release.release) / HOUR_MS) };
      newModelCounts.count = Math.min(use.early, during);
      newModelCounts.total = during;
    }
  }

  const createdAt = state.info?.createdAt ?? null;
  const gapMean = state.gaps > 0 ? state.logGapSum / state.gaps : 0;
  return {
    exchanges: state.exchanges,
    activeDays,
    activeHours,
    perActiveDay: state.exchanges / activeDays,
    spanDays: state.exchanges === 0 ? 0 : (state.lastTs - state.firstTs) / DAY_MS,
    shares: {
      cot: bitShare(state, CONTENT_FLAG.cotElicitation),
      systemCot: bitShare(state, CONTENT_FLAG.systemCot),
      rubric: Math.max(bitShare(state, CONTENT_FLAG.rubricGrading), bitShare(state, CONTENT_FLAG.systemRubric)),
      explainAnswer: bitShare(state, CONTENT_FLAG.explainAnswer),
      safeRewrite: bitShare(state, CONTENT_FLAG.safeRewrite),
      elicited: state.elicited / n,
      thinking: state.thinking / n,
      multiSample: state.multiSample / n,
      longOutputs: outputsFromBucket(state, 10) / n,
      singleTurn: state.singleTurn / n,
      toolUse: state.toolUse / n,
      errors: state.errors / n,
      templated: Math.min(1, Math.max(templated.prompt, templated.system) / n),
      sharedTemplate: Math.min(1, Math.max(sharedPrompt, sharedSystem) / n),
      nearDuplicate: state.nearDuplicates / Math.max(1, state.withPrompt),
      crossDuplicate: state.crossDuplicates / Math.max(1, state.withPrompt),
      uniquePrompts: state.withPrompt === 0 ? 1 : Math.min(1, state.prompts.distinct() / state.withPrompt),
      verbatimRepeats: state.singleTurnPrompts === 0 ? 0 : state.verbatimRepeats / state.singleTurnPrompts,
      evaluationRepeats: state.singleTurnPrompts === 0 ? 0 : state.evaluationRepeats / state.singleTurnPrompts,
    },
    measures: accountMeasures(state, context, activeDays, newModelCounts),
    singleTurnPrompts: state.singleTurnPrompts,
    medianOutputTokens: medianOutput(state),
    capabilities,
    capabilityEntropy: entropy / Math.log(CAPABILITIES.length),
    topCapability,
    topCapabilityShare: topShare,
    hourEntropy: hourEntropy / Math.log(24),
    busyHoursOfDay: busyHours,
    burstShare: state.gaps > 0 ? state.burstGaps / state.gaps : 0,
    gapSpread: state.gaps > 1 ? Math.sqrt(Math.max(0, state.logGapSquares / state.gaps - gapMean * gapMean)) : 0,
    templates,
    newModel,
    ageAtFirstUseDays: createdAt === null || state.exchanges === 0 ? null : (state.firstTs - createdAt) / DAY_MS,
  };
}

/** Outputs in buckets from `bucket` up: bucket b holds [2^(b-1), 2^b) tokens, so 10 is ≥ 512. */
function outputsFromBucket(state: AccountState, bucket: number): number {
  let count = 0;
  for (let b = bucket; b < OUTPUT_HISTOGRAM_BUCKETS; b++) count += state.outputCount(b);
  return count;
}

/** The median output in tokens, at the geometric middle of its log2 bucket. */
function medianOutput(state: AccountState): number {
  let total = 0;
  for (let b = 0; b < OUTPUT_HISTOGRAM_BUCKETS; b++) total += state.outputCount(b);
  let seen = 0;
  for (let b = 0; b < OUTPUT_HISTOGRAM_BUCKETS; b++) {
    seen += state.outputCount(b);
    if (seen * 2 >= total && total > 0) return b === 0 ? 0 : Math.round(2 ** (b - 0.5));
  }
  return 0;
}

/** Verification items that check a person's identity, not just an address or a card. */
const IDENTITY_CHECKS: ReadonlySet<string> = new Set(['id_document', 'identity', 'kyc', 'government_id']);

/** log10 units a Poisson count of n moves by: 0.434 / √n (the smallest volume noise). */
const LOG10_E = Math.LOG10E;
/** The least spread assumed between an account's requests, in log2 units (a factor of √2). */
const MIN_LOG2_SPREAD = 0.5;

function accountMeasures(state: AccountState, context: PopulationContext, activeDays: number, newModel: ShareMeasure): Measures {
  const n = state.exchanges;
  const share = (flag: number): ShareMeasure => ({ count: state.flagCount(Math.log2(flag)), total: n });
  const either = (a: number, b: number): ShareMeasure => ({ count: Math.max(state.flagCount(Math.log2(a)), state.flagCount(Math.log2(b))), total: n });
  let targeted = 0;
  for (const name of TARGETED_CAPABILITIES) targeted += state.capabilityCount(CAPABILITY_CODE[name]);
  let hourEntropy = 0;
  for (let h = 0; h < 24; h++) {
    const p = state.hourCount(h) / Math.max(1, n);
    if (p > 0) hourEntropy -= p * Math.log(p);
  }
  return {
    cot: either(CONTENT_FLAG.cotElicitation, CONTENT_FLAG.systemCot),
    rubric: either(CONTENT_FLAG.rubricGrading, CONTENT_FLAG.systemRubric),
    explainAnswer: share(CONTENT_FLAG.explainAnswer),
    safeRewrite: share(CONTENT_FLAG.safeRewrite),
    thinking: { count: state.thinking, total: n },
    multiSample: { count: state.multiSample, total: n },
    freshSingleTurn: { count: state.singleTurnPrompts - state.verbatimRepeats, total: n },
    targetedCapability: { count: targeted, total: n },
    // Of the requests that carry a conversation, those whose last turn probes the answer before it.
    followUpProbes: { count: state.flagCount(Math.log2(CONTENT_FLAG.followUpProbe)), total: n - state.singleTurn },
    newModelEarly: newModel,
    evaluationRepeats: { count: state.evaluationRepeats, total: state.singleTurnPrompts },
    // Per account, not per request: one of one when an identity document (or KYC) was checked.
    identityVerified: { count: verifiedBy(state.info, IDENTITY_CHECKS) ? 1 : 0, total: state.info === null ? 0 : 1 },
    maxTokens: modelExcess(state, context, 'maxTokens'),
    outputLength: modelExcess(state, context, 'output'),
    volume: n === 0 ? null : { value: Math.log10(n / activeDays), noise: LOG10_E / Math.sqrt(n), total: n },
    // Normalised entropy of the hour of day; a handful of requests cannot spread over 24 hours,
    // so its noise is that of a share measured over n requests.
    hourSpread: n === 0 ? null : { value: hourEntropy / Math.log(24), noise: 0.5 / Math.sqrt(n), total: n },
    // log2 of 1 + the days between sign-up and first request; known exactly, so no noise of its own.
    accountAge: n === 0 || state.info?.createdAt == null ? null : { value: Math.log2(1 + Math.max(0, (state.firstTs - state.info.createdAt) / DAY_MS)), noise: 0, total: n },
  };
}

/**
 * How far an account's log2 max_tokens (or output) sits above what the typical account asks of
 * the same models, averaged over its requests: +1 is twice the usual budget.
 */
function modelExcess(state: AccountState, context: PopulationContext, which: 'maxTokens' | 'output'): LevelMeasure | null {
  let sum = 0;
  let squares = 0;
  let count = 0;
  const models = state.models;
  for (let i = 0; i < models.length; i++) {
    const use = models[i]!;
    const reference = context.modelReferences.get(use.model);
    if (reference === undefined) continue;
    const ref = which === 'maxTokens' ? reference.maxTokensLog : reference.outputLog;
    const c = which === 'maxTokens' ? use.maxTokensCount : use.outputCount;
    if (c === 0) continue;
    const s = which === 'maxTokens' ? use.maxTokensLog : use.outputLog;
    const q = which === 'maxTokens' ? use.maxTokensLogSquares : use.outputLogSquares;
    sum += s - c * ref;
    squares += q - 2 * ref * s + c * ref * ref;
    count += c;
  }
  if (count === 0) return null;
  const value = sum / count;
  const variance = Math.max(MIN_LOG2_SPREAD * MIN_LOG2_SPREAD, squares / count - value * value);
  return { value, noise: Math.sqrt(variance / count), total: count };
}

function byUse(a: TemplateUse, b: TemplateUse): number {
  return b.exchanges - a.exchanges || a.key - b.key;
}
