import type { ExchangeSpec, ImageSpec, TurnSpec } from './exchange-spec.js';
import { ACCESSIBILITY_FOLLOW_UPS, ACCESSIBILITY_QUESTIONS, DOCUMENT_TEMPLATES, SCREEN_DISPLAYS } from './image-customer-bank.js';
import { COMPUTER_SLOTS, COMPUTER_TASKS, IMAGE_SUBJECTS } from './vision-prompt-bank.js';
import { fill } from './prompt-bank.js';
import { imageOf, presignedQuery, type ImageProfile } from './image-kit.js';
import { computerUseLoop } from './computer-use-loop.js';
import { extractedDocument } from './vision-answers.js';
import { mix32 } from './seeded-rng.js';
import { habitualRequest, outputLength, responseOf, varyCasually, type SessionRequest } from './task-kit.js';
import type { ContentHabits } from './world-model.js';

/**
 * What the image-sending customers send (see `image-customer-population.ts`): a blind user's
 * photo and questions about it, scanned pages through one extraction template, and customers'
 * browser tasks run as computer-use loops.
 */
function endUserOf(userSeed: number, pick: number): string {
  return `usr_${mix32(userSeed ^ pick).toString(36)}`;
}

/**
 * A user's photo and a question, then follow-ups about the same photo: the app sends the
 * conversation again with each question, so the photo is re-sent with every request.
 */
export function describerSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'describer' }>): ExchangeSpec[] {
  const { rng, account, world } = request;
  const config = world.scenario.personas.accessibility_app;
  const endUser = endUserOf(habits.userSeed, rng.int(habits.endUsers));
  const profile: ImageProfile = { kind: 'photo', jpegShare: config.jpeg_share, kilobytes: config.image_kilobytes, urlShare: config.url_share, urlBase: habits.urlBase, detail: null };
  const photo = imageOf(rng.u32(), profile);
  const subject = rng.pick(IMAGE_SUBJECTS.image_description);
  const history: TurnSpec[] = [];
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    history.push(k === 0 ? { role: 'user', text: varyCasually(rng.pick(ACCESSIBILITY_QUESTIONS), rng, 0.3), images: [photo] } : { role: 'user', text: rng.pick(ACCESSIBILITY_FOLLOW_UPS) });
    const spec = habitualRequest(request, { messages: history.slice(), endUser });
    const response = responseOf(request, spec, 'prose', subject, outputLength(rng, account.habits.outputChars));
    out.push({ request: spec, response });
    history.push({ role: 'assistant', text: response.texts[0]! });
  }
  return out;
}

/** One document through the pipeline's fixed template: its pages, JSON out, temperature 0. */
export function documentSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'documents' }>): ExchangeSpec[] {
  const { rng, account, world } = request;
  const config = world.scenario.personas.document_pipeline;
  const profile: ImageProfile = { kind: 'scan', jpegShare: 0.1, kilobytes: config.image_kilobytes, urlShare: config.url_share, urlBase: habits.urlBase, urlQuery: presignedQuery, detail: 'high' };
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const pages: ImageSpec[] = Array.from({ length: rng.range(config.pages_per_request[0], config.pages_per_request[1]) }, () => imageOf(rng.u32(), profile));
    const spec = habitualRequest(request, { messages: [{ role: 'user', text: DOCUMENT_TEMPLATES[habits.template % DOCUMENT_TEMPLATES.length]!, images: pages }], temperature: 0, jsonOutput: true, stream: false });
    const response = responseOf(request, spec, 'label', '', 0);
    response.texts = [extractedDocument(rng, outputLength(rng, account.habits.outputChars))];
    out.push({ request: spec, response });
  }
  return out;
}

/** A customer's browser task, run by the platform's computer-use agent. */
export function browserAgentSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'browser_agent' }>): ExchangeSpec[] {
  const { rng, account, world, api } = request;
  const config = world.scenario.personas.browser_automation;
  const endUser = endUserOf(habits.userSeed, rng.int(habits.endUsers));
  const slots: Record<string, string> = {};
  for (const [key, values] of Object.entries(COMPUTER_SLOTS)) slots[key] = rng.pick(values);
  return computerUseLoop(request, {
    task: fill(rng.pick(COMPUTER_TASKS), slots),
    display: SCREEN_DISPLAYS[habits.display % SCREEN_DISPLAYS.length]!,
    builtin: habits.builtinShare >= 0.5,
    screenshots: { kind: 'screen', jpegShare: 0, kilobytes: config.screenshot_kilobytes, urlShare: 0, urlBase: '', detail: null },
    openingScreenshot: true,
    makeSpec: (messages, tools) => habitualRequest(request, { messages, tools, endUser, cacheSystem: api === 'anthropic.messages' }),
    narration: 'short',
    finalStyle: 'prose',
    finalLength: outputLength(rng, account.habits.outputChars),
  });
}
