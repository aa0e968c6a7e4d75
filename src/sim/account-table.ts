import { API_KINDS, type ApiKind } from '../model/exchange.js';
import type { ClientIdentity } from './client-catalog.js';
import { createSchedule, scanModeOf, type ScheduleScan } from './activity-sampler.js';
import { FixedWidthIds } from './compact-columns.js';
import { GrowingColumn, InternTable } from '../util/growing-column.js';
import { EndpointLists } from './endpoint-lists.js';
import type { NewModelPolicy } from './scenario-schema.js';
import type { ToolSpec } from './tool-catalog.js';
import type { ActivityWindow, ContentHabits, Habits, NetworkAssignment, ProfileName, Schedule, SimAccount } from './world-model.js';

const PROFILES: readonly ProfileName[] = ['personal', 'work', 'student', 'global', 'flat'];
const REASONING_LEVELS: readonly Habits['reasoningLevel'][] = ['low', 'medium', 'high'];
const CONTENT_KINDS: readonly ContentHabits['kind'][] = [
  'chat',
  'developer',
  'batch',
  'eval',
  'reseller',
  'classroom',
  'campaign',
  'lab',
  'platform',
  'fleet',
  'sampling',
  'describer',
  'documents',
  'browser_agent',
  'tutoring',
  'translation',
  'synthetic',
];

/** `offWindowNetwork` of accounts that have none. */
const NO_NETWORK = 0x7fffffff;
const EMPTY_WINDOWS: readonly ActivityWindow[] = Object.freeze([]);

type Pair = readonly [number, number];

/**
 * The accounts of a world as columns: numbers in typed arrays, identifiers as their characters,
 * and everything that accounts share (client builds, tool sets, system prompts, window plans,
 * turn ranges, network pools) stored once. About 250 bytes an account, outside the JS heap,
 * where an object graph per account took about 1.5 KB of heap in every worker.
 *
 * `get` rebuilds an account as generation sees it, equal to the one appended. The schedule
 * columns double as the per-block scan (`scan`), so the hot loop reads them directly.
 */
export class AccountTable {
  private readonly ids = new FixedWidthIds('acct_', 20);
  private readonly orgIds = new FixedWidthIds('org_', 20);
  private readonly apiKeys = new FixedWidthIds('key_', 16);
  private readonly firstKey = new GrowingColumn(Uint32Array);
  private readonly keyCount = new GrowingColumn(Uint8Array);
  private readonly group = new GrowingColumn(Uint16Array);
  private readonly api = new GrowingColumn(Uint8Array);
  private readonly modelIndex = new GrowingColumn(Uint16Array);
  private readonly client = new GrowingColumn(Uint16Array);
  /** Client id + 1; 0 = none. */
  private readonly altClient = new GrowingColumn(Uint16Array);
  private readonly newModel = new GrowingColumn(Uint16Array);
  private readonly requestRate = new GrowingColumn(Float64Array);
  private readonly network = new GrowingColumn(Int32Array);
  private readonly offWindowNetwork = new GrowingColumn(Int32Array);
  // Schedule: the scan's columns, then the rest.
  private readonly sessionsPerDay = new GrowingColumn(Float64Array);
  private readonly rhythmKey = new GrowingColumn(Uint16Array);
  private readonly scanMode = new GrowingColumn(Uint8Array);
  private readonly activeFromMs = new GrowingColumn(Float64Array);
  private readonly activeToMs = new GrowingColumn(Float64Array);
  private readonly multiTurn = new GrowingColumn(Uint8Array);
  private readonly profile = new GrowingColumn(Uint8Array);
  private readonly utcOffset = new GrowingColumn(Float64Array);
  private readonly windows = new GrowingColumn(Uint32Array);
  private readonly turns = new GrowingColumn(Uint16Array);
  private readonly gapSeconds = new GrowingColumn(Uint16Array);
  /** Day masks of the (rare) accounts active on some days only. */
  private readonly activeDays = new Map<number, Uint8Array>();
  // Habits; NaN stands for null in the nullable numbers.
  private readonly maxTokens = new GrowingColumn(Float64Array);
  private readonly temperature = new GrowingColumn(Float64Array);
  private readonly stream = new GrowingColumn(Float64Array);
  private readonly reasoningShare = new GrowingColumn(Float64Array);
  private readonly reasoningLevel = new GrowingColumn(Uint8Array);
  private readonly systemPrompt = new GrowingColumn(Uint32Array);
  private readonly tools = new GrowingColumn(Uint16Array);
  private readonly outputChars = new GrowingColumn(Uint16Array);
  private readonly contentKind = new GrowingColumn(Uint8Array);
  /** The content habits' numbers, in the order the kind declares them (see `contentOf`). */
  private readonly contentA = new GrowingColumn(Float64Array);
  private readonly contentB = new GrowingColumn(Float64Array);
  private readonly contentC = new GrowingColumn(Float64Array);
  private readonly contentD = new GrowingColumn(Float64Array);
  private readonly contentText = new GrowingColumn(Uint32Array);

  private readonly clients = new InternTable<ClientIdentity>((client) => `${client.userAgent}\n${client.tlsFingerprint}`);
  private readonly policies = new InternTable<NewModelPolicy>();
  private readonly pairs = new InternTable<Pair>((pair) => `${pair[0]},${pair[1]}`);
  private readonly texts = new InternTable<string | null>();
  private readonly toolSpecs = new InternTable<ToolSpec>();
  private readonly toolsets = new InternTable<readonly ToolSpec[] | null>((tools) => (tools === null ? null : tools.map((tool) => this.toolSpecs.idOf(tool)).join(',')));
  private readonly windowPlans = new InternTable<readonly ActivityWindow[]>((windows) => (windows.length === 0 ? EMPTY_WINDOWS : windows));
  private readonly poolAssignments = new InternTable<NetworkAssignment>((network) => (network.kind === 'pool' ? `${network.pool}/${network.stickyMinutes}` : null));
  private readonly ownEndpoints = new EndpointLists();
  private sealedScan: ScheduleScan | null = null;

  constructor() {
    this.texts.idOf(null);
    this.toolsets.idOf(null);
    this.windowPlans.idOf(EMPTY_WINDOWS);
  }

  get length(): number {
    return this.group.length;
  }

  append(account: Omit<SimAccount, 'index'>): number {
    if (this.sealedScan !== null) throw new Error('account table is sealed');
    const index = this.ids.push(account.id);
    this.orgIds.push(account.orgId);
    this.firstKey.push(this.apiKeys.length);
    for (const key of account.apiKeys) this.apiKeys.push(key);
    this.keyCount.push(account.apiKeys.length);
    this.group.push(account.group);
    this.api.push(API_KINDS.indexOf(account.api));
    this.modelIndex.push(account.modelIndex);
    this.client.push(this.clients.idOf(account.client));
    this.altClient.push(account.altClient === null ? 0 : this.clients.idOf(account.altClient) + 1);
    this.newModel.push(this.policies.idOf(account.newModel));
    this.requestRate.push(account.requestRate);
    this.network.push(this.networkRef(account.network));
    this.offWindowNetwork.push(account.offWindowNetwork === null ? NO_NETWORK : this.networkRef(account.offWindowNetwork));
    this.appendSchedule(index, account.schedule, account.dormant);
    this.appendHabits(account.habits);
    return index;
  }

  /** Pool assignments are shared objects (>= 0); own endpoints are a list each (< 0). */
  private networkRef(network: NetworkAssignment): number {
    if (network.kind === 'pool') return this.poolAssignments.idOf(network);
    return -1 - this.ownEndpoints.add(network.endpoints);
  }

  private appendSchedule(index: number, schedule: Schedule, dormant: boolean): void {
    this.sessionsPerDay.push(schedule.sessionsPerDay);
    this.rhythmKey.push(schedule.rhythmKey);
    this.scanMode.push(scanModeOf(schedule, dormant));
    this.activeFromMs.push(schedule.activeFromMs);
    this.activeToMs.push(schedule.activeToMs);
    this.multiTurn.push(schedule.turns[1] > 1 ? 1 : 0);
    this.profile.push(PROFILES.indexOf(schedule.profile));
    this.utcOffset.push(schedule.utcOffset);
    this.windows.push(this.windowPlans.idOf(schedule.windows));
    if (schedule.activeDays !== null) this.activeDays.set(index, schedule.activeDays);
    this.turns.push(this.pairs.idOf(schedule.turns));
    this.gapSeconds.push(this.pairs.idOf(schedule.gapSeconds));
  }

  private appendHabits(habits: Habits): void {
    this.maxTokens.push(habits.maxTokens ?? Number.NaN);
    this.temperature.push(habits.temperature ?? Number.NaN);
    this.stream.push(habits.stream);
    this.reasoningShare.push(habits.reasoningShare);
    this.reasoningLevel.push(REASONING_LEVELS.indexOf(habits.reasoningLevel));
    this.systemPrompt.push(this.texts.idOf(habits.systemPrompt));
    this.tools.push(this.toolsets.idOf(habits.tools));
    this.outputChars.push(this.pairs.idOf(habits.outputChars));
    const content = habits.content;
    this.contentKind.push(CONTENT_KINDS.indexOf(content.kind));
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let text: string | null = null;
    switch (content.kind) {
      case 'chat':
        [a, b, c] = [content.distillShare, content.elicitShare, content.casual];
        break;
      case 'developer':
        [a, b, c, text] = [content.agentShare, content.toolShare, content.benchmarkShare, content.agentSystem];
        break;
      case 'batch':
        a = content.template;
        break;
      case 'eval':
        a = content.passAtK;
        break;
      case 'reseller':
        [a, b, c] = [content.endUsers, content.distillShare, content.userSeed];
        break;
      case 'classroom':
        [a, b] = [content.classIndex, content.casual];
        break;
      case 'campaign':
        [a, b] = [content.campaign, content.sketch];
        break;
      case 'lab':
        [a, b, c, d] = [content.elicitShare, content.judgeShare, content.maxedShare, content.thinkingBudget];
        break;
      case 'platform':
        [a, b, c, d] = [content.endUsers, content.userSeed, content.maxedShare, content.passUser ? 1 : 0];
        break;
      case 'fleet':
        [a, b] = [content.template, content.fleetSeed];
        break;
      case 'sampling':
        [a, b, c, d] = [content.samplesMin, content.samplesMax, content.multiSample ? 1 : 0, content.temperature];
        break;
      case 'describer':
        [a, b, text] = [content.endUsers, content.userSeed, content.urlBase];
        break;
      case 'documents':
        [a, text] = [content.template, content.urlBase];
        break;
      case 'browser_agent':
        [a, b, c, d] = [content.endUsers, content.userSeed, content.builtinShare, content.display];
        break;
      case 'tutoring':
        [a, b, c] = [content.endUsers, content.userSeed, content.passUser ? 1 : 0];
        break;
      case 'translation':
        [a, b, c, d] = [content.languageMask, content.agencySeed, content.chunkMin, content.chunkMax];
        break;
      case 'synthetic':
        [a, b] = [content.templateSeed, content.templates];
        break;
    }
    this.contentA.push(a);
    this.contentB.push(b);
    this.contentC.push(c);
    this.contentD.push(d);
    this.contentText.push(this.texts.idOf(text));
  }

  /** Ends building: trims every column to its length and drops the build-time indexes. */
  seal(): this {
    for (const ids of [this.ids, this.orgIds, this.apiKeys]) ids.seal();
    for (const column of Object.values(this)) if (column instanceof GrowingColumn) column.seal();
    for (const table of [this.clients, this.policies, this.pairs, this.texts, this.toolSpecs, this.toolsets, this.windowPlans, this.poolAssignments]) table.seal();
    this.ownEndpoints.seal();
    this.sealedScan = {
      sessionsPerDay: this.sessionsPerDay.values,
      rhythmKey: this.rhythmKey.values,
      mode: this.scanMode.values,
      activeFromMs: this.activeFromMs.values,
      activeToMs: this.activeToMs.values,
      multiTurn: this.multiTurn.values,
    };
    return this;
  }

  /** The schedules as flat arrays for the per-block scan; available once sealed. */
  get scan(): ScheduleScan {
    if (this.sealedScan === null) throw new Error('account table is not sealed yet');
    return this.sealedScan;
  }

  idOf(index: number): string {
    return this.ids.get(index);
  }

  groupOf(index: number): number {
    return this.group.values[index]!;
  }

  dormant(index: number): boolean {
    return this.scanMode.values[index] === 2;
  }

  /** Account `index` as generation sees it: a fresh object, equal to the one appended. */
  get(index: number): SimAccount {
    const firstKey = this.firstKey.values[index]!;
    const apiKeys: string[] = [];
    for (let k = 0, count = this.keyCount.values[index]!; k < count; k++) apiKeys.push(this.apiKeys.get(firstKey + k));
    const altClient = this.altClient.values[index]!;
    const offWindow = this.offWindowNetwork.values[index]!;
    return {
      index,
      id: this.ids.get(index),
      orgId: this.orgIds.get(index),
      apiKeys,
      group: this.group.values[index]!,
      api: API_KINDS[this.api.values[index]!]! as ApiKind,
      modelIndex: this.modelIndex.values[index]!,
      client: this.clients.at(this.client.values[index]!),
      altClient: altClient === 0 ? null : this.clients.at(altClient - 1),
      network: this.networkOf(this.network.values[index]!),
      offWindowNetwork: offWindow === NO_NETWORK ? null : this.networkOf(offWindow),
      schedule: this.scheduleOf(index),
      newModel: this.policies.at(this.newModel.values[index]!),
      requestRate: this.requestRate.values[index]!,
      habits: this.habitsOf(index),
      dormant: this.dormant(index),
    };
  }

  private networkOf(ref: number): NetworkAssignment {
    return ref >= 0 ? this.poolAssignments.at(ref) : { kind: 'own', endpoints: this.ownEndpoints.endpointsOf(-1 - ref) };
  }

  scheduleOf(index: number): Schedule {
    return createSchedule({
      sessionsPerDay: this.sessionsPerDay.values[index]!,
      profile: PROFILES[this.profile.values[index]!]!,
      utcOffset: this.utcOffset.values[index]!,
      windows: this.windowPlans.at(this.windows.values[index]!),
      activeFromMs: this.activeFromMs.values[index]!,
      activeToMs: this.activeToMs.values[index]!,
      activeDays: this.activeDays.get(index) ?? null,
      turns: this.pairs.at(this.turns.values[index]!),
      gapSeconds: this.pairs.at(this.gapSeconds.values[index]!),
    });
  }

  private habitsOf(index: number): Habits {
    const maxTokens = this.maxTokens.values[index]!;
    const temperature = this.temperature.values[index]!;
    return {
      maxTokens: Number.isNaN(maxTokens) ? null : maxTokens,
      temperature: Number.isNaN(temperature) ? null : temperature,
      stream: this.stream.values[index]!,
      reasoningShare: this.reasoningShare.values[index]!,
      reasoningLevel: REASONING_LEVELS[this.reasoningLevel.values[index]!]!,
      systemPrompt: this.texts.at(this.systemPrompt.values[index]!),
      tools: this.toolsets.at(this.tools.values[index]!),
      outputChars: this.pairs.at(this.outputChars.values[index]!),
      content: this.contentOf(index),
    };
  }

  private contentOf(index: number): ContentHabits {
    const a = this.contentA.values[index]!;
    const b = this.contentB.values[index]!;
    const c = this.contentC.values[index]!;
    const d = this.contentD.values[index]!;
    switch (CONTENT_KINDS[this.contentKind.values[index]!]!) {
      case 'chat':
        return { kind: 'chat', distillShare: a, elicitShare: b, casual: c };
      case 'developer':
        return { kind: 'developer', agentShare: a, toolShare: b, benchmarkShare: c, agentSystem: this.texts.at(this.contentText.values[index]!) };
      case 'batch':
        return { kind: 'batch', template: a };
      case 'eval':
        return { kind: 'eval', passAtK: a };
      case 'reseller':
        return { kind: 'reseller', endUsers: a, distillShare: b, userSeed: c };
      case 'classroom':
        return { kind: 'classroom', classIndex: a, casual: b };
      case 'campaign':
        return { kind: 'campaign', campaign: a, sketch: b };
      case 'lab':
        return { kind: 'lab', elicitShare: a, judgeShare: b, maxedShare: c, thinkingBudget: d };
      case 'platform':
        return { kind: 'platform', endUsers: a, userSeed: b, maxedShare: c, passUser: d === 1 };
      case 'fleet':
        return { kind: 'fleet', template: a, fleetSeed: b };
      case 'sampling':
        return { kind: 'sampling', samplesMin: a, samplesMax: b, multiSample: c === 1, temperature: d };
      case 'describer':
        return { kind: 'describer', endUsers: a, userSeed: b, urlBase: this.texts.at(this.contentText.values[index]!)! };
      case 'documents':
        return { kind: 'documents', template: a, urlBase: this.texts.at(this.contentText.values[index]!)! };
      case 'browser_agent':
        return { kind: 'browser_agent', endUsers: a, userSeed: b, builtinShare: c, display: d };
      case 'tutoring':
        return { kind: 'tutoring', endUsers: a, userSeed: b, passUser: c === 1 };
      case 'translation':
        return { kind: 'translation', languageMask: a, agencySeed: b, chunkMin: c, chunkMax: d };
      case 'synthetic':
        return { kind: 'synthetic', templateSeed: a, templates: b };
    }
  }
}
