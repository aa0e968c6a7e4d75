import type { ApiKind } from '../model/exchange.js';
import type { CorpusName, PromptCorpora } from './corpus-loader.js';
import type { ExchangeSpec, RequestSpec, ResponseSpec, ToolCallSpec, TurnSpec } from './exchange-spec.js';
import { baseRequest } from './exchange-spec.js';
import type { ModelSpec } from './scenario-schema.js';
import type { ToolSpec } from './tool-catalog.js';
import type { SimAccount, World } from './world-model.js';
import { CASUAL_PREFIXES, CASUAL_SUFFIXES, ELICITATION_CLAUSES } from './prompt-bank.js';
import { AGENT_NARRATION, AGENT_SUMMARIES } from './response-bank.js';
import { narrationText, reasoningText, synthesize, topicOf, type ResponseStyle } from './response-synthesizer.js';
import { createWeightedTable, BASE62, type Rng, type WeightedTable } from './seeded-rng.js';
import { isSurrogate, sliceText } from './text-slice.js';

/**
 * Building blocks shared by the benign and campaign task generators: where prompts come from,
 * how people vary them, multi-turn conversations and agent loops with consistent history.
 */
export interface SessionRequest {
  world: World;
  corpora: PromptCorpora;
  account: SimAccount;
  rng: Rng;
  /** Exchanges in the session. */
  turns: number;
  tag: number;
  api: ApiKind;
  model: ModelSpec;
  startMs: number;
}

export interface PromptSource {
  corpus: CorpusName;
  category?: string;
  style: ResponseStyle;
}

export interface PromptPick {
  text: string;
  style: ResponseStyle;
  corpus: CorpusName;
}

export function sourceTable(entries: ReadonlyArray<readonly [PromptSource, number]>): WeightedTable<PromptSource> {
  return createWeightedTable(entries);
}

export function pickPrompt(corpora: PromptCorpora, table: WeightedTable<PromptSource>, rng: Rng): PromptPick {
  const source = table.pick(rng);
  const texts = source.category === undefined ? corpora.texts(source.corpus) : corpora.textsIn(source.corpus, source.category);
  return { text: rng.pick(texts), style: source.style, corpus: source.corpus };
}

/** How people type: greetings, trailing thanks, lower-case starts, the odd typo. */
export function varyCasually(text: string, rng: Rng, casual: number): string {
  let out = text;
  if (rng.chance(casual * 0.6)) out = rng.pick(CASUAL_PREFIXES) + out;
  if (rng.chance(casual * 0.4)) out += rng.pick(CASUAL_SUFFIXES);
  if (rng.chance(casual * 0.3) && out.length > 1) out = out.charAt(0).toLowerCase() + out.slice(1);
  if (rng.chance(casual * 0.15) && out.length > 20) {
    const i = 5 + rng.int(Math.min(out.length, 400) - 6);
    if (!isSurrogate(out.charCodeAt(i)) && !isSurrogate(out.charCodeAt(i + 1))) out = out.slice(0, i) + out.charAt(i + 1) + out.charAt(i) + out.slice(i + 2);
  }
  return out;
}

export function withElicitation(text: string, rng: Rng): string {
  return `${text}${rng.chance(0.5) ? '\n\n' : ' '}${rng.pick(ELICITATION_CLAUSES)}`;
}

export function outputLength(rng: Rng, range: readonly [number, number]): number {
  return Math.round(rng.uniform(range[0], range[1]));
}

export function toolCallId(api: ApiKind, rng: Rng): string {
  return api === 'anthropic.messages' ? `toolu_01${rng.chars(22, BASE62)}` : `call_${rng.chars(24, BASE62)}`;
}

export function toolCall(api: ApiKind, tool: ToolSpec, rng: Rng, topic: string): ToolCallSpec {
  const args = tool.args(rng, topic);
  return { id: toolCallId(api, rng), name: tool.name, args, argsJson: JSON.stringify(args) };
}

/** Request sampling settings from the account's habits. */
export function habitualRequest(request: SessionRequest, overrides: Partial<RequestSpec> & Pick<RequestSpec, 'messages'>): RequestSpec {
  const { habits } = request.account;
  const rng = request.rng;
  return baseRequest({
    system: habits.systemPrompt,
    tools: habits.tools,
    maxTokens: habits.maxTokens,
    temperature: habits.temperature,
    stream: rng.chance(habits.stream),
    reasoning: rng.chance(habits.reasoningShare) ? habits.reasoningLevel : null,
    ...overrides,
  });
}

export function responseOf(request: SessionRequest, spec: RequestSpec, style: ResponseStyle, topic: string, length: number, language?: string): ResponseSpec {
  const rng = request.rng;
  const sources = request.corpora;
  const n = Math.max(1, spec.n);
  const texts: string[] = [];
  for (let i = 0; i < n; i++) texts.push(synthesize(style, rng, n > 1 ? Math.round((length * 1.4) / n) : length, topic, sources, language));
  const reasoning = spec.reasoning === null ? '' : reasoningText(rng, reasoningLength(request, spec), topic);
  return { texts, reasoning, toolCalls: [] };
}

function reasoningLength(request: SessionRequest, spec: RequestSpec): number {
  const rng = request.rng;
  const base = spec.reasoning === 'high' ? rng.uniform(250, 650) : spec.reasoning === 'medium' ? rng.uniform(120, 380) : rng.uniform(50, 160);
  return Math.round(base);
}

/**
 * A conversation of `turns` exchanges. Exchange k sends the opening request, the previous reply
 * and the new message (front-ends trim context; the simulator trims hard to keep lines small)
 * and receives reply k; the replies it sends back are exactly the earlier replies. Follow-ups
 * are drawn from a list, or come in the order a function gives (a script's sequence). With
 * `history: 'whole'` every request carries the whole conversation so far, as API clients that
 * keep the full chat do (tutoring apps, probing scripts).
 */
export function conversation(
  request: SessionRequest,
  first: string,
  style: ResponseStyle,
  followUps: readonly string[] | ((turn: number) => string),
  makeSpec: (messages: TurnSpec[]) => RequestSpec,
  length: () => number,
  language?: string,
  history: 'trimmed' | 'whole' = 'trimmed',
): ExchangeSpec[] {
  const rng = request.rng;
  const turns: TurnSpec[] = [];
  const out: ExchangeSpec[] = [];
  const topic = topicOf(first);
  for (let k = 0; k < request.turns; k++) {
    const userText = k === 0 ? first : typeof followUps === 'function' ? followUps(k) : rng.pick(followUps);
    turns.push({ role: 'user', text: userText });
    // The opening request stays (it says what the conversation is about), then the last reply.
    const kept = history === 'trimmed' && turns.length > 3 ? [turns[0]!, ...turns.slice(turns.length - 2)] : turns.slice();
    const spec = makeSpec(kept);
    const response = responseOf(request, spec, k === 0 ? style : rng.chance(0.5) ? style : 'prose', topic, length(), language);
    out.push({ request: spec, response });
    turns.push({ role: 'assistant', text: response.texts[0]! });
  }
  return out;
}

export interface AgentLoopOptions {
  task: string;
  tools: readonly ToolSpec[];
  makeSpec: (messages: TurnSpec[]) => RequestSpec;
  /** Narration before each tool call: a short line, or explained reasoning (chars). */
  narration: 'short' | readonly [number, number];
  finalStyle: ResponseStyle;
  finalLength: number;
  language?: string;
}

/**
 * An agent working through `turns` steps: each exchange returns a tool call, the next sends
 * its result back; the last step answers in text. Older steps are compacted into a summary on
 * the task message, as agent frameworks do, so requests stay bounded.
 */
export function agentLoop(request: SessionRequest, options: AgentLoopOptions): ExchangeSpec[] {
  const { rng, api } = request;
  const topic = topicOf(options.task);
  const steps: { narration: string; call: ToolCallSpec; result: string; thinking: string }[] = [];
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const messages: TurnSpec[] = [];
    const keepFrom = Math.max(0, steps.length - 1);
    let task = options.task;
    if (keepFrom > 0) task += `\n\n<summary>${keepFrom} earlier step${keepFrom > 1 ? 's' : ''}: ${AGENT_SUMMARIES[(keepFrom + topic.length) % AGENT_SUMMARIES.length]}.</summary>`;
    messages.push({ role: 'user', text: task });
    for (let j = keepFrom; j < steps.length; j++) {
      const step = steps[j]!;
      messages.push({ role: 'assistant', text: step.narration, toolCalls: [step.call], thinking: step.thinking });
      messages.push({ role: 'user', text: '', toolResults: [{ id: step.call.id, text: step.result }] });
    }
    const spec = options.makeSpec(messages);
    const last = k === request.turns - 1 || options.tools.length === 0;
    if (last) {
      out.push({ request: spec, response: responseOf(request, spec, options.finalStyle, topic, options.finalLength, options.language) });
      break;
    }
    const tool = rng.pick(options.tools);
    const call = toolCall(api, tool, rng, topic);
    const narration = options.narration === 'short' ? rng.pick(AGENT_NARRATION) : narrationText(rng, outputLength(rng, options.narration));
    const thinking = spec.reasoning === null ? '' : reasoningText(rng, Math.round(rng.uniform(100, 300)), topic);
    const response: ResponseSpec = { texts: [narration], reasoning: thinking, toolCalls: [call] };
    out.push({ request: spec, response });
    steps.push({ narration, call, result: tool.result(rng, topic), thinking });
  }
  return out;
}

/** Caps a corpus text used as a document (tickets, reviews) to what such a document holds. */
export function asDocument(text: string, maxChars = 700): string {
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf(' ', maxChars);
  return cut > 100 ? text.slice(0, cut) : sliceText(text, maxChars);
}
