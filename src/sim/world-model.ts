import type { ApiKind } from '../model/exchange.js';
import type { AccountTier } from '../model/account.js';
import type { Endpoint } from './network-catalog.js';
import type { ClientIdentity } from './client-catalog.js';
import type { CampaignConfig, CampaignTask, NewModelPolicy, PersonaName, Scenario, CampaignKind, VisionTask } from './scenario-schema.js';
import type { ImageDetail } from './exchange-spec.js';
import type { SketchWording } from './instruction-wording.js';
import type { ToolSpec } from './tool-catalog.js';
import type { ScheduleScan } from './activity-sampler.js';
import type { AccountTable } from './account-table.js';
import type { EndpointLists } from './endpoint-lists.js';
import type { AccountFileLines } from './account-files.js';

/**
 * The simulated population: accounts with their identity, infrastructure, rhythm and content
 * habits, plus the shared pools (office and campus NATs, proxy exits) and campaign sketches.
 * Built once per process from (scenario, scale, seed) by `buildWorld`; every worker rebuilds
 * the same world, so only the seed crosses thread boundaries. Accounts and pools are packed
 * into typed arrays: a world costs a few hundred bytes per account, outside the JS heap.
 */
export interface World {
  scenario: Scenario;
  scale: number;
  seed: number;
  forcedApi: ApiKind | null;
  startMs: number;
  endMs: number;
  releaseMs: number;
  groups: GroupInfo[];
  accounts: AccountTable;
  /** The shared pools' exits, one list per pool (a `NetworkAssignment`'s `pool` is its list number). */
  pools: EndpointLists;
  /**
   * The accounts.jsonl lines, when the world was built to write the account files; the writer
   * drops them once written, so that they never stay in a generating thread.
   */
  accountFiles: AccountFileLines | null;
  campaigns: CampaignRuntime[];
  classes: ClassAssignment[];
  /** Expected exchanges over the window, for block sizing and progress. */
  expectedExchanges: number;
  /** The accounts' schedules as flat arrays, for the per-block scan. */
  scan: ScheduleScan;
}

/** A persona or a campaign: the unit that summaries count and that labels name. */
export interface GroupInfo {
  key: string;
  label: 'attack' | 'benign';
  persona: PersonaName | CampaignKind;
  campaign: string | null;
}

/** A shared pool while the population is built; packed into the world's `pools` afterwards. */
export interface EndpointPool {
  endpoints: Endpoint[];
}

export type NetworkAssignment =
  /** The account's own connections: home (maybe IPv6), a second one, a phone. */
  | { kind: 'own'; endpoints: Endpoint[] }
  /** A shared pool (office or campus NAT, cloud egress, proxy exits); `stickyMinutes` 0 = any exit per request. */
  | { kind: 'pool'; pool: number; stickyMinutes: number };

/** A stretch of time with its own rate, e.g. an evaluation run or a class meeting. */
export interface ActivityWindow {
  startMs: number;
  endMs: number;
  /** Sessions per hour inside the window. */
  ratePerHour: number;
  /** What the window is for; interpreted by the group's task generator (benchmark, model, meeting). */
  tag: number;
}

export type ProfileName = 'personal' | 'work' | 'student' | 'global' | 'flat';

export interface Schedule {
  /** Sessions per day outside windows (0 for window-only accounts). */
  sessionsPerDay: number;
  profile: ProfileName;
  /** Hours added to UTC to get the account's local time. */
  utcOffset: number;
  windows: readonly ActivityWindow[];
  activeFromMs: number;
  activeToMs: number;
  /** Days of the window (index from the start) on which the account is active; null = every day. */
  activeDays: Uint8Array | null;
  turns: readonly [number, number];
  /** Seconds between turns of a session. */
  gapSeconds: readonly [number, number];
  /** Profile and time zone as one small integer: accounts with equal keys share rhythm masses. */
  rhythmKey: number;
}

/**
 * An account as block generation sees it. Worlds keep accounts in an `AccountTable` and hand
 * out these objects on demand (one per account with a session in a block), so nothing here is
 * held for the whole run; sign-up details that only the account file needs are in
 * `AccountSignup`.
 */
export interface SimAccount {
  index: number;
  id: string;
  orgId: string;
  apiKeys: string[];
  group: number;
  api: ApiKind;
  /** Index into the API's model list: the model this account uses by default. */
  modelIndex: number;
  client: ClientIdentity;
  /** A second client occasionally used (a curl test, a notebook); null when none. */
  altClient: ClientIdentity | null;
  network: NetworkAssignment;
  /** Where sessions outside windows come from when it differs (students at home); null = `network`. */
  offWindowNetwork: NetworkAssignment | null;
  schedule: Schedule;
  newModel: NewModelPolicy;
  /** Requests per day the account averages: raises its chance of 429s. */
  requestRate: number;
  habits: Habits;
  dormant: boolean;
}

/** What the provider recorded at sign-up: written to accounts.jsonl, never used by generation. */
export interface AccountSignup {
  tier: AccountTier;
  country: string;
  createdAtMs: number;
  emailLocal: string;
  emailDomain: string;
  paymentFingerprint: string | null;
  signupIp: string;
  verification: string[];
}

/** An account as the population builders describe it: everything, before it is split and packed. */
export type NewAccount = Omit<SimAccount, 'index'> & AccountSignup;

/** Per-account request habits: how this client fills max_tokens, temperature, streaming ... */
export interface Habits {
  maxTokens: number | null;
  temperature: number | null;
  stream: number;
  /** Chance of asking for extended reasoning, and at what level. */
  reasoningShare: number;
  reasoningLevel: 'low' | 'medium' | 'high';
  systemPrompt: string | null;
  tools: readonly ToolSpec[] | null;
  outputChars: readonly [number, number];
  /** Persona-specific content parameters. */
  content: ContentHabits;
}

export type ContentHabits =
  | { kind: 'chat'; distillShare: number; elicitShare: number; casual: number }
  | { kind: 'developer'; agentShare: number; toolShare: number; benchmarkShare: number; agentSystem: string | null }
  | { kind: 'batch'; template: number }
  | { kind: 'eval'; passAtK: number }
  | { kind: 'reseller'; endUsers: number; distillShare: number; userSeed: number }
  | { kind: 'classroom'; classIndex: number; casual: number }
  | { kind: 'campaign'; campaign: number; sketch: number }
  | { kind: 'lab'; elicitShare: number; judgeShare: number; maxedShare: number; thinkingBudget: number }
  | { kind: 'platform'; endUsers: number; userSeed: number; maxedShare: number; passUser: boolean }
  | { kind: 'fleet'; template: number; fleetSeed: number }
  | { kind: 'sampling'; samplesMin: number; samplesMax: number; multiSample: boolean; temperature: number }
  | { kind: 'describer'; endUsers: number; userSeed: number; urlBase: string }
  | { kind: 'documents'; template: number; urlBase: string }
  | { kind: 'browser_agent'; endUsers: number; userSeed: number; builtinShare: number; display: number }
  | { kind: 'tutoring'; endUsers: number; userSeed: number; passUser: boolean }
  /** `languageMask`: bit i set when the agency works in `TRANSLATION_LANGUAGES[i]`. */
  | { kind: 'translation'; languageMask: number; agencySeed: number; chunkMin: number; chunkMax: number }
  | { kind: 'synthetic'; templateSeed: number; templates: number };

/** One shared prompt sketch of a campaign: the frame and phrasing pools its accounts reuse. */
export interface CampaignSketch {
  system: string | null;
  cotFrame: number;
  leads: number[];
  reasons: number[];
  closes: number[];
  rubricFrame: number;
  rubricSystem: number;
  criteria: number[];
  safeFrame: number;
  agentFrame: number;
  agentLanguage: string;
  tools: readonly ToolSpec[];
  toolSystem: number;
  /** Plain and paraphrased wordings, when the campaign mixes prompt styles. */
  wording: SketchWording | null;
  /** What the sketch sends images with, for campaigns with image tasks. */
  images?: ImageSketch;
  /** The follow-up probe wordings the sketch repeats (conversational probing); null for other kinds. */
  probes: readonly string[] | null;
  /** Picks the sketch's usual instruction wording in each language (multilingual harvests); 0 for other kinds. */
  wordingSeed: number;
}

/** A campaign sketch's image tooling: its instruction templates, image host and screen setup. */
export interface ImageSketch {
  /** Indexes into `VISION_INSTRUCTIONS[task][style]`: the few wordings the sketch's script uses. */
  wordings: Record<VisionTask, Record<'plain' | 'paraphrase' | 'elicit', number[]>>;
  /** Link prefix of the bucket the script uploads images to. */
  urlBase: string;
  detail: ImageDetail | null;
  /** Computer use: the virtual display, and whether Anthropic's computer tool is used there. */
  display: readonly [number, number];
  builtinComputerTool: boolean;
  screenshotJpegShare: number;
  system: string;
}

export interface CampaignRuntime {
  config: CampaignConfig;
  group: number;
  sketches: CampaignSketch[];
  /**
   * Composed system prompts per task family when the campaign sets `system_prompts`: an empty
   * record sends none; null keeps the sketches' built-in ones.
   */
  systemPrompts: Partial<Record<CampaignTask, string[]>> | null;
  /** Seeds the images a campaign sends again (a retry, another instruction over the same image). */
  imageSeed: number;
}

/** Eval-run windows carry their benchmark and model in `tag`: benchmark * 4 + model flag * 2 + pass@k. */
export function evalTag(benchmark: number, onNewModel: boolean, passAtK: boolean): number {
  return benchmark * 4 + (onNewModel ? 2 : 0) + (passAtK ? 1 : 0);
}

export function decodeEvalTag(tag: number): { benchmark: number; onNewModel: boolean; passAtK: boolean } {
  return { benchmark: Math.floor(tag / 4), onNewModel: (tag & 2) !== 0, passAtK: (tag & 1) !== 0 };
}

/** Class-meeting windows: tag = meeting number (>= 0); homework sessions use -1. */
export const HOMEWORK_TAG = -1;

/** Classes: their assignment, fixed per class and shared by all its students. */
export interface ClassAssignment {
  corpus: 'gsm8k_train' | 'math_competition' | 'code_benchmarks' | 'essay';
  items: number[];
  number: number;
}
