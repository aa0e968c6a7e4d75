import type { ExchangeSpec } from './exchange-spec.js';
import { PROMPT_LANGUAGES, type PromptLanguage } from './scenario-schema.js';
import { LANGUAGE_WORDINGS, type LanguageWording } from './multilingual-prompt-bank.js';
import { promptsIn } from './multilingual-prompts.js';
import { fill } from './prompt-bank.js';
import { topicOf } from './response-synthesizer.js';
import { createRng, deriveSeed, mix32, seedOfText, weightedFromRecord, type Rng, type WeightedTable } from './seeded-rng.js';
import { campaignTaskSession, drawCampaignSession, styleOf, tablesOf } from './campaign-tasks.js';
import { campaignRequest, composedSystem } from './campaign-request.js';
import { outputLength, responseOf, type SessionRequest } from './task-kit.js';
import type { CampaignRuntime, CampaignSketch, ContentHabits } from './world-model.js';

/**
 * What a multilingual harvest sends: the harnesses of chain-of-thought extraction (reasoning
 * requests, graded answers) around real non-English problems, with the instruction in the
 * problem's language. Each account works in a few of the campaign's languages, as one operator's
 * script per language would; the rest of the campaign covers the others.
 */
interface LanguagePlan {
  table: WeightedTable<PromptLanguage>;
  perAccount: readonly [number, number];
  nameSeed: number;
}

const plans = new WeakMap<CampaignRuntime, LanguagePlan>();

function planOf(runtime: CampaignRuntime): LanguagePlan {
  let plan = plans.get(runtime);
  if (plan === undefined) {
    const config = runtime.config;
    if (config.kind !== 'multilingual_harvest') throw new TypeError(`campaign ${config.name} is not a multilingual harvest`);
    plan = { table: weightedFromRecord(config.content.languages), perAccount: config.content.languages_per_account, nameSeed: seedOfText(`languages:${config.name}`) };
    plans.set(runtime, plan);
  }
  return plan;
}

/** The languages one account sends in: fixed per account, drawn from the campaign's weights. */
export function accountLanguages(runtime: CampaignRuntime, accountIndex: number): PromptLanguage[] {
  const plan = planOf(runtime);
  const rng = createRng(deriveSeed(plan.nameSeed, accountIndex));
  const wanted = rng.range(plan.perAccount[0], plan.perAccount[1]);
  const out: PromptLanguage[] = [];
  for (let attempt = 0; out.length < wanted && attempt < wanted * 6; attempt++) {
    const language = plan.table.pick(rng);
    if (!out.includes(language)) out.push(language);
  }
  return out;
}

export function multilingualSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'campaign' }>): ExchangeSpec[] {
  const drawn = drawCampaignSession(request, habits);
  if (drawn.kind === 'customer') return drawn.exchanges;
  const { runtime, sketch, task } = drawn;
  if (task !== 'cot' && task !== 'rubric') return campaignTaskSession(request, runtime, sketch, task);
  const { rng } = request;
  const { tasks } = tablesOf(runtime);
  const languages = accountLanguages(runtime, request.account.index);
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const family = k === 0 ? task : tasks.pick(rng);
    const language = rng.chance(0.85) ? rng.pick(languages) : planOf(runtime).table.pick(rng);
    out.push(multilingualRequest(request, runtime, sketch, family === 'rubric' ? 'rubric' : 'cot', language));
  }
  return out;
}

/** The sketch's usual frame of a bank in a language (one of two), now and then any other. */
function sketchFrame(rng: Rng, sketch: CampaignSketch, language: PromptLanguage, frames: readonly string[]): string {
  if (rng.chance(0.15)) return rng.pick(frames);
  return frames[mix32(sketch.wordingSeed + PROMPT_LANGUAGES.indexOf(language) * 2 + rng.int(2)) % frames.length]!;
}

function multilingualRequest(request: SessionRequest, runtime: CampaignRuntime, sketch: CampaignSketch, task: 'cot' | 'rubric', language: PromptLanguage): ExchangeSpec {
  const { rng, account } = request;
  const length = outputLength(rng, account.habits.outputChars);
  const styled = styleOf(request, runtime, sketch);
  const style = styled?.style ?? 'elicit';
  const system = composedSystem(request, runtime, task) ?? null;
  const prompts = promptsIn(request.corpora, language);
  const wording = LANGUAGE_WORDINGS[language]!;
  const question = rng.pick(prompts.length > 0 ? prompts : promptsIn(request.corpora, 'zh'));
  if (task === 'rubric') {
    const answer = workedAnswerIn(wording, question, rng, outputLength(rng, [200, 450]));
    const text = fill(sketchFrame(rng, sketch, language, wording.grading), { a: answer, q: question });
    const spec = campaignRequest(request, runtime, [{ role: 'user', text }], { system, temperature: 0 });
    const response = responseOf(request, spec, 'grade', topicOf(question), length);
    response.texts = response.texts.map(() => `${workedAnswerIn(wording, question, rng, Math.round(length * 0.6))}\n\n${rng.range(3, 10)}/10`);
    return { request: spec, response };
  }
  const frames = style === 'plain' ? wording.plain : style === 'paraphrase' ? wording.paraphrase : wording.elicit;
  const text = fill(sketchFrame(rng, sketch, language, frames), { q: question });
  const spec = campaignRequest(request, runtime, [{ role: 'user', text }], { system });
  const response = responseOf(request, spec, 'steps', topicOf(question), length);
  response.texts = response.texts.map(() => workedAnswerIn(wording, question, rng, length));
  return { request: spec, response };
}

const OPERATORS = ['+', '-', '×', '÷'] as const;

/**
 * A worked answer in the problem's language: each step restates a clause of the problem under
 * the language's step label and computes with the problem's own numbers, then the answer line.
 * The arithmetic is not a solution; what matters is that the answer reads as worked reasoning in
 * the language and script of the question, at the length asked for.
 */
export function workedAnswerIn(wording: LanguageWording, problem: string, rng: Rng, length: number): string {
  const clauses = problem
    .split(/(?<=[.?!。？！।])\s*/)
    .map((clause) => clause.trim())
    .filter((clause) => clause.length > 3);
  const numbers = (problem.match(/\d+(?:\.\d+)?/g) ?? []).map(Number).filter((value) => Number.isFinite(value) && value > 0);
  while (numbers.length < 2) numbers.push(rng.range(2, 20));
  let value = numbers[0]!;
  const lines: string[] = [];
  let size = 0;
  for (let step = 1; step <= 12 && (step <= 2 || size < length); step++) {
    const operand = numbers[step % numbers.length]!;
    const operator = rng.pick(OPERATORS);
    const next = operator === '+' ? value + operand : operator === '-' ? value - operand : operator === '×' ? value * operand : value / operand;
    const result = Math.round(next * 100) / 100;
    const clause = clauses.length > 0 ? `${clauses[(step - 1) % clauses.length]}\n` : '';
    const line = `${wording.stepLabel.replace('{n}', String(step))}${clause}${value} ${operator} ${operand} = ${result}`;
    lines.push(line);
    size += line.length + 1;
    value = result;
  }
  lines.push(`${wording.therefore}${value}`);
  lines.push(`${wording.answerLabel}${value}`);
  return lines.join('\n');
}
