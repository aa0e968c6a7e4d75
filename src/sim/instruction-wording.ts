import type { Rng } from './seeded-rng.js';

/**
 * Instruction wordings for distillation prompts beyond the sketches' fixed frames: plain prompts
 * that ask for nothing but the answer, and paraphrases that ask for reasoning, a rationale, a
 * grade or a safe rewrite in many wordings and output formats. The public reports describe
 * campaigns rewording their requests; these banks are written from how people and tooling
 * phrase such requests, independent of any detector. Paraphrases never use the phrase "step
 * by step" (a test holds them to it): that phrase belongs to the explicit-elicitation style.
 *
 * A wording is composed once per campaign sketch from a seeded generator, so that a campaign
 * repeats a handful of wordings (as tooling does) while different campaigns and worlds word
 * their requests differently.
 */

/** Bare frames: the question with at most a neutral lead. `{q}` is the question. */
export const PLAIN_QUESTION_FRAMES = [
  '{q}',
  '{q}',
  'Solve: {q}',
  'Answer the following.\n\n{q}',
  'Answer the following question.\n{q}',
  'Question: {q}\nAnswer:',
  'Problem: {q}',
  '{q}\n\nAnswer:',
  'Q: {q}\nA:',
  'Please answer this.\n\n{q}',
  'Compute the answer.\n{q}',
  'Solve the problem below.\n\n{q}',
  '{q}\nGive the final answer.',
  'Respond to the following:\n{q}',
  'Input: {q}\nOutput:',
];

/** Bare grading requests: a score and nothing else. `{q}` question, `{a}` the answer graded. */
export const PLAIN_GRADING_FRAMES = [
  'Question: {q}\n\nAnswer: {a}\n\nScore (1-10):',
  'Rate this answer from 1 to 10. Reply with the number only.\n\nQuestion: {q}\nAnswer: {a}',
  '{q}\n\n---\n{a}\n---\nIs the answer above correct? Reply yes or no.',
  'Prompt: {q}\nResponse: {a}\nQuality (1-5):',
  'Give a score out of 10 for the response.\n\n{q}\n\n{a}',
];

/** Bare rewrite requests and the sensitive question asked as it is. */
export const PLAIN_REWRITE_FRAMES = ['{q}', '{q}', 'Rewrite safely: {q}', 'Make this request safe: {q}', 'Safe version of: {q}', 'Answer helpfully and safely: {q}'];

/** Agent task frames that ask for the change and nothing about reasoning. */
export const PLAIN_AGENT_FRAMES = [
  '{q}',
  'In the repository at /workspace, {q}',
  'Please implement the following in our codebase:\n\n{q}',
  'Issue #{issue}: {q}',
  'Task: {q}',
  'TODO: {q}\nOpen a patch when done.',
];

// ---------------------------------------------------------------------------------------------
// Reasoning requests, composed.

const OPENERS = ['', '', 'Please ', 'Kindly ', 'I would like you to ', 'I need you to ', 'Be sure to ', 'Make sure you ', 'Remember to ', 'You should ', 'We ask that you ', 'Try to '];

const REASONING_VERBS = [
  'walk through',
  'lay out',
  'spell out',
  'write out',
  'set out',
  'trace',
  'unpack',
  'go over',
  'break down',
  'narrate',
  'document',
  'detail',
  'describe',
  'outline',
  'articulate',
  'present',
  'explain',
  'reconstruct',
  'make explicit',
  'go through',
  'note down',
];

const REASONING_OBJECTS = [
  'the logic that leads to your answer',
  'each inference you make along the way',
  'your full line of thought',
  'how you arrive at the result',
  'every intermediate calculation',
  'the chain of deductions',
  'the rationale behind your conclusion',
  'your thought process in order',
  'why each move is valid',
  'the derivation from first principles',
  'the intermediate results and how they connect',
  'the justification for every stage',
  'each stage of the solution',
  'the argument in sequence',
  'all of the working',
  'the reasoning you rely on',
  'the thinking behind the answer',
  'what you consider and why',
  'the path from the givens to the result',
  'each assumption and how it is used',
  'the method, then the computation',
  'how the answer follows from the facts given',
];

const ORDERS = [
  '',
  '',
  ' before giving the final answer',
  ' and only then state the result',
  ' first, then give the answer',
  ', then finish with the answer',
  ' prior to your conclusion',
  ' ahead of the final result',
  ' in numbered stages',
  ' one stage at a time',
  ' in full detail',
  ' without skipping anything',
  ' as you would for a student',
  ' in plain language',
  ' as a short derivation',
];

const REASONING_NOUNS = [
  'a full explanation of the reasoning',
  'the complete working',
  'a derivation',
  'a justification for each claim',
  'an explanation of every stage',
  'a clear rationale',
  'the reasoning trace',
  'the intermediate results',
  'an account of how you solved it',
  'the logic behind the answer',
];

const SHAPES: ReadonlyArray<(rng: Rng) => string> = [
  (rng) => sentence(rng.pick(OPENERS), `${rng.pick(REASONING_VERBS)} ${rng.pick(REASONING_OBJECTS)}${rng.pick(ORDERS)}`),
  (rng) => `Don't just state the answer: ${rng.pick(REASONING_VERBS)} ${rng.pick(REASONING_OBJECTS)}${rng.pick(ORDERS)}.`,
  (rng) => `Your response should include ${rng.pick(REASONING_NOUNS)}${rng.pick(ORDERS)}.`,
  (rng) => `Before answering, ${rng.pick(REASONING_VERBS)} ${rng.pick(REASONING_OBJECTS)}.`,
  (rng) => `Include ${rng.pick(REASONING_NOUNS)} and then the final answer.`,
  (rng) => `I care about ${rng.pick(REASONING_NOUNS)} as much as the result, so ${rng.pick(REASONING_VERBS)} ${rng.pick(REASONING_OBJECTS)}.`,
  (rng) => `Could you ${rng.pick(REASONING_VERBS)} ${rng.pick(REASONING_OBJECTS)}${rng.pick(ORDERS)}?`,
  (rng) => `The answer alone is not enough; ${rng.pick(['give', 'provide', 'add', 'write'])} ${rng.pick(REASONING_NOUNS)}.`,
  (rng) => `Reason it out${rng.pick([' carefully', ' in detail', ' fully', ' thoroughly', ''])} and ${rng.pick(REASONING_VERBS)} ${rng.pick(REASONING_OBJECTS)}.`,
  (rng) => `Explain how you get there${rng.pick(['', ', including every intermediate result', ', not only where you end up', ' before you commit to an answer'])}.`,
];

const RATIONALE_REQUESTS = [
  'Give a brief rationale for your answer.',
  'Justify your answer in two or three sentences.',
  'Add a one-paragraph justification.',
  'Explain why the answer is correct.',
  'Include a short explanation of why this is right.',
  'Then say why, briefly.',
  'Support the answer with a concise rationale.',
  'After the answer, add the reasoning that supports it.',
  'State the answer, followed by the justification.',
  'Tell me why, not just what.',
];

/** Output formats that carry the reasoning in a field or section of its own. */
export const REASONING_FORMATS = [
  'Format:\nReasoning: <your reasoning>\nAnswer: <final answer>',
  'Use this format:\nExplanation: ...\nFinal answer: ...',
  'Respond in JSON: {"rationale": "...", "answer": "..."}',
  'Return only a JSON object with the fields "rationale" (string) and "final_answer" (string).',
  'Output JSON with the keys "reasoning" and "answer" and nothing else.',
  'Reply as JSON: {"thought_process": string, "result": string}.',
  'Structure your reply as two sections, "Analysis" and "Conclusion".',
  'Write the working under a "Working" heading and the result under "Result".',
  'Put the explanation first and the answer last, on a line starting with "=> ".',
  'Use a numbered list for the working, then the final answer in bold.',
  'Answer in YAML with the keys rationale and answer.',
  'Wrap the reasoning in <analysis></analysis> and the answer in <final></final>.',
  'End with a line of the form "ANSWER: <value>".',
  '## Reasoning\n...\n## Answer\n...',
];

// ---------------------------------------------------------------------------------------------
// Grading requests, composed.

const GRADING_VERBS = ['Assess', 'Score', 'Rate', 'Judge', 'Review', 'Mark', 'Appraise', 'Critique and score', 'Evaluate', 'Grade', 'Examine and score'];
const GRADED_OBJECTS = ['the answer below', 'the response that follows', 'this reply', 'the assistant\'s answer', 'the submission', 'the model output below', 'the candidate answer'];
const GRADING_SCALES = ['on a 1-10 scale', 'from 0 to 5', 'with a letter grade from A to F', 'as pass or fail', 'as a percentage', 'on a scale of 1 to 7', 'from 1 (poor) to 5 (excellent)', 'out of 100'];
const GRADING_JUSTIFICATIONS = [
  ' and explain the marks',
  ' and give the reasons for the score',
  ', citing the criteria that drove the score',
  ' with a short justification per criterion',
  ' and say what would raise the score',
  ' and explain what is right and what is wrong',
  ', then defend the score in a paragraph',
  ' and point to the sentences that cost marks',
];
const GRADING_FORMATS = [
  'Return JSON: {"score": <number>, "rationale": "<why>"}',
  'Reply as:\nScore: <score>\nWhy: <explanation>',
  'Write the critique first and put the score alone on the last line.',
  'Output a table with one row per criterion (criterion, mark, reason), then the total.',
  'Respond with {"verdict": ..., "justification": ...} only.',
  '',
  '',
];

// ---------------------------------------------------------------------------------------------
// Safe-rewrite requests, composed.

const REWRITE_VERBS = ['Reformulate', 'Rephrase', 'Recast', 'Redraft', 'Transform', 'Turn', 'Convert', 'Rework', 'Sanitise', 'Reshape'];
const REWRITE_OBJECTS = ['the request below', 'this message', 'the user\'s question', 'the following prompt', 'what the user asked'];
const REWRITE_TARGETS = [
  'into a harmless version',
  'so that it can be answered responsibly',
  'into something a careful assistant could answer',
  'into a policy-compliant request',
  'so that nothing in it is dangerous',
  'into a benign variant with the same educational goal',
  'into a request a public help desk could take',
];
const REWRITE_THENS = [
  ' and then answer that version',
  ', then respond to the rewritten request',
  ' and give a helpful reply to it',
  ', then write the reply a responsible assistant would give',
  ' and answer it in detail',
  ', then answer the new version thoroughly',
];
const REWRITE_EXTRAS = ['Explain briefly what you changed and why.', 'Say why the original was a problem.', 'Give the rationale for the changes.', 'List the risks you removed.', '', ''];

function sentence(opener: string, body: string): string {
  const text = opener === '' ? capitalise(body) : opener + body;
  return `${text}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A request for visible reasoning in a new wording, with an output format now and then. */
export function paraphrasedReasoningRequest(rng: Rng): string {
  const core = rng.pick(SHAPES)(rng);
  return rng.chance(0.35) ? `${core}\n${rng.pick(REASONING_FORMATS)}` : core;
}

/** A request for a short rationale with the answer (the reasoning in fewer words). */
export function rationaleRequest(rng: Rng): string {
  const core = rng.pick(RATIONALE_REQUESTS);
  return rng.chance(0.4) ? `${core}\n${rng.pick(REASONING_FORMATS)}` : core;
}

/** A grading instruction: the model as a judge, in a new wording. */
export function paraphrasedGradingRequest(rng: Rng): string {
  const base = `${rng.pick(GRADING_VERBS)} ${rng.pick(GRADED_OBJECTS)} ${rng.pick(GRADING_SCALES)}${rng.pick(GRADING_JUSTIFICATIONS)}.`;
  const format = rng.pick(GRADING_FORMATS);
  return format === '' ? base : `${base}\n${format}`;
}

/** A safe-rewrite instruction in a new wording. */
export function paraphrasedRewriteRequest(rng: Rng): string {
  const base = `${rng.pick(REWRITE_VERBS)} ${rng.pick(REWRITE_OBJECTS)} ${rng.pick(REWRITE_TARGETS)}${rng.pick(REWRITE_THENS)}.`;
  const extra = rng.pick(REWRITE_EXTRAS);
  return extra === '' ? base : `${base} ${extra}`;
}

/** The wordings one campaign sketch repeats, drawn once when the world is built. */
export interface SketchWording {
  plainQuestion: number[];
  plainGrading: number;
  plainRewrite: number;
  plainAgent: number;
  /** Reasoning requests (and short rationale requests) the sketch rotates through. */
  reasoning: string[];
  grading: string[];
  rewrite: string[];
  /** Where the reasoning request goes: before the question or after it. */
  requestFirst: boolean;
}

export function drawSketchWording(rng: Rng): SketchWording {
  const reasoning = Array.from({ length: rng.range(2, 4) }, () => (rng.chance(0.25) ? rationaleRequest(rng) : paraphrasedReasoningRequest(rng)));
  return {
    plainQuestion: Array.from({ length: rng.range(1, 3) }, () => rng.int(PLAIN_QUESTION_FRAMES.length)),
    plainGrading: rng.int(PLAIN_GRADING_FRAMES.length),
    plainRewrite: rng.int(PLAIN_REWRITE_FRAMES.length),
    plainAgent: rng.int(PLAIN_AGENT_FRAMES.length),
    reasoning,
    grading: Array.from({ length: rng.range(1, 3) }, () => paraphrasedGradingRequest(rng)),
    rewrite: Array.from({ length: rng.range(1, 3) }, () => paraphrasedRewriteRequest(rng)),
    requestFirst: rng.chance(0.35),
  };
}

/** Places an instruction around a question the way the sketch does. */
export function withInstruction(question: string, instruction: string, first: boolean): string {
  return first ? `${instruction}\n\n${question}` : `${question}\n\n${instruction}`;
}
