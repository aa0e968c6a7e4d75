import { createPhraseMatcher, type PhraseRule } from './phrase-matcher.js';
import type { TextScan } from './text-scanner.js';

/**
 * Per-exchange content signals: what a prompt asks the model to do that has training value for
 * a distiller (spell out its reasoning, grade answers against a rubric, explain a finished
 * answer, rewrite a sensitive question into a "safe" one), and which capability it exercises.
 * They are computed at ingest from token hashes and stored as a bit set and a capability code,
 * so analysis needs no prompt text. A single exchange proves nothing: these become evidence
 * only as shares of an account's or a cluster's traffic.
 */

/** Capability labels; the stored code is the index, so only append to this list. */
export const CAPABILITIES = ['chat', 'coding', 'math', 'reasoning', 'agentic', 'data_analysis', 'writing', 'vision', 'computer_use'] as const;
export type Capability = (typeof CAPABILITIES)[number];
export const CAPABILITY_CODE: Readonly<Record<Capability, number>> = Object.fromEntries(CAPABILITIES.map((name, code) => [name, code])) as Record<Capability, number>;

/**
 * Bits of the stored `content_flags`. The first four are the detector verdicts; the rest are the
 * parts they are made of (kept so a verdict can be re-derived or audited without the text).
 * Stored in the exchanges table: never renumber, only add.
 */
export const CONTENT_FLAG = {
  /** Asks for step-by-step reasoning, a worked solution or the model's thought process. */
  cotElicitation: 1 << 0,
  /** Uses the model as a grader: rubric, scoring a response, judging which answer is better. */
  rubricGrading: 1 << 1,
  /** Gives a finished answer and asks for the reasoning behind it. */
  explainAnswer: 1 << 2,
  /** Asks for a rewrite of a question into a safe, harmless or policy-compliant form. */
  safeRewrite: 1 << 3,
  /** The prompt contains code (a fenced block or inline code). */
  code: 1 << 4,
  givenAnswer: 1 << 5,
  explainAsk: 1 << 6,
  rewriteAsk: 1 << 7,
  safetyTerm: 1 << 8,
  scoreAsk: 1 << 9,
  responseTerm: 1 << 10,
  /** The system prompt (not the user prompt) asks for step-by-step reasoning. */
  systemCot: 1 << 11,
  /** The system prompt sets the model up as a grader. */
  systemRubric: 1 << 12,
} as const;

// Phrase tags: 0..15 are CONTENT_FLAG bit positions, 100 + code is a capability keyword.
const CAPABILITY_TAG = 100;
const bitOf = (flag: number) => Math.log2(flag);

const COT_PHRASES = [
  'step by step', 'show your work', 'show all your work', 'show your working', 'show your reasoning', 'show * reasoning',
  'show all steps', 'show every step', 'show each step', 'show the steps', 'show intermediate steps', 'show * intermediate steps',
  'show all intermediate', 'explain your reasoning', 'explain * reasoning', 'explain your thinking', 'explain your thought process',
  'think through', 'think carefully', 'think it through', 'think aloud', 'think out loud', "let's think", 'lets think', 'let us think',
  'reason through', 'reason step', 'reason carefully', 'reasoning process', 'thought process', 'chain of thought', 'walk me through',
  'walk through each', 'walk through * reasoning', 'detailed reasoning', 'full reasoning', 'complete reasoning', 'reasoning trace',
  'reasoning steps', 'intermediate reasoning', 'explicit reasoning', 'before giving * final answer', 'before giving your answer',
  'before you answer', 'before answering', 'justify each step', 'each step of', 'every step of', 'work it out', 'worked solution',
  'detailed solution', 'full derivation', 'show the derivation',
];
const STRONG_RUBRIC_PHRASES = [
  'rubric', 'impartial judge', 'act as a judge', 'as a grader', 'as an evaluator', 'you are a grader', 'you are an evaluator',
  'grading criteria', 'evaluation criteria', 'scoring criteria', 'which response is better', 'which answer is better', 'which * is better',
  'response a', 'response b', 'assistant a', 'assistant b', 'reward model', 'reward score', 'grade the response', 'grade this response',
  'grade the answer', 'grade this answer', 'grade * response', 'grade * answer', 'score the response', 'score this response',
  'score * response', 'score * answer', 'rate the response', 'rate this response', 'rate * response', 'rate * answer',
  'evaluate the response', 'evaluate this response', 'evaluate * response', 'evaluate * answer', 'assess the response',
  'assess * response', 'assess * answer', 'judge the response', 'judge * response', 'candidate answer', 'candidate response',
  'reference answer', 'model response', 'preferred response', 'better response',
];
const SCORE_ASK_PHRASES = [
  'on a scale', 'scale of #', 'scale from #', 'score from #', 'score between', 'score of #', 'assign a score', 'give a score',
  'provide a score', 'numeric score', 'numerical score', 'overall score', 'final score', 'out of #', 'grade from', 'rating from',
  'assign a grade', 'give a grade',
];
const RESPONSE_TERMS = ['response', 'responses', 'answer', 'answers', 'completion', 'completions', 'submission', 'output', 'outputs'];
const GIVEN_ANSWER_PHRASES = [
  'the answer is', 'answer is', 'correct answer', 'right answer', 'final answer is', 'the solution is', 'solution is', 'given answer',
  'given solution', 'known answer', 'expected answer', 'official answer', 'answer key', 'answer #', 'correct option', 'correct choice',
  'the result is', 'reference solution', 'this answer', 'this solution', 'following answer', 'following solution', 'finished answer',
];
const EXPLAIN_ASK_PHRASES = [
  'explain why', 'explain how', 'explain the reasoning', 'explain * reasoning', 'reasoning behind', 'reasoning that', 'justify', 'justification',
  'rationale', 'derive', 'how to arrive', 'how * arrive', 'arrive at', 'leads to', 'led to', 'lead to', 'work backwards', 'working backwards',
  'reconstruct', 'why this is correct', 'why it is correct', 'why * is correct', 'explain * steps', 'steps that', 'explanation for',
];
const REWRITE_ASK_PHRASES = ['rewrite', 'rephrase', 'reword', 'reformulate', 'paraphrase', 'transform the question', 'transform this question', 'convert * question', 'make * safe', 'sanitize', 'sanitise', 'turn * into', 'recast'];
const SAFETY_TERMS = [
  'safe', 'safer', 'safely', 'harmless', 'benign', 'appropriate', 'sensitive', 'harmful', 'policy', 'policies', 'refusal', 'refuse',
  'violate', 'violating', 'violation', 'guidelines', 'responsible', 'ethical', 'dangerous', 'jailbreak', 'unsafe', 'acceptable', 'compliant',
  'innocuous', 'inoffensive', 'non harmful',
];

const CAPABILITY_KEYWORDS: Partial<Record<Capability, string[]>> = {
  coding: [
    'code', 'function', 'functions', 'python', 'javascript', 'typescript', 'java', 'rust', 'golang', 'kotlin', 'swift', 'bug', 'debug',
    'compile', 'compiler', 'implement', 'implementation', 'refactor', 'class', 'method', 'api', 'regex', 'algorithm', 'script', 'program',
    'programming', 'unit test', 'unit tests', 'repository', 'repo', 'git', 'npm', 'pip', 'html', 'css', 'react', 'node', 'variable', 'loop',
    'recursion', 'stack trace', 'exception', 'syntax', 'snippet', 'endpoint', 'docker', 'kubernetes', 'bash', 'shell', 'linux', 'terminal',
    'pull request', 'code review', 'codebase', 'async', 'library', 'framework', 'backend', 'frontend', 'json', 'parse', 'parser', 'sql query',
  ],
  math: [
    'equation', 'equations', 'solve', 'integral', 'derivative', 'calculus', 'algebra', 'geometry', 'probability', 'theorem', 'prove', 'proof',
    'lemma', 'matrix', 'polynomial', 'calculate', 'compute', 'fraction', 'percent', 'percentage', 'triangle', 'circle', 'radius', 'area',
    'arithmetic', 'prime', 'divisible', 'simplify', 'inequality', 'logarithm', 'exponent', 'sqrt', 'how many', 'how much', 'integer',
    'integers', 'sum of', 'product of', 'remainder', 'factorial', 'combinatorics', 'vector', 'vectors', 'real numbers',
  ],
  data_analysis: [
    'data', 'dataset', 'datasets', 'dataframe', 'pandas', 'csv', 'spreadsheet', 'excel', 'sql', 'table', 'column', 'columns', 'rows',
    'statistics', 'statistical', 'regression', 'correlation', 'analyze', 'analyse', 'analysis', 'chart', 'plot', 'visualization', 'visualize',
    'metrics', 'trend', 'trends', 'pivot', 'aggregate', 'numpy', 'distribution', 'outliers', 'kpi', 'dashboard', 'cohort', 'forecast',
  ],
  reasoning: [
    'puzzle', 'riddle', 'logic', 'logical', 'deduce', 'deduction', 'infer', 'inference', 'reasoning', 'argument', 'syllogism', 'paradox',
    'hypothesis', 'premise', 'premises', 'conclusion', 'which of the following', 'true or false', 'dilemma', 'counterfactual', 'implies',
    'contradiction', 'fallacy', 'brain teaser',
  ],
  writing: [
    'write', 'essay', 'story', 'poem', 'email', 'letter', 'article', 'blog', 'summarize', 'summarise', 'summary', 'rewrite', 'paraphrase',
    'draft', 'tweet', 'translate', 'translation', 'cover letter', 'headline', 'slogan', 'outline', 'paragraph', 'proofread', 'tone',
    'narrative', 'lyrics', 'speech', 'caption', 'marketing copy',
  ],
};

function rules(): PhraseRule<number>[] {
  const out: PhraseRule<number>[] = [];
  const add = (phrases: string[], flag: number) => {
    for (const phrase of phrases) out.push({ phrase, tag: bitOf(flag) });
  };
  add(COT_PHRASES, CONTENT_FLAG.cotElicitation);
  add(STRONG_RUBRIC_PHRASES, CONTENT_FLAG.rubricGrading);
  add(SCORE_ASK_PHRASES, CONTENT_FLAG.scoreAsk);
  add(RESPONSE_TERMS, CONTENT_FLAG.responseTerm);
  add(GIVEN_ANSWER_PHRASES, CONTENT_FLAG.givenAnswer);
  add(EXPLAIN_ASK_PHRASES, CONTENT_FLAG.explainAsk);
  add(REWRITE_ASK_PHRASES, CONTENT_FLAG.rewriteAsk);
  add(SAFETY_TERMS, CONTENT_FLAG.safetyTerm);
  for (const [capability, words] of Object.entries(CAPABILITY_KEYWORDS)) {
    for (const phrase of words) out.push({ phrase, tag: CAPABILITY_TAG + CAPABILITY_CODE[capability as Capability] });
  }
  return out;
}

/** The phrase lists behind each detector, for the registry and the README. */
export const CONTENT_PHRASES = {
  cot_elicitation: COT_PHRASES,
  rubric_grading: { strong: STRONG_RUBRIC_PHRASES, score_ask: SCORE_ASK_PHRASES, response_terms: RESPONSE_TERMS },
  explain_answer: { given_answer: GIVEN_ANSWER_PHRASES, explain_ask: EXPLAIN_ASK_PHRASES },
  safe_rewrite: { rewrite_ask: REWRITE_ASK_PHRASES, safety_terms: SAFETY_TERMS },
  capability_keywords: CAPABILITY_KEYWORDS,
} as const;

/** What the structure of the request says, beside its words. */
export interface RequestShape {
  imageCount: number;
  toolCount: number;
  /** Tool calls and tool results in the messages sent, plus tool calls in the response. */
  toolActivity: number;
  /** Server-side tool types, e.g. `computer_20250124`. */
  toolTypes: readonly string[];
}

export interface ContentSignals {
  flags: number;
  capability: number;
}

/** Order in which keyword ties are broken: the more specific capability first. */
const KEYWORD_CAPABILITIES: readonly number[] = ['coding', 'data_analysis', 'math', 'reasoning', 'writing'].map((name) => CAPABILITY_CODE[name as Capability]);

/**
 * Creates the content detector. Holds its compiled tables and counters; one per thread.
 *
 * @example
 * const detect = createContentSignalDetector();
 * const { flags, capability } = detect(promptScan, systemScan, shape);
 * if (flags & CONTENT_FLAG.cotElicitation) ...
 */
export function createContentSignalDetector(): (prompt: TextScan, system: TextScan | null, shape: RequestShape) => ContentSignals {
  const matcher = createPhraseMatcher(rules());
  const hits = new Int32Array(CAPABILITIES.length);
  let bits = 0;
  const onMatch = (tag: number) => {
    if (tag >= CAPABILITY_TAG) hits[tag - CAPABILITY_TAG]!++;
    else bits |= 1 << tag;
  };
  return (prompt, system, shape) => {
    hits.fill(0);
    bits = 0;
    let systemBits = 0;
    if (system !== null && system.count > 0) {
      matcher.match(system.tokens, system.count, onMatch);
      systemBits = bits;
      bits = 0;
    }
    matcher.match(prompt.tokens, prompt.count, onMatch);
    let flags = verdicts(bits);
    const systemVerdicts = verdicts(systemBits);
    if (systemVerdicts & CONTENT_FLAG.cotElicitation) flags |= CONTENT_FLAG.systemCot;
    if (systemVerdicts & CONTENT_FLAG.rubricGrading) flags |= CONTENT_FLAG.systemRubric;
    if (prompt.codeBlocks > 0) flags |= CONTENT_FLAG.code;
    return { flags, capability: capabilityOf(prompt, shape) };
  };

  function capabilityOf(prompt: TextScan, shape: RequestShape): number {
    for (const type of shape.toolTypes) if (type.startsWith('computer')) return CAPABILITY_CODE.computer_use;
    if (shape.imageCount > 0) return CAPABILITY_CODE.vision;
    if (shape.toolCount > 0 && shape.toolActivity > 0) return CAPABILITY_CODE.agentic;
    if (prompt.codeBlocks > 0) hits[CAPABILITY_CODE.coding]! += 2;
    if (prompt.mathChars >= 3) hits[CAPABILITY_CODE.math]! += 1;
    let best = CAPABILITY_CODE.chat;
    let bestHits = 0;
    for (const code of KEYWORD_CAPABILITIES) {
      if (hits[code]! > bestHits) {
        best = code;
        bestHits = hits[code]!;
      }
    }
    if (best === CAPABILITY_CODE.chat && shape.toolCount > 0) return CAPABILITY_CODE.agentic;
    return best;
  }
}

/** The detector verdicts from the phrase parts found in one text. */
function verdicts(bits: number): number {
  let flags = bits & ~(CONTENT_FLAG.rubricGrading | CONTENT_FLAG.explainAnswer | CONTENT_FLAG.safeRewrite);
  if (bits & CONTENT_FLAG.rubricGrading || (bits & CONTENT_FLAG.scoreAsk && bits & CONTENT_FLAG.responseTerm)) flags |= CONTENT_FLAG.rubricGrading;
  if (bits & CONTENT_FLAG.givenAnswer && bits & CONTENT_FLAG.explainAsk) flags |= CONTENT_FLAG.explainAnswer;
  if (bits & CONTENT_FLAG.rewriteAsk && bits & CONTENT_FLAG.safetyTerm) flags |= CONTENT_FLAG.safeRewrite;
  return flags;
}

/** The names of the verdict bits set in `flags`, for evidence and tests. */
export function contentFlagNames(flags: number): string[] {
  return (Object.entries(CONTENT_FLAG) as [string, number][]).filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name);
}
