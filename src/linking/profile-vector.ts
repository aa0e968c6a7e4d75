import { CAPABILITIES } from '../features/content-signals.js';
import type { AccountSummary } from '../behaviour/account-summary.js';

/**
 * A behavioural fingerprint of an account: volume, rhythm, request settings, content signals,
 * output length and capability mix, each standardised over the population. Accounts driven by
 * one script have near-identical fingerprints ("identical traffic patterns" in the public
 * reports), so the fingerprint similarity of two accounts that already share a trait is
 * further evidence they are run together, and its absence argues against a link that rests on
 * a common template alone.
 */
export interface ProfileVectors {
  dims: number;
  /** accounts × dims, z-scored; all zero for accounts with too little traffic to judge. */
  data: Float32Array;
}

function features(summary: AccountSummary): number[] {
  const s = summary.shares;
  return [
    Math.log10(summary.perActiveDay + 1),
    summary.hourEntropy,
    summary.gapSpread / 3,
    summary.burstShare,
    s.maxedTokens,
    s.thinking,
    s.multiSample,
    s.singleTurn,
    s.toolUse,
    s.elicited,
    s.cot,
    s.rubric,
    s.explainAnswer,
    s.safeRewrite,
    s.templated,
    Math.log2(summary.medianOutputTokens + 1) / 10,
    ...CAPABILITIES.map((capability) => summary.capabilities[capability] ?? 0),
  ];
}

export function buildProfileVectors(summaries: readonly AccountSummary[], minExchanges: number): ProfileVectors {
  const included = summaries.map((summary) => summary.exchanges >= minExchanges);
  const raw = summaries.map((summary, i) => (included[i] ? features(summary) : null));
  const dims = features(summaries[0] ?? emptySummary()).length;
  const mean = new Float64Array(dims);
  const square = new Float64Array(dims);
  let count = 0;
  for (const vector of raw) {
    if (vector === null) continue;
    count++;
    for (let d = 0; d < dims; d++) {
      mean[d]! += vector[d]!;
      square[d]! += vector[d]! * vector[d]!;
    }
  }
  const data = new Float32Array(summaries.length * dims);
  if (count < 2) return { dims, data };
  const sd = new Float64Array(dims);
  for (let d = 0; d < dims; d++) {
    mean[d]! /= count;
    sd[d] = Math.sqrt(Math.max(0, square[d]! / count - mean[d]! * mean[d]!)) || 1;
  }
  raw.forEach((vector, i) => {
    if (vector === null) return;
    for (let d = 0; d < dims; d++) data[i * dims + d] = (vector[d]! - mean[d]!) / sd[d]!;
  });
  return { dims, data };
}

/** Cosine similarity of two accounts' standardised fingerprints (0 when either is empty). */
export function profileSimilarity(profiles: ProfileVectors, a: number, b: number): number {
  const { dims, data } = profiles;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < dims; d++) {
    const x = data[a * dims + d]!;
    const y = data[b * dims + d]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function emptySummary(): AccountSummary {
  return {
    exchanges: 0,
    activeDays: 0,
    activeHours: 0,
    perActiveDay: 0,
    spanDays: 0,
    shares: {
      cot: 0, systemCot: 0, rubric: 0, explainAnswer: 0, safeRewrite: 0, elicited: 0, maxedTokens: 0, thinking: 0, multiSample: 0, longOutputs: 0,
      singleTurn: 0, toolUse: 0, errors: 0, templated: 0, sharedTemplate: 0, nearDuplicate: 0, crossDuplicate: 0, uniquePrompts: 1, verbatimRepeats: 0,
    },
    singleTurnPrompts: 0,
    medianOutputTokens: 0,
    capabilities: {},
    capabilityEntropy: 0,
    topCapability: 'chat',
    topCapabilityShare: 0,
    hourEntropy: 0,
    busyHoursOfDay: 0,
    burstShare: 0,
    gapSpread: 0,
    templates: [],
    newModel: null,
    ageAtFirstUseDays: null,
  };
}
