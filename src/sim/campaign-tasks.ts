import type { ExchangeSpec, RequestSpec, TurnSpec } from './exchange-spec.js';
import { baseRequest } from './exchange-spec.js';
import { CAMPAIGN_TASKS, type CampaignTask, type CustomerTask, type PromptStyle } from './scenario-schema.js';
import {
  AGENT_TASK_FRAMES,
  COT_CLOSES,
  COT_FRAMES,
  COT_LEADS,
  COT_REASONING,
  COT_SYSTEMS,
  DATA_ANALYSIS_QUESTIONS,
  DATA_ANALYST_SYSTEMS,
  DATA_DIMENSIONS,
  DATA_METRICS,
  DATA_VALUES,
  RUBRIC_CRITERIA,
  RUBRIC_FRAMES,
  RUBRIC_SYSTEMS,
  SAFE_REWRITE_FRAMES,
  TOOL_AGENT_SYSTEMS,
  fill,
} from './prompt-bank.js';
import { APP_TOOLS, type ToolSpec } from './tool-catalog.js';
import { languageOf, proseText, stepsText, topicOf } from './response-synthesizer.js';
import { mix32, weightedFromRecord, type Rng, type WeightedTable } from './seeded-rng.js';
import { PLAIN_AGENT_FRAMES, PLAIN_GRADING_FRAMES, PLAIN_QUESTION_FRAMES, PLAIN_REWRITE_FRAMES, withInstruction, type SketchWording } from './instruction-wording.js';
import { customerSession } from './benign-tasks.js';
import { campaignRequest, composedSystem } from './campaign-request.js';
import { computerUseSession, imageTask, isVisionTask } from './image-campaign-tasks.js';
import { agentLoop, outputLength, pickPrompt, responseOf, sourceTable, type SessionRequest } from './task-kit.js';
import type { CampaignRuntime, CampaignSketch, ContentHabits } from './world-model.js';

/**
 * What distillation accounts send: capability-targeted task sets wrapped in the campaign's
 * shared sketches (a frame, a system prompt and a few paraphrases of each instruction), with
 * settings that maximise training value (long outputs, maxed limits, thinking, several samples).
 */
const COT_SOURCES = sourceTable([
  [{ corpus: 'gsm8k_train', style: 'steps' }, 0.33],
  [{ corpus: 'math_competition', style: 'steps' }, 0.22],
  [{ corpus: 'flan_cot', style: 'steps' }, 0.3],
  [{ corpus: 'arena_hard', category: 'math', style: 'steps' }, 0.05],
  [{ corpus: 'wizardlm_testset', category: 'reasoning', style: 'steps' }, 0.03],
  [{ corpus: 'alpaca_libre', style: 'steps' }, 0.07],
]);

const RUBRIC_SOURCES = sourceTable([
  [{ corpus: 'alpaca_eval', style: 'prose' }, 0.2],
  [{ corpus: 'arena_hard', style: 'prose' }, 0.15],
  [{ corpus: 'oasst_prompts', style: 'prose' }, 0.1],
  [{ corpus: 'sharegpt_sample', style: 'prose' }, 0.1],
  [{ corpus: 'wizardlm_testset', style: 'prose' }, 0.1],
  [{ corpus: 'alpaca_instructions', style: 'prose' }, 0.15],
  [{ corpus: 'gsm8k_train', style: 'steps' }, 0.1],
  [{ corpus: 'mt_bench', style: 'prose' }, 0.05],
  [{ corpus: 'gpteacher_roleplay', style: 'prose' }, 0.05],
]);

const AGENT_TASK_SOURCES = sourceTable([
  [{ corpus: 'code_alpaca_2k', style: 'code' }, 0.25],
  [{ corpus: 'gpteacher_codegen', style: 'code' }, 0.3],
  [{ corpus: 'code_benchmarks', style: 'code' }, 0.1],
  [{ corpus: 'apibench', style: 'code' }, 0.15],
  [{ corpus: 'arena_hard', category: 'coding', style: 'code' }, 0.15],
  [{ corpus: 'awesome_chatgpt_prompts', category: 'coding', style: 'code' }, 0.05],
]);

const ORCHESTRATION_SOURCES = sourceTable([
  [{ corpus: 'toolbench_toolalpaca', style: 'prose' }, 0.15],
  [{ corpus: 'bfcl', style: 'prose' }, 0.3],
  [{ corpus: 'glaive_toolcall', style: 'prose' }, 0.15],
  [{ corpus: 'gpteacher_toolformer', style: 'prose' }, 0.25],
  [{ corpus: 'apibench', style: 'prose' }, 0.15],
]);

const DATA_TOOLS: readonly ToolSpec[] = APP_TOOLS.filter((tool) => tool.name === 'python' || tool.name === 'sql_query');

export interface CampaignTables {
  tasks: WeightedTable<CampaignTask>;
  customers: WeightedTable<CustomerTask>;
  styles: WeightedTable<PromptStyle> | null;
}

const tables = new WeakMap<CampaignRuntime, CampaignTables>();

export function tablesOf(runtime: CampaignRuntime): CampaignTables {
  let cached = tables.get(runtime);
  if (cached === undefined) {
    const config = runtime.config;
    cached = {
      tasks: weightedFromRecord(config.content.tasks),
      customers: weightedFromRecord(config.customer_tasks),
      styles: config.content.prompt_styles === null ? null : weightedFromRecord(config.content.prompt_styles),
    };
    tables.set(runtime, cached);
  }
  return cached;
}

/** The wording style of one request; null keeps the sketch's frames (campaigns without styles). */
export function styleOf(request: SessionRequest, runtime: CampaignRuntime, sketch: CampaignSketch): { style: PromptStyle; wording: SketchWording } | null {
  const styles = tablesOf(runtime).styles;
  if (styles === null || sketch.wording === null) return null;
  return { style: styles.pick(request.rng), wording: sketch.wording };
}

function cotPrompt(request: SessionRequest, sketch: CampaignSketch): { system: string | null; text: string; question: string } {
  const { rng } = request;
  const question = pickPrompt(request.corpora, COT_SOURCES, rng).text;
  const frame = rng.chance(0.85) ? COT_FRAMES[sketch.cotFrame]! : rng.pick(COT_FRAMES);
  const text = fill(frame, {
    lead: COT_LEADS[rng.pick(sketch.leads)]!,
    reason: COT_REASONING[rng.pick(sketch.reasons)]!,
    close: COT_CLOSES[rng.pick(sketch.closes)]!,
    q: question,
  }).trim();
  const system = sketch.cotFrame % 2 === 0 ? COT_SYSTEMS[sketch.rubricSystem % COT_SYSTEMS.length]! : null;
  return { system, text, question };
}

function rubricPrompt(request: SessionRequest, sketch: CampaignSketch): { text: string; question: string; pairwise: boolean } {
  const { rng, corpora } = request;
  const pick = pickPrompt(corpora, RUBRIC_SOURCES, rng);
  const topic = topicOf(pick.text);
  // Candidate answers are short model-like answers; the grade is what the campaign harvests.
  const candidate = () => (pick.style === 'steps' ? stepsText(rng, outputLength(rng, [200, 450]), topic) : proseText(rng, outputLength(rng, [180, 420]), topic, corpora));
  const criteria = sketch.criteria.map((index, k) => `${k + 1}. ${RUBRIC_CRITERIA[index]}`).join('\n');
  const frameIndex = rng.chance(0.85) ? sketch.rubricFrame : rng.int(RUBRIC_FRAMES.length);
  const pairwise = frameIndex === 3;
  const text = fill(RUBRIC_FRAMES[frameIndex]!, { rubric: criteria, a: candidate(), b: pairwise ? candidate() : '', q: pick.text });
  return { text, question: pick.text, pairwise };
}

function dataTable(rng: Rng): { table: string; question: string } {
  const dim = rng.pick(DATA_DIMENSIONS);
  const metric = rng.pick(DATA_METRICS);
  let metric2 = rng.pick(DATA_METRICS);
  if (metric2 === metric) metric2 = DATA_METRICS[(DATA_METRICS.indexOf(metric) + 1) % DATA_METRICS.length]!;
  const rows = rng.range(5, 9);
  let table = `${dim},month,${metric},${metric2}\n`;
  for (let r = 0; r < rows; r++) table += `${rng.pick(DATA_VALUES)},2025-${String(rng.range(1, 12)).padStart(2, '0')},${rng.range(10, 99999)},${rng.range(1, 9999)}\n`;
  return { table, question: fill(rng.pick(DATA_ANALYSIS_QUESTIONS), { dim, metric, metric2 }) };
}

function singleTask(request: SessionRequest, runtime: CampaignRuntime, sketch: CampaignSketch, task: CampaignTask): ExchangeSpec {
  const { rng, account } = request;
  const length = outputLength(rng, account.habits.outputChars);
  const styled = styleOf(request, runtime, sketch);
  const system = composedSystem(request, runtime, task);
  if (task === 'rubric') {
    const { text, question, pairwise } = styled === null || styled.style === 'elicit' ? rubricPrompt(request, sketch) : styledRubricPrompt(request, sketch, styled.style, styled.wording);
    const spec = campaignRequest(request, runtime, [{ role: 'user', text }], { system: system === undefined ? RUBRIC_SYSTEMS[sketch.rubricSystem]! : system, temperature: 0 });
    const response = responseOf(request, spec, 'grade', topicOf(question), length);
    if (pairwise) response.texts = response.texts.map((candidate) => candidate.replace(/Overall score: .*$/, `Verdict: [[${rng.pick(['A', 'B', 'tie'])}]]`));
    return { request: spec, response };
  }
  if (task === 'safe_rewrite') {
    const question = rng.pick(request.corpora.texts('hh_rlhf_harmless_test'));
    let text: string;
    if (styled === null || styled.style === 'elicit') {
      const frame = rng.chance(0.85) ? SAFE_REWRITE_FRAMES[sketch.safeFrame]! : rng.pick(SAFE_REWRITE_FRAMES);
      text = fill(frame, { reason: COT_REASONING[rng.pick(sketch.reasons)]!, q: question });
    } else if (styled.style === 'plain') {
      text = fill(PLAIN_REWRITE_FRAMES[styled.wording.plainRewrite]!, { q: question });
    } else {
      text = withInstruction(question, rng.pick(styled.wording.rewrite), styled.wording.requestFirst);
    }
    const spec = campaignRequest(request, runtime, [{ role: 'user', text }], system === undefined ? {} : { system });
    const response = responseOf(request, spec, 'refusal', topicOf(question), Math.round(length * 0.5));
    response.texts = response.texts.map((refusal) => `${refusal}\n\n**Safe version of the request:** ${topicOf(question)}...\n\n${proseText(rng, Math.round(length * 0.5), topicOf(question), request.corpora)}`);
    return { request: spec, response };
  }
  if (styled !== null && styled.style !== 'elicit') {
    const { question, text } = styledReasoningPrompt(request, styled);
    const spec = campaignRequest(request, runtime, [{ role: 'user', text }], { system: system ?? null });
    return { request: spec, response: responseOf(request, spec, 'steps', topicOf(question), length) };
  }
  const cot = cotPrompt(request, sketch);
  const spec = campaignRequest(request, runtime, [{ role: 'user', text: cot.text }], { system: system === undefined ? cot.system : system });
  return { request: spec, response: responseOf(request, spec, 'steps', topicOf(cot.question), length) };
}

/** Grading in the plain style (a bare score) or in a paraphrased wording with the sketch's criteria. */
/** A reasoning problem worded plainly or with a paraphrased ask, in the sketch's wordings. */
function styledReasoningPrompt(request: SessionRequest, styled: { style: PromptStyle; wording: SketchWording }): { question: string; text: string } {
  const { rng } = request;
  const question = pickPrompt(request.corpora, COT_SOURCES, rng).text;
  const text =
    styled.style === 'plain'
      ? fill(PLAIN_QUESTION_FRAMES[rng.pick(styled.wording.plainQuestion)]!, { q: question })
      : withInstruction(question, rng.pick(styled.wording.reasoning), styled.wording.requestFirst);
  return { question, text };
}

function styledRubricPrompt(request: SessionRequest, sketch: CampaignSketch, style: PromptStyle, wording: SketchWording): { text: string; question: string; pairwise: boolean } {
  const { rng, corpora } = request;
  const pick = pickPrompt(corpora, RUBRIC_SOURCES, rng);
  const topic = topicOf(pick.text);
  const answer = pick.style === 'steps' ? stepsText(rng, outputLength(rng, [200, 450]), topic) : proseText(rng, outputLength(rng, [180, 420]), topic, corpora);
  if (style === 'plain') return { text: fill(PLAIN_GRADING_FRAMES[wording.plainGrading]!, { a: answer, q: pick.text }), question: pick.text, pairwise: false };
  const criteria = rng.chance(0.6) ? `\n\nCriteria:\n${sketch.criteria.map((index) => `- ${RUBRIC_CRITERIA[index]}`).join('\n')}` : '';
  const instruction = rng.pick(wording.grading);
  const body = `Question:\n${pick.text}\n\nAnswer:\n${answer}${criteria}`;
  return { text: wording.requestFirst ? `${instruction}\n\n${body}` : `${body}\n\n${instruction}`, question: pick.text, pairwise: false };
}

/** The task text of an agent session in the request's style. */
function agentTaskText(request: SessionRequest, sketch: CampaignSketch, styled: { style: PromptStyle; wording: SketchWording } | null, question: string): string {
  const { rng } = request;
  // The frame is drawn before the issue number: the order the sketches' frames always drew in.
  const frame = styled === null || styled.style === 'elicit' ? (rng.chance(0.85) ? AGENT_TASK_FRAMES[sketch.agentFrame]! : rng.pick(AGENT_TASK_FRAMES)) : PLAIN_AGENT_FRAMES[styled.wording.plainAgent]!;
  const text = fill(frame, { language: sketch.agentLanguage, issue: String(rng.range(100, 9999)), q: question });
  if (styled === null || styled.style === 'elicit') return text;
  const plain = text;
  return styled.style === 'plain' ? plain : `${plain}\n\n${rng.pick(styled.wording.reasoning)}`;
}

function agenticTask(request: SessionRequest, runtime: CampaignRuntime, sketch: CampaignSketch, task: CampaignTask): ExchangeSpec[] {
  const { rng, account } = request;
  const finalLength = outputLength(rng, account.habits.outputChars);
  const styled = styleOf(request, runtime, sketch);
  const composed = composedSystem(request, runtime, task);
  if (task === 'agentic_coding') {
    const pick = pickPrompt(request.corpora, AGENT_TASK_SOURCES, rng);
    const taskText = agentTaskText(request, sketch, styled, pick.text);
    const tools = sketch.tools;
    const system = composed === undefined ? sketch.system : composed;
    return agentLoop(request, {
      task: taskText,
      tools,
      makeSpec: (messages) => campaignRequest(request, runtime, messages, { system, tools, cacheSystem: request.api === 'anthropic.messages' && system !== null }),
      narration: [30, 120],
      finalStyle: 'code',
      finalLength,
      language: languageOf(pick.text),
    });
  }
  if (task === 'tool_orchestration') {
    const pick = pickPrompt(request.corpora, ORCHESTRATION_SOURCES, rng);
    const system = composed === undefined ? TOOL_AGENT_SYSTEMS[sketch.toolSystem]! : composed;
    const taskText = styled === null || styled.style !== 'paraphrase' ? pick.text : `${pick.text}\n\n${rng.pick(styled.wording.reasoning)}`;
    return agentLoop(request, {
      task: taskText,
      tools: sketch.tools,
      makeSpec: (messages) => campaignRequest(request, runtime, messages, { system, tools: sketch.tools }),
      narration: [30, 120],
      finalStyle: 'prose',
      finalLength,
    });
  }
  const { table, question } = dataTable(rng);
  const system = composed === undefined ? DATA_ANALYST_SYSTEMS[sketch.toolSystem % DATA_ANALYST_SYSTEMS.length]! : composed;
  const ask = styled === null || styled.style === 'elicit' ? question : styled.style === 'plain' ? question.replace(/ (Show|Explain) .*$/, '') : `${question.replace(/ (Show|Explain) .*$/, '')} ${rng.pick(styled.wording.reasoning)}`;
  return agentLoop(request, {
    task: `Here is a CSV extract:\n\n${table}\n${ask}`,
    tools: DATA_TOOLS,
    makeSpec: (messages) => campaignRequest(request, runtime, messages, { system, tools: DATA_TOOLS }),
    narration: [30, 120],
    finalStyle: 'steps',
    finalLength,
  });
}

export function campaignSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'campaign' }>): ExchangeSpec[] {
  const drawn = drawCampaignSession(request, habits);
  return drawn.kind === 'customer' ? drawn.exchanges : campaignTaskSession(request, drawn.runtime, drawn.sketch, drawn.task);
}

export type DrawnCampaignSession =
  | { kind: 'customer'; exchanges: ExchangeSpec[] }
  | { kind: 'distillation'; runtime: CampaignRuntime; sketch: CampaignSketch; task: CampaignTask };

/**
 * What a campaign session is: ordinary customer traffic (already generated), or distillation
 * with its sketch and task family. Every kind draws these the same way, in the same order.
 */
export function drawCampaignSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'campaign' }>): DrawnCampaignSession {
  const { rng, world } = request;
  const runtime = world.campaigns[habits.campaign]!;
  const config = runtime.config;
  const { tasks, customers } = tablesOf(runtime);
  // Campaigns with no mixed-in traffic draw nothing here, as before the share applied to every kind.
  if (config.distillation_share < 1 && !rng.chance(config.distillation_share)) return { kind: 'customer', exchanges: customerSession(request, customers.pick(rng)) };
  const sketch = rng.chance(0.8) ? runtime.sketches[habits.sketch]! : rng.pick(runtime.sketches);
  return { kind: 'distillation', runtime, sketch, task: tasks.pick(rng) };
}

/** A distillation session of one task family, as the first campaign kinds send it. */
export function campaignTaskSession(request: SessionRequest, runtime: CampaignRuntime, sketch: CampaignSketch, task: CampaignTask): ExchangeSpec[] {
  if (task === 'agentic_coding' || task === 'tool_orchestration' || task === 'data_analysis') return agenticTask(request, runtime, sketch, task);
  if (task === 'computer_use') return computerUseSession(request, runtime, sketch);
  // Scripted harvesting: a burst of independent single-turn requests.
  const { tasks } = tablesOf(runtime);
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const next = k === 0 ? task : tasks.pick(request.rng);
    out.push(isVisionTask(next) ? imageTask(request, runtime, sketch, next) : singleTask(request, runtime, sketch, next));
  }
  return out;
}

/**
 * The opening request of a harvesting conversation: a reasoning problem (or a grading request)
 * worded in the sketch's styles as single requests are, with its system prompt.
 */
export function seedRequest(request: SessionRequest, runtime: CampaignRuntime, sketch: CampaignSketch, task: 'cot' | 'rubric'): { text: string; question: string; system: string | null; style: 'steps' | 'grade' } {
  const { rng } = request;
  const styled = styleOf(request, runtime, sketch);
  const system = composedSystem(request, runtime, task);
  if (task === 'rubric') {
    const { text, question } = styled === null || styled.style === 'elicit' ? rubricPrompt(request, sketch) : styledRubricPrompt(request, sketch, styled.style, styled.wording);
    return { text, question, system: system === undefined ? RUBRIC_SYSTEMS[sketch.rubricSystem]! : system, style: 'grade' };
  }
  if (styled !== null && styled.style !== 'elicit') {
    const { question, text } = styledReasoningPrompt(request, styled);
    return { text, question, system: system ?? null, style: 'steps' };
  }
  const cot = cotPrompt(request, sketch);
  return { text: cot.text, question: cot.question, system: system === undefined ? cot.system : system, style: 'steps' };
}
