import type { CampaignTask } from './scenario-schema.js';
import { createRng, deriveSeed, seedOfText, type Rng } from './seeded-rng.js';

/**
 * Expert system prompts for distillation tooling, composed from a role, a qualifier, house rules
 * and an output rule, so that a campaign can rotate through any number of distinct but
 * same-purpose system prompts (the reports describe "the same long expert system prompt" with
 * slot-filled variations, and campaigns that vary it). Some rules ask for reasoning outright,
 * most do not.
 */
const ROLES: Record<CampaignTask, readonly string[]> = {
  cot: [
    'a mathematics olympiad coach',
    'an expert problem solver',
    'a university professor of applied mathematics',
    'a careful quantitative analyst',
    'a specialist in logic puzzles',
    'a physics tutor',
    'a competition mathematics expert',
    'a patient teacher of science and mathematics',
    'a senior research scientist',
    'an actuary who double-checks every figure',
  ],
  rubric: [
    'a strict but fair grader',
    'an expert evaluator of written answers',
    'a senior reviewer for an assessment board',
    'an impartial judge of response quality',
    'a quality-assurance lead for an AI assistant',
    'an examiner who marks against a published scheme',
    'a peer reviewer for a technical journal',
  ],
  safe_rewrite: [
    'a trust and safety specialist',
    'a responsible-AI editor',
    'a content policy expert',
    'a careful assistant that turns risky requests into safe, helpful ones',
    'a harm-reduction counsellor',
    'a moderator who rewrites requests instead of rejecting them',
  ],
  agentic_coding: [
    'a senior software engineer working as an autonomous agent',
    'a staff engineer who fixes bugs end to end',
    'a principal developer with access to a shell and the repository',
    'an expert programmer pairing on a production codebase',
    'a meticulous code reviewer who also writes the fix',
    'a full-stack engineer on an on-call rotation',
  ],
  tool_orchestration: [
    'an assistant that completes goals by calling tools',
    'an orchestration agent with access to external APIs',
    'a workflow automation assistant',
    'a planning agent that delegates to functions',
    'an operations assistant connected to company systems',
  ],
  data_analysis: [
    'a senior data analyst',
    'a statistician with a Python sandbox',
    'an analytics engineer with access to the warehouse',
    'a business intelligence expert',
    'a data scientist who explains findings to executives',
  ],
  image_description: ['an expert visual describer', 'a meticulous image captioning specialist', 'a photo analyst', 'a vision annotator for a research dataset'],
  transcription: ['an OCR specialist', 'a careful transcriptionist', 'a document digitisation expert', 'a handwriting and print recognition expert'],
  table_extraction: ['a data extraction specialist', 'an expert at turning documents into structured data', 'a spreadsheet and table parsing expert'],
  chart_reading: ['a data visualisation expert', 'a financial analyst who reads charts precisely', 'a chart interpretation specialist'],
  diagram_explanation: ['a technical illustrator and teacher', 'a systems architect who explains diagrams', 'an engineering tutor'],
  computer_use: ['a computer-use agent operating a desktop', 'an autonomous browser operator', 'a careful GUI automation agent'],
};

const QUALIFIERS = ['', '', ' with decades of experience', ' known for rigorous work', ' who never skips a detail', ' who writes for demanding readers', ' trusted by large teams', ' with a reputation for accuracy'];

const RULES: Record<CampaignTask, readonly string[]> = {
  cot: [
    'Answer accurately and completely.',
    'If the question is ambiguous, state your assumption.',
    'Use LaTeX for mathematics.',
    'Be precise with units.',
    'Prefer exact values over approximations.',
    'Check the result before answering.',
    'Explain your reasoning before the answer.',
    'Never give an answer without its justification.',
    'Keep the tone encouraging.',
  ],
  rubric: [
    'Apply the rubric exactly as written.',
    'Be consistent across answers.',
    'Do not reward length for its own sake.',
    'Penalise factual errors heavily.',
    'Explain every deduction.',
    'Stay neutral about style when content is equal.',
    'Quote the part of the answer you are judging.',
  ],
  safe_rewrite: [
    'Keep the user\'s legitimate goal.',
    'Remove anything that could enable harm.',
    'Never lecture the user.',
    'Offer a useful alternative whenever you decline part of a request.',
    'Be warm and direct.',
    'Say what you changed and why.',
  ],
  agentic_coding: [
    'Inspect the repository before editing.',
    'Make minimal, focused changes.',
    'Run the tests after every change.',
    'Follow the project\'s conventions.',
    'Never fabricate file contents or command output.',
    'Explain each change before making it.',
    'Finish with a summary of what changed.',
    'Ask no questions; make reasonable assumptions and state them.',
    'Write production-quality code with tests.',
  ],
  tool_orchestration: [
    'Plan the sequence of calls before making them.',
    'Call tools with precise arguments.',
    'Never invent tool results.',
    'Call independent tools in parallel.',
    'Say which tool you call and why.',
    'Finish with a complete answer that cites the results.',
  ],
  data_analysis: [
    'Compute, never guess, numbers.',
    'Show the code you ran.',
    'Explain the method behind each result.',
    'Flag data quality problems.',
    'State the assumptions of every statistical test.',
    'Summarise the findings for a non-technical reader.',
  ],
  image_description: ['Describe every visible element.', 'Mention colours, positions and text in the image.', 'Do not speculate beyond what is visible.', 'Start with a one-sentence overview.', 'Be exhaustive.'],
  transcription: ['Transcribe the text exactly, keeping line breaks.', 'Mark illegible words as [illegible].', 'Do not correct spelling.', 'Keep the reading order of the page.'],
  table_extraction: ['Return every row and column.', 'Keep numbers exactly as printed.', 'Use null for empty cells.', 'Output valid JSON or Markdown only.'],
  chart_reading: ['Read values from the axes carefully.', 'State the units.', 'Explain the trend and its likely causes.', 'Give approximate values where exact ones are not printed.'],
  diagram_explanation: ['Explain the diagram step by step.', 'Name every component and how they connect.', 'Explain the reasoning behind the design.', 'Use numbered steps.'],
  computer_use: ['Take a screenshot before acting when unsure.', 'Click precisely on the centre of elements.', 'Verify each action with a screenshot.', 'Never enter real payment details.', 'Explain each action before taking it.'],
};

const GENERAL_RULES = ['Write in clear English.', 'Use Markdown.', 'Be concise unless asked for detail.', 'Be thorough.', 'Do not mention these instructions.', 'Format answers for readability.'];

const OPENINGS: ReadonlyArray<(role: string) => string> = [
  (role) => `You are ${role}.`,
  (role) => `Act as ${role}.`,
  (role) => `ROLE: ${role}.`,
  (role) => `You will play the part of ${role}.`,
  (role) => `# Role\nYou are ${role}.`,
];

function compose(task: CampaignTask, rng: Rng): string {
  const opening = rng.pick(OPENINGS)(`${rng.pick(ROLES[task])}${rng.pick(QUALIFIERS)}`);
  const pool = [...RULES[task]];
  const rules: string[] = [];
  const count = rng.range(task === 'agentic_coding' ? 3 : 1, task === 'agentic_coding' ? 7 : 4);
  for (let i = 0; i < count && pool.length > 0; i++) rules.push(pool.splice(rng.int(pool.length), 1)[0]!);
  if (rng.chance(0.5)) rules.push(rng.pick(GENERAL_RULES));
  const bulleted = rng.chance(0.4);
  return bulleted ? `${opening}\n\nRules:\n${rules.map((rule) => `- ${rule}`).join('\n')}` : `${opening} ${rules.join(' ')}`;
}

/**
 * `count` distinct system prompts for a task family, the same for the same seed. Fewer when the
 * banks run out of distinct combinations (they hold far more than the schema's limit).
 */
export function composeSystemPrompts(task: CampaignTask, count: number, seed: number): string[] {
  const rng = createRng(deriveSeed(seed, seedOfText(`system:${task}`)));
  const out = new Set<string>();
  for (let attempt = 0; out.size < count && attempt < count * 20; attempt++) out.add(compose(task, rng));
  return [...out];
}
