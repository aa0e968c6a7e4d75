import { CAPABILITIES, CONTENT_FLAG } from '../features/content-signals.js';
import type { AccountState } from './account-state.js';
import { isVariedTemplate, templateKey, type BehaviourTracker } from './behaviour-tracker.js';
import { HOUR_MS } from './hour-series.js';

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
}

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
    for (const [id] of state.promptTemplates.entries()) {
      const key = templateKey('prompt', id);
      if (variedTemplates.has(key)) increment(templateAccounts, key);
    }
    for (const [id] of state.systemTemplates.entries()) {
      const key = templateKey('system', id);
      if (variedTemplates.has(key)) increment(templateAccounts, key);
    }
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
  };
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
    maxedTokens: number;
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
    /** Single-turn prompts the account had already sent verbatim (benchmark and regression re-runs). */
    verbatimRepeats: number;
  };
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
  return state.flags[Math.log2(flag)]! / Math.max(1, state.exchanges);
}

export function summarizeAccount(state: AccountState, context: PopulationContext): AccountSummary {
  const n = Math.max(1, state.exchanges);
  const activeHours = state.series.activeHours();
  const days = new Set<number>();
  state.series.forEach((hour) => days.add(Math.floor(hour / 24)));
  const activeDays = Math.max(1, days.size);

  const capabilities: Record<string, number> = {};
  let entropy = 0;
  let topCapability = 'chat';
  let topShare = 0;
  CAPABILITIES.forEach((name, code) => {
    const share = state.capabilities[code]! / n;
    if (share > 0) {
      capabilities[name] = share;
      entropy -= share * Math.log(share);
    }
    if (share > topShare) {
      topShare = share;
      topCapability = name;
    }
  });

  let hourEntropy = 0;
  let busyHours = 0;
  for (let h = 0; h < 24; h++) {
    const share = state.hourOfDay[h]! / n;
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
    for (const [id, count] of counter.entries()) {
      const key = templateKey(kind, id);
      if (!context.variedTemplates.has(key)) continue;
      templated[kind] += count;
      const otherAccounts = (context.templateAccounts.get(key) ?? 1) - 1;
      templates.push({ key, kind, templateId: id, exchanges: count, otherAccounts });
      if (otherAccounts > 0) {
        if (kind === 'prompt') sharedPrompt += count;
        else sharedSystem += count;
      }
    }
  }
  templates.sort((a, b) => b.exchanges - a.exchanges || a.key - b.key);

  let newModel: AccountSummary['newModel'] = null;
  for (const release of context.newModels) {
    const use = state.models.get(release.model);
    if (use === undefined) continue;
    const startHour = Math.floor(release.release / HOUR_MS);
    let during = 0;
    for (let hour = startHour; hour < startHour + 24; hour++) during += state.series.countAt(hour);
    if (during === 0) continue;
    const share = Math.min(1, use.early / during);
    if (newModel === null || share > newModel.share) newModel = { name: release.name, share, hoursAfterRelease: Math.max(0, (use.firstTs - release.release) / HOUR_MS) };
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
      maxedTokens: state.maxedTokens / n,
      thinking: state.thinking / n,
      multiSample: state.multiSample / n,
      longOutputs: histogramShareFrom(state.outputHistogram, 10) / n,
      singleTurn: state.singleTurn / n,
      toolUse: state.toolUse / n,
      errors: state.errors / n,
      templated: Math.min(1, Math.max(templated.prompt, templated.system) / n),
      sharedTemplate: Math.min(1, Math.max(sharedPrompt, sharedSystem) / n),
      nearDuplicate: state.nearDuplicates / Math.max(1, state.withPrompt),
      crossDuplicate: state.crossDuplicates / Math.max(1, state.withPrompt),
      uniquePrompts: state.withPrompt === 0 ? 1 : Math.min(1, state.prompts.distinct() / state.withPrompt),
      verbatimRepeats: state.singleTurnPrompts === 0 ? 0 : state.verbatimRepeats / state.singleTurnPrompts,
    },
    singleTurnPrompts: state.singleTurnPrompts,
    medianOutputTokens: histogramMedian(state.outputHistogram),
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
function histogramShareFrom(histogram: Uint32Array, bucket: number): number {
  let count = 0;
  for (let b = bucket; b < histogram.length; b++) count += histogram[b]!;
  return count;
}

/** The median output in tokens, at the geometric middle of its log2 bucket. */
function histogramMedian(histogram: Uint32Array): number {
  let total = 0;
  for (const count of histogram) total += count;
  let seen = 0;
  for (let b = 0; b < histogram.length; b++) {
    seen += histogram[b]!;
    if (seen * 2 >= total && total > 0) return b === 0 ? 0 : Math.round(2 ** (b - 0.5));
  }
  return 0;
}
