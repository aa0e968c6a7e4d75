import { describe, expect, it } from 'vitest';
import { buildWorld } from './world-builder.js';
import { loadScenario } from './scenario-loader.js';
import { PROMPT_LANGUAGES } from './scenario-schema.js';
import { testCorpora } from './test-support/sim-fixtures.js';
import { accountsOfGroup, sessionsOf } from './test-support/session-sampler.js';
import { LANGUAGE_WORDINGS } from './multilingual-prompt-bank.js';
import { problemsIn, promptsIn } from './multilingual-prompts.js';
import { accountLanguages } from './multilingual-tasks.js';
import { scriptLanguageOf } from './script-language.js';

const corpora = testCorpora();
const scenario = loadScenario('default').scenario;
const world = buildWorld(scenario, corpora, { scale: 0.05, seed: 3 });
const campaignIndex = scenario.campaigns.findIndex((campaign) => campaign.kind === 'multilingual_harvest');
const runtime = world.campaigns[campaignIndex]!;
const accounts = accountsOfGroup(world, runtime.config.name);

/** The language whose prompt and instruction a request text is made of, or null. */
function languageOfRequest(text: string): string | null {
  for (const language of PROMPT_LANGUAGES) {
    const wording = LANGUAGE_WORDINGS[language]!;
    const frames = [...wording.elicit, ...wording.paraphrase, ...wording.plain];
    const prompt = promptsIn(corpora, language).find((candidate) => text.includes(candidate));
    if (prompt === undefined) continue;
    if (frames.some((frame) => frame.replace('{q}', prompt) === text)) return language;
    if (wording.grading.some((frame) => text.startsWith(frame.slice(0, frame.indexOf('{')).trimEnd()) || text.endsWith(frame.slice(frame.lastIndexOf('}') + 1)))) return language;
  }
  return null;
}

describe('multilingual harvest campaigns', () => {
  it('have prompts and native instructions in every language they can draw', () => {
    for (const language of PROMPT_LANGUAGES) {
      expect(promptsIn(corpora, language).length, language).toBeGreaterThanOrEqual(5);
      const wording = LANGUAGE_WORDINGS[language]!;
      for (const frames of [wording.elicit, wording.paraphrase, wording.plain, wording.grading]) expect(frames.length, language).toBeGreaterThanOrEqual(2);
    }
    for (const language of ['zh', 'ja', 'ko', 'ru', 'ar', 'es', 'fr', 'de', 'pt']) expect(LANGUAGE_WORDINGS[language], language).toBeDefined();
  });

  it('index MGSM by language and tell scripts apart', () => {
    for (const language of ['bn', 'de', 'es', 'fr', 'ja', 'ru', 'sw', 'te', 'th', 'zh']) expect(problemsIn(corpora, language)).toHaveLength(250);
    for (const language of ['zh', 'ja', 'ru', 'th', 'bn', 'te']) {
      const detected = problemsIn(corpora, language).filter((text) => scriptLanguageOf(text) === language).length;
      expect(detected, language).toBeGreaterThan(240);
    }
    expect(problemsIn(corpora, 'en').filter((text) => scriptLanguageOf(text) !== null)).toHaveLength(0);
  });

  it("send each account's requests in its drawn languages, instruction and problem in the same language", () => {
    let requests = 0;
    for (const index of accounts.slice(0, 6)) {
      const languages = new Set<string>(accountLanguages(runtime, index));
      expect(languages.size).toBeGreaterThanOrEqual(1);
      let inOwn = 0;
      let total = 0;
      for (const exchange of sessionsOf(world, corpora, index, 15, 9).flat()) {
        const text = exchange.request.messages[0]!.text;
        const language = languageOfRequest(text);
        if (language === null) continue;
        expect(Object.keys(runtime.config.kind === 'multilingual_harvest' ? runtime.config.content.languages : {})).toContain(language);
        if (scriptLanguageOf(text.slice(0, 200)) !== null && ['zh', 'ja', 'ko', 'ru', 'ar', 'th', 'bn', 'te'].includes(language)) expect(scriptLanguageOf(text)).toBe(language);
        if (languages.has(language)) inOwn++;
        total++;
      }
      requests += total;
      expect(inOwn / Math.max(1, total)).toBeGreaterThan(0.6);
    }
    // A fifth of the sessions are ordinary traffic mixed in (default scenario), the rest are harvest requests.
    expect(requests).toBeGreaterThan(100);
  });

  it('answer in the language of the question', () => {
    const ja = LANGUAGE_WORDINGS.ja!;
    let answers = 0;
    for (const index of accounts.slice(0, 8)) {
      for (const exchange of sessionsOf(world, corpora, index, 10, 9).flat()) {
        const text = exchange.request.messages[0]!.text;
        if (languageOfRequest(text) !== 'ja') continue;
        expect(exchange.response.texts[0]).toContain(ja.answerLabel);
        answers++;
      }
    }
    expect(answers).toBeGreaterThan(0);
  });
});
