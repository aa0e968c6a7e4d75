import type { Account } from '../model/account.js';
import type { AccountFinding, ClusterFinding, Evidence } from '../model/findings.js';
import { murmur32 } from '../util/hash64.js';
import type { ExchangeRecord } from '../features/exchange-record.js';
import { BehaviourTracker, templateKey, type TemplateStats } from '../behaviour/behaviour-tracker.js';
import type { AccountState, ExchangeIndicator } from '../behaviour/account-state.js';
import type { ExchangeBatch } from '../behaviour/exchange-batch.js';
import { recordColumns, type RecordColumns } from '../behaviour/record-columns.js';
import { AccountSummaries, measureReferences, summarizeAccount, summarizePopulation, type AccountSummary, type PopulationContext, type PopulationOptions } from '../behaviour/account-summary.js';
import { linkAccounts, linkKindBit, linkKindMask, linkKindsOf, type LinkResult } from '../linking/account-linker.js';
import { buildLinkInput, LinkInputBuilder, type LinkInput } from '../linking/link-input.js';
import { ACCOUNT_DETECTORS, type AccountDetectorInput } from './account-detectors.js';
import type { PartnerSighting } from './partner-detectors.js';
import { CLUSTER_DETECTORS, isClustersOwnTemplate, membersOnMintedDomain, membersOnOwnDomain, rotatedSystemPromptsDetector, sharedEmailDomainDetector, sharedPaymentDetector, signupBurstDetector, type ClusterDetectorInput } from './cluster-detectors.js';
import { buildClusterView, holderCounts, organisationKey, type ClusterIndicatorKind, type ClusterView } from './cluster-view.js';
import { parseDetectionConfig, type DetectionConfig } from './detection-config.js';
import { evidence as evidenceItem, formatCount, round, runDetector, type DetectorDefinition, type DetectorRole } from './detector.js';
import { combineFamily, logistic } from './evidence-scale.js';
import { TRAFFIC_DETECTORS, identityVerifiedDetector, type TrafficInput } from './traffic-detectors.js';
import { buildAccountFinding, buildClusterFinding, type FindingTexts } from './findings-builder.js';
import { sortShortList } from '../util/short-list-sort.js';
import { firstAtOrAbove } from '../util/sorted-search.js';

/**
 * The detection engine: one object that the batch analysis and the live service both drive.
 *
 * Scores are log-odds (`evidence-scale.ts`): prior + the account's own evidence + what its
 * cluster shows, through the logistic. Per family of evidence, an account's own and its
 * cluster's pooled value are two views of one habit, so the stronger counts (scaled by how
 * firmly the account is tied into the cluster); the cluster's coordination is added on top.
 *
 * - `observe(records)` / `observeBatch(batch)` fold exchanges into per-account state (cheap,
 *   incremental; batches in time order).
 * - `linkInput()` snapshots what linking needs; `linkAccounts(input)` (pure, from
 *   `src/linking`) clusters the accounts, in a worker thread if the caller likes;
 *   `applyLinks(result)` folds the clusters back in and re-scores. `relink()` does all three.
 * - `scoreAccount(id)` answers from the current state and the last links.
 * - `assess()` scores everything; `toFindings` (see `findings-builder.ts`) renders it.
 *
 * @example
 * const engine = createDetectionEngine();
 * engine.observe(records);
 * engine.relink();
 * engine.scoreAccount('acct_42'); // { score, flagged, clusterId, evidence }
 */

export interface AccountAssessment {
  score: number;
  flagged: boolean;
  /** The cluster the account is linked into, flagged or not. */
  clusterId: string | null;
  clusterFlagged: boolean;
  /** Strongest first. */
  evidence: readonly Evidence[];
}

export interface ClusterAssessment {
  clusterId: string;
  index: number;
  score: number;
  flagged: boolean;
  /** Log-odds of the cluster's evidence per family (prior not included). */
  families: Map<string, FamilyLogit>;
  /** Each coordination detector's weight and the members (positions) it is about. */
  coordination: WeightedSignal[];
  /** Position of each member (account index) in `view.members`. */
  positionOf: Map<number, number>;
  /** Positions of the members writing from a mail domain of their own organisation's (`membersOnOwnDomain`). */
  onOwnDomain: Set<number>;
  /** Positions of the members writing from an address minted at the operators' mail domain (`membersOnMintedDomain`). */
  onMintedDomain: Set<number>;
  /** Positions of the members created beside one of the operator's own accounts (`createdBesideOperator`). */
  besideOperator: Set<number>;
  evidence: Evidence[];
  view: ClusterView;
}

export interface PopulationAssessment {
  context: PopulationContext;
  accounts: AccountAssessment[];
  clusters: ClusterAssessment[];
  /** Detector failures, reported by the CLI (a failing detector scores 0 and analysis goes on). */
  errors: string[];
}

/** One detector's contribution: its family, role, signed weight and, for a cluster, whom it is about. */
export interface WeightedSignal {
  signal: string;
  family: string;
  role: DetectorRole;
  weight: number;
  /** The detector's score (0..1): how fully the evidence holds. */
  score: number;
  members?: ReadonlySet<number>;
  rotating?: ReadonlySet<number>;
}

/** One family's evidence combined (`combineFamily`), and its role. */
export interface FamilyLogit {
  role: DetectorRole;
  logOdds: number;
}

interface OwnAssessment {
  items: readonly Evidence[];
  families: ReadonlyMap<string, FamilyLogit>;
  /** Own evidence summed (no prior). */
  logOdds: number;
}

interface PopulationSummaries {
  /** The tracker's revision they were made at. */
  revision: number;
  context: PopulationContext;
  summaries: AccountSummaries;
}

interface ClusterState {
  /** The tracker's revision it was made at: while it holds, `own` and `summaries` are current. */
  revision: number;
  context: PopulationContext;
  clusters: ClusterAssessment[];
  byIndex: Map<number, ClusterAssessment>;
  summaries: AccountSummaries;
  /**
   * Each account's own assessment at `revision`, made when first asked (`ownOf`): a relink in the
   * service or a backtest needs those of the clusters' members, and the rest only when their
   * account is scored before it sends more.
   */
  own: (OwnAssessment | undefined)[];
  /** Effective cluster index per account (late joiners without own evidence left out), -1 for none. */
  memberOf: Int32Array;
  errors: string[];
  /**
   * What each member inherits from its cluster's coordination (`finalAssessment`), by account
   * index: it depends on the links and on how certainly the member is the operator's, not on its
   * traffic, so the live path's re-scores between two relinks share it.
   */
  inherited: Map<number, { certainty: number; shared: Map<string, FamilyLogit> }>;
}

type AnyDetector<Input> = DetectorDefinition<Input, { weight: number }>;

/** Shared by every account whose traffic shows nothing either way: most of a flood of throwaway accounts. */
/** The evidence list of every account with none (most of a flood of light accounts); frozen, so a write to it throws. */
const NO_EVIDENCE: readonly Evidence[] = Object.freeze([]);
const NO_OWN_EVIDENCE: OwnAssessment = Object.freeze({ items: Object.freeze([]), families: new Map(), logOdds: 0 });

/**
 * Coordination that ties an account to one operator: a card shared across organisations, a
 * rotated set of system prompts. A member tied in by one of these is run by the operator, so
 * the cluster's traffic speaks for it. A shared pool of exits ties it only with more: sign-ups
 * with the others, or harvesting in its own traffic (`OPERATED_OWN_VALUE`), since commercial
 * proxy and VPN providers sell the same rotating exits to ordinary customers. Once a cluster
 * shows any of these, an account created from one of its members' sign-up addresses (one that
 * few accounts outside the cluster signed up from) is the operator's too, however little it
 * has sent: a spare account made on the operator's machine; so is one writing from an address
 * at a domain few outsiders use, at which three or more members of other organisations verified
 * theirs (`membersOnMintedDomain`: minted at a catch-all domain the operator holds); so is one
 * linked to them by a sign-up half-hour the store counts as a burst, created within the burst
 * window of one of the accounts the card or the harness ties to the operator
 * (`createdBesideOperator`) and tied to them by more than the time and what it sends
 * (`SITTING_TRACE_LINKS`, or sharing exits, a network, a sign-up address or a mail domain with
 * members of other organisations): the operator made them in one sitting. The time alone does
 * not say so: a burst
 * half-hour holds the ordinary sign-ups of any half-hour too, a third of it at the burst factor
 * of 3, and more in a store with many. Without them, a shared sign-up address is a campus or an
 * office, and a burst the first day of a course. Shared context (a campus, an office, a sign-up
 * day) and shared prompt templates (an assignment, a published benchmark format) say only that
 * it sits beside the others.
 */
const OPERATOR_FAMILIES: ReadonlySet<string> = new Set(['payment', 'harness']);
const EXIT_POOL_FAMILY = 'exit_pool';
const TEMPLATES_FAMILY = 'templates';
/** Signals about values a member shares with members of other organisations: where it is, not what it sends. */
const CROSS_ORGANISATION_TIES: ReadonlySet<string> = new Set(['exit_pool', 'shared_network', 'shared_signup_ip', 'shared_email_domain']);
const HIDDEN_FAMILIES: ReadonlySet<string> = new Set([...OPERATOR_FAMILIES, EXIT_POOL_FAMILY]);
/**
 * Sign-up evidence that puts a member of an exit pool among the operator's accounts: created in
 * the same burst, from the same address, or at the same private mail domain as members of other
 * organisations (a catch-all domain's addresses are minted by whoever holds it). A provider's
 * ordinary customers are none of these.
 */
const SIGNUP_SIGNALS: ReadonlySet<string> = new Set(['signup_burst', 'shared_signup_ip', 'shared_email_domain']);
/**
 * Positions of the members created within `windowMs` of a member that takes part in coordination
 * only the operator's accounts share (a card across organisations, the harness), those members
 * left out: accounts the operator made in the same sitting as its own.
 */
export function createdBesideOperator(view: ClusterView, signals: readonly WeightedSignal[], windowMs: number): Set<number> {
  const operated = new Set<number>();
  for (const signal of signals) {
    if (signal.role !== 'coordination' || !OPERATOR_FAMILIES.has(signal.family) || signal.weight <= 0 || signal.members === undefined) continue;
    for (const position of signal.members) operated.add(position);
  }
  const beside = new Set<number>();
  const times: number[] = [];
  for (const position of operated) {
    const at = view.members[position]!.info?.createdAt;
    if (at != null) times.push(at);
  }
  if (times.length === 0) return beside;
  times.sort((a, b) => a - b);
  view.members.forEach((member, position) => {
    const at = member.info?.createdAt;
    if (at == null || operated.has(position)) return;
    const low = firstAtOrAbove(times, at);
    const nearest = Math.min(low < times.length ? times[low]! - at : Infinity, low > 0 ? at - times[low - 1]! : Infinity);
    if (nearest <= windowMs) beside.add(position);
  });
  return beside;
}

/** The link kind of a shared sign-up half-hour that is a burst in the store (`linking.signup_bucket_minutes`, `signup_burst_min`). */
const SIGNUP_TIME_LINK = linkKindBit('signup_time');
/**
 * Links that put an account made in the operators' sitting where their accounts are, beside the
 * time: an address, a network, a sign-up address, a mail domain (a catch-all's or a university
 * one), a card or a key. Not what it sends, nor its client software or hours.
 */
const SITTING_TRACE_LINKS = linkKindMask(['ip', 'subnet', 'signup_ip', 'email_domain', 'academic_domain', 'payment', 'api_key']);
/** Value evidence (log-odds) of its own with which a member of an exit pool counts as run by the operator (about 4.5:1). */
const OPERATED_OWN_VALUE = 1.5;

/** A template's shape as `DetectionEngine.templateShape` gives it. */
export interface TemplateShape {
  name: string;
  kind: 'prompt' | 'system';
  tokens: number[];
  /** Store `id_key` (decimal) of an exchange that fills it, or null. */
  exampleKey: string | null;
}

/** Reference data the engine compares accounts with, read by the caller (the engine reads no files). */
export interface DetectionReference {
  /** Public mail providers' domains (`loadPublicMailDomains()` in `src/config`): not linked on. */
  publicMailDomains?: ReadonlySet<string>;
  /** Universities' and colleges' domains (`loadAcademicMailDomains()` in `src/config`): linked on weakly. */
  academicMailDomains?: ReadonlySet<string>;
}

export class DetectionEngine {
  readonly name = 'distillguard';
  readonly tracker: BehaviourTracker;
  readonly config: DetectionConfig;
  private links: LinkResult | null = null;
  private clusterCache: ClusterState | null = null;
  /**
   * The population's summaries at one tracker revision: a relink summarises every account for
   * linking and the assessment right after it needs the same, so they are made once. Dropped as
   * soon as traffic is observed, so a live engine does not keep a second set while it relinks.
   */
  private summaryCache: PopulationSummaries | null = null;
  private readonly holdersCache = new Map<string, (value: string) => number>();
  private readonly linkInputs = new LinkInputBuilder();
  private partnerSightings: ReadonlyMap<string, readonly PartnerSighting[]> = new Map();
  private bare: { prior: number; threshold: number; assessment: AccountAssessment } | null = null;

  constructor(config: DetectionConfig = parseDetectionConfig(), reference: DetectionReference = {}) {
    this.config = config;
    this.tracker = new BehaviourTracker({ ...config.behaviour, publicMailDomains: reference.publicMailDomains, academicMailDomains: reference.academicMailDomains });
  }

  get accountCount(): number {
    return this.tracker.accounts.length;
  }

  /** Numbers accounts in this order first (the batch analysis keys its SQL by these indexes). */
  registerAccounts(ids: readonly string[]): void {
    for (const id of ids) this.tracker.accountIndexOf(id);
  }

  /**
   * Partner indicators each account matched, by account id (replacing the last): evidence for
   * the next assessment, never a flag alone. Returns the accounts whose sightings changed.
   */
  setPartnerSightings(sightings: ReadonlyMap<string, readonly PartnerSighting[]>): string[] {
    const before = this.partnerSightings;
    const changed = new Set<string>();
    for (const [accountId, list] of sightings) if (JSON.stringify(before.get(accountId) ?? []) !== JSON.stringify(list)) changed.add(accountId);
    for (const accountId of before.keys()) if (!sightings.has(accountId)) changed.add(accountId);
    this.partnerSightings = sightings;
    if (changed.size > 0) this.clusterCache = null;
    return [...changed];
  }

  setAccountInfo(accounts: readonly Account[]): void {
    for (const account of accounts) this.tracker.setAccountInfo(account);
    this.holdersCache.clear();
  }

  /** Live path: records as committed to the store. Returns the ids of the accounts touched. */
  observe(records: readonly ExchangeRecord[]): Set<string> {
    return this.observeColumns(recordColumns(records), 0, records.length);
  }

  /** Live path, records `from` to `to` of a chunk in columns (`recordColumns`): as `observe` on the same records. */
  observeColumns(columns: RecordColumns, from: number, to: number): Set<string> {
    this.summaryCache = null;
    const touched = this.tracker.observeColumns(columns, from, to);
    return new Set([...touched].map((index) => this.tracker.accounts[index]!.id));
  }

  /** Batch path: a time-ordered batch of columns, infrastructure fed separately. */
  observeBatch(batch: ExchangeBatch): void {
    this.summaryCache = null;
    this.tracker.observeBatch(batch);
  }

  observeIndicator(kind: ExchangeIndicator, accountIndex: number, value: string, count: number): void {
    this.tracker.observeIndicator(kind, accountIndex, value, count);
  }

  /**
   * What the next relink needs, as of now. Each call keeps its rows for the next one (a live
   * engine relinks again and again), so accounts unchanged since are not read again.
   */
  linkInput(): LinkInput {
    return this.linkInputs.build(this.tracker, this.config.linking, this.populationSummaries());
  }

  private populationSummaries(): PopulationSummaries {
    const revision = this.tracker.revision;
    if (this.summaryCache?.revision === revision) return this.summaryCache;
    // Let the stale set go before the new one is made, so the two are never held at once.
    this.summaryCache = null;
    const context = summarizePopulation(this.tracker, this.populationOptions());
    // Every summary a reference or a fingerprint reads is kept; the rest are made when asked.
    const keepFrom = Math.min(this.config.scoring.referenceMinExchanges, this.config.linking.profileMinExchanges);
    const summaries = new AccountSummaries(this.tracker, context, keepFrom);
    this.summaryCache = { revision, context, summaries };
    return this.summaryCache;
  }

  private populationOptions(): PopulationOptions {
    const b = this.config.behaviour;
    return {
      newModelAfterHours: b.newModelAfterHours,
      newModelMinExchanges: b.newModelMinExchanges,
      templateMinDistinct: b.templateMinDistinct,
      templateMinVariety: b.templateMinVariety,
    };
  }

  /** Takes a relink result; returns the accounts whose assessment may have changed. */
  applyLinks(links: LinkResult): Set<string> {
    const before = this.links;
    this.links = links;
    this.clusterCache = null;
    this.holdersCache.clear();
    const changed = new Set<string>();
    for (let a = 0; a < this.tracker.accounts.length; a++) {
      const was = before === null || a >= before.clusterOf.length ? -1 : before.clusterOf[a]!;
      if (was !== -1 || links.clusterOf[a] !== -1) changed.add(this.tracker.accounts[a]!.id);
    }
    return changed;
  }

  /** Links the accounts once, in this thread (the batch analysis): no rows kept for another time. */
  relink(): LinkResult {
    const links = linkAccounts(buildLinkInput(this.tracker, this.config.linking, this.populationSummaries()));
    this.applyLinks(links);
    return links;
  }

  get linkResult(): LinkResult | null {
    return this.links;
  }

  scoreAccount(accountId: string): AccountAssessment | null {
    const state = this.tracker.account(accountId);
    if (state === undefined || state.exchanges === 0) return null;
    const cache = this.clusterState();
    const own = cache.revision === this.tracker.revision ? this.ownOf(cache, state.index) : this.ownAssessment(state.index, summarizeAccount(state, cache.context), cache.context, []);
    return this.finalAssessment(state.index, own, cache);
  }

  /** The account in the findings shape, or null when the engine has no traffic from it. */
  account(accountId: string): AccountFinding | null {
    const state = this.tracker.account(accountId);
    if (state === undefined || state.exchanges === 0) return null;
    return buildAccountFinding(state, this.scoreAccount(accountId)!, this.config);
  }

  /** Every cluster as of the last relink, highest score first. */
  clusters(): ClusterFinding[] {
    const cache = this.clusterState();
    const texts: FindingTexts = { templates: new Map(), examples: new Map() };
    return cache.clusters.map((c) => buildClusterFinding(c, cache.context, this.config, texts));
  }

  /** The clusters as `clusters()` lists them, without evidence: whether each is flagged, and its members. */
  clusterMemberships(): { cluster_id: string; flagged: boolean; accounts: string[] }[] {
    return this.clusterState().clusters.map((cluster) => ({
      cluster_id: cluster.clusterId,
      flagged: cluster.flagged,
      accounts: cluster.view.members.map((state) => state.id).sort(),
    }));
  }

  /** Scores every account and cluster. */
  assess(): PopulationAssessment {
    if (this.clusterCache !== null && this.clusterCache.revision !== this.tracker.revision) this.clusterCache = null;
    const cache = this.clusterState();
    const accounts = this.tracker.accounts.map((state) => this.finalAssessment(state.index, this.ownOf(cache, state.index), cache));
    return { context: cache.context, accounts, clusters: cache.clusters, errors: [...cache.errors] };
  }

  templateStats(kind: 'prompt' | 'system', id: number): TemplateStats | undefined {
    return this.tracker.templates.get(id * 2 + (kind === 'system' ? 1 : 0));
  }

  /**
   * A template by the name findings give it (`P12`, `S3`): its 16 shape positions (slots as
   * `WILDCARD`, `PAD` past the end of short texts) and the store key of an exchange that fills it.
   */
  templateShape(name: string): TemplateShape | null {
    const match = /^([PS])(\d+)$/.exec(name);
    if (match === null) return null;
    const kind = match[1] === 'S' ? 'system' : 'prompt';
    const id = Number(match[2]);
    const template = (kind === 'system' ? this.tracker.systemMiner : this.tracker.promptMiner).get(id);
    if (template === undefined) return null;
    const stats = this.templateStats(kind, id);
    const exampleKey = stats === undefined ? null : ((BigInt(stats.exampleKeyHi >>> 0) << 32n) | BigInt(stats.exampleKeyLo >>> 0)).toString();
    return { name, kind, tokens: [...template.tokens], exampleKey };
  }

  private clusterState(): ClusterState {
    if (this.clusterCache !== null) return this.clusterCache;
    const { revision, context, summaries } = this.populationSummaries();
    measureReferences(context, summaries.withAtLeast(this.config.scoring.referenceMinExchanges), this.config.scoring.referenceMinExchanges);
    const clusters: ClusterAssessment[] = [];
    const cache: ClusterState = {
      revision,
      context,
      clusters,
      summaries,
      own: new Array<OwnAssessment | undefined>(this.tracker.accounts.length),
      memberOf: new Int32Array(this.tracker.accounts.length).fill(-1),
      errors: [],
      byIndex: new Map(),
      inherited: new Map(),
    };
    const links = this.links;
    if (links !== null) {
      links.clusters.forEach((link, index) => {
        // An account tied in only by weak links must show some training-value traffic of its own
        // before it counts as a member (its links alone are not enough), unless it runs the
        // cluster's own rotation of system prompts: two or more of them.
        const rotation = lateMembersInRotation(link.members, links.late, this.tracker.accounts, context);
        const members = link.members.filter((a) => links.late[a] !== 1 || rotation.has(a) || valueLogOdds(this.ownOf(cache, a)) >= this.config.scoring.lateMinOwnLogOdds);
        if (members.length < this.config.linking.minClusterSize) return;
        for (const a of members) cache.memberOf[a] = index;
        const view = buildClusterView(index, { ...link, members }, this.tracker, (account) => summaries.of(account), context);
        clusters.push(this.assessCluster(view, context, cache.errors));
      });
      clusters.sort((a, b) => b.score - a.score || a.clusterId.localeCompare(b.clusterId));
    }
    for (const cluster of clusters) cache.byIndex.set(cluster.index, cluster);
    this.clusterCache = cache;
    return cache;
  }

  /** The account's own assessment as of the cluster state's revision (`ClusterState.own`). */
  private ownOf(cache: ClusterState, index: number): OwnAssessment {
    return (cache.own[index] ??= this.ownAssessment(index, cache.summaries.of(index), cache.context, cache.errors));
  }

  /** Runs detectors; their evidence goes to `items`, their weights to `signals`. */
  private runDetectors<Input>(
    detectors: readonly AnyDetector<Input>[],
    params: Record<string, { weight: number } & Record<string, unknown>>,
    input: Input,
    items: Evidence[],
    errors: string[],
    signals: WeightedSignal[],
  ): void {
    for (const detector of detectors) {
      const p = params[detector.signal];
      if (p === undefined || p.weight <= 0) continue;
      const result = runDetector(detector, input, p);
      if (result.error) errors.push(result.error);
      if (result.score <= 0) continue;
      const weight = (detector.role === 'mitigation' ? -1 : 1) * result.score * p.weight;
      signals.push({
        signal: detector.signal,
        family: detector.family,
        role: detector.role,
        weight,
        score: result.score,
        ...(result.members === undefined ? {} : { members: result.members }),
        ...(result.rotating === undefined ? {} : { rotating: result.rotating }),
      });
      items.push(...result.evidence);
    }
  }

  /**
   * The sum of the families: coordination and mitigations add up; value families are views of
   * one habit (a harvesting script asks for reasoning, maxes its budget and runs round the
   * clock), so they combine like a family, by `scoring.value_decay`.
   */
  private total(families: ReadonlyMap<string, FamilyLogit>): number {
    const value = valueScratch;
    value.length = 0;
    let sum = 0;
    families.forEach((family) => {
      if (family.role === 'value') value.push(family.logOdds);
      else sum += family.logOdds;
    });
    return sum + combineFamily(value, this.config.scoring.valueDecay);
  }

  /** Combines signals family by family (`combineFamily`), the families in the order they first appear. */
  private combine(signals: readonly WeightedSignal[]): Map<string, FamilyLogit> {
    // An assessment holds a few dozen signals at most, so each family's weights are gathered by a
    // scan from its first signal on, into one reused array, rather than grouped through a map of
    // arrays on every re-score.
    const out = new Map<string, FamilyLogit>();
    const weights = familyScratch;
    for (let i = 0; i < signals.length; i++) {
      const first = signals[i]!;
      if (out.has(first.family)) continue;
      weights.length = 0;
      for (let j = i; j < signals.length; j++) if (signals[j]!.family === first.family) weights.push(signals[j]!.weight);
      out.set(first.family, { role: first.role, logOdds: combineFamily(weights, this.config.scoring.familyDecay) });
    }
    return out;
  }

  private assessCluster(view: ClusterView, context: PopulationContext, errors: string[]): ClusterAssessment {
    const items: Evidence[] = [];
    const signals: WeightedSignal[] = [];
    const traffic: TrafficInput = { subject: 'cluster', measures: view.measures, exchanges: view.exchanges, accounts: view.members.length, context };
    this.runDetectors(TRAFFIC_DETECTORS as unknown as AnyDetector<TrafficInput>[], this.config.detectors.traffic, traffic, items, errors, signals);
    const input: ClusterDetectorInput = {
      view,
      holders: (kind, value) => this.holders(kind, value),
      population: context.accountsWithTraffic,
      signups: context.signups,
      templateHolders: (key) => context.templateAccounts.get(key) ?? 0,
      templateName,
      groupSize: (accounts) => groupSize(accounts, this.config.scoring.groupAccounts),
    };
    this.runDetectors(CLUSTER_DETECTORS as unknown as AnyDetector<ClusterDetectorInput>[], this.config.detectors.cluster, input, items, errors, signals);
    const families = this.combine(signals);
    const logOdds = this.config.scoring.priorLogOdds + this.total(families);
    const score = round(logistic(logOdds), 4);
    const anchor = view.members.map((state) => state.id).sort()[0]!;
    sortShortList(items, byWeight);
    const kinds = linkKindsOf(view.link.kinds).join(', ');
    const sum = (role: DetectorRole) => [...families.values()].filter((f) => f.role === role).reduce((total, f) => total + f.logOdds, 0);
    items.push(
      evidenceItem(
        'linked_accounts',
        0,
        0,
        `${formatCount(view.members.length)} accounts linked by shared ${kinds || 'traits'} (${formatCount(view.link.edges)} links); log-odds: coordination ${sum('coordination').toFixed(2)}, value ${sum('value').toFixed(2)}, mitigation ${sum('mitigation').toFixed(2)}, prior ${this.config.scoring.priorLogOdds.toFixed(2)}`,
      ),
    );
    return {
      clusterId: `C${(murmur32(anchor, 0x436c7573) >>> 0).toString(16).padStart(8, '0').slice(0, 6)}`,
      index: view.index,
      score,
      flagged: score >= this.config.thresholds.cluster,
      families,
      coordination: signals.filter((signal) => signal.role === 'coordination'),
      positionOf: new Map(view.link.members.map((account, position) => [account, position])),
      onOwnDomain: membersOnOwnDomain(view),
      onMintedDomain: membersOnMintedDomain(view, input.holders),
      besideOperator: createdBesideOperator(view, signals, this.signupWindowMs()),
      evidence: items,
      view,
    };
  }

  /** The account's own evidence: what its traffic and its account details show, before any cluster. */
  private ownAssessment(index: number, summary: AccountSummary, context: PopulationContext, errors: string[]): OwnAssessment {
    const state = this.tracker.accounts[index]!;
    const items: Evidence[] = [];
    const signals: WeightedSignal[] = [];
    if (state.exchanges > 0) {
      const traffic: TrafficInput = { subject: 'account', measures: summary.measures, exchanges: state.exchanges, accounts: 1, context };
      this.runDetectors(TRAFFIC_DETECTORS as unknown as AnyDetector<TrafficInput>[], this.config.detectors.traffic, traffic, items, errors, signals);
      const input: AccountDetectorInput = { accountId: state.id, state, summary, info: state.info, context, templateName, partnerSightings: this.partnerSightings.get(state.id) };
      this.runDetectors(ACCOUNT_DETECTORS as unknown as AnyDetector<AccountDetectorInput>[], this.config.detectors.account, input, items, errors, signals);
    }
    if (signals.length === 0 && items.length === 0) return NO_OWN_EVIDENCE;
    const families = this.combine(signals);
    return { items, families, logOdds: this.total(families) };
  }

  /** Own evidence plus what membership in a cluster adds, family by family. */
  private finalAssessment(index: number, own: OwnAssessment, cache: ClusterState): AccountAssessment {
    const prior = this.config.scoring.priorLogOdds;
    const clusterIndex = index < cache.memberOf.length ? cache.memberOf[index]! : -1;
    if (own === NO_OWN_EVIDENCE && clusterIndex < 0) return this.bareAssessment(prior);
    let items = [...own.items];
    let logOdds = prior + own.logOdds;
    let clusterId: string | null = null;
    let clusterFlagged = false;
    const links = this.links;
    const cluster = clusterIndex >= 0 ? cache.byIndex.get(clusterIndex) : undefined;
    if (links !== null && cluster !== undefined) {
      clusterId = cluster.clusterId;
      clusterFlagged = cluster.flagged;
      const attachment = links.attachment[index]!;
      const tie = Math.min(1, attachment / Math.max(1e-9, this.config.scoring.fullAttachment));
      // A member that takes part in the coordination that ties accounts to one operator (a card,
      // the rotated prompts; the exit pool with harvesting of its own) is run by the operator:
      // the cluster's traffic speaks for it, and so does the coordination it does not itself
      // share in (one of the operator's accounts need not hold every card: that evidence is
      // about the operator), in the measure the tie shows it to be one of the operator's
      // accounts: the score of the strongest tie that makes it so, and at least
      // `scoring.bystander_share`. Two cousins sharing a card on a VPN's exits are barely a tie;
      // a card the whole cluster shares is a full one. A member tied in by shared context only
      // (a campus or office network) sits beside the others: it takes the context it shares and
      // nothing more.
      //
      // Once a cluster shows an operator, a member that spreads its requests over two or more of
      // the cluster's own prompt templates and shares where it is with members of other
      // organisations (their exits, network, sign-up addresses or mail domain) runs the
      // operator's script. Templates alone are not enough, nor ties to its own organisation's
      // accounts: a published format puts an evaluation harness or an automation product among
      // a campaign's prompts, but not on its network or among its sign-ups.
      const position = cluster.positionOf.get(index);
      const takesPart = (signal: WeightedSignal) => signal.members === undefined || (position !== undefined && signal.members.has(position));
      const takesPartIn = (test: (signal: WeightedSignal) => boolean) => cluster.coordination.some((signal) => test(signal) && takesPart(signal));
      const strongest = (test: (signal: WeightedSignal) => boolean) => {
        let best = 0;
        for (const signal of cluster.coordination) if (signal.score > best && test(signal)) best = signal.score;
        return best;
      };
      const ownValue = valueLogOdds(own);
      const pool = strongest((signal) => signal.family === EXIT_POOL_FAMILY && takesPart(signal));
      const madeWithThem = takesPartIn((signal) => SIGNUP_SIGNALS.has(signal.signal));
      const operatorShown = cluster.coordination.some((signal) => HIDDEN_FAMILIES.has(signal.family) && signal.weight > 0);
      const signedUpWithThem = strongest((signal) => signal.signal === 'shared_signup_ip' && takesPart(signal));
      const mailedWithThem =
        position !== undefined && cluster.onMintedDomain.has(position) ? strongest((signal) => signal.signal === sharedEmailDomainDetector.signal && takesPart(signal)) : 0;
      const sitsWithOthers = takesPartIn((signal) => CROSS_ORGANISATION_TIES.has(signal.signal));
      const createdWithThem =
        position !== undefined && cluster.besideOperator.has(position) && (links.kindsOf[index]! & SIGNUP_TIME_LINK) !== 0 && (sitsWithOthers || (links.kindsOf[index]! & SITTING_TRACE_LINKS) !== 0)
          ? strongest((signal) => signal.signal === signupBurstDetector.signal && takesPart(signal))
          : 0;
      const script = sitsWithOthers ? strongest((signal) => signal.family === TEMPLATES_FAMILY && position !== undefined && signal.rotating?.has(position) === true) : 0;
      // A member paying with a card, writing from its own organisation's mail domain (one no
      // member of another organisation in the cluster uses) and sharing no exits, network or
      // sign-up address with members of other organisations is a customer of its own
      // (`independent_customers`, one account at a time): the system prompts it rotates like the
      // others are a public kit's, an evaluation suite's, not the operator's harness. An operator
      // would need a card, a domain and a network of its own for each such account.
      const independent = !sitsWithOthers && position !== undefined && cluster.onOwnDomain.has(position) && cluster.view.members[position]!.info?.paymentFingerprint != null;
      const certainty = Math.max(
        strongest((signal) => OPERATOR_FAMILIES.has(signal.family) && takesPart(signal) && !(independent && signal.family === rotatedSystemPromptsDetector.family)),
        ownValue >= OPERATED_OWN_VALUE || madeWithThem ? pool : 0,
        operatorShown ? Math.max(signedUpWithThem, mailedWithThem, createdWithThem, script) : 0,
      );
      const operated = certainty > 0;
      // In a cluster that shows no operator (no card, exits or rotated prompts only one holds)
      // and no sign of separate customers (no mitigation), what flags it is shared context and the
      // pooled traffic. A member that takes part in that context and whose own traffic shows the
      // habit the cluster is judged on (its own evidence of the cluster's strongest value family
      // at `scoring.habit_share` of the cluster's or more) is measured by the pooled traffic as an
      // operated member is: its own shares are the same habit over fewer requests, and volume
      // across the members is not visible in one account. A member whose traffic does not show
      // the habit (an ordinary customer on the same network) keeps its own. Where the cluster shows
      // an operator, membership is decided by taking part in the operator's coordination, and a
      // member that takes no part is a bystander whatever it sends.
      const sharesTheHabit =
        !operated &&
        !operatorShown &&
        !hasMitigation(cluster.families) &&
        showsClusterHabit(own, cluster.families, this.config.scoring.habitShare) &&
        cluster.coordination.some((signal) => signal.weight > 0 && signal.members !== undefined && takesPart(signal));
      const unsharedShare = Math.max(this.config.scoring.bystanderShare, certainty);
      const merged = new Map<string, FamilyLogit>();
      // An exit pool the member rotates through but nothing else ties it to: it may be one of the
      // provider's ordinary customers; it takes `scoring.bystander_share` of that.
      const bystander = (signal: WeightedSignal) => ({ ...signal, weight: signal.weight * this.config.scoring.bystanderShare });
      const scaled = (signal: WeightedSignal, by: number) => ({ ...signal, weight: signal.weight * by });
      // The hidden coordination an operated member takes part in counts in full, however loosely
      // its links hold it: the detector named it among the accounts that share the card, the
      // exits or the prompts, and a thin account of a network links weakly by nature (a few
      // requests, a few exits). Everything else it inherits is scaled by how firmly it is tied.
      let inherited = cache.inherited.get(index);
      if (inherited === undefined || inherited.certainty !== certainty) {
        const shared = this.combine(
          cluster.coordination.flatMap((signal) => {
            if (takesPart(signal)) {
              if (!operated && signal.family === EXIT_POOL_FAMILY) return [scaled(bystander(signal), tie)];
              return [scaled(signal, operated && HIDDEN_FAMILIES.has(signal.family) ? 1 : tie)];
            }
            return operated ? [scaled(signal, tie * unsharedShare)] : [];
          }),
        );
        cache.inherited.set(index, (inherited = { certainty, shared }));
      }
      const { shared } = inherited;
      for (const [name, family] of shared) merged.set(name, family);
      // A checked identity vouches for who holds the account, which is why a campaign of many
      // accounts rarely has one behind each. It says nothing in the campaign's favour once the
      // account takes part in coordination only the operator's accounts share: the card it pays
      // with pays for accounts of other organisations in the cluster, or it sends the operator's
      // rotated system prompts from the operator's pool of exits (one of the two may be a public
      // kit or a commercial proxy; both together are the operator's setup). The identity is then
      // one the operator holds, bought or borrowed. Rotated prompts alone do not void it:
      // evaluation harnesses of several organisations run one public kit's prompts.
      const identity = identityVerifiedDetector.family;
      const paysForOthers = takesPartIn((signal) => signal.family === sharedPaymentDetector.family);
      const runsTheirSetup = takesPartIn((signal) => signal.family === rotatedSystemPromptsDetector.family) && takesPartIn((signal) => signal.family === EXIT_POOL_FAMILY);
      const identityVoided = paysForOthers || runsTheirSetup;
      if (identityVoided) {
        // Mitigations add up outside any decay, so the check comes out of the own total whole.
        logOdds -= own.families.get(identity)?.logOdds ?? 0;
        const why = paysForOthers
          ? `its card also pays for accounts of other organisations in cluster ${cluster.clusterId}`
          : `it sends cluster ${cluster.clusterId}'s rotated system prompts from the cluster's pool of exits`;
        items = items.map((item) => (item.signal === identityVerifiedDetector.signal ? { ...item, weight: 0, detail: `${item.detail}; not counted: ${why}` } : item));
      }
      // Value and mitigation: the account's own and, for a member the operator runs or one that
      // shares the habit above, its cluster's pooled traffic are two views of one habit; the
      // stronger counts.
      const mergeFamily = (name: string): void => {
        if (identityVoided && name === identity) return;
        const mine = own.families.get(name);
        const theirs = cluster.families.get(name);
        if (theirs === undefined || theirs.role === 'coordination' || (!operated && !sharesTheHabit && theirs.role === 'value')) {
          if (mine !== undefined) merged.set(name, mine);
          return;
        }
        const a = mine?.logOdds ?? 0;
        const b = tie * theirs.logOdds;
        merged.set(name, { role: theirs.role, logOdds: theirs.role === 'mitigation' ? Math.min(a, b) : Math.max(a, b) });
      };
      // The account's own families, then the cluster's it lacks.
      for (const name of own.families.keys()) mergeFamily(name);
      for (const name of cluster.families.keys()) if (!own.families.has(name)) mergeFamily(name);
      const combined = prior + this.total(merged);
      const added = combined - logOdds;
      logOdds = combined;
      const kinds = linkKindsOf(links.kindsOf[index]!).join(', ');
      items.push(
        evidenceItem(
          'cluster_member',
          1,
          round(added, 4),
          `member of cluster ${cluster.clusterId} (score ${cluster.score.toFixed(2)}, ${formatCount(cluster.view.members.length)} accounts), linked to it by shared ${kinds}` +
            (links.late[index] === 1 ? ' (several weak links)' : '') +
            (sharesTheHabit ? "; its own traffic shows the habit the cluster is judged on, so the cluster's pooled traffic measures it" : '') +
            `; its evidence adds ${added >= 0 ? '+' : ''}${added.toFixed(2)} log-odds`,
          attachment,
        ),
      );
    }
    sortShortList(items, byWeight);
    const score = round(logistic(logOdds), 4);
    return { score, flagged: score >= this.config.thresholds.account, clusterId, clusterFlagged, evidence: items.length === 0 ? NO_EVIDENCE : items };
  }

  /**
   * The assessment of an account with no evidence of its own and no cluster: the prior alone. One
   * frozen object shared by all of them (most of a flood of throwaway accounts), remade only when
   * the prior or the threshold changes.
   */
  private bareAssessment(prior: number): AccountAssessment {
    const threshold = this.config.thresholds.account;
    const bare = this.bare;
    if (bare !== null && bare.prior === prior && bare.threshold === threshold) return bare.assessment;
    const score = round(logistic(prior), 4);
    const assessment: AccountAssessment = Object.freeze({ score, flagged: score >= threshold, clusterId: null, clusterFlagged: false, evidence: NO_EVIDENCE });
    this.bare = { prior, threshold, assessment };
    return assessment;
  }

  /** The sign-up burst detector's window: accounts created this close together were made in one sitting. */
  private signupWindowMs(): number {
    return Number(this.config.detectors.cluster[signupBurstDetector.signal]!.window_minutes) * 60_000;
  }

  /** Accounts (with the attribute known) holding a value: how public it is. */
  private holders(kind: ClusterIndicatorKind, value: string): number {
    let holdersOf = this.holdersCache.get(kind);
    if (holdersOf === undefined) this.holdersCache.set(kind, (holdersOf = holderCounts(this.tracker, kind)));
    return holdersOf(value);
  }
}

/**
 * The late members of a cluster that fill two or more of the cluster's own system prompts, as
 * its firmly tied members fill them (`isClustersOwnTemplate`, the harness detectors' rule). A
 * system prompt is chosen by whoever runs the client, not typed by a user; a campaign rotates its
 * thin accounts through a set of them, and a late account that sends several of one cluster's set
 * is run by that harness, where a public tool's prompt is mostly other accounts'.
 */
export function lateMembersInRotation(
  members: readonly number[],
  late: Uint8Array,
  accounts: readonly Pick<AccountState, 'id' | 'info' | 'systemTemplates'>[],
  context: Pick<PopulationContext, 'variedTemplates' | 'templateAccounts'>,
): Set<number> {
  const inRotation = new Set<number>();
  if (!members.some((a) => late[a] === 1)) return inRotation;
  const fillers = new Map<number, { members: number; organisations: Set<string> }>();
  for (const a of members) {
    if (late[a] === 1) continue;
    const organisation = organisationKey(accounts[a]!);
    accounts[a]!.systemTemplates.forEach((id) => {
      const key = templateKey('system', id);
      if (!context.variedTemplates.has(key)) return;
      const entry = fillers.get(key);
      if (entry === undefined) fillers.set(key, { members: 1, organisations: new Set([organisation]) });
      else {
        entry.members++;
        entry.organisations.add(organisation);
      }
    });
  }
  const own = new Set<number>();
  for (const [key, { members: count, organisations }] of fillers) {
    if (isClustersOwnTemplate(count, context.templateAccounts.get(key) ?? 0, organisations.size)) own.add(key);
  }
  if (own.size < 2) return inRotation;
  for (const a of members) {
    if (late[a] !== 1) continue;
    let shared = 0;
    accounts[a]!.systemTemplates.forEach((id) => {
      if (own.has(templateKey('system', id))) shared++;
    });
    if (shared >= 2) inRotation.add(a);
  }
  return inRotation;
}

/**
 * The same assessment judged at other thresholds: flags recomputed, scores and evidence
 * unchanged (`analyze --threshold auto` picks a threshold from the scores themselves).
 */
export function reflag(assessment: PopulationAssessment, thresholds: { account: number; cluster: number }): PopulationAssessment {
  const clusters = assessment.clusters.map((cluster) => ({ ...cluster, flagged: cluster.score >= thresholds.cluster }));
  const flaggedIds = new Set(clusters.filter((cluster) => cluster.flagged).map((cluster) => cluster.clusterId));
  const accounts = assessment.accounts.map((account) => ({
    ...account,
    flagged: account.score >= thresholds.account,
    clusterFlagged: account.clusterId !== null && flaggedIds.has(account.clusterId),
  }));
  return { ...assessment, accounts, clusters };
}

/**
 * 0 for two accounts, 1 from `full` up, logarithmic between: each doubling of the accounts that
 * share something says about as much more.
 */
export function groupSize(accounts: number, full: number): number {
  if (accounts <= 2) return 0;
  if (accounts >= full) return 1;
  return Math.log(accounts / 2) / Math.log(full / 2);
}

/** The value families of an account's own evidence, summed: what its traffic alone shows. */
function hasMitigation(families: ReadonlyMap<string, FamilyLogit>): boolean {
  for (const family of families.values()) if (family.role === 'mitigation' && family.logOdds < 0) return true;
  return false;
}

/** Whether the account's own evidence of the cluster's strongest value family is at least `share` of the cluster's. */
function showsClusterHabit(own: OwnAssessment, cluster: ReadonlyMap<string, FamilyLogit>, share: number): boolean {
  let strongest: string | null = null;
  let best = 0;
  for (const [name, family] of cluster) {
    if (family.role === 'value' && family.logOdds > best) {
      best = family.logOdds;
      strongest = name;
    }
  }
  return strongest !== null && (own.families.get(strongest)?.logOdds ?? 0) >= share * best;
}

function valueLogOdds(own: OwnAssessment): number {
  let total = 0;
  for (const family of own.families.values()) if (family.role === 'value') total += family.logOdds;
  return total;
}

export function templateName(template: { kind: 'prompt' | 'system'; templateId: number }): string {
  return `${template.kind === 'system' ? 'S' : 'P'}${template.templateId}`;
}

export function createDetectionEngine(config?: DetectionConfig, reference?: DetectionReference): DetectionEngine {
  return new DetectionEngine(config, reference);
}

/** Strongest evidence first, ties by signal name. */
function byWeight(x: Evidence, y: Evidence): number {
  return Math.abs(y.weight) - Math.abs(x.weight) || x.signal.localeCompare(y.signal);
}

/** The value families' log-odds of the assessment being totalled (`total`), kept between calls: one a re-score. */
const valueScratch: number[] = [];
/** One family's weights while `combine` adds them up, kept likewise. */
const familyScratch: number[] = [];
