import type { CorpusName, PromptCorpora } from './corpus-loader.js';
import { scriptLanguageOf } from './script-language.js';

/**
 * Non-English prompts from the corpora, by language: MGSM's human-translated problems, and the
 * chat corpora's prompts whose script gives their language away (real users' Chinese, Japanese,
 * Korean, Russian and Arabic requests). Indexed once per corpora, on first use.
 */
const MULTILINGUAL_CORPUS: CorpusName = 'mgsm';
const CHAT_CORPORA: readonly CorpusName[] = ['arena_hard', 'sharegpt_sample', 'bfcl', 'awesome_chatgpt_prompts', 'oasst_prompts', 'alpaca_eval', 'wizardlm_testset'];

const indexes = new WeakMap<PromptCorpora, Map<string, string[]>>();

function indexOf(corpora: PromptCorpora): Map<string, string[]> {
  let index = indexes.get(corpora);
  if (index === undefined) {
    index = new Map();
    for (const name of CHAT_CORPORA) {
      for (const text of corpora.texts(name)) {
        const language = scriptLanguageOf(text);
        if (language === null) continue;
        let list = index.get(language);
        if (list === undefined) index.set(language, (list = []));
        list.push(text);
      }
    }
    indexes.set(corpora, index);
  }
  return index;
}

/** Problems in `language` (MGSM's, when it has the language). */
export function problemsIn(corpora: PromptCorpora, language: string): readonly string[] {
  return corpora.textsInLanguage(MULTILINGUAL_CORPUS, language);
}

const combined = new WeakMap<PromptCorpora, Map<string, readonly string[]>>();

/** Every prompt in `language`: MGSM's problems, then the chat corpora's prompts in that language. */
export function promptsIn(corpora: PromptCorpora, language: string): readonly string[] {
  let byLanguage = combined.get(corpora);
  if (byLanguage === undefined) combined.set(corpora, (byLanguage = new Map()));
  let prompts = byLanguage.get(language);
  if (prompts === undefined) {
    prompts = [...problemsIn(corpora, language), ...(indexOf(corpora).get(language) ?? [])];
    byLanguage.set(language, prompts);
  }
  return prompts;
}
