import type { ExchangeSpec, RequestSpec, TurnSpec } from './exchange-spec.js';
import { baseRequest } from './exchange-spec.js';
import { BENCHMARKS } from './scenario-schema.js';
import { EVAL_FORMATS, JUDGE_FRAMES, RESEARCH_EVAL_FRAMES, RESEARCH_FOLLOW_UPS, SUPPORT_FOLLOW_UPS, SUPPORT_TEMPLATES, fill } from './prompt-bank.js';
import { proseText, stepsText, topicOf, languageOf, type ResponseStyle } from './response-synthesizer.js';
import { personName } from './identity-bank.js';
import { mix32 } from './seeded-rng.js';
import { BENCHMARK_CORPUS } from './benign-tasks.js';
import { agentLoop, asDocument, conversation, habitualRequest, outputLength, pickPrompt, responseOf, sourceTable, varyCasually, type SessionRequest } from './task-kit.js';
import { decodeEvalTag, type ContentHabits } from './world-model.js';

/**
 * What the hard-negative personas send (see `hard-negative-population.ts`): reasoning
 * evaluations and judge prompts, end users' agent tasks, templated support conversations, and
 * benchmark prompts sampled many times.
 */
const REASONING_PROBLEMS = sourceTable([
  [{ corpus: 'gsm8k_train', style: 'steps' }, 0.3],
  [{ corpus: 'math_competition', style: 'steps' }, 0.3],
  [{ corpus: 'flan_cot', style: 'steps' }, 0.15],
  [{ corpus: 'arena_hard', category: 'math', style: 'steps' }, 0.08],
  [{ corpus: 'wizardlm_testset', category: 'reasoning', style: 'steps' }, 0.07],
  [{ corpus: 'mt_bench', style: 'prose' }, 0.1],
]);

const JUDGED_PROMPTS = sourceTable([
  [{ corpus: 'mt_bench', style: 'prose' }, 0.3],
  [{ corpus: 'arena_hard', style: 'prose' }, 0.3],
  [{ corpus: 'alpaca_eval', style: 'prose' }, 0.25],
  [{ corpus: 'gsm8k_train', style: 'steps' }, 0.15],
]);

const END_USER_TASKS = sourceTable([
  [{ corpus: 'code_alpaca_2k', style: 'code' }, 0.12],
  [{ corpus: 'gpteacher_codegen', style: 'code' }, 0.1],
  [{ corpus: 'arena_hard', category: 'coding', style: 'code' }, 0.12],
  [{ corpus: 'apibench', style: 'code' }, 0.06],
  [{ corpus: 'bfcl', style: 'prose' }, 0.1],
  [{ corpus: 'glaive_toolcall', style: 'prose' }, 0.1],
  [{ corpus: 'toolbench_toolalpaca', style: 'prose' }, 0.08],
  [{ corpus: 'sharegpt_sample', style: 'prose' }, 0.12],
  [{ corpus: 'oasst_prompts', style: 'prose' }, 0.1],
  [{ corpus: 'alpaca_eval', style: 'prose' }, 0.1],
]);

const CUSTOMER_MESSAGES = sourceTable([
  [{ corpus: 'oasst_prompts', style: 'prose' }, 0.3],
  [{ corpus: 'sharegpt_sample', style: 'prose' }, 0.3],
  [{ corpus: 'alpaca_eval', style: 'prose' }, 0.2],
  [{ corpus: 'hh_rlhf_harmless_test', style: 'prose' }, 0.2],
]);

/** Scheduled runs carry a non-negative tag; interactive sessions -1. */
export function labSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'lab' }>): ExchangeSpec[] {
  const { rng, account } = request;
  const evaluationRequest = (messages: TurnSpec[], overrides: Partial<RequestSpec> = {}): RequestSpec =>
    habitualRequest(request, { messages, maxedTokens: rng.chance(habits.maxedShare), thinkingBudget: habits.thinkingBudget, reasoning: rng.chance(account.habits.reasoningShare) ? 'high' : null, stream: false, ...overrides });
  if (request.tag < 0) {
    // A researcher trying prompts by hand: the problem, then probing follow-ups.
    const pick = pickPrompt(request.corpora, REASONING_PROBLEMS, rng);
    const frame = rng.chance(habits.elicitShare) ? rng.pick(RESEARCH_EVAL_FRAMES.reasoning) : rng.pick(RESEARCH_EVAL_FRAMES.direct);
    return conversation(request, fill(frame, { q: pick.text }), pick.style, RESEARCH_FOLLOW_UPS, (messages) => evaluationRequest(messages, { stream: rng.chance(account.habits.stream) }), () => outputLength(rng, account.habits.outputChars));
  }
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    if (rng.chance(habits.judgeShare)) {
      const pick = pickPrompt(request.corpora, JUDGED_PROMPTS, rng);
      const topic = topicOf(pick.text);
      const answer = pick.style === 'steps' ? stepsText(rng, outputLength(rng, [250, 600]), topic) : proseText(rng, outputLength(rng, [250, 700]), topic, request.corpora);
      const spec = evaluationRequest([{ role: 'user', text: fill(rng.pick(JUDGE_FRAMES), { a: answer, q: pick.text }) }], { temperature: 0, reasoning: null, maxedTokens: false, maxTokens: 2048 });
      out.push({ request: spec, response: responseOf(request, spec, 'grade', topic, outputLength(rng, [300, 900])) });
      continue;
    }
    const pick = pickPrompt(request.corpora, REASONING_PROBLEMS, rng);
    const frame = rng.chance(habits.elicitShare) ? rng.pick(RESEARCH_EVAL_FRAMES.reasoning) : rng.pick(RESEARCH_EVAL_FRAMES.direct);
    const spec = evaluationRequest([{ role: 'user', text: fill(frame, { q: pick.text }) }]);
    out.push({ request: spec, response: responseOf(request, spec, pick.style, topicOf(pick.text), outputLength(rng, account.habits.outputChars)) });
  }
  return out;
}

/** One end user's task run as an agent loop through the platform's account. */
export function platformSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'platform' }>): ExchangeSpec[] {
  const { rng, account } = request;
  const endUser = habits.passUser ? `usr_${mix32(habits.userSeed ^ rng.int(habits.endUsers)).toString(36)}` : null;
  const pick = pickPrompt(request.corpora, END_USER_TASKS, rng);
  const task = varyCasually(pick.text, rng, 0.5);
  const finalStyle: ResponseStyle = pick.style === 'code' ? 'code' : rng.chance(0.3) ? 'steps' : 'prose';
  const maxed = rng.chance(habits.maxedShare);
  return agentLoop(request, {
    task,
    tools: account.habits.tools ?? [],
    makeSpec: (messages) => habitualRequest(request, { messages, endUser, maxedTokens: maxed, cacheSystem: request.api === 'anthropic.messages' }),
    narration: rng.chance(0.5) ? 'short' : [40, 200],
    finalStyle,
    finalLength: outputLength(rng, account.habits.outputChars),
    language: languageOf(pick.text),
  });
}

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

const PLANS = ['Free', 'Basic', 'Plus', 'Pro', 'Business', 'Enterprise'];
const CHANNELS = ['chat', 'email', 'web form', 'in-app', 'WhatsApp'];

/** A customer conversation in the fleet's ticket template. */
export function fleetSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'fleet' }>): ExchangeSpec[] {
  const { rng, account } = request;
  const message = asDocument(varyCasually(pickPrompt(request.corpora, CUSTOMER_MESSAGES, rng).text, rng, 0.6), 600);
  const { first, last } = personName(rng);
  const text = fill(SUPPORT_TEMPLATES[habits.template % SUPPORT_TEMPLATES.length]!, {
    name: `${capitalised(first)} ${capitalised(last)}`,
    plan: rng.pick(PLANS),
    orders: String(rng.int(4)),
    channel: rng.pick(CHANNELS),
    ticket: String(100_000 + (mix32(habits.fleetSeed ^ rng.u32()) % 900_000)),
    q: message,
  });
  return conversation(request, text, 'prose', SUPPORT_FOLLOW_UPS, (messages) => habitualRequest(request, { messages }), () => outputLength(rng, account.habits.outputChars));
}

/**
 * One benchmark item sampled many times: the same request re-sent once per turn at the account's
 * temperature, or one request with n > 1 where the account asks for all samples at once.
 */
export function samplingSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'sampling' }>): ExchangeSpec[] {
  const { rng, corpora, account } = request;
  const tag = decodeEvalTag(request.tag < 0 ? 0 : request.tag);
  const name = BENCHMARKS[tag.benchmark] ?? 'gsm8k';
  const { corpus, style } = BENCHMARK_CORPUS[name];
  const format = EVAL_FORMATS[name]!;
  const texts = corpora.texts(corpus);
  const subsetSize = Math.min(texts.length, 400);
  const item = texts[(mix32(account.index * 131 + tag.benchmark) + rng.int(subsetSize)) % texts.length]!;
  const text = fill(format.frame, { q: item });
  const length = () => (style === 'code' ? outputLength(rng, [250, 700]) : outputLength(rng, account.habits.outputChars));
  const spec = (n: number): RequestSpec =>
    baseRequest({
      system: format.system,
      messages: [{ role: 'user', text }],
      maxTokens: format.maxTokens,
      temperature: habits.temperature,
      n,
      reasoning: style === 'steps' && rng.chance(account.habits.reasoningShare) ? account.habits.reasoningLevel : null,
    });
  if (habits.multiSample) {
    const request0 = spec(rng.range(habits.samplesMin, habits.samplesMax));
    return [{ request: request0, response: responseOf(request, request0, style, topicOf(item), length(), 'python') }];
  }
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const resent = spec(1);
    out.push({ request: resent, response: responseOf(request, resent, style, topicOf(item), length(), 'python') });
  }
  return out;
}
