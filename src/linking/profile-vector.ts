import { CAPABILITIES } from '../features/content-signals.js';
import type { AccountSummary } from '../behaviour/account-summary.js';
import { ReferenceBuilder } from '../behaviour/population-reference.js';

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
  /** 1 for the accounts with a fingerprint (enough traffic to judge), 0 for the rest. */
  profiled: Uint8Array;
}

function features(summary: AccountSummary): number[] {
  const s = summary.shares;
  const m = summary.measures;
  return [
    Math.log10(summary.perActiveDay + 1),
    summary.hourEntropy,
    summary.gapSpread / 3,
    summary.burstShare,
    m.maxTokens?.value ?? 0,
    m.outputLength?.value ?? 0,
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
    ...CAPABILITIES.map((capability) => summary.capabilities[capability] ?? 0),
  ];
}

const DIMS = 16 + CAPABILITIES.length;

/** Summaries by account index, read only for the accounts with enough exchanges (`AccountSummaries`). */
export interface SummarySource {
  readonly length: number;
  exchanges(index: number): number;
  of(index: number): AccountSummary;
}

/**
 * Standardises each dimension by the population's median and median absolute deviation (with a
 * floor), so a crowd of bland accounts added to a store cannot shrink or shift the scale other
 * accounts are compared on.
 */
export function buildProfileVectors(summaries: SummarySource, minExchanges: number): ProfileVectors {
  const dims = DIMS;
  const raw: (number[] | null)[] = [];
  const weights: number[] = [];
  for (let i = 0; i < summaries.length; i++) {
    const exchanges = summaries.exchanges(i);
    raw.push(exchanges >= minExchanges ? features(summaries.of(i)) : null);
    weights.push(exchanges);
  }
  const data = new Float32Array(summaries.length * dims);
  const profiled = Uint8Array.from(raw, (vector) => (vector === null ? 0 : 1));
  const included = raw.filter((vector): vector is number[] => vector !== null).length;
  if (included < 2) return { dims, data, profiled: new Uint8Array(summaries.length) };
  const center = new Float64Array(dims);
  const scale = new Float64Array(dims);
  for (let d = 0; d < dims; d++) {
    const builder = new ReferenceBuilder();
    raw.forEach((vector, i) => {
      if (vector !== null) builder.add(vector[d]!, weights[i]!);
    });
    const reference = builder.build();
    center[d] = reference.center;
    scale[d] = Math.max(reference.spread, MIN_SCALE);
  }
  raw.forEach((vector, i) => {
    if (vector === null) return;
    for (let d = 0; d < dims; d++) data[i * dims + d] = (vector[d]! - center[d]!) / scale[d]!;
  });
  return { dims, data, profiled };
}

/** Below this spread a dimension is not spread at all: one tenth of its unit range. */
const MIN_SCALE = 0.1;

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
