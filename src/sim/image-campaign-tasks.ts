import type { ExchangeSpec, ImageSpec } from './exchange-spec.js';
import { VISION_TASKS, type PromptStyle, type VisionTask } from './scenario-schema.js';
import { COMPUTER_SLOTS, COMPUTER_TASKS, IMAGE_SUBJECTS, VISION_INSTRUCTIONS } from './vision-prompt-bank.js';
import { fill } from './prompt-bank.js';
import { deriveSeed, weightedFromRecord, type Rng, type WeightedTable } from './seeded-rng.js';
import { imageOf, type ImageKind, type ImageProfile } from './image-kit.js';
import { campaignRequest, composedSystem } from './campaign-request.js';
import { computerUseLoop } from './computer-use-loop.js';
import { structuredTable } from './vision-answers.js';
import { outputLength, responseOf, type SessionRequest } from './task-kit.js';
import type { CampaignRuntime, CampaignSketch, ImageSketch } from './world-model.js';

/**
 * What image-harvesting and computer-use campaigns send: mostly fresh images with one of the
 * sketch's few instruction wordings (plain, paraphrased, or asking for the reasoning), and
 * computer-use agent loops over desktop and web tasks with a screenshot after every action.
 */
const IMAGE_KIND: Record<VisionTask, ImageKind> = {
  image_description: 'photo',
  transcription: 'scan',
  table_extraction: 'scan',
  chart_reading: 'figure',
  diagram_explanation: 'figure',
};

const JPEG_SHARE: Record<VisionTask, number> = { image_description: 0.85, transcription: 0.5, table_extraction: 0.35, chart_reading: 0.15, diagram_explanation: 0.2 };

/** Without `prompt_styles`, image scripts word most requests plainly or in their paraphrases. */
const DEFAULT_STYLES: Partial<Record<PromptStyle, number>> = { plain: 0.4, paraphrase: 0.4, elicit: 0.2 };

const styleTables = new WeakMap<CampaignRuntime, WeightedTable<PromptStyle>>();

function styleTableOf(runtime: CampaignRuntime): WeightedTable<PromptStyle> {
  let table = styleTables.get(runtime);
  if (table === undefined) styleTables.set(runtime, (table = weightedFromRecord(runtime.config.content.prompt_styles ?? DEFAULT_STYLES)));
  return table;
}

export function isVisionTask(task: string): task is VisionTask {
  return (VISION_TASKS as readonly string[]).includes(task);
}

function imagesFor(request: SessionRequest, runtime: CampaignRuntime, images: ImageSketch, task: VisionTask): ImageSpec[] {
  const { rng } = request;
  const content = runtime.config.content;
  const profile: ImageProfile = { kind: IMAGE_KIND[task], jpegShare: JPEG_SHARE[task], kilobytes: content.image_kilobytes, urlShare: content.image_url_share, urlBase: images.urlBase, detail: images.detail };
  const count = rng.chance(0.85) ? 1 : rng.range(2, 3);
  return Array.from({ length: count }, () => {
    // Harvesters want coverage: a fresh image, except for the odd retry or second instruction.
    const seed = rng.chance(content.image_resend_share) ? deriveSeed(runtime.imageSeed, rng.int(400)) : rng.u32();
    return imageOf(seed, profile);
  });
}

/** One image request: the images, then the instruction in one of the sketch's wordings. */
export function imageTask(request: SessionRequest, runtime: CampaignRuntime, sketch: CampaignSketch, task: VisionTask): ExchangeSpec {
  const { rng, account } = request;
  const images = sketch.images!;
  const style = styleTableOf(runtime).pick(rng);
  const bank = VISION_INSTRUCTIONS[task][style];
  const text = bank[rng.pick(images.wordings[task][style])]!;
  const system = composedSystem(request, runtime, task);
  const spec = campaignRequest(request, runtime, [{ role: 'user', text, images: imagesFor(request, runtime, images, task) }], { system: system === undefined ? (rng.chance(0.5) ? images.system : null) : system });
  const subject = rng.pick(IMAGE_SUBJECTS[task]);
  const length = outputLength(rng, account.habits.outputChars);
  const reasoned = style === 'elicit' || task === 'chart_reading' || task === 'diagram_explanation';
  const response = responseOf(request, spec, reasoned ? 'steps' : 'prose', subject, length);
  if (task === 'table_extraction' || (task === 'chart_reading' && /table|JSON|CSV/.test(text))) response.texts = response.texts.map(() => structuredTable(rng, text, length));
  return { request: spec, response };
}

function computerTask(rng: Rng): string {
  const slots: Record<string, string> = {};
  for (const [key, values] of Object.entries(COMPUTER_SLOTS)) slots[key] = rng.pick(values);
  return fill(rng.pick(COMPUTER_TASKS), slots);
}

/** A computer-use agent session over a desktop or web task. */
export function computerUseSession(request: SessionRequest, runtime: CampaignRuntime, sketch: CampaignSketch): ExchangeSpec[] {
  const { rng, account, api } = request;
  const images = sketch.images!;
  const composed = composedSystem(request, runtime, 'computer_use');
  const system = composed === undefined ? images.system : composed;
  const content = runtime.config.content;
  return computerUseLoop(request, {
    task: computerTask(rng),
    display: images.display,
    builtin: images.builtinComputerTool,
    screenshots: { kind: 'screen', jpegShare: images.screenshotJpegShare, kilobytes: content.image_kilobytes, urlShare: 0, urlBase: '', detail: images.detail },
    openingScreenshot: rng.chance(0.5),
    makeSpec: (messages, tools) => campaignRequest(request, runtime, messages, { system, tools, cacheSystem: api === 'anthropic.messages' && system !== null }),
    narration: 'short',
    finalStyle: 'prose',
    finalLength: outputLength(rng, account.habits.outputChars),
  });
}
