import { readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../util/errors.js';

/**
 * The public prompt corpora (one `<name>.jsonl` per corpus, lines `{id, text, category, source}`,
 * plus `language` in multilingual corpora; see SOURCES.md in the corpora directory). They are
 * read once per process, from disk only: the simulator never downloads anything.
 */
export const CORPUS_ROLES = {
  hh_rlhf_harmless_test: 'benign',
  awesome_chatgpt_prompts: 'benign',
  arena_hard: 'benign',
  sharegpt_sample: 'benign',
  alpaca_eval: 'benign',
  mt_bench: 'benign',
  wizardlm_testset: 'benign',
  oasst_prompts: 'benign',
  alpaca_instructions: 'distillation-style',
  alpaca_libre: 'distillation-style',
  code_alpaca_2k: 'distillation-style',
  gpteacher_codegen: 'distillation-style',
  gpteacher_roleplay: 'distillation-style',
  gpteacher_toolformer: 'distillation-style',
  glaive_toolcall: 'distillation-style',
  apibench: 'distillation-style',
  bfcl: 'distillation-style',
  toolbench_toolalpaca: 'distillation-style',
  gsm8k_train: 'distillation-style',
  flan_cot: 'distillation-style',
  math_competition: 'distillation-style',
  code_benchmarks: 'distillation-style',
  mgsm: 'distillation-style',
} as const;

export type CorpusName = keyof typeof CORPUS_ROLES;
export const CORPUS_NAMES = Object.keys(CORPUS_ROLES) as CorpusName[];

export interface CorpusEntry {
  text: string;
  category: string;
}

export interface PromptCorpora {
  readonly dir: string;
  /** Prompt texts of a corpus, in file order, without the ones over `maxPromptChars`. */
  texts(name: CorpusName): readonly string[];
  /** Texts of a corpus in one category (e.g. arena_hard `coding`). */
  textsIn(name: CorpusName, category: string): readonly string[];
  /**
   * Texts of a multilingual corpus in one language (ISO 639-1, e.g. mgsm `ja`), in file order;
   * empty when the corpus has none. A parallel corpus's lists line up item by item as long as
   * `maxPromptChars` drops none of them.
   */
  textsInLanguage(name: CorpusName, language: string): readonly string[];
  /** Declarative sentences harvested from the corpora, to recombine into response prose. */
  readonly sentences: readonly string[];
  /** Rows read per corpus (before the length filter), for summaries and tests. */
  readonly rowCounts: Readonly<Record<CorpusName, number>>;
}

export interface CorpusLoadOptions {
  maxPromptChars?: number;
}

export function loadPromptCorpora(dir: string, { maxPromptChars = 3000 }: CorpusLoadOptions = {}): PromptCorpora {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`prompt corpora directory ${dir} not found: pass --corpora DIR or set corpora.dir in the scenario (the directory holds <name>.jsonl files described by SOURCES.md)`);
  }
  const texts = new Map<CorpusName, string[]>();
  const categories = new Map<string, string[]>();
  const languages = new Map<string, string[]>();
  const rowCounts = {} as Record<CorpusName, number>;
  for (const name of CORPUS_NAMES) {
    const file = join(dir, `${name}.jsonl`);
    if (!existsSync(file)) throw new UsageError(`prompt corpus ${file} is missing (expected every corpus listed in SOURCES.md)`);
    const kept: string[] = [];
    let rows = 0;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.length === 0) continue;
      let row: { text?: unknown; category?: unknown; language?: unknown };
      try {
        row = JSON.parse(line) as { text?: unknown; category?: unknown; language?: unknown };
      } catch (error) {
        throw new UsageError(`prompt corpus ${file} line ${rows + 1}: not valid JSON`, { cause: error });
      }
      rows++;
      if (typeof row.text !== 'string' || row.text.length === 0 || row.text.length > maxPromptChars) continue;
      kept.push(row.text);
      const key = `${name}\u0000${typeof row.category === 'string' ? row.category : 'other'}`;
      let list = categories.get(key);
      if (list === undefined) categories.set(key, (list = []));
      list.push(row.text);
      if (typeof row.language === 'string') {
        const languageKey = `${name}\u0000${row.language}`;
        let inLanguage = languages.get(languageKey);
        if (inLanguage === undefined) languages.set(languageKey, (inLanguage = []));
        inLanguage.push(row.text);
      }
    }
    if (kept.length === 0) throw new UsageError(`prompt corpus ${file} has no usable rows`);
    texts.set(name, kept);
    rowCounts[name] = rows;
  }
  const sentences = harvestSentences(texts);
  return {
    dir,
    texts: (name) => texts.get(name)!,
    textsIn: (name, category) => categories.get(`${name}\u0000${category}`) ?? texts.get(name)!,
    textsInLanguage: (name, language) => languages.get(`${name}\u0000${language}`) ?? [],
    sentences,
    rowCounts,
  };
}

const NOT_STATEMENT_OPENERS = new Set([
  'write', 'create', 'generate', 'give', 'explain', 'describe', 'tell', 'make', 'find', 'list', 'please', 'can', 'could', 'what', 'how', 'why',
  'which', 'who', 'when', 'where', 'i', 'you', 'we', 'my', 'your', 'do', 'does', 'is', 'are', 'should', 'would', 'provide', 'design', 'suggest',
  'identify', 'compose', 'classify', 'convert', 'rewrite', 'translate', 'summarize', 'calculate', 'determine', 'imagine', 'pretend', 'act',
  'assume', 'consider', 'let', 'use', 'implement', 'develop', 'build', 'edit', 'compare', 'analyze', 'name', 'choose', 'select', 'answer', 'solve',
  'here', 'if', 'given', 'note', 'input', 'output', 'question', 'options', 'claim', 'premise', 'hypothesis', 'sentence',
]);

/**
 * Sentences that read as statements (a capitalised opener that is not an instruction, one full
 * stop, no question, no code), for prose in responses. Done once at load, never per exchange.
 */
function harvestSentences(texts: Map<CorpusName, string[]>): string[] {
  const out: string[] = [];
  const sources: CorpusName[] = ['alpaca_libre', 'alpaca_instructions', 'wizardlm_testset', 'arena_hard', 'gsm8k_train', 'alpaca_eval', 'oasst_prompts', 'flan_cot'];
  const seen = new Set<string>();
  for (const name of sources) {
    for (const text of texts.get(name)!) {
      for (const piece of text.split(/(?<=\.)\s+/)) {
        if (piece.length < 45 || piece.length > 220) continue;
        if (!piece.endsWith('.') || /[?!\n{}<>`|#*_=$\\]|https?:/.test(piece)) continue;
        const first = piece.charCodeAt(0);
        if (first < 65 || first > 90) continue;
        const opener = piece.slice(0, piece.search(/[\s,]|$/)).toLowerCase();
        if (NOT_STATEMENT_OPENERS.has(opener) || /\b(you|your|I|me|my)\b/.test(piece)) continue;
        if (seen.has(piece)) continue;
        seen.add(piece);
        out.push(piece);
        if (out.length >= 40000) return out;
      }
    }
  }
  return out;
}

/** The default location: the corpora that ship with the package, `data/corpora` (see its SOURCES.md). */
export function defaultCorporaDir(packageRoot: string): string {
  return join(packageRoot, 'data', 'corpora');
}
