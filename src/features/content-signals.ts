import { LANGUAGE_PHRASES, LATIN_FUNCTION_WORDS, type LanguagePhrases } from './language-phrases.js';
import { createPhraseMatcher, type PhraseRule } from './phrase-matcher.js';
import { SCRIPTS, type NormalizationStats } from './text-normalizer.js';
import { SLOT_BREAK, SLOT_SENTENCE, WORD_FIELD, wordHash, type TextScan } from './text-scanner.js';

/**
 * Per-exchange content signals: what a request asks the model to do that has training value for
 * a distiller (spell out its reasoning, grade answers against a rubric, explain a finished
 * answer, rewrite a sensitive question into a "safe" one), which capability it exercises and
 * which language it is written in. They are computed at ingest from token hashes and stored as a
 * bit set and small codes, so analysis needs no prompt text. A single exchange proves nothing:
 * these become evidence only as shares of an account's or a cluster's traffic.
 *
 * Each part of a request the model reads (the last user turn, the system prompt, an assistant
 * prefill, earlier user turns, tool descriptions) is judged on its own, by three kinds of rule:
 * - phrase lists (English, and per language in `language-phrases.ts`);
 * - paraphrase rules, for asks worded in ways no list holds: an ask verb and a reasoning object
 *   within a few tokens of each other in either order ("lay out the logic you used"), a
 *   deliberation verb with a manner or a before-answering clause ("prior to responding,
 *   deliberate in writing"), a grading verb near a response word with a scale, a rewrite verb
 *   near a request word with a safety word, and output formats with a rationale field before an
 *   answer or beside a score (`Reasoning: ... Answer:`, JSON keys `"rationale"`, `"score"`);
 * - a negation just before an ask ("do not explain your reasoning") cancels it.
 * All of it is one pass over the part's tokens with a few remembered positions: linear time.
 */

/** Capability labels; the stored code is the index, so only append to this list. */
export const CAPABILITIES = ['chat', 'coding', 'math', 'reasoning', 'agentic', 'data_analysis', 'writing', 'vision', 'computer_use'] as const;
export type Capability = (typeof CAPABILITIES)[number];
export const CAPABILITY_CODE: Readonly<Record<Capability, number>> = Object.fromEntries(CAPABILITIES.map((name, code) => [name, code])) as Record<Capability, number>;

/**
 * Language (or script, where the script says enough) of the prompt; the stored code is the
 * index, so only append. Latin-script prompts are told apart by function words; `latin` is a
 * Latin-script prompt with too few of them, `none` one without letters.
 */
export const PROMPT_LANGUAGES = ['none', 'en', 'es', 'fr', 'de', 'pt', 'it', 'latin', 'cyrillic', 'greek', 'arabic', 'hebrew', 'zh', 'ja', 'ko', 'devanagari', 'thai', 'other'] as const;
export type PromptLanguage = (typeof PROMPT_LANGUAGES)[number];
export const PROMPT_LANGUAGE_CODE: Readonly<Record<PromptLanguage, number>> = Object.fromEntries(PROMPT_LANGUAGES.map((name, code) => [name, code])) as Record<PromptLanguage, number>;

/**
 * Bits of the stored `content_flags`. The first four are the detector verdicts; the rest are the
 * parts they are made of (kept so a verdict can be re-derived or audited without the text) and
 * where in the request an ask was found. Stored in the exchanges table: never renumber, only add.
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
  /** An ask was found in a user turn before the last one. */
  earlierTurn: 1 << 13,
  /** An ask was found in an assistant prefill (a trailing assistant message the model continues). */
  prefill: 1 << 14,
  /** An ask was found in a tool's description or parameter schema. */
  toolDescription: 1 << 15,
  /** The text hides invisible characters inside words or mixes look-alike letters into Latin words. */
  obfuscated: 1 << 16,
  /** An ask was found only by the paraphrase and format rules, not by a phrase list. */
  paraphrase: 1 << 17,
  /** An ask was found by a phrase list of another language than English. */
  nonEnglishAsk: 1 << 18,
  /** The prompt probes an answer: why, justify it, another method, a harder variant, the assumptions, are you sure. */
  probeAsk: 1 << 19,
  /**
   * A short last user turn, after an answer of the model in the same request, that probes that
   * answer (`probeAsk`): the generic follow-up that makes a model re-explain, justify and vary
   * its reasoning, one conversation at a time.
   */
  followUpProbe: 1 << 20,
} as const;

/** Bit positions `CONTENT_FLAG` may use: what per-account counters keep one count for. */
export const CONTENT_FLAG_BITS = 32;

/** The detector verdicts: a request carries an ask when any of these is set. */
export const VERDICT_FLAGS = CONTENT_FLAG.cotElicitation | CONTENT_FLAG.rubricGrading | CONTENT_FLAG.explainAnswer | CONTENT_FLAG.safeRewrite;
/** The parts of a request the detectors read, in the order the scan budget serves them. */
export const REQUEST_PARTS = ['prompt', 'system', 'prefill', 'earlier_turn', 'tool_description'] as const;
export type RequestPart = (typeof REQUEST_PARTS)[number];

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
/**
 * Generic probes of an answer, as students, reviewers and harvesting scripts word them. Only read
 * as a probe in a short turn that follows an answer (`followUpProbe`): alone, "why" or "what if"
 * open ordinary questions.
 */
const PROBE_PHRASES = [
  'why', 'how so', 'how come', 'justify', 'explain that', 'explain this', 'explain step', 'explain the step', 'explain your', 'elaborate',
  'more detail', 'break it down', 'break that down', 'walk me through', 'how did you get', 'how did you arrive', 'where did * come from',
  'how do you know', 'are you sure', 'double check', 'check again', 'check your', 'verify', 'prove it', 'prove that', 'another way',
  'another method', 'another approach', 'different way', 'different method', 'different approach', 'alternative', 'other way',
  'other method', 'harder', 'more difficult', 'more challenging', 'variant', 'variation', 'similar problem', 'similar question',
  'assumption', 'assumptions', 'what if', 'what would happen', 'what would change', 'suppose', 'generalize', 'generalise', 'edge case',
  'edge cases', 'counterexample', 'mistake', 'wrong', 'don t understand', 'don t get', 'do not understand', 'confused', 'simpler',
  'intuition', 'step #',
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


// Vocabulary of the paraphrase rules. An ask verb pairs with a reasoning object within
// `NEAR` tokens; a weak object ("the reasoning", "calculations") only with a strong verb, since
// "give me a reasoning puzzle" asks for none.
const STRONG_ASK_VERBS = [
  'explain', 'explaining', 'show', 'showing', 'shown', 'walk', 'justify', 'justifying', 'spell', 'lay', 'laying', 'detail', 'detailing',
  'elaborate', 'derive', 'articulate', 'unpack', 'verbalize', 'verbalise', 'narrate', 'expose', 'reveal', 'demonstrate', 'trace',
  'break', 'outline', 'document', 'take me through', 'go through', 'talk me through', 'make * explicit', 'make * visible',
];
const WEAK_ASK_VERBS = [
  'give', 'provide', 'include', 'write', 'list', 'state', 'tell', 'share', 'output', 'print', 'present', 'add', 'record', 'note',
  'respond with', 'return', 'display', 'put', 'want', 'need', 'see', 'describe', 'describing',
];
const STRONG_REASON_OBJECTS = [
  'your reasoning', 'your rationale', 'rationale', 'rationales', 'your logic', 'logic you', 'logic behind', 'logic that', 'trail of logic',
  'your thought process', 'thinking process', 'train of thought', 'line of reasoning', 'chain of reasoning', 'chain of inferences',
  'chain of logic', 'reasoning trail', 'reasoning path', 'your thinking', 'your working', 'your workings',
  'derivation', 'derivations', 'your justification', 'your deductions', 'each deduction', 'every deduction', 'your inferences',
  'each inference', 'every inference',
  'how you got', 'how you arrived', 'how you reached', 'how you came', 'how you solved', 'how you derived', 'how you figured',
  'how you worked', 'how you obtained', 'how you computed', 'how you calculated', 'how you determined', 'how you concluded',
  'how you would solve', 'how you solve', 'how you reason', 'how you think', 'how you thought', 'how you reasoned',
  'why you chose', 'why you picked', 'why you selected', 'intermediate steps', 'intermediate calculations', 'intermediate calculation',
  'intermediate results', 'intermediate reasoning', 'each calculation', 'every calculation', 'each move', 'every move', 'logical steps',
  'logical moves', 'stages of your', 'scratch work', 'scratchwork',
  'scratchpad', 'scratch pad', 'inner monologue', 'internal monologue', 'internal deliberation', 'deliberation', 'your calculations',
  'your derivation', 'your problem solving', 'solution process', 'how one gets', 'how to get there', 'how you get', 'how this follows',
  'how it follows',
];
const WEAK_REASON_OBJECTS = ['reasoning', 'the reasoning', 'calculations', 'calculation', 'justification', 'justifications', 'working', 'each step', 'every step'];
const DELIBERATE_VERBS = ['think', 'reason', 'deliberate', 'reflect', 'ponder', 'figure', 'brainstorm', 'contemplate', 'muse'];
const DELIBERATE_MANNERS = [
  'out loud', 'aloud', 'in writing', 'on paper', 'explicitly', 'methodically', 'systematically', 'one stage at a time',
  'one step at a time', 'a step at a time', 'stage by stage', 'piece by piece', 'bit by bit', 'point by point', 'in stages',
  'incrementally', 'visibly', 'openly',
];
const BEFORE_ANSWERING = [
  'before responding', 'before you respond', 'before replying', 'before you reply', 'before stating', 'before you state',
  'before committing', 'before you commit', 'before the final', 'before your final', 'before concluding', 'prior to responding',
  'prior to answering', 'prior to replying', 'prior to giving', 'first then answer', 'then give the', 'then answer', 'then the answer',
  'then the conclusion', 'then state', 'then give', 'followed by the answer', 'only then', 'not just the', 'not only the',
];
// Step-wise manners that ask for reasoning on their own, whoever the verb.
const STEPWISE_MANNERS = ['stage by stage', 'one stage at a time', 'one step at a time', 'a step at a time', 'step after step', 'step for step', 'stepwise', 'step wise'];

const GRADE_VERBS = [
  'grade', 'grading', 'score', 'scoring', 'rate', 'rating', 'judge', 'judging', 'evaluate', 'evaluating', 'assess', 'assessing',
  'mark', 'critique', 'review', 'reviewer', 'rank', 'compare', 'appraise', 'decide which', 'how good',
  'how well', 'how accurate', 'how helpful', 'assign', 'award', 'quality', 'judgment', 'judgement',
];
const GRADED_OBJECTS = [
  'response', 'responses', 'reply', 'replies', 'answer', 'answers', 'completion', 'completions', 'output', 'outputs', 'submission',
  'submissions', 'solution', 'solutions', 'generation', 'generations', 'the assistant', 'assistant s', 'the model', 'model s',
  'chatbot', 'chatbots', 'candidate response', 'candidate answer',
];
const SCALES = [
  '# to #', 'from # to #', 'between # and #', 'out of #', '# #', 'one and ten', 'one to ten', 'one to five', 'zero to ten', 'scale',
  'mark', 'marks', 'points', 'stars', 'percent', 'pass or fail', 'pass fail', 'likert', 'numeric', 'numerical', 'number from',
  'quality number', 'verdict', 'better', 'stronger', 'weaker', 'worse', 'preferred', 'more helpful', 'more accurate', 'which one',
  'winner', 'tie', 'criteria', 'criterion',
];
const REWRITE_VERBS = [
  'rewrite', 'rephrase', 'reword', 'reformulate', 'paraphrase', 'recast', 'convert', 'transform', 'adjust', 'modify', 'revise', 'edit',
  'change', 'alter', 'adapt', 'restate', 'redraft', 'rework', 'tone down', 'soften', 'neutralise', 'neutralize', 'sanitize', 'sanitise',
  'detoxify', 'clean up', 'turn',
];
const REWRITE_OBJECTS = ['question', 'questions', 'request', 'requests', 'prompt', 'prompts', 'query', 'queries', 'message', 'instruction', 'instructions', 'ask'];
const REWRITE_SAFETY_TERMS = [
  'harm', 'harms', 'toxic', 'non toxic', 'risky', 'offensive', 'allowed', 'permissible', 'answerable', 'family friendly', 'sfw', 'nsfw',
  'objectionable', 'problematic', 'misuse', 'illegal', 'hazardous', 'red flags', 'content rules', 'usage rules', 'its rules', 'decline',
  'fine to answer', 'safety', 'safe', 'safer', 'harmless', 'dangerous', 'violating', 'violate', 'policy', 'compliant',
];
const NEGATIONS = ['not', 'don t', 'dont', 'do not', 'never', 'without', 'no need to', 'doesn t', 'needn t', 'skip', 'omit', 'nor', 'neither'];
const RATIONALE_NAMES = ['reasoning', 'rationale', 'explanation', 'justification', 'thoughts', 'thought', 'thinking', 'analysis', 'working', 'derivation', 'chain of thought', 'scratchpad', 'steps'];
const ANSWER_NAMES = ['answer', 'final answer', 'final_answer', 'result', 'conclusion', 'solution', 'label', 'prediction', 'final'];
const SCORE_NAMES = ['score', 'rating', 'grade', 'verdict', 'judgment', 'judgement', 'winner', 'preference'];
const STRUCTURE_WORDS = ['json', 'keys', 'key', 'field', 'fields', 'property', 'properties', 'sections', 'section', 'tags', 'tag', 'schema'];
const GIVEN_ANSWER_PARAPHRASES = [
  'the key is', 'right one', 'right choice', 'right option', 'correct choice is', 'ground truth', 'expected output', 'solution given',
  'the result equals', 'known that', 'gold answer', 'gold label',
];

// Tags of the elicitation matcher: below 32 a CONTENT_FLAG bit position (phrase lists), from
// FOREIGN the same for another language's lists, from 64 a paraphrase family.
const FOREIGN = 32;
const enum Family {
  StrongAsk = 64,
  WeakAsk,
  StrongObject,
  WeakObject,
  Deliberate,
  Manner,
  BeforeAnswering,
  Stepwise,
  GradeVerb,
  GradedObject,
  Scale,
  RewriteVerb,
  RewriteObject,
  RewriteSafety,
  Negation,
  RationaleName,
  RationaleField,
  AnswerName,
  AnswerField,
  ScoreName,
  ScoreField,
  Structure,
  GivenAnswer,
}
const NEAR = 6;
const NEGATION_REACH = 2;
/** How far a scale from a grading pair, or a safety word from a rewrite pair, may sit (sentence ends allowed). */
const PAIR_REACH = 14;
const COT_BIT = bitOf(CONTENT_FLAG.cotElicitation);
const SAFETY_BIT = bitOf(CONTENT_FLAG.safetyTerm);
const RUBRIC_BIT = bitOf(CONTENT_FLAG.rubricGrading);
const EXPLAIN_ANSWER_BIT = bitOf(CONTENT_FLAG.explainAnswer);
const SAFE_REWRITE_BIT = bitOf(CONTENT_FLAG.safeRewrite);
const SCORE_ASK_BIT = bitOf(CONTENT_FLAG.scoreAsk);
const RESPONSE_TERM_BIT = bitOf(CONTENT_FLAG.responseTerm);
const EXPLAIN_ASK_BIT = bitOf(CONTENT_FLAG.explainAsk);
const REWRITE_ASK_BIT = bitOf(CONTENT_FLAG.rewriteAsk);

function elicitationRules(): PhraseRule<number>[] {
  const out: PhraseRule<number>[] = [];
  const add = (phrases: readonly string[], tag: number) => {
    for (const phrase of phrases) out.push({ phrase, tag });
  };
  add(COT_PHRASES, bitOf(CONTENT_FLAG.cotElicitation));
  add(STRONG_RUBRIC_PHRASES, bitOf(CONTENT_FLAG.rubricGrading));
  add(SCORE_ASK_PHRASES, bitOf(CONTENT_FLAG.scoreAsk));
  add(RESPONSE_TERMS, bitOf(CONTENT_FLAG.responseTerm));
  add(GIVEN_ANSWER_PHRASES, bitOf(CONTENT_FLAG.givenAnswer));
  add(EXPLAIN_ASK_PHRASES, bitOf(CONTENT_FLAG.explainAsk));
  add(REWRITE_ASK_PHRASES, bitOf(CONTENT_FLAG.rewriteAsk));
  add(SAFETY_TERMS, bitOf(CONTENT_FLAG.safetyTerm));
  add(PROBE_PHRASES, bitOf(CONTENT_FLAG.probeAsk));
  const lists: [keyof LanguagePhrases, number][] = [
    ['cot', CONTENT_FLAG.cotElicitation],
    ['rubric', CONTENT_FLAG.rubricGrading],
    ['scoreAsk', CONTENT_FLAG.scoreAsk],
    ['responseTerms', CONTENT_FLAG.responseTerm],
    ['givenAnswer', CONTENT_FLAG.givenAnswer],
    ['explainAsk', CONTENT_FLAG.explainAsk],
    ['rewriteAsk', CONTENT_FLAG.rewriteAsk],
    ['safetyTerms', CONTENT_FLAG.safetyTerm],
    ['probe', CONTENT_FLAG.probeAsk],
  ];
  for (const phrases of Object.values(LANGUAGE_PHRASES)) {
    for (const [list, flag] of lists) add(phrases[list], FOREIGN + bitOf(flag));
  }
  add(STRONG_ASK_VERBS, Family.StrongAsk);
  add(WEAK_ASK_VERBS, Family.WeakAsk);
  add(STRONG_REASON_OBJECTS, Family.StrongObject);
  add(WEAK_REASON_OBJECTS, Family.WeakObject);
  add(DELIBERATE_VERBS, Family.Deliberate);
  add(DELIBERATE_MANNERS, Family.Manner);
  add(BEFORE_ANSWERING, Family.BeforeAnswering);
  add(STEPWISE_MANNERS, Family.Stepwise);
  add(GRADE_VERBS, Family.GradeVerb);
  add(GRADED_OBJECTS, Family.GradedObject);
  add(SCALES, Family.Scale);
  add(REWRITE_VERBS, Family.RewriteVerb);
  add(REWRITE_OBJECTS, Family.RewriteObject);
  add(REWRITE_SAFETY_TERMS, Family.RewriteSafety);
  add(NEGATIONS, Family.Negation);
  add(RATIONALE_NAMES, Family.RationaleName);
  add(RATIONALE_NAMES.map(asField), Family.RationaleField);
  add(ANSWER_NAMES, Family.AnswerName);
  add(ANSWER_NAMES.map(asField), Family.AnswerField);
  add(SCORE_NAMES, Family.ScoreName);
  add(SCORE_NAMES.map(asField), Family.ScoreField);
  add(STRUCTURE_WORDS, Family.Structure);
  add(GIVEN_ANSWER_PARAPHRASES, Family.GivenAnswer);
  return out;
}

/** `final answer` as a field label: `final answer:`. */
function asField(name: string): string {
  return `${name}:`;
}

// Tags of the prompt matcher (capability keywords, on the template tokens).
const CAPABILITY_TAG = 100;
const LATIN_LANGUAGES = Object.keys(LATIN_FUNCTION_WORDS) as PromptLanguage[];

function promptRules(): PhraseRule<number>[] {
  const out: PhraseRule<number>[] = [];
  for (const [capability, words] of Object.entries(CAPABILITY_KEYWORDS)) {
    for (const phrase of words) out.push({ phrase, tag: CAPABILITY_TAG + CAPABILITY_CODE[capability as Capability] });
  }
  return out;
}

/**
 * Function words by token hash, for the language guess: one probe per prompt token, since these
 * are the commonest words of a text and a phrase look-up for each would cost more than the rest.
 */
function createFunctionWordTable(): (token: number) => number {
  const size = 512;
  const keys = new Int32Array(size);
  const languages = new Int8Array(size).fill(-1);
  LATIN_LANGUAGES.forEach((language, index) => {
    for (const word of LATIN_FUNCTION_WORDS[language]!) {
      const hash = wordHash(word);
      let slot = hash & (size - 1);
      while (languages[slot] !== -1 && keys[slot] !== hash) slot = (slot + 1) & (size - 1);
      keys[slot] = hash;
      languages[slot] = index;
    }
  });
  return (token) => {
    let slot = token & (size - 1);
    while (languages[slot] !== -1) {
      if (keys[slot] === token) return languages[slot]!;
      slot = (slot + 1) & (size - 1);
    }
    return -1;
  };
}

/** The phrase lists behind each detector, for the registry and docs/detection.md. */
export const CONTENT_PHRASES = {
  cot_elicitation: COT_PHRASES,
  rubric_grading: { strong: STRONG_RUBRIC_PHRASES, score_ask: SCORE_ASK_PHRASES, response_terms: RESPONSE_TERMS },
  explain_answer: { given_answer: GIVEN_ANSWER_PHRASES, explain_ask: EXPLAIN_ASK_PHRASES },
  safe_rewrite: { rewrite_ask: REWRITE_ASK_PHRASES, safety_terms: SAFETY_TERMS },
  follow_up_probes: PROBE_PHRASES,
  capability_keywords: CAPABILITY_KEYWORDS,
  languages: LANGUAGE_PHRASES,
} as const;

/** Words of a tool name that move a pointer over a screen. */
const POINTER_ACTIONS = new Set(['click', 'dblclick', 'doubleclick', 'drag', 'scroll', 'mouse', 'hover', 'tap', 'swipe']);
/** Words of a tool name that look at a screen or type into it. */
const SCREEN_ACTIONS = new Set(['screenshot', 'screen', 'type', 'typing', 'keypress', 'key', 'keys', 'keyboard', 'hotkey', 'input']);

/** A tool name's words: `double_click`, `doubleClick` and `double-click` are all "double click". */
function toolNameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** `screenActionsOf` bits: the tool moves a pointer; it looks at the screen or types into it. */
export const SCREEN_ACTION = { pointer: 1, look: 2 } as const;

/**
 * What a function tool does to a screen, by its name's words (`SCREEN_ACTION` bits). A request
 * whose tools hold both, a pointer action beside one that looks or types, drives a screen:
 * computer-use agents built on function calling (chat completions has no computer tool of its
 * own, and many agent frameworks define their own actions) send such sets on every step; a tool
 * that only clicks, or only types, does not make one.
 */
export function screenActionsOf(toolName: string): number {
  let actions = 0;
  for (const word of toolNameWords(toolName)) {
    if (POINTER_ACTIONS.has(word)) actions |= SCREEN_ACTION.pointer;
    else if (SCREEN_ACTIONS.has(word)) actions |= SCREEN_ACTION.look;
  }
  return actions;
}

/** What the structure of the request says, beside its words. */
export interface RequestShape {
  imageCount: number;
  toolCount: number;
  /** Tool calls and tool results in the messages sent, plus tool calls in the response. */
  toolActivity: number;
  /** Server-side tool types, e.g. `computer_20250124`. */
  toolTypes: readonly string[];
  /** The `screenActionsOf` bits of the tools the request defines, together. */
  screenActions: number;
}

/** Order in which keyword ties are broken: the more specific capability first. */
const KEYWORD_CAPABILITIES: readonly number[] = ['coding', 'data_analysis', 'math', 'reasoning', 'writing'].map((name) => CAPABILITY_CODE[name as Capability]);

export interface ContentSignalDetector {
  /**
   * The asks in one part of a request, read from its detection stream: verdict bits, the phrase
   * parts behind them, and `paraphrase` / `nonEnglishAsk` when those rules found a verdict.
   */
  part(scan: TextScan): number;
  /** The detection token where the first ask the last `part` call found begins; -1 when it gave no verdict. */
  readonly askWord: number;
  /**
   * The detection token where the first phrase of any ask list (every language) or paraphrase
   * rule matched in the last `part` call, verdict or not ("explain the reasons", "why?"); -1 when none did.
   */
  readonly cueWord: number;
  /**
   * The capability of the request (from the prompt's template tokens and the request's
   * structure) and the `PROMPT_LANGUAGES` code of the prompt (from the letters normalisation
   * counted and function words). The object returned is reused by the next call.
   */
  prompt(prompt: TextScan, shape: RequestShape): PromptSignals;
}

export interface PromptSignals {
  capability: number;
  language: number;
}

/**
 * Creates the content detector. Holds its compiled tables and counters; one per thread.
 *
 * @example
 * const detector = createContentSignalDetector();
 * const asks = detector.part(promptScan);
 * if (asks & CONTENT_FLAG.cotElicitation) ...
 */
export function createContentSignalDetector(): ContentSignalDetector {
  const elicitation = createPhraseMatcher(elicitationRules());
  const promptMatcher = createPhraseMatcher(promptRules());
  const hits = new Int32Array(CAPABILITIES.length);
  const languageHits = new Int32Array(LATIN_LANGUAGES.length);
  const promptSignals: PromptSignals = { capability: 0, language: 0 };
  const functionWord = createFunctionWordTable();
  const onPromptMatch = (tag: number) => {
    hits[tag - CAPABILITY_TAG]!++;
  };
  // State of one part's pass: phrase bits, paraphrase verdicts, and the last position of each
  // family that pairs with another (-1: none yet). Pairs must sit in one sentence.
  let sentence = new Int32Array(1024);
  let fieldFlags: Uint8Array = new Uint8Array(0);
  let bits = 0;
  let foreign = 0;
  let paraphrased = 0;
  let negationEnd = -1;
  let strongAsk = -1;
  let weakAsk = -1;
  let askNegated = false;
  let strongObject = -1;
  let weakObject = -1;
  let deliberate = -1;
  let manner = -1;
  let before = -1;
  let gradeVerb = -1;
  let gradedObject = -1;
  let gradePair = -1;
  let scale = -1;
  let rewriteVerb = -1;
  let rewriteObject = -1;
  let rewritePair = -1;
  let safety = -1;
  let rationale = -1;
  let answerAfterRationale = false;
  let scoreField = false;
  let structure = -1;
  let givenAnswer = false;
  // The first position where a phrase matched or a paraphrase rule fired.
  let firstAsk = -1;
  let askWord = -1;
  const askAt = (position: number) => {
    if (firstAsk === -1 || position < firstAsk) firstAsk = position;
  };
  // Where each phrase bit (English or foreign) first matched, and where each paraphrase verdict
  // first fired: the ask a verdict comes from is found among these, so that a phrase that gave
  // no verdict (a "response" or an "answer" in filler before the ask) does not stand for it.
  const bitAt = new Int32Array(32).fill(-1);
  let cotRuleAt = -1;
  let rubricRuleAt = -1;
  let safeRuleAt = -1;
  const bitFirst = (bit: number, position: number) => {
    if (bitAt[bit] === -1 || position < bitAt[bit]!) bitAt[bit] = position;
  };

  const reset = () => {
    bits = foreign = paraphrased = 0;
    negationEnd = strongAsk = weakAsk = strongObject = weakObject = deliberate = manner = before = -1;
    gradeVerb = gradedObject = gradePair = scale = rewriteVerb = rewriteObject = rewritePair = safety = rationale = structure = -1;
    askNegated = answerAfterRationale = scoreField = givenAnswer = false;
    firstAsk = cotRuleAt = rubricRuleAt = safeRuleAt = -1;
    bitAt.fill(-1);
  };
  /** Whether `earlier` (a position seen before) is within `reach` tokens of `at` in the same sentence. */
  const near = (at: number, earlier: number, reach = NEAR) => earlier >= 0 && at - earlier <= reach && sentence[at] === sentence[earlier];
  /** The same across sentence ends: a scale or a safety word often follows in the next sentence. */
  const within = (at: number, earlier: number, reach: number) => earlier >= 0 && at - earlier <= reach;
  const negated = (position: number) => negationEnd >= 0 && position > negationEnd && near(position, negationEnd, NEGATION_REACH);
  const reasoningAsk = (position: number) => {
    if (negated(position) || askNegated) return;
    paraphrased |= CONTENT_FLAG.cotElicitation;
    askAt(position);
    cotRuleAt = earliest(cotRuleAt, position);
  };
  const isField = (position: number) => (fieldFlags[position]! & WORD_FIELD) !== 0;
  const rationaleAt = (position: number) => {
    if (rationale === -1) rationale = position;
  };
  const gradePairAt = (position: number) => {
    gradePair = position;
    askAt(position);
    if (within(position, scale, PAIR_REACH)) {
      paraphrased |= CONTENT_FLAG.rubricGrading;
      rubricRuleAt = earliest(rubricRuleAt, position);
    }
  };
  const rewritePairAt = (position: number) => {
    rewritePair = position;
    askAt(position);
    if (within(position, safety, PAIR_REACH)) {
      paraphrased |= CONTENT_FLAG.safeRewrite;
      safeRuleAt = earliest(safeRuleAt, position);
    }
  };
  const safetyAt = (position: number, length: number) => {
    safety = position + length - 1;
    if (within(position, rewritePair, PAIR_REACH)) {
      paraphrased |= CONTENT_FLAG.safeRewrite;
      safeRuleAt = earliest(safeRuleAt, rewritePair);
    }
  };

  const onMatch = (tag: number, position: number, length: number) => {
    const end = position + length - 1;
    if (tag < Family.StrongAsk) {
      const bit = tag < FOREIGN ? tag : tag - FOREIGN;
      if (bit === COT_BIT && negated(position)) return;
      if (bit === SAFETY_BIT) safetyAt(position, length);
      else askAt(position);
      bitFirst(bit, position);
      if (tag < FOREIGN) bits |= 1 << bit;
      else foreign |= 1 << bit;
      return;
    }
    switch (tag as Family) {
      case Family.Negation:
        negationEnd = end;
        break;
      case Family.StrongAsk:
        if (isField(position)) break;
        askNegated = negated(position);
        strongAsk = position;
        if (near(position, strongObject) || near(position, weakObject)) reasoningAsk(position);
        break;
      case Family.WeakAsk:
        if (isField(position)) break;
        askNegated = negated(position);
        weakAsk = position;
        if (near(position, strongObject)) reasoningAsk(position);
        break;
      case Family.StrongObject:
        if (near(position, strongAsk) || near(position, weakAsk)) reasoningAsk(position);
        // An object under a negation ("do not explain your reasoning, just give ...") is spent.
        if (!negated(position) && !(askNegated && (near(position, strongAsk) || near(position, weakAsk)))) strongObject = end;
        break;
      case Family.WeakObject:
        if (near(position, strongAsk)) reasoningAsk(position);
        if (!negated(position) && !(askNegated && near(position, strongAsk))) weakObject = end;
        break;
      case Family.Deliberate:
        if (isField(position)) break;
        askNegated = negated(position);
        deliberate = position;
        if (near(position, manner) || near(position, before, NEAR + 2)) reasoningAsk(position);
        break;
      case Family.Manner:
        manner = end;
        if (near(position, deliberate)) reasoningAsk(position);
        break;
      case Family.BeforeAnswering:
        before = end;
        if (near(position, deliberate, NEAR + 2)) reasoningAsk(position);
        break;
      case Family.Stepwise:
        if (negated(position)) break;
        paraphrased |= CONTENT_FLAG.cotElicitation;
        askAt(position);
        cotRuleAt = earliest(cotRuleAt, position);
        break;
      case Family.GradeVerb:
        gradeVerb = position;
        if (near(position, gradedObject)) gradePairAt(position);
        break;
      case Family.GradedObject:
        gradedObject = end;
        if (near(position, gradeVerb)) gradePairAt(position);
        break;
      case Family.Scale:
        scale = end;
        if (within(position, gradePair, PAIR_REACH)) {
          paraphrased |= CONTENT_FLAG.rubricGrading;
          rubricRuleAt = earliest(rubricRuleAt, gradePair);
        }
        break;
      case Family.RewriteVerb:
        rewriteVerb = position;
        if (near(position, rewriteObject)) rewritePairAt(position);
        break;
      case Family.RewriteObject:
        rewriteObject = end;
        if (near(position, rewriteVerb)) rewritePairAt(position);
        break;
      case Family.RewriteSafety:
        safetyAt(position, length);
        break;
      case Family.RationaleField:
        rationaleAt(position);
        askAt(position);
        break;
      case Family.RationaleName:
        if (near(position, structure)) rationaleAt(position);
        break;
      case Family.AnswerField:
        if (rationale !== -1 && position > rationale) answerAfterRationale = true;
        break;
      case Family.AnswerName:
        if (near(position, structure) && rationale !== -1 && position > rationale) answerAfterRationale = true;
        break;
      case Family.ScoreField:
        scoreField = true;
        break;
      case Family.ScoreName:
        if (near(position, structure)) scoreField = true;
        break;
      case Family.Structure:
        structure = position;
        break;
      case Family.GivenAnswer:
        givenAnswer = true;
        break;
    }
  };

  /**
   * Where the first ask behind the verdicts in `flags` begins: a phrase that is one by itself, a
   * paraphrase rule's match, or, for an ask made of two phrases (a score ask and a response, a
   * rewrite and a safety term, a given answer and an explain ask), the later of the two, where
   * the pair is complete. A phrase that made no verdict does not count.
   */
  const verdictAsk = (flags: number): number => {
    let start = -1;
    if (flags & CONTENT_FLAG.cotElicitation) start = earliest(start, earliest(bitAt[COT_BIT]!, cotRuleAt));
    if (flags & CONTENT_FLAG.rubricGrading) start = earliest(start, earliest(bitAt[RUBRIC_BIT]!, earliest(completedAt(bitAt[SCORE_ASK_BIT]!, bitAt[RESPONSE_TERM_BIT]!), rubricRuleAt)));
    if (flags & CONTENT_FLAG.explainAnswer) start = earliest(start, earliest(bitAt[EXPLAIN_ANSWER_BIT]!, earliest(bitAt[EXPLAIN_ASK_BIT]!, cotRuleAt)));
    if (flags & CONTENT_FLAG.safeRewrite) start = earliest(start, earliest(bitAt[SAFE_REWRITE_BIT]!, earliest(completedAt(bitAt[REWRITE_ASK_BIT]!, bitAt[SAFETY_BIT]!), safeRuleAt)));
    return start;
  };

  return {
    part(scan) {
      reset();
      const words = scan.words;
      const count = scan.wordCount;
      if (sentence.length < count) sentence = new Int32Array(count * 2);
      let current = 0;
      for (let i = 0; i < count; i++) {
        sentence[i] = current;
        if (words[i] === SLOT_SENTENCE || words[i] === SLOT_BREAK) current++;
      }
      fieldFlags = scan.wordFlags;
      elicitation.match(words, count, onMatch, fieldFlags);
      if (answerAfterRationale) {
        paraphrased |= CONTENT_FLAG.cotElicitation;
        cotRuleAt = earliest(cotRuleAt, rationale);
      }
      if (rationale !== -1 && scoreField) {
        paraphrased |= CONTENT_FLAG.rubricGrading;
        rubricRuleAt = earliest(rubricRuleAt, rationale);
      }
      if (gradePair !== -1 && scoreField) {
        paraphrased |= CONTENT_FLAG.rubricGrading;
        rubricRuleAt = earliest(rubricRuleAt, gradePair);
      }
      const phrased = bits | foreign;
      const given = (phrased & CONTENT_FLAG.givenAnswer) !== 0 || givenAnswer;
      if (given && (paraphrased & CONTENT_FLAG.cotElicitation || phrased & CONTENT_FLAG.explainAsk)) paraphrased |= CONTENT_FLAG.explainAnswer;
      const fromPhrases = verdicts(phrased);
      let flags = fromPhrases | verdicts(phrased | paraphrased) | paraphrased;
      if ((flags & ~fromPhrases & VERDICT_FLAGS) !== 0) flags |= CONTENT_FLAG.paraphrase;
      if ((verdicts(foreign) & VERDICT_FLAGS) !== 0 && (verdicts(bits) & VERDICT_FLAGS) === 0) flags |= CONTENT_FLAG.nonEnglishAsk;
      askWord = (flags & VERDICT_FLAGS) !== 0 ? verdictAsk(flags) : -1;
      return flags;
    },
    get askWord() {
      return askWord;
    },
    get cueWord() {
      return firstAsk;
    },
    prompt(prompt, shape) {
      hits.fill(0);
      languageHits.fill(0);
      promptMatcher.match(prompt.tokens, prompt.count, onPromptMatch);
      const tokens = prompt.tokens;
      for (let i = 0; i < prompt.count; i++) {
        const language = functionWord(tokens[i]!);
        if (language !== -1) languageHits[language]!++;
      }
      promptSignals.capability = capabilityOf(prompt, shape);
      promptSignals.language = languageOf(prompt);
      return promptSignals;
    },
  };

  function capabilityOf(prompt: TextScan, shape: RequestShape): number {
    for (const type of shape.toolTypes) if (type.startsWith('computer')) return CAPABILITY_CODE.computer_use;
    if (shape.screenActions === (SCREEN_ACTION.pointer | SCREEN_ACTION.look)) return CAPABILITY_CODE.computer_use;
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

  function languageOf(prompt: TextScan): number {
    const scripts = prompt.normalization.scripts;
    let letters = 0;
    // Index 0 counts marks and format characters, which belong to no script: vowel signs are
    // about as many as letters in Indic text, so they must not compete for the top script.
    let topScript = 0;
    let topCount = 0;
    for (let s = 1; s < scripts.length; s++) {
      letters += scripts[s]!;
      if (s !== LATIN_SCRIPT && scripts[s]! > topCount) {
        topScript = s;
        topCount = scripts[s]!;
      }
    }
    // Kana make Han text Japanese; otherwise the largest non-Latin script decides once it holds
    // a fifth of the letters (a Russian prompt quoting English code is still Russian).
    if (scripts[KANA_SCRIPT]! > 0 && scripts[KANA_SCRIPT]! + scripts[HAN_SCRIPT]! >= letters * 0.2) return PROMPT_LANGUAGE_CODE.ja;
    if (topScript !== 0 && topCount >= letters * 0.2) return SCRIPT_LANGUAGE[topScript]!;
    let best = -1;
    let bestHits = 0;
    for (let l = 0; l < languageHits.length; l++) {
      if (languageHits[l]! > bestHits) {
        best = l;
        bestHits = languageHits[l]!;
      }
    }
    if (best !== -1 && bestHits >= 2) return PROMPT_LANGUAGE_CODE[LATIN_LANGUAGES[best]!];
    return hasWord(prompt) ? PROMPT_LANGUAGE_CODE.latin : PROMPT_LANGUAGE_CODE.none;
  }
}

const LATIN_SCRIPT = SCRIPTS.indexOf('latin');
const KANA_SCRIPT = SCRIPTS.indexOf('kana');
const HAN_SCRIPT = SCRIPTS.indexOf('han');
const SCRIPT_LANGUAGE: readonly number[] = SCRIPTS.map((script) => {
  const language = ({ cyrillic: 'cyrillic', greek: 'greek', arabic: 'arabic', hebrew: 'hebrew', han: 'zh', kana: 'ja', hangul: 'ko', devanagari: 'devanagari', thai: 'thai', other: 'other' } as Record<string, PromptLanguage>)[script];
  return language === undefined ? PROMPT_LANGUAGE_CODE.latin : PROMPT_LANGUAGE_CODE[language];
});

function hasWord(scan: TextScan): boolean {
  for (let i = 0; i < scan.count; i++) if (scan.tokens[i]! > SLOT_BREAK) return true;
  return false;
}

/** The earlier of two positions, -1 standing for none. */
function earliest(a: number, b: number): number {
  return a === -1 ? b : b === -1 ? a : Math.min(a, b);
}

/** Where an ask made of two phrases is complete: the later of the two, -1 unless both matched. */
function completedAt(a: number, b: number): number {
  return a === -1 || b === -1 ? -1 : Math.max(a, b);
}

/** The detector verdicts from the phrase parts found in one text. */
function verdicts(bits: number): number {
  let flags = bits & ~(CONTENT_FLAG.rubricGrading | CONTENT_FLAG.explainAnswer | CONTENT_FLAG.safeRewrite);
  if (bits & CONTENT_FLAG.rubricGrading || (bits & CONTENT_FLAG.scoreAsk && bits & CONTENT_FLAG.responseTerm)) flags |= CONTENT_FLAG.rubricGrading;
  if (bits & CONTENT_FLAG.givenAnswer && bits & CONTENT_FLAG.explainAsk) flags |= CONTENT_FLAG.explainAnswer;
  if (bits & CONTENT_FLAG.rewriteAsk && bits & CONTENT_FLAG.safetyTerm) flags |= CONTENT_FLAG.safeRewrite;
  return flags;
}

/**
 * Content flags of a request from the asks found in each part: the verdict bits whatever part
 * carried the ask, the system prompt's reasoning and grading asks as `systemCot` and
 * `systemRubric` (a system prompt that asks for reasoning is common in benign apps too), and a
 * bit for where an ask sat when it was not the prompt.
 */
export function partFlags(part: RequestPart, asks: number): number {
  const verdict = asks & VERDICT_FLAGS;
  const marks = asks & (CONTENT_FLAG.paraphrase | CONTENT_FLAG.nonEnglishAsk);
  switch (part) {
    case 'prompt':
      return asks;
    case 'system': {
      let flags = verdict & (CONTENT_FLAG.explainAnswer | CONTENT_FLAG.safeRewrite);
      if (verdict & CONTENT_FLAG.cotElicitation) flags |= CONTENT_FLAG.systemCot;
      if (verdict & CONTENT_FLAG.rubricGrading) flags |= CONTENT_FLAG.systemRubric;
      return flags | (verdict === 0 ? 0 : marks);
    }
    case 'prefill':
      return verdict === 0 ? 0 : verdict | marks | CONTENT_FLAG.prefill;
    case 'earlier_turn':
      return verdict === 0 ? 0 : verdict | marks | CONTENT_FLAG.earlierTurn;
    case 'tool_description':
      return verdict === 0 ? 0 : verdict | marks | CONTENT_FLAG.toolDescription;
  }
}

/** Whether normalisation found the marks of deliberate obfuscation in a scan. */
export function isObfuscated(stats: NormalizationStats): boolean {
  return stats.hiddenInWords > 0 || stats.lookAlikesInWords > 0;
}

/** The names of the bits set in `flags`, for evidence and tests. */
export function contentFlagNames(flags: number): string[] {
  return (Object.entries(CONTENT_FLAG) as [string, number][]).filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name);
}
