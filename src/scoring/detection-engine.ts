import type { Account } from '../model/account.js';
import type { AccountFinding, ClusterFinding, Evidence } from '../model/findings.js';
import { murmur32 } from '../util/hash64.js';
import type { ExchangeRecord } from '../features/exchange-record.js';
import { BehaviourTracker, type TemplateStats } from '../behaviour/behaviour-tracker.js';
import type { ExchangeIndicator } from '../behaviour/account-state.js';
import type { ExchangeBatch } from '../behaviour/exchange-batch.js';
import { summarizeAccount, summarizePopulation, type AccountSummary, type PopulationContext, type PopulationOptions } from '../behaviour/account-summary.js';
import { linkAccounts, linkKindsOf, type LinkResult } from '../linking/account-linker.js';
import { buildLinkInput, type LinkInput } from '../linking/link-input.js';
import { ACCOUNT_DETECTORS, type AccountDetectorInput } from './account-detectors.js';
import { CLUSTER_DETECTORS, type ClusterDetectorInput } from './cluster-detectors.js';
import { buildClusterView, type ClusterIndicatorKind, type ClusterView } from './cluster-view.js';
import { parseDetectionConfig, type DetectionConfig } from './detection-config.js';
import { evidence as evidenceItem, formatCount, noisyOr, round, runDetector } from './detector.js';
import { buildAccountFinding, buildClusterFinding, type FindingTexts } from './findings-builder.js';

/**
 * The detection engine: one object that the batch analysis and the live service both drive.
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
  clusterId: string | null;
  /** Strongest first. */
  evidence: Evidence[];
}

export interface ClusterAssessment {
  clusterId: string;
  index: number;
  score: number;
  flagged: boolean;
  /** Listed in the findings (score at least the report threshold). */
  reported: boolean;
  coordination: number;
  value: number;
  evidence: Evidence[];
  view: ClusterView;
}

export interface PopulationAssessment {
  context: PopulationContext;
  summaries: AccountSummary[];
  accounts: AccountAssessment[];
  clusters: ClusterAssessment[];
  /** Detector failures, reported by the CLI (a failing detector scores 0 and analysis goes on). */
  errors: string[];
}

interface OwnAssessment {
  items: Evidence[];
  /** Own evidence combined, uncapped (mitigations applied). */
  raw: number;
  /** The same capped at `ownScoreCap`: what own evidence alone can reach. */
  score: number;
}

interface ClusterState {
  context: PopulationContext;
  clusters: ClusterAssessment[];
  byIndex: Map<number, ClusterAssessment>;
  summaries: AccountSummary[];
  own: OwnAssessment[];
  /** Effective cluster index per account (late joiners without own evidence left out), -1 for none. */
  memberOf: Int32Array;
  errors: string[];
}

export class DetectionEngine {
  readonly name = 'distillguard';
  readonly tracker: BehaviourTracker;
  readonly config: DetectionConfig;
  private links: LinkResult | null = null;
  private clusterCache: ClusterState | null = null;
  private readonly popularityCache = new Map<string, Map<string, number>>();

  constructor(config: DetectionConfig = parseDetectionConfig()) {
    this.config = config;
    this.tracker = new BehaviourTracker(config.behaviour);
  }

  get accountCount(): number {
    return this.tracker.accounts.length;
  }

  /** Numbers accounts in this order first (the batch analysis keys its SQL by these indexes). */
  registerAccounts(ids: readonly string[]): void {
    for (const id of ids) this.tracker.accountIndexOf(id);
  }

  setAccountInfo(accounts: readonly Account[]): void {
    for (const account of accounts) this.tracker.setAccountInfo(account);
    this.popularityCache.clear();
  }

  /** Live path: records as committed to the store. Returns the ids of the accounts touched. */
  observe(records: readonly ExchangeRecord[]): Set<string> {
    const touched = this.tracker.observeRecords(records);
    return new Set([...touched].map((index) => this.tracker.accounts[index]!.id));
  }

  /** Batch path: a time-ordered batch of columns, infrastructure fed separately. */
  observeBatch(batch: ExchangeBatch): void {
    this.tracker.observeBatch(batch);
  }

  observeIndicator(kind: ExchangeIndicator, accountIndex: number, value: string, count: number): void {
    this.tracker.observeIndicator(kind, accountIndex, value, count);
  }

  linkInput(): LinkInput {
    const context = summarizePopulation(this.tracker, this.populationOptions());
    const summaries = this.tracker.accounts.map((state) => summarizeAccount(state, context));
    return buildLinkInput(this.tracker, this.config.linking, { context, summaries });
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
    this.popularityCache.clear();
    const changed = new Set<string>();
    for (let a = 0; a < this.tracker.accounts.length; a++) {
      const was = before === null || a >= before.clusterOf.length ? -1 : before.clusterOf[a]!;
      if (was !== -1 || links.clusterOf[a] !== -1) changed.add(this.tracker.accounts[a]!.id);
    }
    return changed;
  }

  relink(): LinkResult {
    const links = linkAccounts(this.linkInput());
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
    const own = this.ownAssessment(state.index, summarizeAccount(state, cache.context), cache.context, []);
    return this.finalAssessment(state.index, own, cache);
  }

  /** The account in the findings shape, or null when the engine has no traffic from it. */
  account(accountId: string): AccountFinding | null {
    const state = this.tracker.account(accountId);
    if (state === undefined || state.exchanges === 0) return null;
    const assessment = this.scoreAccount(accountId)!;
    return buildAccountFinding(state, assessment, summarizeAccount(state, this.clusterState().context), this.config);
  }

  /** The reported clusters as of the last relink, highest score first. */
  clusters(): ClusterFinding[] {
    const cache = this.clusterState();
    const texts: FindingTexts = { templates: new Map(), examples: new Map() };
    return cache.clusters.filter((c) => c.reported).map((c) => buildClusterFinding(c, cache.context, this.config, texts));
  }

  /** Scores every account and cluster. */
  assess(): PopulationAssessment {
    const cache = this.clusterState();
    const accounts = this.tracker.accounts.map((state) => this.finalAssessment(state.index, cache.own[state.index]!, cache));
    return { context: cache.context, summaries: cache.summaries, accounts, clusters: cache.clusters, errors: [...cache.errors] };
  }

  templateStats(kind: 'prompt' | 'system', id: number): TemplateStats | undefined {
    return this.tracker.templates.get(id * 2 + (kind === 'system' ? 1 : 0));
  }

  private clusterState(): ClusterState {
    if (this.clusterCache !== null) return this.clusterCache;
    const context = summarizePopulation(this.tracker, this.populationOptions());
    const summaries = this.tracker.accounts.map((state) => summarizeAccount(state, context));
    const errors: string[] = [];
    const own = this.tracker.accounts.map((state) => this.ownAssessment(state.index, summaries[state.index]!, context, errors));
    const clusters: ClusterAssessment[] = [];
    const memberOf = new Int32Array(this.tracker.accounts.length).fill(-1);
    const links = this.links;
    if (links !== null) {
      links.clusters.forEach((link, index) => {
        // An account tied in only by weak links must show some training-value traffic of its own
        // before it counts as a member: its links alone are not enough.
        const members = link.members.filter((a) => links.late[a] !== 1 || own[a]!.raw >= this.config.scoring.lateMinOwnScore);
        if (members.length < this.config.linking.minClusterSize) return;
        for (const a of members) memberOf[a] = index;
        const view = buildClusterView(index, { ...link, members }, this.tracker, summaries, context);
        clusters.push(this.assessCluster(view, errors));
      });
      clusters.sort((a, b) => b.score - a.score || a.clusterId.localeCompare(b.clusterId));
    }
    this.clusterCache = { context, clusters, summaries, own, memberOf, errors, byIndex: new Map(clusters.map((cluster) => [cluster.index, cluster])) };
    return this.clusterCache;
  }

  private assessCluster(view: ClusterView, errors: string[]): ClusterAssessment {
    const detectorInput: ClusterDetectorInput = {
      view,
      popularity: (kind, value) => this.popularity(kind, value),
      templateName,
    };
    const byRole: Record<'coordination' | 'value' | 'support', number[]> = { coordination: [], value: [], support: [] };
    let kept = 1;
    const items: Evidence[] = [];
    for (const detector of CLUSTER_DETECTORS) {
      const params = this.config.detectors.cluster[detector.signal];
      if (params === undefined || params.weight <= 0) continue;
      const result = runDetector(detector as never, detectorInput, params as never);
      if (result.error) errors.push(result.error);
      const weight = result.score * params.weight;
      if (detector.role === 'mitigation') kept *= 1 - weight;
      else byRole[detector.role].push(weight);
      items.push(...result.evidence);
    }
    const c = noisyOr(byRole.coordination);
    const primary = noisyOr(byRole.value);
    const v = primary + (1 - primary) * this.config.scoring.supportCap * noisyOr(byRole.support);
    const e = this.config.scoring.coordinationExponent;
    const score = round(c ** e * v ** (1 - e) * kept, 4);
    const anchor = view.members.map((state) => state.id).sort()[0]!;
    items.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight) || x.signal.localeCompare(y.signal));
    const kinds = linkKindsOf(view.link.kinds).join(', ');
    items.push(
      evidenceItem(
        'linked_accounts',
        0,
        0,
        `${formatCount(view.members.length)} accounts linked by shared ${kinds || 'traits'} (${formatCount(view.link.edges)} links); coordination ${c.toFixed(2)}, value ${v.toFixed(2)}` +
          (kept < 1 ? `, mitigated ×${kept.toFixed(2)}` : ''),
      ),
    );
    return {
      clusterId: `C${(murmur32(anchor, 0x436c7573) >>> 0).toString(16).padStart(8, '0').slice(0, 6)}`,
      index: view.index,
      score,
      flagged: score >= this.config.thresholds.cluster,
      reported: score >= this.config.thresholds.reportCluster,
      coordination: round(c, 4),
      value: round(v, 4),
      evidence: items,
      view,
    };
  }

  /** The account's own evidence: what its traffic shows, before any cluster. */
  private ownAssessment(index: number, summary: AccountSummary, context: PopulationContext, errors: string[]): OwnAssessment {
    const state = this.tracker.accounts[index]!;
    const items: Evidence[] = [];
    const weights: number[] = [];
    let kept = 1;
    if (state.exchanges > 0) {
      const input: AccountDetectorInput = { accountId: state.id, state, summary, info: state.info, context, templateName };
      for (const detector of ACCOUNT_DETECTORS) {
        const params = this.config.detectors.account[detector.signal];
        if (params === undefined || params.weight <= 0) continue;
        const result = runDetector(detector as never, input, params as never);
        if (result.error) errors.push(result.error);
        if (detector.role === 'mitigation') kept *= 1 - result.score * params.weight;
        else weights.push(result.score * params.weight);
        items.push(...result.evidence);
      }
    }
    const raw = noisyOr(weights) * kept;
    return { items, raw, score: Math.min(noisyOr(weights), this.config.scoring.ownScoreCap) * kept };
  }

  /** Own evidence plus what membership in a reported cluster passes on. */
  private finalAssessment(index: number, own: OwnAssessment, cache: ClusterState): AccountAssessment {
    const items = [...own.items];
    let score = own.score;
    let clusterId: string | null = null;
    const links = this.links;
    const clusterIndex = index < cache.memberOf.length ? cache.memberOf[index]! : -1;
    const cluster = clusterIndex >= 0 ? cache.byIndex.get(clusterIndex) : undefined;
    if (links !== null && cluster !== undefined && cluster.reported) {
      clusterId = cluster.clusterId;
      const attachment = links.attachment[index]!;
      const inherited = cluster.score * Math.min(1, attachment / Math.max(1e-9, this.config.scoring.fullAttachment));
      const kinds = linkKindsOf(links.kindsOf[index]!).join(', ');
      items.push(
        evidenceItem(
          'cluster_member',
          1,
          round(inherited, 4),
          `member of cluster ${cluster.clusterId} (score ${cluster.score.toFixed(2)}, ${formatCount(cluster.view.members.length)} accounts), linked to it by shared ${kinds}` +
            (links.late[index] === 1 ? ' (several weak links)' : ''),
          attachment,
        ),
      );
      score = Math.max(score, inherited);
    }
    items.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight) || x.signal.localeCompare(y.signal));
    score = round(score, 4);
    return { score, flagged: score >= this.config.thresholds.account, clusterId, evidence: items };
  }

  /** Share of accounts (with the attribute known) holding a value: how common it is. */
  private popularity(kind: ClusterIndicatorKind, value: string): number {
    let counts = this.popularityCache.get(kind);
    if (counts === undefined) {
      counts = new Map();
      let total = 0;
      for (const state of this.tracker.accounts) {
        const values: string[] = [];
        const info = state.info;
        if (kind === 'payment' && info?.paymentFingerprint) values.push(info.paymentFingerprint);
        else if (kind === 'email_domain' && info?.emailDomain) values.push(info.emailDomain.toLowerCase());
        else if (kind === 'signup_ip' && info?.signupIp) values.push(info.signupIp);
        else if (kind === 'org' && info?.orgId) values.push(info.orgId);
        else if (kind !== 'payment' && kind !== 'email_domain' && kind !== 'signup_ip' && kind !== 'org') {
          state.indicators[kind].forEach((id) => values.push(this.tracker.indicatorValue(kind, id)));
        }
        if (values.length > 0) total++;
        for (const v of new Set(values)) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      for (const [v, count] of counts) counts.set(v, count / Math.max(1, total));
      this.popularityCache.set(kind, counts);
    }
    return counts.get(value) ?? 0;
  }
}

export function templateName(template: { kind: 'prompt' | 'system'; templateId: number }): string {
  return `${template.kind === 'system' ? 'S' : 'P'}${template.templateId}`;
}

export function createDetectionEngine(config?: DetectionConfig): DetectionEngine {
  return new DetectionEngine(config);
}
