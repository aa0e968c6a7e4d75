/**
 * The findings document: what `analyze --json` writes, what the HTML report renders, what
 * `eval` scores and what the service serves. Field names are snake_case because the document
 * is read by other tools (DESIGN.md, "Outputs"); every score carries the evidence behind it.
 */

/** 2: evidence weights are log-odds; every linked cluster is listed, flagged or not. */
export const FINDINGS_FORMAT_VERSION = 2;

/** One reason behind a score, in words an analyst can check against the logs. */
export interface Evidence {
  /** Stable signal name from the detector registry, e.g. `shared_template`, `cot_elicitation`. */
  signal: string;
  /**
   * Contribution to the score in log-odds: the score is the logistic of the prior plus the
   * weights (combined family by family); negative for mitigations.
   */
  weight: number;
  /** What was seen, how often, with whom, e.g. "412 of 430 requests share template T17 with 388 other accounts". */
  detail: string;
  /** The measured value behind the detail, when there is one number. */
  value?: number;
  /** Short excerpts (truncated, never more than the store keeps) that illustrate the evidence. */
  examples?: string[];
}

export interface VolumeSummary {
  exchanges: number;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
}

export interface TimelinePoint {
  /** Start of the bucket, RFC 3339. */
  start: string;
  exchanges: number;
}

export interface AccountFinding {
  account_id: string;
  score: number;
  flagged: boolean;
  /** The flagged cluster the account belongs to, if any: the group an analyst acts on. */
  cluster_id: string | null;
  /** The cluster the account is linked into, flagged or not. */
  linked_cluster_id: string | null;
  evidence: Evidence[];
  volume: VolumeSummary;
  /** Share of the account's exchanges per capability label (sums to 1 when there is traffic). */
  capabilities: Record<string, number>;
  tier: string | null;
  first_seen: string | null;
  last_seen: string | null;
}

/** Infrastructure and content indicators shared inside a cluster, the most common first. */
export interface ClusterIndicators {
  ips: string[];
  subnets: string[];
  asns: number[];
  countries: string[];
  payment_fingerprints: string[];
  user_agents: string[];
  tls_fingerprints: string[];
  email_domains: string[];
  /** Template ids (see `templates`) that most of the cluster's traffic fills in. */
  templates: string[];
}

export interface TemplateSummary {
  template_id: string;
  /** The template with slots shown as `<*>`, truncated; null when the store keeps no text. */
  text: string | null;
  exchanges: number;
  accounts: number;
}

export interface ClusterFinding {
  cluster_id: string;
  accounts: string[];
  score: number;
  flagged: boolean;
  /** Share of the cluster's exchanges per capability label. */
  capabilities: Record<string, number>;
  indicators: ClusterIndicators;
  evidence: Evidence[];
  volume: VolumeSummary;
  first_seen: string | null;
  last_seen: string | null;
  /** Exchanges per time bucket over the input window. */
  timeline: TimelinePoint[];
  templates: TemplateSummary[];
  /** Models the cluster's traffic asked for, with exchange counts. */
  models: Record<string, number>;
}

export interface FindingsInput {
  exchanges: number;
  accounts: number;
  accounts_with_traffic: number;
  first_ts: string | null;
  last_ts: string | null;
}

export interface Findings {
  format_version: number;
  generated_at: string;
  tool: { name: 'distillguard'; version: string };
  input: FindingsInput;
  /** The operating thresholds the flags were set with. */
  thresholds: { account: number; cluster: number };
  summary: { flagged_accounts: number; flagged_clusters: number; flagged_exchanges: number };
  /** Score distributions, detector base rates and suggested thresholds (`src/scoring/calibration.ts`). */
  calibration?: FindingsCalibration;
  /** Seconds spent per analysis stage, and `total`, as of writing the document. */
  timings: Record<string, number>;
  /** Every account that appears in the input, flagged or not, highest score first. */
  accounts: AccountFinding[];
  /** Clusters of linked accounts, highest score first. */
  clusters: ClusterFinding[];
}

/** See `Calibration` in `src/scoring/calibration.ts`; kept structural here so the model stays free of scoring. */
export interface FindingsCalibration {
  accounts: { bins: number[]; total: number; flagged: number; threshold: number };
  clusters: { bins: number[]; total: number; flagged: number; threshold: number };
  log_odds_quantiles: Record<string, number>;
  detectors: { signal: string; level: 'account' | 'cluster'; firing: number; strong: number; share: number }[];
  suggested: { outlier_rule: number; alert_rates: { rate: number; score: number }[] };
  threshold_source: string;
}
