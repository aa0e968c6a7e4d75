import { isAcademicMailDomain } from '../config/academic-mail-domains.js';
import type { Account } from '../model/account.js';
import { fmix32, murmur32 } from '../util/hash64.js';
import { CONTENT_FLAG } from '../features/content-signals.js';
import type { ExchangeRecord } from '../features/exchange-record.js';
import { createTemplateMiner, type TemplateMiner, type TemplateMinerOptions } from '../features/template-miner.js';
import { SHAPE_POSITIONS } from '../features/template-shape.js';
import { countedTemplate } from './template-premining.js';
import { AccountState, blankObservedExchange, EXCHANGE_INDICATORS, type ExchangeIndicator, type ObservedExchange } from './account-state.js';
import { batchRange, wordAt, type ExchangeBatch } from './exchange-batch.js';
import { RECORD_INDICATORS, recordColumns, type RecordColumns } from './record-columns.js';
import { NearDuplicateTable } from './near-duplicate-table.js';
import { BottomKSketch } from './bottom-k-sketch.js';

/**
 * The behaviour stage's state for a whole population: one accumulator per account, the two
 * template miners (system prompts and user prompts), per-template statistics, the models seen
 * and the near-duplicate table. Fed exchange batches in time order; read by linking and scoring.
 */

export interface BehaviourOptions {
  promptTemplates?: TemplateMinerOptions;
  systemTemplates?: TemplateMinerOptions;
  /** Reasoning effort (1 minimal .. 4 high) from which a request counts as asking for thinking. */
  thinkingMinEffort?: number;
  nearDuplicateMaxEntries?: number;
  /** Hours of per-account hourly counts kept. */
  maxHours?: number;
  /** Domains of public mail providers (`loadPublicMailDomains`), lower case; none when not given. */
  publicMailDomains?: ReadonlySet<string>;
  /** Universities' and colleges' domains (`loadAcademicMailDomains`); the academic registries alone when not given. */
  academicMailDomains?: ReadonlySet<string>;
}

/** Statistics of one mined template (`key`: prompt id × 2, or system id × 2 + 1). */
export interface TemplateStats {
  key: number;
  kind: 'prompt' | 'system';
  templateId: number;
  exchanges: number;
  cot: number;
  rubric: number;
  explainAnswer: number;
  safeRewrite: number;
  thinking: number;
  outputTokens: number;
  firstTs: number;
  lastTs: number;
  /** Store `id_key` halves of an exchange that fills it (for its text). */
  exampleKeyLo: number;
  exampleKeyHi: number;
  /** The verbatim prompts it was filled with (prompt templates), to tell a template from a repeated prompt. */
  fills: BottomKSketch | null;
}

/** A model as the traffic shows it; only successful exchanges count (see `observeBatch`). */
export interface ModelInfo {
  name: string;
  firstSeen: number;
  exchanges: number;
}

interface Dictionary {
  ids: Map<string, number>;
  values: string[];
  hashes: number[];
}

const TEMPLATE_FILL_SKETCH = 16;
/** Temperatures (thousandths) up to this count as deterministic decoding; providers treat 0-0.2 as near-greedy. */
const DETERMINISTIC_TEMPERATURE = 200;

/**
 * Whether a mined prompt template is a template (filled with different content) rather than one
 * prompt sent again and again: a benchmark item every evaluation harness sends verbatim, a
 * popular question, a canned follow-up. System-prompt templates always count: a fixed system
 * prompt shared across accounts is a trait in its own right.
 */
export function isVariedTemplate(stats: TemplateStats, minDistinct: number, minVariety: number): boolean {
  if (stats.fills === null) return true;
  const distinct = stats.fills.distinct();
  return distinct >= minDistinct && distinct >= minVariety * stats.exchanges;
}


export function templateKey(kind: 'prompt' | 'system', id: number): number {
  return id * 2 + (kind === 'system' ? 1 : 0);
}

/**
 * @example
 * const tracker = createBehaviourTracker();
 * tracker.observeRecords(records);          // live: records as committed
 * tracker.observeBatch(batch);              // batch: columns from the store, in time order
 * tracker.account('acct_42')?.exchanges;
 */
export class BehaviourTracker {
  readonly accounts: AccountState[] = [];
  private readonly accountIds = new Map<string, number>();
  readonly models: ModelInfo[] = [];
  private readonly modelIds = new Map<string, number>();
  readonly dictionaries: Record<ExchangeIndicator, Dictionary>;
  /** For each chunk of columns being observed, its names' tracker indexes (-1: not looked up yet). */
  private readonly columnCodes = new WeakMap<RecordColumns, { accounts: Int32Array; models: Int32Array; indicators: Int32Array[] }>();
  readonly promptMiner: TemplateMiner;
  readonly systemMiner: TemplateMiner;
  readonly templates = new Map<number, TemplateStats>();
  readonly nearDuplicates: NearDuplicateTable;
  /** (account, verbatim single-turn prompt) pairs seen, to count an account's re-sends. */
  readonly sentPrompts: NearDuplicateTable;
  exchanges = 0;
  firstTs = Infinity;
  lastTs = -Infinity;

  private readonly thinkingMinEffort: number;
  private readonly maxHours: number | undefined;
  private readonly publicMailDomains: ReadonlySet<string>;
  private readonly academicMailDomains: ReadonlySet<string>;
  private readonly shape = new Uint16Array(SHAPE_POSITIONS);
  private changes = 0;
  private readonly observed: ObservedExchange = blankObservedExchange();
  constructor(options: BehaviourOptions = {}) {
    this.promptMiner = createTemplateMiner(options.promptTemplates);
    this.systemMiner = createTemplateMiner(options.systemTemplates);
    this.thinkingMinEffort = options.thinkingMinEffort ?? 4;
    this.maxHours = options.maxHours;
    this.publicMailDomains = options.publicMailDomains ?? new Set();
    this.academicMailDomains = options.academicMailDomains ?? new Set();
    this.nearDuplicates = new NearDuplicateTable(options.nearDuplicateMaxEntries);
    this.sentPrompts = new NearDuplicateTable(options.nearDuplicateMaxEntries);
    this.dictionaries = Object.fromEntries(EXCHANGE_INDICATORS.map((kind) => [kind, { ids: new Map(), values: [], hashes: [] }])) as unknown as Record<
      ExchangeIndicator,
      Dictionary
    >;
  }

  /**
   * Grows with every change to what the tracker holds: a summary of the population made at one
   * revision still holds while the revision is the same.
   */
  get revision(): number {
    return this.changes;
  }

  /** The account's index, creating its accumulator on first sight. */
  accountIndexOf(id: string): number {
    let index = this.accountIds.get(id);
    if (index === undefined) {
      this.changes++;
      index = this.accounts.length;
      this.accountIds.set(id, index);
      const state = new AccountState(index, id, this.maxHours);
      state.changedAt = this.changes;
      this.accounts.push(state);
    }
    return index;
  }

  account(id: string): AccountState | undefined {
    const index = this.accountIds.get(id);
    return index === undefined ? undefined : this.accounts[index];
  }

  modelIndexOf(name: string): number {
    let index = this.modelIds.get(name);
    if (index === undefined) {
      this.changes++;
      index = this.models.length;
      this.modelIds.set(name, index);
      this.models.push({ name, firstSeen: Infinity, exchanges: 0 });
    }
    return index;
  }

  /**
   * Tells the tracker when a model first answered before its traffic streams in (the batch
   * analysis knows it from one SQL pass), so "moved to a new model early" means the same for
   * the first exchange as for the last.
   */
  primeModel(name: string, firstSeen: number): void {
    const model = this.models[this.modelIndexOf(name)]!;
    this.changes++;
    model.firstSeen = Math.min(model.firstSeen, firstSeen);
  }

  setAccountInfo(account: Account): void {
    const state = this.accounts[this.accountIndexOf(account.accountId)]!;
    state.changedAt = ++this.changes;
    state.info = {
      orgId: account.orgId,
      createdAt: account.createdAt,
      tier: account.tier,
      country: account.country,
      paymentFingerprint: account.paymentFingerprint,
      emailDomain: account.emailDomain,
      linkableMailDomain: linkableMailDomain(account.emailDomain, this.publicMailDomains),
      academicMailDomain: account.emailDomain !== null && isAcademicMailDomain(account.emailDomain.toLowerCase(), this.academicMailDomains, this.publicMailDomains),
      emailLocalShape: account.emailLocalShape,
      signupIp: account.signupIp,
      verification: account.verification,
    };
  }

  /** Records `count` exchanges of an account from one infrastructure value. */
  observeIndicator(kind: ExchangeIndicator, accountIndex: number, value: string, count = 1): void {
    const state = this.accounts[accountIndex]!;
    state.changedAt = ++this.changes;
    const dictionary = this.dictionaries[kind];
    const id = this.dictionaryId(dictionary, value);
    state.observeIndicator(kind, dictionary.hashes[id]!, id, count);
  }

  private dictionaryId(dictionary: Dictionary, value: string): number {
    let id = dictionary.ids.get(value);
    if (id === undefined) {
      id = dictionary.values.length;
      dictionary.ids.set(value, id);
      dictionary.values.push(value);
      dictionary.hashes.push(murmur32(value, 0x2b7e1516));
    }
    return id;
  }

  indicatorValue(kind: ExchangeIndicator, id: number): string {
    return this.dictionaries[kind].values[id]!;
  }

  /** The dictionary id of a value of a kind, undefined if no account has sent it. */
  indicatorId(kind: ExchangeIndicator, value: string): number | undefined {
    return this.dictionaries[kind].ids.get(value);
  }

  /** Distinct values of a kind seen so far: dictionary ids run from 0 to this, exclusive. */
  indicatorValueCount(kind: ExchangeIndicator): number {
    return this.dictionaries[kind].values.length;
  }

  /** Live path: records as the store committed them, infrastructure included. */
  observeRecords(records: readonly ExchangeRecord[]): Set<number> {
    return this.observeColumns(recordColumns(records), 0, records.length);
  }

  /**
   * Live path, records `from` to `to` (exclusive) of a chunk in columns: observed exactly as
   * `observeRecords` observes the same records. A chunk may be observed in consecutive ranges;
   * the tracker remembers which of its names it has looked up.
   */
  observeColumns(columns: RecordColumns, from: number, to: number): Set<number> {
    let codes = this.columnCodes.get(columns);
    if (codes === undefined) {
      codes = {
        accounts: new Int32Array(columns.accounts.length).fill(-1),
        models: new Int32Array(columns.models.length).fill(-1),
        indicators: columns.indicators.map((column) => new Int32Array(column.values.length).fill(-1)),
      };
      this.columnCodes.set(columns, codes);
    }
    const source = columns.batch;
    const length = to - from;
    // Names are looked up in record order, accounts and models first, as `batchFromRecords` does.
    const account = new Int32Array(length);
    const model = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const accountCode = source.account[from + i]!;
      let index = codes.accounts[accountCode]!;
      if (index < 0) codes.accounts[accountCode] = index = this.accountIndexOf(columns.accounts[accountCode]!);
      account[i] = index;
      const modelCode = source.model[from + i]!;
      if (modelCode < 0) model[i] = -1;
      else {
        let modelIndex = codes.models[modelCode]!;
        if (modelIndex < 0) codes.models[modelCode] = modelIndex = this.modelIndexOf(columns.models[modelCode]!);
        model[i] = modelIndex;
      }
    }
    for (let i = 0; i < length; i++) {
      const state = this.accounts[account[i]!]!;
      for (let k = 0; k < RECORD_INDICATORS.length; k++) {
        const column = columns.indicators[k]!;
        const code = column.codes[from + i]!;
        if (code < 0) continue;
        const kind = RECORD_INDICATORS[k]![0];
        const dictionary = this.dictionaries[kind];
        let id = codes.indicators[k]![code]!;
        if (id < 0) codes.indicators[k]![code] = id = this.dictionaryId(dictionary, column.values[code]!);
        state.changedAt = ++this.changes;
        state.observeIndicator(kind, dictionary.hashes[id]!, id, 1);
      }
    }
    this.observeBatch(batchRange(source, from, to, account, model));
    return new Set(account);
  }

  /** Folds a batch of exchanges (in time order) into the accumulators. */
  observeBatch(batch: ExchangeBatch): void {
    this.changes++;
    const x = this.observed;
    const shape = this.shape;
    for (let i = 0; i < batch.length; i++) {
      const ts = batch.ts[i]!;
      const accountIndex = batch.account[i]!;
      const state = this.accounts[accountIndex]!;
      state.changedAt = this.changes;
      this.exchanges++;
      if (ts < this.firstTs) this.firstTs = ts;
      if (ts > this.lastTs) this.lastTs = ts;

      const model = batch.model[i]!;
      const status = batch.status[i]!;
      x.modelAgeMs = Infinity;
      if (model >= 0) {
        const info = this.models[model]!;
        // Only a model that answered has been released: requests refused for an unknown model
        // (or any error) must not set its release time for everyone.
        if (status < 400) {
          info.exchanges++;
          if (ts < info.firstSeen) info.firstSeen = ts;
        }
        x.modelAgeMs = ts - info.firstSeen;
      }
      x.ts = ts;
      x.model = model;
      x.status = status;
      x.maxTokens = batch.maxTokens[i]!;
      x.turnCount = batch.turnCount[i]!;
      x.messageCount = batch.messageCount[i]!;
      x.toolCount = batch.toolCount[i]!;
      x.toolActivity = batch.toolActivity[i]!;
      x.imageCount = batch.imageCount[i]!;
      x.thinking = batch.thinkingBudget[i]! > 0 || batch.reasoningEffort[i]! >= this.thinkingMinEffort;
      const n = batch.n[i]!;
      x.multiSample = n > 1;
      x.inputTokens = Math.max(0, batch.inputTokens[i]!);
      x.outputTokens = Math.max(0, batch.outputTokens[i]!);
      x.reasoningTokens = Math.max(0, batch.reasoningTokens[i]!);
      const flags = batch.contentFlags[i]!;
      x.contentFlags = flags;
      x.capability = batch.capability[i]!;

      const systemTokens = batch.systemTokens[i]!;
      x.hasSystem = systemTokens > 0;
      x.systemTemplate = -1;
      if (systemTokens > 0) x.systemTemplate = batch.systemTemplate?.[i] ?? countedTemplate(this.systemMiner, batch.systemShape, i, systemTokens, shape);
      const promptTokens = batch.promptTokens[i]!;
      x.promptTemplate = -1;
      if (promptTokens > 0) x.promptTemplate = batch.promptTemplate?.[i] ?? countedTemplate(this.promptMiner, batch.promptShape, i, promptTokens, shape, batch.imageCount[i]! > 0);

      const hashLo = batch.promptHash[2 * i]!;
      const hashHi = batch.promptHash[2 * i + 1]!;
      x.promptKey = hashLo === 0 && hashHi === 0 ? 0 : fmix32((hashLo ^ Math.imul(hashHi, 0x9e3779b1)) >>> 0) || 1;
      x.nearDuplicate = 0;
      if (promptTokens >= 8) {
        // Two of the four LSH bands: a near-duplicate at Jaccard 0.8 shares one with p = 0.87.
        const a = this.nearDuplicates.visit(wordAt(batch.promptSketch, i, 0) ^ 0x5bd1e995, accountIndex);
        const b = this.nearDuplicates.visit(wordAt(batch.promptSketch, i, 1) ^ 0x1b873593, accountIndex);
        x.nearDuplicate = Math.max(a, b);
      }
      // Re-sending a single-turn prompt verbatim and deterministically (temperature 0-0.2, one
      // completion) buys the same answer again: what evaluation and regression runs do, and what
      // a harvester gains nothing from. Sampling the same prompt again (temperature on, unset or
      // n > 1) is how a harvester collects varied answers, so those re-sends are kept apart.
      // Re-sends to another model are not counted as evaluation: a harvester gains from them.
      x.verbatimRepeat = -1;
      if (x.promptKey !== 0 && x.turnCount <= 1 && x.toolActivity === 0) {
        const seen = this.sentPrompts.visit(fmix32((x.promptKey ^ Math.imul(accountIndex + 1, 0x9e3779b1)) >>> 0), 0) !== 0;
        const temperature = batch.temperature[i]!;
        const deterministic = temperature >= 0 && temperature <= DETERMINISTIC_TEMPERATURE && n <= 1;
        x.verbatimRepeat = !seen ? 0 : deterministic ? 1 : 2;
      }
      state.observe(x);

      if (x.promptTemplate >= 0) this.countTemplate('prompt', x.promptTemplate, batch, i, flags, x);
      if (x.systemTemplate >= 0) this.countTemplate('system', x.systemTemplate, batch, i, flags, x);
    }
  }

  private countTemplate(kind: 'prompt' | 'system', id: number, batch: ExchangeBatch, i: number, flags: number, x: ObservedExchange): void {
    const key = templateKey(kind, id);
    let stats = this.templates.get(key);
    if (stats === undefined) {
      stats = {
        key,
        kind,
        templateId: id,
        exchanges: 0,
        cot: 0,
        rubric: 0,
        explainAnswer: 0,
        safeRewrite: 0,
        thinking: 0,
        outputTokens: 0,
        firstTs: x.ts,
        lastTs: x.ts,
        exampleKeyLo: batch.idKey[2 * i]!,
        exampleKeyHi: batch.idKey[2 * i + 1]!,
        fills: kind === 'prompt' ? new BottomKSketch(TEMPLATE_FILL_SKETCH) : null,
      };
      this.templates.set(key, stats);
    }
    stats.exchanges++;
    if (stats.fills !== null && x.promptKey !== 0) stats.fills.add(x.promptKey >>> 0, x.promptKey | 0);
    if (flags & (CONTENT_FLAG.cotElicitation | CONTENT_FLAG.systemCot)) stats.cot++;
    if (flags & (CONTENT_FLAG.rubricGrading | CONTENT_FLAG.systemRubric)) stats.rubric++;
    if (flags & CONTENT_FLAG.explainAnswer) stats.explainAnswer++;
    if (flags & CONTENT_FLAG.safeRewrite) stats.safeRewrite++;
    if (x.thinking) stats.thinking++;
    stats.outputTokens += x.outputTokens;
    if (x.ts < stats.firstTs) stats.firstTs = x.ts;
    if (x.ts > stats.lastTs) stats.lastTs = x.ts;
  }
}

export function createBehaviourTracker(options: BehaviourOptions = {}): BehaviourTracker {
  return new BehaviourTracker(options);
}

function linkableMailDomain(domain: string | null, publicDomains: ReadonlySet<string>): string | null {
  if (!domain) return null;
  const lower = domain.toLowerCase();
  return publicDomains.has(lower) ? null : lower;
}
