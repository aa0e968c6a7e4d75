import type { ExchangeSpec } from './exchange-spec.js';
import { TRANSLATION_LANGUAGES } from './scenario-schema.js';
import {
  HOMEWORK_FRAMES,
  LANGUAGE_NAMES,
  SYNTHETIC_DATA_TEMPLATES,
  SYNTHETIC_DOMAINS,
  SYNTHETIC_LABELS,
  TRANSLATION_INSTRUCTIONS,
  TUTORING_FOLLOW_UPS,
  fill,
} from './prompt-bank.js';
import { problemsIn, promptsIn } from './multilingual-prompts.js';
import { proseText, topicOf } from './response-synthesizer.js';
import { mix32, type Rng } from './seeded-rng.js';
import { asDocument, conversation, habitualRequest, outputLength, pickPrompt, responseOf, sourceTable, varyCasually, type SessionRequest } from './task-kit.js';
import type { PromptCorpora } from './corpus-loader.js';
import type { ContentHabits } from './world-model.js';

/**
 * What the product customers send (see `product-customer-population.ts`): students' homework
 * conversations through a tutoring app, an agency's document chunks for translation, and a
 * data team's templated generation jobs.
 */
const HOMEWORK_PROBLEMS = sourceTable([
  [{ corpus: 'gsm8k_train', style: 'steps' }, 0.55],
  [{ corpus: 'math_competition', style: 'steps' }, 0.15],
  [{ corpus: 'flan_cot', category: 'math', style: 'steps' }, 0.1],
  [{ corpus: 'flan_cot', category: 'reasoning', style: 'prose' }, 0.1],
  [{ corpus: 'arena_hard', category: 'math', style: 'steps' }, 0.05],
  [{ corpus: 'wizardlm_testset', category: 'reasoning', style: 'steps' }, 0.05],
]);

const ENGLISH_DOCUMENTS = sourceTable([
  [{ corpus: 'sharegpt_sample', style: 'prose' }, 0.25],
  [{ corpus: 'oasst_prompts', style: 'prose' }, 0.2],
  [{ corpus: 'alpaca_eval', style: 'prose' }, 0.2],
  [{ corpus: 'arena_hard', category: 'writing', style: 'prose' }, 0.2],
  [{ corpus: 'awesome_chatgpt_prompts', style: 'prose' }, 0.15],
]);

/** A student's homework problem, then their follow-ups; the app sends the whole chat every time. */
export function tutoringSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'tutoring' }>): ExchangeSpec[] {
  const { rng, account } = request;
  const endUser = habits.passUser ? `stu_${mix32(habits.userSeed ^ rng.int(habits.endUsers)).toString(36)}` : null;
  const pick = pickPrompt(request.corpora, HOMEWORK_PROBLEMS, rng);
  const first = varyCasually(fill(rng.pick(HOMEWORK_FRAMES), { q: pick.text }), rng, 0.7);
  return conversation(
    request,
    first,
    pick.style,
    TUTORING_FOLLOW_UPS,
    (messages) => habitualRequest(request, { messages, endUser }),
    () => outputLength(rng, account.habits.outputChars),
    undefined,
    'whole',
  );
}

/** The languages an agency works in, from its mask. */
export function agencyLanguages(habits: Extract<ContentHabits, { kind: 'translation' }>): string[] {
  return TRANSLATION_LANGUAGES.filter((_, index) => (habits.languageMask & (1 << index)) !== 0);
}

/** Texts appended until they reach `target` characters (one at least), as one document. */
function documentOf(texts: readonly string[], first: number, target: number): { text: string; next: number } {
  const parts: string[] = [];
  let size = 0;
  let index = first;
  while (parts.length === 0 || (size < target && parts.length < 40)) {
    const part = asDocument(texts[index % texts.length]!, 1500);
    parts.push(part);
    size += part.length + 2;
    index++;
  }
  return { text: parts.join('\n\n'), next: index };
}

/**
 * Consecutive chunks of one document in one language pair, each its own request under the
 * agency's instruction for that pair. Where the corpora hold the document in both languages
 * (MGSM is a parallel corpus) the reply is the real translation; otherwise it is text of the
 * target language and script at a translation's length.
 */
export function translationSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'translation' }>): ExchangeSpec[] {
  const { rng, corpora } = request;
  const targets = agencyLanguages(habits).filter((language) => language !== 'en');
  const other = targets.length > 0 ? rng.pick(targets) : 'de';
  const [from, to] = rng.chance(0.2) ? [other, 'en'] : ['en', other];
  const pair = TRANSLATION_LANGUAGES.indexOf(from as (typeof TRANSLATION_LANGUAGES)[number]) * 16 + TRANSLATION_LANGUAGES.indexOf(to as (typeof TRANSLATION_LANGUAGES)[number]);
  const instruction = TRANSLATION_INSTRUCTIONS[mix32(habits.agencySeed ^ pair) % TRANSLATION_INSTRUCTIONS.length]!;
  const sources = problemsIn(corpora, from);
  const translations = problemsIn(corpora, to);
  const parallel = sources.length > 0 && sources.length === translations.length && rng.chance(0.6);
  const english = parallel || from !== 'en' ? [] : corpora.texts(ENGLISH_DOCUMENTS.pick(rng).corpus);
  const pool = parallel ? sources : from === 'en' ? english : promptsIn(corpora, from);
  let position = rng.int(Math.max(1, pool.length));
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const first = position;
    const source = documentOf(pool, first, outputLength(rng, [habits.chunkMin, habits.chunkMax]));
    position = source.next;
    const text = fill(instruction, { from: LANGUAGE_NAMES[from]!, to: LANGUAGE_NAMES[to]!, doc: source.text });
    const spec = habitualRequest(request, { messages: [{ role: 'user', text }] });
    const response = responseOf(request, spec, 'prose', topicOf(source.text), 40);
    const length = source.text.length;
    response.texts = [
      parallel ? itemsOf(translations, first, source.next - first) : to === 'en' ? proseText(rng, length, topicOf(source.text), corpora) : standIn(promptsIn(corpora, to), rng, length),
    ];
    out.push({ request: spec, response });
  }
  return out;
}

/** `count` items from `first` on, as one document. */
function itemsOf(texts: readonly string[], first: number, count: number): string {
  return Array.from({ length: count }, (_, k) => asDocument(texts[(first + k) % texts.length]!, 1500)).join('\n\n');
}

/** Text in the target language at about a translation's length, when no parallel text exists. */
function standIn(texts: readonly string[], rng: Rng, length: number): string {
  if (texts.length === 0) return '';
  return documentOf(texts, rng.int(texts.length), Math.round(length * 0.8)).text;
}

/** One generation request of a nightly job: one of the team's templates, slot-filled. */
export function syntheticSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'synthetic' }>): ExchangeSpec[] {
  const { rng, corpora, account } = request;
  const choice = rng.int(Math.max(1, habits.templates));
  const template = SYNTHETIC_DATA_TEMPLATES[mix32(habits.templateSeed + choice) % SYNTHETIC_DATA_TEMPLATES.length]!;
  // A template serves one product domain of the team's; the labels are its label set.
  const domain = SYNTHETIC_DOMAINS[mix32(habits.templateSeed ^ (choice + 1)) % SYNTHETIC_DOMAINS.length]!;
  const label = SYNTHETIC_LABELS[(mix32(habits.templateSeed ^ (choice * 7 + 3)) + rng.int(4)) % SYNTHETIC_LABELS.length]!;
  const seed = asDocument(rng.pick(corpora.texts('oasst_prompts')), 300);
  const text = fill(template, { count: String(rng.pick([10, 20, 25, 30, 50])), label, domain, seed });
  const spec = habitualRequest(request, { messages: [{ role: 'user', text }], stream: false });
  const response = responseOf(request, spec, 'prose', topicOf(text), 40);
  response.texts = response.texts.map(() => generatedBatch(rng, corpora, label, outputLength(rng, account.habits.outputChars)));
  return [{ request: spec, response }];
}

/** A batch of generated examples as JSON Lines, from the corpora's statement sentences. */
function generatedBatch(rng: Rng, corpora: PromptCorpora, label: string, length: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < length && lines.length < 200) {
    const line = JSON.stringify({ text: rng.pick(corpora.sentences), label });
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}
