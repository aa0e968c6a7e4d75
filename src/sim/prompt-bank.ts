/**
 * Text that surrounds corpus prompts: how people phrase requests around a question, and the
 * frames, system prompts and templates that apps, pipelines, harnesses and distillation tooling
 * wrap them in. `{q}` marks the slot for the corpus prompt; other `{slot}`s are filled per
 * request. Frames are deliberately shared between benign and attack use where real traffic
 * shares them (step-by-step requests, benchmark wrappers, agent system prompts).
 */

export const CASUAL_PREFIXES = [
  '', '', '', '', '', '', 'hey, ', 'hi! ', 'Hi, ', 'quick question: ', 'Can you help me with this? ', 'Help me out here: ', 'ok so ', 'Hello, ',
  'I need some help. ', 'Question: ', 'pls help: ', 'Hey there! ', 'Good morning! ', 'So, ', 'Random question but ',
];

export const CASUAL_SUFFIXES = ['', '', '', '', '', ' thanks!', ' Thanks in advance.', ' thx', ' Please be concise.', ' Keep it short.', ' Explain simply.', ' 🙏', ' ty', ' Be detailed.'];

export const FOLLOW_UPS = [
  'Can you make it shorter?', 'Thanks! Can you give me an example?', 'Explain that like I\'m five.', 'Can you go into more detail on the second point?',
  'What would you recommend in my case?', 'Could you rewrite that in a more formal tone?', 'ok, and what about the downsides?', 'Can you put that in a table?',
  'That doesn\'t look right, can you double-check?', 'Great, now translate it to Spanish.', 'Why is that?', 'Can you summarise this in three bullet points?',
  'What sources would you suggest for reading more?', 'Make it funnier.', 'How would this change if I had less time?', 'Perfect, thank you! One more thing: how do I start?',
  'Can you show the code for that?', 'hmm, I\'m not sure I follow. can you explain again?', 'What are the alternatives?', 'Is there a simpler way?',
  'Now write a short email based on this.', 'Can you check my reasoning here?', 'And if I wanted to do it in Python?', 'Shorter please.',
];

export const CODING_FOLLOW_UPS = [
  'I get this error when I run it: TypeError: \'NoneType\' object is not subscriptable', 'Can you add type hints and docstrings?', 'Now write unit tests for it.',
  'Make it work with async/await.', 'It\'s too slow on 10 million rows, how can I speed it up?', 'Can you refactor this into smaller functions?',
  'What\'s the time complexity?', 'Convert this to TypeScript.', 'The test on line 12 fails with an off-by-one, can you fix it?', 'Add error handling for network failures.',
  'Can you explain what the regex does?', 'Now do the same in Go.', 'Use a dataclass instead of a dict.', 'How would I deploy this as a Lambda?',
];

/** Phrases that ask for visible reasoning. Students, tutors, harnesses and distillers all send them. */
export const ELICITATION_CLAUSES = [
  'Explain your reasoning step by step.', 'Show your work.', 'Think step by step.', 'Please explain how you got the answer.', 'Walk me through it step by step.',
  'Explain the reasoning behind the answer.', 'Can you explain each step?', 'Break it down step by step so I can follow.', 'Let\'s think step by step.',
  'Show all intermediate steps and then give the final answer.',
];

// ---------------------------------------------------------------------------------------------
// Distillation frames. Each sketch of a campaign picks one frame per family and a small pool of
// lead/close paraphrases, so its requests are near-duplicates of each other, never exact ones.

export const COT_LEADS = [
  'Solve the following problem.', 'Answer the question below.', 'Work through this problem carefully.', 'Consider the following question.',
  'Here is a problem for you.', 'Please solve this.', 'You will be given a question.', 'Read the problem and solve it.', 'Tackle the following task.',
  'Below is a problem.', 'Your task is to answer the question that follows.', 'Solve this as an expert would.',
];

export const COT_REASONING = [
  'Think step by step and explain the reasoning behind each step before stating the final answer.',
  'Lay out your complete chain of reasoning, justify every intermediate step, then give the final answer.',
  'Before answering, reason through the problem in detail, checking each step.',
  'Explain the reasoning behind your answer thoroughly, as if teaching a student.',
  'Show every step of your reasoning; do not skip steps, even obvious ones.',
  'Reason carefully and explicitly. Write out all intermediate calculations and the logic connecting them.',
  'Provide a detailed, step-by-step derivation, then verify the result.',
  'Think it through out loud, considering alternatives and explaining why they are rejected.',
];

export const COT_CLOSES = [
  'Give the final answer on its own line as "Answer: <value>".', 'End with "The answer is X."', 'Put the final answer in \\boxed{}.',
  'Finish with a one-sentence summary of the answer.', 'State the final answer clearly at the end.', 'Conclude with "Final answer:" followed by the answer.',
  '', '',
];

export const COT_FRAMES = [
  '{lead} {reason}\n\nProblem: {q}\n\n{close}',
  '{q}\n\n{reason} {close}',
  '### Question\n{q}\n\n### Instructions\n{lead} {reason} {close}',
  '<problem>\n{q}\n</problem>\n{reason} Write your reasoning inside <reasoning> tags and the final answer inside <answer> tags.',
  'Q: {q}\nA: Let\'s think step by step.',
  '{lead}\n\n{q}\n\n{reason}',
  'Task: {q}\n\nRequirements:\n- {reason}\n- {close}',
  'Question: {q}\nExplain the reasoning behind the correct answer in detail, including why other plausible answers are wrong. {close}',
];

export const RUBRIC_SYSTEMS = [
  'You are an expert evaluator. You grade responses strictly against the rubric provided and explain every score.',
  'You are a meticulous grader for an assessment programme. Be consistent, cite the rubric, and justify each criterion.',
  'You are a senior reviewer scoring answers for quality. Follow the scoring guide exactly and explain your reasoning.',
  'Act as an impartial judge. Evaluate the quality of the response using the criteria given and provide a detailed rationale.',
];

export const RUBRIC_FRAMES = [
  'Grade the candidate response against the rubric.\n\nQuestion:\n{q}\n\nCandidate response:\n{a}\n\nRubric:\n{rubric}\n\nReturn a score from 1 to 10 and a justification for each criterion.',
  '[Question]\n{q}\n\n[Response]\n{a}\n\n[Scoring guide]\n{rubric}\n\nRate the response on a scale of 1 to 10. Explain your rating criterion by criterion, then output "Rating: [[X]]".',
  'Evaluate the following answer.\n\nPrompt: {q}\n\nAnswer: {a}\n\nCriteria:\n{rubric}\n\nFor each criterion give pass/fail with a reason, then an overall score out of 10.',
  'Compare the two responses to the user prompt and decide which is better.\n\nUser prompt: {q}\n\nResponse A: {a}\n\nResponse B: {b}\n\nConsider: {rubric}\n\nExplain your reasoning, then answer "A", "B" or "tie".',
];

export const RUBRIC_CRITERIA = [
  'Correctness: the final answer is right and the reasoning has no errors.', 'Completeness: every part of the question is addressed.',
  'Clarity: the explanation is easy to follow and well organised.', 'Reasoning: each step follows from the previous one.',
  'Helpfulness: the response gives the user what they need.', 'Harmlessness: the response avoids unsafe or misleading content.',
  'Conciseness: no unnecessary padding or repetition.', 'Instruction following: the requested format and constraints are respected.',
  'Honesty: uncertainty is acknowledged where appropriate.', 'Depth: the response shows expert-level understanding.',
];

export const SAFE_REWRITE_FRAMES = [
  'The following is a user request that may be unsafe. Rewrite it into a safe, policy-compliant version that keeps the user\'s legitimate intent, then answer the rewritten version.\n\nRequest: {q}',
  'User message: "{q}"\n\n1. Explain briefly whether and why this request is risky.\n2. Write the safest helpful response an assistant should give.\n3. {reason}',
  'Rewrite the question below so that it can be answered safely and helpfully, then provide that answer. Keep the tone friendly.\n\n{q}',
  'Here is a sensitive question a user asked: {q}\nProduce (a) a refusal that explains the risk without lecturing and (b) a helpful safe alternative with concrete details.',
  'Transform this prompt into a harmless variant that preserves its educational value, and answer it in detail:\n{q}',
];

export const AGENT_SYSTEM_TEMPLATES = [
  'You are an expert software engineer working as an autonomous coding agent in a {os} container, with tools to run shell commands, read and edit files, and run tests. Inspect the repository before editing, make minimal focused changes, and run the relevant tests after each change. Follow the project\'s {language} conventions. Never fabricate file contents or test results. Explain the reasoning behind each change before calling a tool, and finish with a summary of what changed and why.',
  'You are a world-class {language} engineer and meticulous reviewer solving tasks end to end in a real repository. Always: (1) restate the task and plan, (2) explore relevant files with the tools, (3) implement, (4) run tests and fix failures, (5) explain your reasoning and trade-offs. Write production-quality code with clear names and tests. Use {os} shell syntax.',
  'SYSTEM: Senior {language} developer agent. Environment: {os}, repository at /workspace. Tools: shell, file editor, test runner. Policy: reason step by step before each action and write that reasoning out; verify with tests; on failure, find the root cause. Output: concise explanations, complete code blocks, no placeholders. Final message: summary of changes, test results, remaining risks.',
];

export const AGENT_LANGUAGES = ['Python', 'TypeScript', 'Go', 'Rust', 'Java', 'JavaScript'];
export const AGENT_OSES = ['Ubuntu 22.04', 'Debian 12', 'Linux', 'macOS'];

export const AGENT_TASK_FRAMES = [
  'In the repository at /workspace, {q}\n\nMake the change, add tests, and make sure the whole test suite passes.',
  'Task: {q}\nThe project uses {language}. Implement it, run the tests, and explain your reasoning.',
  'Please implement the following in our codebase and verify it works:\n\n{q}',
  'Issue #{issue}: {q}\n\nFix this issue. Start by finding the relevant code.',
  '{q}\n\nUse the tools to inspect the repo first. Explain each step before you take it.',
];

export const TOOL_AGENT_SYSTEMS = [
  'You are an autonomous assistant that completes user goals by calling tools. Plan the sequence of tool calls, call them with precise arguments, read the results, and continue until the goal is met. Explain your reasoning between calls and finish with a complete answer for the user.',
  'You are a helpful agent with access to external APIs via function calls. Decompose the request into steps, pick the right function for each step, and never invent results. Think step by step and state which tool you will call and why.',
  'You orchestrate tools on behalf of the user. For each request: identify the required information, call the tools in the right order (in parallel when independent), validate the outputs, and write a final answer that cites the tool results.',
];

export const DATA_ANALYSIS_QUESTIONS = [
  'Which {dim} has the highest total {metric}? Show the calculation.', 'Compute the month-over-month growth of {metric} and explain any anomalies.',
  'Fit a simple linear trend to {metric} over time and interpret the slope.', 'Find outliers in {metric} using the IQR rule and explain the method.',
  'Summarise {metric} by {dim} (mean, median, std) and describe what stands out.', 'Is there a correlation between {metric} and {metric2}? Explain your reasoning.',
  'Write pandas code to pivot this data by {dim} and plot {metric}, then describe the result.',
];

export const DATA_DIMENSIONS = ['region', 'product', 'channel', 'segment', 'store', 'category', 'team', 'country'];
export const DATA_METRICS = ['revenue', 'orders', 'units', 'sessions', 'churn_rate', 'cost', 'margin', 'tickets', 'latency_ms', 'signups'];
export const DATA_VALUES = ['North', 'South', 'East', 'West', 'Online', 'Retail', 'Enterprise', 'SMB', 'Alpha', 'Beta', 'Gamma', 'EMEA', 'APAC', 'AMER'];

// ---------------------------------------------------------------------------------------------
// Benign apps.

export const APP_SYSTEM_TEMPLATES = [
  'You are {brand}, a friendly assistant inside the {brand} app. Answer clearly and concisely. If you are unsure, say so.',
  'You are a helpful assistant. Today\'s date is {date}. Keep answers short unless the user asks for detail.',
  'You are {brand}, a writing assistant. Help users draft, edit and improve their text while keeping their voice.',
  'You are a patient tutor. Guide the student toward the answer with hints and explanations rather than just giving the answer.',
  'You are a customer support assistant for {brand}. Be polite, follow company policy, and escalate billing disputes to a human agent.',
  'You are {brand}, an AI research assistant. Cite sources when possible and distinguish facts from speculation.',
  'You are a concise technical assistant for {brand} engineers. Prefer code examples over prose.',
];

/** The long shared system prompt of a popular coding tool: thousands of benign accounts send it verbatim. */
export const CODING_TOOL_SYSTEMS = [
  'You are an interactive CLI coding assistant that helps users with software engineering tasks, using the tools available to you. Be concise and direct. Follow the conventions of the existing code: check that a library is already used before using it, and mimic style, naming and structure. Never expose or log secrets. When fixing a bug or adding a feature: search the codebase, implement the change, and verify it with the project\'s tests. Never commit unless asked. Keep responses short: they are shown on a command line.',
  'You are a coding agent running in the user\'s editor. You can read files, search the workspace, run terminal commands and propose edits. Gather context before editing. Make the smallest change that solves the problem. After editing, run the build or tests and report the result. Ask before destructive operations. Be brief.',
];

export const BATCH_TEMPLATES = [
  { system: 'You are a support ticket router.', user: 'Classify the following support ticket into exactly one category: billing, technical, account, shipping, other. Reply with the category only.\n\nTicket: {q}', outputs: ['billing', 'technical', 'account', 'shipping', 'other'] },
  { system: 'You label customer feedback.', user: 'Rate the sentiment of this customer review as positive, neutral or negative. Respond with one word.\n\nReview: """{q}"""', outputs: ['positive', 'neutral', 'negative'] },
  { system: 'Extract structured data. Respond with JSON only.', user: 'Extract {"topic": string, "language": string, "contains_question": boolean, "urgency": "low"|"medium"|"high"} from the text below.\n\nText: {q}', outputs: ['{"topic":"{topic}","language":"en","contains_question":true,"urgency":"low"}', '{"topic":"{topic}","language":"en","contains_question":false,"urgency":"medium"}', '{"topic":"{topic}","language":"en","contains_question":true,"urgency":"high"}'] },
  { system: 'You are a content moderation classifier.', user: 'Does the following user message violate the community guidelines (harassment, hate, self-harm, sexual content, violence)? Answer with "allow" or "flag:<category>".\n\n{q}', outputs: ['allow', 'allow', 'allow', 'flag:violence', 'flag:harassment'] },
  { system: 'Summarise for a dashboard.', user: 'Summarise the following message in at most 12 words for an internal dashboard.\n\n{q}', outputs: ['Customer asks for help with {topic}.', 'Request for information about {topic}.', 'User wants a recommendation on {topic}.'] },
  { system: 'You detect languages.', user: 'What language is this text written in? Answer with the ISO 639-1 code only.\n\n{q}', outputs: ['en', 'en', 'en', 'es', 'de', 'fr', 'pt', 'zh'] },
  { system: 'You tag documents for search.', user: 'Return 3 to 5 lowercase keywords for this document as a comma-separated list.\n\nDocument: {q}', outputs: ['{topic}, guide, help', '{topic}, question, advice', '{topic}, overview, tips, example'] },
  { system: 'You are an intent classifier for a voice assistant.', user: 'Intent options: search, create, update, delete, question, chit_chat.\nUtterance: {q}\nIntent:', outputs: ['question', 'search', 'create', 'chit_chat', 'update'] },
];

export interface EvalFormat {
  system: string | null;
  frame: string;
  maxTokens: number;
}

export const EVAL_FORMATS: Record<string, EvalFormat> = {
  gsm8k: { system: null, frame: 'Question: {q}\nLet\'s think step by step. At the end, write "The answer is" followed by the number.\nAnswer:', maxTokens: 1024 },
  math: { system: null, frame: '{q}\n\nPlease reason step by step, and put your final answer within \\boxed{}.', maxTokens: 4096 },
  humaneval_mbpp: { system: 'You are an expert Python programmer. Complete the function. Respond with code only.', frame: 'Complete the following Python code:\n```python\n{q}\n```', maxTokens: 1024 },
  mt_bench: { system: 'You are a helpful assistant.', frame: '{q}', maxTokens: 2048 },
  arena_hard: { system: null, frame: '{q}', maxTokens: 4096 },
  alpaca_eval: { system: null, frame: '{q}', maxTokens: 2048 },
  bfcl: { system: 'You are an expert in composing functions. Given a question and a set of possible functions, make one or more function calls to achieve the purpose.', frame: '{q}', maxTokens: 1024 },
  flan_cot: { system: null, frame: 'Q: {q}\nA: Let\'s think step by step.', maxTokens: 512 },
};

export const ASSIGNMENT_FRAMES = [
  'Homework {n}, problem {k}: {q}', 'this is from our problem set: {q}', 'My teacher gave us this: {q} I don\'t get it', '{q}',
  'Assignment {n} Q{k}. {q} Can you explain how to solve it?', 'im stuck on this one: {q}', 'Can you check if my approach is right? {q}',
  'For class today: {q}', 'We have to answer: {q}',
];

export const STUDENT_CHAT = [
  'Can you explain photosynthesis in simple terms?', 'What is the difference between mitosis and meiosis?', 'How do I cite a website in APA format?',
  'Help me outline an essay about the causes of World War I.', 'What does a derivative actually mean?', 'Give me 5 practice questions on fractions.',
  'Explain recursion with an example in Python.', 'Summarise the main themes of Macbeth.', 'How do I find the area of a trapezoid?',
  'What\'s the difference between a list and a tuple in Python?', 'Can you quiz me on the periodic table?', 'How do vaccines work?',
];

export const ESSAY_ASSIGNMENTS = [
  'Write a 500-word argumentative essay on whether social media does more harm than good for teenagers.',
  'Analyse the role of symbolism in The Great Gatsby in about 600 words.',
  'Explain the causes and consequences of the 2008 financial crisis for a general audience.',
  'Discuss the ethical implications of gene editing technologies such as CRISPR.',
  'Compare the political systems of ancient Athens and the Roman Republic.',
  'Write a lab report introduction for an experiment measuring the effect of temperature on enzyme activity.',
];

/**
 * Fills `{slot}` markers. `{q}` goes last so that braces inside a corpus prompt (code, JSON)
 * are never taken for slots.
 */
export function fill(template: string, slots: Record<string, string>): string {
  let out = template;
  for (const key in slots) {
    if (key !== 'q') out = replaceAll(out, `{${key}}`, slots[key]!);
  }
  if (slots.q !== undefined) out = replaceAll(out, '{q}', slots.q);
  return out;
}

function replaceAll(text: string, marker: string, value: string): string {
  // Split/join: no regex escaping, and templates are short.
  return text.includes(marker) ? text.split(marker).join(value) : text;
}

export const COT_SYSTEMS = [
  'You are a world-class mathematician and a patient teacher.',
  'You are an expert problem solver. Always reason step by step.',
  'You are a helpful assistant that explains its reasoning in detail.',
  'You are a careful tutor who shows every step of the solution.',
];

export const DATA_ANALYST_SYSTEMS = [
  'You are a senior data analyst. Use the python tool to compute results; never guess numbers. Explain your reasoning and the method behind each step.',
  'You are an analytics agent with access to a Python sandbox and a SQL warehouse. Plan the analysis, run code, check results, and explain the findings clearly.',
];

// ---------------------------------------------------------------------------------------------
// Research labs: published evaluation prompts (chain-of-thought ones included) and judge
// templates, as evaluation suites and papers print them.

export const RESEARCH_EVAL_FRAMES = {
  /** Frames that ask for the reasoning, as chain-of-thought evaluation prompts do. */
  reasoning: [
    'Solve the following math problem step by step. The last line of your response should be of the form Answer: $ANSWER (without quotes) where $ANSWER is the answer to the problem.\n\n{q}\n\nRemember to put your answer on its own line after "Answer:".',
    '{q}\nPlease reason step by step, and put your final answer within \\boxed{}.',
    'Q: {q}\nA: Let\'s think step by step.',
    'Answer the following question. Think step by step before answering, and end with "The answer is X".\n\n{q}',
    'Question: {q}\nWork through the problem carefully, showing your reasoning, then give the final answer.',
  ],
  /** Frames that ask for the answer only (direct-answer baselines). */
  direct: ['{q}\nAnswer with the final answer only.', 'Question: {q}\nAnswer:', '{q}\n\nRespond with just the final answer.', '{q}'],
};

export const JUDGE_FRAMES = [
  '[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".\n\n[Question]\n{q}\n\n[The Start of Assistant\'s Answer]\n{a}\n[The End of Assistant\'s Answer]',
  'You are grading a model\'s answer for a research study. Compare it with the reference solution and decide whether the final answer is correct. Explain your judgement briefly, then output CORRECT or INCORRECT.\n\nProblem: {q}\n\nModel answer: {a}',
  'Please act as an impartial judge and evaluate the response below to the user prompt. Identify any mistakes or missing information, then give a verdict from 1 (very poor) to 5 (excellent) as "Score: N".\n\n<|User Prompt|>\n{q}\n\n<|The Assistant\'s Answer|>\n{a}',
];

export const RESEARCH_FOLLOW_UPS = [
  'Now solve it again without looking at your previous answer.', 'Where exactly does the argument go wrong, if anywhere?', 'Give the same answer in a JSON object with the fields answer and confidence.',
  'Try a different method and check that both agree.', 'Rewrite the solution for a grader who only reads the final line.', 'Is there an ambiguity in the problem statement?',
];

// ---------------------------------------------------------------------------------------------
// Agent platforms and support fleets.

export const PLATFORM_AGENT_SYSTEMS = [
  'You are {brand} Agent, an autonomous assistant that completes tasks for {brand} users. You can browse, run code in a sandbox, read and write files in the user\'s workspace and call the connected apps. Plan before acting, call one tool at a time, check every result, and keep going until the task is done. Never claim to have done something you did not do. Finish with a clear summary of what you did and what the user should check.',
  'You are the {brand} assistant. Users delegate multi-step jobs to you: research, data work, coding and operations. Use the tools provided; prefer reading over guessing. When a tool fails, try an alternative. Keep the user informed with short status notes between steps. The final answer must be complete and self-contained. Current date: {date}.',
  '# {brand} task runner\nYou execute user tasks end to end with the tools available (shell, python, web search, files, HTTP). Rules:\n- Think about the plan, then act.\n- Do not ask the user questions unless the task is impossible without an answer.\n- Respect the user\'s workspace: never delete files you did not create.\n- Report results with evidence (command output, file paths).',
];

export const SUPPORT_SYSTEM_TEMPLATES = [
  'You are the virtual support agent for {brand}{line}. Answer customers politely and briefly, using only the policy and account details provided. Never promise refunds above the policy limit; offer escalation to a human agent for billing disputes, legal threats or safety issues. Sign off as "{brand} Support".',
  'You are {brand}\'s customer care assistant{line}. Tone: warm, concise, professional. Always: greet the customer by name, restate the problem in one sentence, give the next step, and close with a question. Do not discuss competitors. Escalate when the customer asks for a manager twice.',
  'Role: tier-1 support bot for {brand}{line}.\nKnowledge: the help-centre articles and the ticket fields below.\nConstraints: no medical, legal or financial advice; no internal information; answer in the customer\'s language; at most 120 words.',
];

export const SUPPORT_LINES = ['', '', ' (billing)', ' (shipping and returns)', ' (technical support)', ' (EMEA)', ' (APAC)', ' (enterprise accounts)', ' (mobile app)'];

export const SUPPORT_TEMPLATES = [
  'Customer name: {name}\nPlan: {plan}\nOpen orders: {orders}\nChannel: {channel}\n\nCustomer message:\n{q}\n\nWrite the reply.',
  'Ticket #{ticket} ({channel}, {plan} plan)\nFrom: {name}\n\n{q}\n\nRespond following the support policy.',
  '<ticket id="{ticket}" channel="{channel}" plan="{plan}">\n<customer>{name}</customer>\n<message>{q}</message>\n</ticket>\nDraft the agent response.',
];

export const SUPPORT_FOLLOW_UPS = [
  'That didn\'t work, I still can\'t log in.', 'Ok thanks. How long will the refund take?', 'Can I speak to a human please?', 'I already tried that twice.',
  'My order number is 48213, can you check it?', 'Great, that fixed it. Thank you!', 'Why was I charged twice this month?', 'Can you send me the invoice by email?',
];

// ---------------------------------------------------------------------------------------------
// Tutoring apps, translation agencies and synthetic-data teams.

export const TUTOR_SYSTEM_TEMPLATES = [
  'You are {brand}, a friendly homework tutor for students in grades {grades}. Help the student understand, do not just hand over answers: explain each step in simple words, check what the student already knows, and encourage them. If the student asks why, explain the idea behind the step. Never write essays for students. Keep replies short and use the notation their school uses.',
  'You are the {brand} learning assistant. The user is a school student (grades {grades}) working on homework. Guide them through the problem with hints and worked steps, ask them to try the next step themselves when they can, and show another method when they are stuck. Be patient and positive. Do not discuss topics unrelated to school work.',
  '# {brand} tutor\nAudience: students in grades {grades}.\nStyle: warm, clear, step-by-step explanations; one idea at a time; check understanding with a short question at the end.\nRules: no final answers without the working; no personal data; if a question is not about school work, steer back politely.',
];

export const TUTOR_GRADES = ['3-5', '4-8', '5-9', '6-10', '7-12', '9-12', 'K-12'];

/** How students paste a homework problem into a tutoring app. */
export const HOMEWORK_FRAMES = [
  '{q}',
  '{q}',
  'can you help me with this problem? {q}',
  'I\'m stuck on this one: {q}',
  'how do I solve this\n{q}',
  'my homework question is: {q}',
  'I got a different answer than the book. {q}',
  'explain this to me please {q}',
];

/** What students ask after an explanation. */
export const TUTORING_FOLLOW_UPS = [
  'why?', 'Why?', 'I don\'t get step 2', 'i dont understand the second step', 'can you show another way', 'Can you show me another way to do it?',
  'wait why did you divide there', 'what does that mean', 'so the answer is just the last number?', 'can you explain it simpler', 'is there a faster way?',
  'can you give me a similar one to practice', 'ok I think I get it. is this right: I multiplied first', 'why do we subtract here?', 'thanks!! that makes sense now',
  'my teacher did it differently, is that ok?', 'what if the numbers were bigger', 'can you check my answer? I got 24', 'I still don\'t get it', 'how would I write this on the test',
];

export const TRANSLATION_SYSTEMS = [
  'You are a professional translator and localisation specialist. Translate faithfully and idiomatically for native readers. Preserve meaning, tone, formatting, numbers, units, placeholders such as {0} or %s, and markup. Do not add explanations or notes.',
  'You are a certified translator working for a localisation agency. Output only the translation. Keep line breaks, lists and tags exactly as in the source. Use the client\'s terminology when a glossary is given.',
  null,
];

/** One instruction template per language pair, as a translation-management system sends them. */
export const TRANSLATION_INSTRUCTIONS = [
  'Translate the following text from {from} into {to}. Return only the translation.\n\n{doc}',
  'Source language: {from}\nTarget language: {to}\nTranslate the segment below. Keep numbers, names and formatting unchanged.\n\n<source>\n{doc}\n</source>',
  'Please translate this {from} document into {to} for publication. Use a neutral, natural register.\n\n---\n{doc}\n---',
  'Translate into {to} (source: {from}). Preserve paragraph breaks.\n\n{doc}',
  '[{from} > {to}] Translate the following worksheet text. Do not solve the problems.\n\n{doc}',
  'Localise the following content from {from} to {to}. Adapt currency symbols and units only where the target market expects it; otherwise translate literally.\n\n{doc}',
];

export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: 'English', pt: 'Portuguese', zh: 'Chinese (Simplified)', ja: 'Japanese', ko: 'Korean', ru: 'Russian', ar: 'Arabic', es: 'Spanish', fr: 'French', de: 'German',
  th: 'Thai', sw: 'Swahili', bn: 'Bengali', te: 'Telugu',
};

/** Templated prompts of a synthetic-data job: `{count}` examples of `{label}` in `{domain}`; `{seed}` a seed example. */
export const SYNTHETIC_DATA_TEMPLATES = [
  'Generate {count} realistic customer messages about {domain} whose intent is "{label}". Vary tone, length and vocabulary; include a few with typos. Output JSON Lines with the fields "text" and "label".',
  'You are generating training data for a {domain} text classifier. Write {count} diverse examples of the category "{label}". Return a JSON array of objects {"text": ..., "label": ...}. Do not number them.',
  'Write {count} short reviews of {domain} products with sentiment "{label}". Mix lengths from one sentence to a paragraph. One review per line, prefixed with the label in brackets.',
  'Create {count} synthetic search queries a user of a {domain} site might type when their intent is "{label}". Include abbreviations and misspellings in about 10% of them. Output CSV with the columns query,intent.',
  'Produce {count} varied example emails in the {domain} domain for the class "{label}" of our email classifier. Each example must be self-contained. Output JSON Lines: {"subject": ..., "body": ..., "label": "{label}"}.',
  'Paraphrase the seed example below {count} times for the class "{label}" ({domain}), changing wording, structure and length but not the meaning.\n\nSeed example: {seed}\n\nOutput one paraphrase per line.',
  'Generate {count} support-ticket titles and descriptions for {domain} labelled "{label}". Use realistic product names and error messages. Output JSON Lines {"title": ..., "description": ..., "label": ...}.',
];

export const SYNTHETIC_DOMAINS = ['banking', 'telecom', 'e-commerce', 'insurance', 'travel', 'healthcare scheduling', 'food delivery', 'SaaS billing', 'utilities', 'ride hailing', 'gaming'];

export const SYNTHETIC_LABELS = [
  'cancel_subscription', 'refund_request', 'billing_question', 'technical_issue', 'complaint', 'praise', 'positive', 'negative', 'neutral', 'account_access',
  'fraud_report', 'change_address', 'order_status', 'phishing', 'spam', 'legitimate', 'urgent', 'feature_request',
];
