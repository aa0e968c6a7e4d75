import type { ExchangeSpec, RequestSpec, TurnSpec } from './exchange-spec.js';
import { baseRequest } from './exchange-spec.js';
import { BENCHMARKS, type BenchmarkName } from './scenario-schema.js';
import type { CorpusName } from './corpus-loader.js';
import { APP_TOOLS, pickToolset } from './tool-catalog.js';
import { ASSIGNMENT_FRAMES, BATCH_TEMPLATES, CODING_FOLLOW_UPS, ESSAY_ASSIGNMENTS, EVAL_FORMATS, FOLLOW_UPS, STUDENT_CHAT, fill } from './prompt-bank.js';
import { languageOf, synthesize, topicOf, type ResponseStyle } from './response-synthesizer.js';
import { createRng, deriveSeed, mix32, type Rng } from './seeded-rng.js';
import {
  agentLoop,
  asDocument,
  conversation,
  habitualRequest,
  outputLength,
  pickPrompt,
  responseOf,
  sourceTable,
  toolCall,
  varyCasually,
  withElicitation,
  type PromptPick,
  type SessionRequest,
} from './task-kit.js';
import { decodeEvalTag, HOMEWORK_TAG, type ContentHabits } from './world-model.js';

/**
 * What legitimate accounts send. Benign users draw mostly on the benign corpora, but also on the
 * distillation-style ones the way real people do (homework problems, code_alpaca-like questions,
 * benchmark prompts in evaluation runs).
 */
const CHAT_SOURCES = sourceTable([
  [{ corpus: 'sharegpt_sample', style: 'prose' }, 0.17],
  [{ corpus: 'oasst_prompts', style: 'prose' }, 0.14],
  [{ corpus: 'alpaca_eval', style: 'prose' }, 0.16],
  [{ corpus: 'arena_hard', category: 'chat', style: 'prose' }, 0.06],
  [{ corpus: 'arena_hard', category: 'writing', style: 'prose' }, 0.05],
  [{ corpus: 'arena_hard', category: 'coding', style: 'code' }, 0.03],
  [{ corpus: 'wizardlm_testset', style: 'prose' }, 0.07],
  [{ corpus: 'mt_bench', style: 'prose' }, 0.02],
  [{ corpus: 'hh_rlhf_harmless_test', style: 'prose' }, 0.16],
  [{ corpus: 'awesome_chatgpt_prompts', category: 'roleplay', style: 'prose' }, 0.08],
  [{ corpus: 'awesome_chatgpt_prompts', category: 'coding', style: 'code' }, 0.02],
]);

const EVERYDAY_DISTILL_SOURCES = sourceTable([
  [{ corpus: 'alpaca_instructions', style: 'prose' }, 0.25],
  [{ corpus: 'alpaca_libre', style: 'prose' }, 0.25],
  [{ corpus: 'gsm8k_train', style: 'steps' }, 0.15],
  [{ corpus: 'flan_cot', style: 'prose' }, 0.1],
  [{ corpus: 'gpteacher_roleplay', style: 'prose' }, 0.1],
  [{ corpus: 'code_alpaca_2k', style: 'code' }, 0.08],
  [{ corpus: 'math_competition', style: 'steps' }, 0.04],
  [{ corpus: 'gpteacher_toolformer', style: 'prose' }, 0.03],
]);

const CODING_SOURCES = sourceTable([
  [{ corpus: 'arena_hard', category: 'coding', style: 'code' }, 0.3],
  [{ corpus: 'awesome_chatgpt_prompts', category: 'coding', style: 'code' }, 0.15],
  [{ corpus: 'wizardlm_testset', category: 'coding', style: 'code' }, 0.1],
  [{ corpus: 'sharegpt_sample', style: 'code' }, 0.2],
  [{ corpus: 'mt_bench', category: 'coding', style: 'code' }, 0.05],
  [{ corpus: 'oasst_prompts', style: 'prose' }, 0.1],
  [{ corpus: 'alpaca_eval', style: 'prose' }, 0.1],
]);

const CODING_BENCHMARK_SOURCES = sourceTable([
  [{ corpus: 'code_alpaca_2k', style: 'code' }, 0.4],
  [{ corpus: 'gpteacher_codegen', style: 'code' }, 0.35],
  [{ corpus: 'code_benchmarks', style: 'code' }, 0.1],
  [{ corpus: 'apibench', style: 'code' }, 0.15],
]);

const TOOL_SOURCES = sourceTable([
  [{ corpus: 'glaive_toolcall', style: 'prose' }, 0.2],
  [{ corpus: 'bfcl', style: 'prose' }, 0.3],
  [{ corpus: 'toolbench_toolalpaca', style: 'prose' }, 0.1],
  [{ corpus: 'gpteacher_toolformer', style: 'prose' }, 0.25],
  [{ corpus: 'oasst_prompts', style: 'prose' }, 0.15],
]);

const BATCH_DOCUMENTS = sourceTable([
  [{ corpus: 'sharegpt_sample', style: 'label' }, 0.25],
  [{ corpus: 'oasst_prompts', style: 'label' }, 0.2],
  [{ corpus: 'hh_rlhf_harmless_test', style: 'label' }, 0.2],
  [{ corpus: 'alpaca_eval', style: 'label' }, 0.15],
  [{ corpus: 'alpaca_libre', style: 'label' }, 0.2],
]);

export const BENCHMARK_CORPUS: Record<BenchmarkName, { corpus: CorpusName; style: ResponseStyle }> = {
  gsm8k: { corpus: 'gsm8k_train', style: 'steps' },
  math: { corpus: 'math_competition', style: 'steps' },
  humaneval_mbpp: { corpus: 'code_benchmarks', style: 'code' },
  mt_bench: { corpus: 'mt_bench', style: 'prose' },
  arena_hard: { corpus: 'arena_hard', style: 'prose' },
  alpaca_eval: { corpus: 'alpaca_eval', style: 'prose' },
  bfcl: { corpus: 'bfcl', style: 'prose' },
  flan_cot: { corpus: 'flan_cot', style: 'steps' },
};

function lengthOf(request: SessionRequest): () => number {
  return () => outputLength(request.rng, request.account.habits.outputChars);
}

function styleFor(pick: PromptPick, rng: Rng): ResponseStyle {
  if (pick.corpus === 'hh_rlhf_harmless_test' && rng.chance(0.35)) return 'refusal';
  return pick.style;
}

function everydayPrompt(request: SessionRequest, distillShare: number, elicitShare: number, casual: number): { text: string; style: ResponseStyle } {
  const { rng, corpora } = request;
  const pick = rng.chance(distillShare) ? pickPrompt(corpora, EVERYDAY_DISTILL_SOURCES, rng) : pickPrompt(corpora, CHAT_SOURCES, rng);
  let text = varyCasually(pick.text, rng, casual);
  let style = styleFor(pick, rng);
  if (rng.chance(elicitShare)) {
    text = withElicitation(text, rng);
    if (style === 'prose') style = 'steps';
  }
  return { text, style };
}

export function chatSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'chat' }>): ExchangeSpec[] {
  const { text, style } = everydayPrompt(request, habits.distillShare, habits.elicitShare, habits.casual);
  return conversation(request, text, style, style === 'code' ? CODING_FOLLOW_UPS : FOLLOW_UPS, (messages) => habitualRequest(request, { messages }), lengthOf(request), languageOf(text));
}

export function developerSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'developer' }>): ExchangeSpec[] {
  const { rng, corpora, account } = request;
  const u = rng.float();
  const pick = rng.chance(habits.benchmarkShare) ? pickPrompt(corpora, CODING_BENCHMARK_SOURCES, rng) : pickPrompt(corpora, CODING_SOURCES, rng);
  const task = varyCasually(pick.text, rng, 0.3);
  const language = languageOf(pick.text);
  if (u < habits.agentShare && account.habits.tools !== null) {
    return agentLoop(request, {
      task,
      tools: account.habits.tools,
      makeSpec: (messages) => habitualRequest(request, { messages, system: habits.agentSystem, cacheSystem: account.api === 'anthropic.messages' }),
      narration: 'short',
      finalStyle: 'code',
      finalLength: outputLength(rng, account.habits.outputChars),
      language,
    });
  }
  if (u < habits.agentShare + habits.toolShare && account.habits.tools !== null) return toolAppSession(request, account.habits.tools);
  return conversation(request, task, pick.style, CODING_FOLLOW_UPS, (messages) => habitualRequest(request, { messages }), lengthOf(request), language);
}

/** An app with function tools: the model calls a tool, gets the result, answers. */
function toolAppSession(request: SessionRequest, tools: NonNullable<SessionRequest['account']['habits']['tools']>): ExchangeSpec[] {
  const { rng, corpora, api } = request;
  const pick = pickPrompt(corpora, TOOL_SOURCES, rng);
  const prompt = varyCasually(pick.text, rng, 0.2);
  const topic = topicOf(prompt);
  const out: ExchangeSpec[] = [];
  const history: TurnSpec[] = [{ role: 'user', text: prompt }];
  for (let k = 0; k < request.turns; k++) {
    const spec = habitualRequest(request, { messages: history.slice() });
    const last = history[history.length - 1]!;
    if (last.toolResults === undefined && rng.chance(0.75)) {
      const call = toolCall(api, rng.pick(tools), rng, topic);
      out.push({ request: spec, response: { texts: [''], reasoning: '', toolCalls: [call] } });
      history.push({ role: 'assistant', text: '', toolCalls: [call] });
      history.push({ role: 'user', text: '', toolResults: [{ id: call.id, text: tools.find((tool) => tool.name === call.name)!.result(rng, topic) }] });
    } else {
      const response = responseOf(request, spec, 'prose', topic, Math.round(outputLength(rng, request.account.habits.outputChars) * 0.6));
      out.push({ request: spec, response });
      history.push({ role: 'assistant', text: response.texts[0]! });
      history.push({ role: 'user', text: rng.pick(FOLLOW_UPS) });
    }
  }
  return out;
}

export function batchSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'batch' }>): ExchangeSpec[] {
  const { rng, corpora, account } = request;
  const template = BATCH_TEMPLATES[habits.template % BATCH_TEMPLATES.length]!;
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const document = asDocument(pickPrompt(corpora, BATCH_DOCUMENTS, rng).text);
    const topic = topicOf(document).split(' ').slice(0, 3).join(' ').toLowerCase().replace(/["\\]/g, '');
    const spec = baseRequest({
      system: template.system,
      messages: [{ role: 'user', text: fill(template.user, { q: document }) }],
      maxTokens: account.habits.maxTokens,
      temperature: account.habits.temperature,
      jsonOutput: template.system.includes('JSON'),
    });
    out.push({ request: spec, response: { texts: [fill(rng.pick(template.outputs), { topic })], reasoning: '', toolCalls: [] } });
  }
  return out;
}

export function evalSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'eval' }>): ExchangeSpec[] {
  const { rng, corpora, account, api } = request;
  const tag = decodeEvalTag(request.tag < 0 ? 0 : request.tag);
  const name = BENCHMARKS[tag.benchmark] ?? 'gsm8k';
  const { corpus, style } = BENCHMARK_CORPUS[name];
  const format = EVAL_FORMATS[name]!;
  const texts = corpora.texts(corpus);
  // The same subset of the benchmark on every run of this account: prompts repeat verbatim.
  const subsetSize = Math.min(texts.length, 500);
  const subsetStart = mix32(account.index * 31 + tag.benchmark) % texts.length;
  const passAtK = tag.passAtK && api === 'openai.chat_completions' && habits.passAtK > 0;
  const tools = name === 'bfcl' ? pickToolset(APP_TOOLS, createRng(deriveSeed(account.index, 77)), 3, 4) : null;
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const item = texts[(subsetStart + rng.int(subsetSize)) % texts.length]!;
    const spec = baseRequest({
      system: format.system,
      messages: [{ role: 'user', text: fill(format.frame, { q: item }) }],
      tools,
      maxTokens: format.maxTokens,
      temperature: passAtK ? 0.8 : 0,
      n: passAtK ? 5 : 1,
      reasoning: style === 'steps' && rng.chance(account.habits.reasoningShare) ? 'high' : null,
    });
    const length = style === 'code' ? outputLength(rng, [250, 700]) : outputLength(rng, account.habits.outputChars);
    const response = responseOf(request, spec, style, topicOf(item), length, 'python');
    if (tools !== null && rng.chance(0.85)) {
      response.texts = [''];
      response.toolCalls = [toolCall(api, rng.pick(tools), rng, topicOf(item))];
    }
    out.push({ request: spec, response });
  }
  return out;
}

export function resellerSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'reseller' }>): ExchangeSpec[] {
  const { rng } = request;
  const endUser = `u_${mix32(habits.userSeed ^ rng.int(habits.endUsers)).toString(16).padStart(8, '0')}`;
  const coding = rng.chance(0.22);
  if (coding) {
    const pick = pickPrompt(request.corpora, rng.chance(0.3) ? CODING_BENCHMARK_SOURCES : CODING_SOURCES, rng);
    return conversation(request, varyCasually(pick.text, rng, 0.4), pick.style, CODING_FOLLOW_UPS, (messages) => habitualRequest(request, { messages, endUser }), lengthOf(request), languageOf(pick.text));
  }
  const { text, style } = everydayPrompt(request, habits.distillShare, 0.05, 0.5);
  return conversation(request, text, style, FOLLOW_UPS, (messages) => habitualRequest(request, { messages, endUser }), lengthOf(request));
}

export function classroomSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'classroom' }>): ExchangeSpec[] {
  const { rng, world, corpora } = request;
  const assignment = world.classes[habits.classIndex]!;
  const onAssignment = request.tag !== HOMEWORK_TAG ? rng.chance(0.85) : rng.chance(0.55);
  let first: string;
  let style: ResponseStyle;
  if (onAssignment) {
    const k = rng.int(assignment.items.length);
    const item = assignment.items[k]!;
    const question = assignment.corpus === 'essay' ? ESSAY_ASSIGNMENTS[item % ESSAY_ASSIGNMENTS.length]! : corpora.texts(assignment.corpus)[item % corpora.texts(assignment.corpus).length]!;
    first = fill(rng.pick(ASSIGNMENT_FRAMES), { n: String(assignment.number), k: String(k + 1), q: question });
    first = varyCasually(first, rng, habits.casual);
    style = assignment.corpus === 'code_benchmarks' ? 'code' : assignment.corpus === 'essay' ? 'prose' : 'steps';
    if (style !== 'prose' && rng.chance(0.4)) first = withElicitation(first, rng);
  } else {
    first = varyCasually(rng.chance(0.5) ? rng.pick(STUDENT_CHAT) : pickPrompt(corpora, CHAT_SOURCES, rng).text, rng, habits.casual);
    style = 'prose';
  }
  return conversation(request, first, style, FOLLOW_UPS, (messages) => habitualRequest(request, { messages }), lengthOf(request), style === 'code' ? 'python' : undefined);
}

/** Relayed customers' ordinary traffic (proxy networks mix it with their own). */
export function customerSession(request: SessionRequest, kind: 'chat' | 'coding_help' | 'tool_app'): ExchangeSpec[] {
  const { rng } = request;
  const make = (messages: TurnSpec[]): RequestSpec => habitualRequest(request, { messages, reasoning: null, maxTokens: rng.pick([1024, 2048, 4096]) });
  const length = () => outputLength(rng, [300, 1200]);
  if (kind === 'coding_help') {
    const pick = pickPrompt(request.corpora, rng.chance(0.3) ? CODING_BENCHMARK_SOURCES : CODING_SOURCES, rng);
    return conversation(request, varyCasually(pick.text, rng, 0.3), pick.style, CODING_FOLLOW_UPS, make, length, languageOf(pick.text));
  }
  if (kind === 'tool_app') {
    const tools = pickToolset(APP_TOOLS, rng, 2, 4);
    const pick = pickPrompt(request.corpora, TOOL_SOURCES, rng);
    const topic = topicOf(pick.text);
    const spec = make([{ role: 'user', text: pick.text }]);
    spec.tools = tools;
    const call = toolCall(request.api, rng.pick(tools), rng, topic);
    const out: ExchangeSpec[] = [{ request: spec, response: { texts: [''], reasoning: '', toolCalls: [call] } }];
    for (let k = 1; k < request.turns; k++) {
      const follow = make([{ role: 'user', text: pick.text }, { role: 'assistant', text: '', toolCalls: [call] }, { role: 'user', text: '', toolResults: [{ id: call.id, text: tools.find((tool) => tool.name === call.name)!.result(rng, topic) }] }]);
      follow.tools = tools;
      out.push({ request: follow, response: { texts: [synthesize('prose', rng, length(), topic, request.corpora)], reasoning: '', toolCalls: [] } });
    }
    return out;
  }
  const { text, style } = everydayPrompt(request, 0.1, 0.05, 0.5);
  return conversation(request, text, style, FOLLOW_UPS, make, length);
}
