import type { Rng } from './seeded-rng.js';

/**
 * Follow-up probes: the generic turns that, asked after any answer, make a model explain,
 * justify, re-derive and vary its reasoning. The public reports describe harvesting run as
 * conversations of such turns; these are written from how people and scripts phrase them, in
 * many wordings, independent of any detector. A campaign sketch draws a handful of wordings
 * once and repeats them, as tooling does, so campaigns and worlds word their probes differently.
 */

/** What a probe asks for; each intent has its own wordings. */
const PROBE_INTENTS: Readonly<Record<string, readonly string[]>> = {
  why: [
    'Why?',
    'Why is that?',
    'why',
    'Why does that work?',
    'Can you explain why?',
    'But why is that the right answer?',
    'What is the reason behind that?',
    'Explain why that holds.',
    'Why should I believe that?',
    'ok but why',
  ],
  justify: [
    'Justify each step.',
    'Justify every step you took.',
    'Give a justification for each step of your solution.',
    'For each line of your answer, say why it is valid.',
    'Go back over your answer and justify each claim.',
    'Explain why each step follows from the one before.',
    'Defend each step as if a strict examiner were reading it.',
    'Which facts or rules justify each of your steps?',
  ],
  other_method: [
    'Solve it with a different method.',
    'Now solve it another way.',
    'Can you get the same result with a different approach?',
    'Use a completely different method and compare the results.',
    'Redo the problem without using the approach you just used.',
    'Show an alternative solution.',
    'Is there another way to solve this? Show it in full.',
    'Solve it again from scratch using a different technique.',
  ],
  harder_variant: [
    'Give a harder variant and solve it.',
    'Make the problem harder, then solve your new version.',
    'Write a more difficult version of this problem and work it out.',
    'Create a tougher variant of the question and answer it fully.',
    'Now change the problem so it is harder, and solve that one too.',
    'Invent a similar but harder problem and show the full solution.',
  ],
  assumptions: [
    'List the assumptions you made.',
    'What assumptions did you make? List them all.',
    'Which assumptions does your answer depend on?',
    'Spell out every assumption behind your answer.',
    'Enumerate the implicit assumptions in your solution.',
    'What did you take for granted there? List each assumption.',
  ],
  what_if: [
    'What would change if {change}?',
    'How would the answer change if {change}?',
    'Suppose {change}. Redo it.',
    'And if {change}, what then?',
    'Walk through what changes if {change}.',
    'Now assume {change}. What is the answer, and why?',
  ],
  check_again: [
    'Are you sure? Check again.',
    'Are you sure about that? Double-check your work.',
    'I think that might be wrong. Check it again.',
    'Check your answer carefully once more.',
    'Verify your answer step by step.',
    'Re-examine your solution and confirm the result.',
    'Hmm, are you certain? Go through it again.',
    'Please verify each calculation.',
  ],
  explain_more: [
    'Explain your reasoning in more detail.',
    'Explain that more thoroughly.',
    'Expand on your reasoning.',
    'Go into more depth on how you got there.',
    'Can you elaborate on the key step?',
    'Explain it as if to someone who has never seen this kind of problem.',
  ],
  generalise: [
    'Generalise the result.',
    'Does this work in general? Prove it.',
    'State the general principle behind your answer.',
    'What is the general method for problems like this?',
  ],
  mistakes: [
    'What mistakes do people usually make on this problem?',
    'Where could someone go wrong here?',
    'What is the most common wrong answer, and why is it wrong?',
  ],
};

const CHANGES = [
  'all the numbers were doubled',
  'the second condition were removed',
  'the quantities were halved',
  'we added one more constraint',
  'the rate changed halfway through',
  'the answer had to be a whole number',
  'the order of events were reversed',
  'one of the values were unknown',
  'the first number were 10 times larger',
  'there were twice as many items',
  'the time period were a week instead of a day',
  'the opposite were true',
];

/** How scripts dress a probe: most send it bare, some add a lead or a constraint. */
const LEADS = ['', '', '', '', 'Thanks. ', 'Ok. ', 'Good. ', 'Next: ', 'Follow-up: ', 'One more thing. '];
const TAILS = ['', '', '', '', ' Be thorough.', ' Show all the working.', ' Keep the same format.', ' Use numbered steps.', ' Be precise.', ' Explain in detail.'];

export const PROBE_INTENT_NAMES = Object.keys(PROBE_INTENTS);

/** Every bare probe wording, for tests and for telling a probe from a seed question. */
export const PROBE_WORDINGS: readonly string[] = Object.values(PROBE_INTENTS).flat();

/**
 * The probes one sketch repeats: `count` wordings from different intents where possible, each
 * with the sketch's lead and tail habits. `{change}` slots are filled per request
 * (`fillProbe`), so a what-if probe varies while its wording stays.
 */
export function drawProbeWordings(rng: Rng, count: number): string[] {
  const intents = [...PROBE_INTENT_NAMES];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    if (intents.length === 0) intents.push(...PROBE_INTENT_NAMES);
    const intent = intents.splice(rng.int(intents.length), 1)[0]!;
    out.push(`${rng.pick(LEADS)}${rng.pick(PROBE_INTENTS[intent]!)}${rng.pick(TAILS)}`);
  }
  return out;
}

export function fillProbe(probe: string, rng: Rng): string {
  return probe.includes('{change}') ? probe.replace('{change}', rng.pick(CHANGES)) : probe;
}
