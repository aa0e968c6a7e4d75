import { createTemplateMiner, type TemplateMiner, type TemplateMinerOptions } from '../features/template-miner.js';
import { SHAPE_POSITIONS, SHAPE_WORDS } from '../features/template-shape.js';
import type { ExchangeBatch } from '../model/exchange-batch.js';

/**
 * The template a row's shape fills, as the tracker counts it: mined, and -1 for a text too short
 * for a template or a template filled only once so far (one text is not yet a template). `shape`
 * is scratch space of `SHAPE_POSITIONS`; `contentOutsideText` as `TemplateMiner.add` takes it.
 */
export function countedTemplate(miner: TemplateMiner, columns: readonly Uint32Array[], row: number, tokens: number, shape: Uint16Array, contentOutsideText = false): number {
  for (let w = 0; w < SHAPE_WORDS; w++) {
    const word = columns[w >> 1]![2 * row + (w & 1)]!;
    shape[2 * w] = word & 0xffff;
    shape[2 * w + 1] = word >>> 16;
  }
  const id = miner.add(shape, tokens, contentOutsideText);
  return id >= 0 && miner.get(id)!.count >= 2 ? id : -1;
}

/**
 * Mines the templates of a stream of batches ahead of the trackers that will observe them, and
 * writes each row's into the batch (`promptTemplate`, `systemTemplate`). Mining is online and
 * deterministic, so miners with the tracker's options fed the same exchanges in the same order
 * give the ids the tracker's own would; a replay that runs two engines over one stream (the
 * backtest's replay and its linking thread) mines once, on the thread that reads the store, and
 * neither engine pays for it. An engine fed such batches holds no template shapes of its own
 * (`templateShape` finds none), which a replay never asks for.
 */
export function createTemplatePreminer(options: { promptTemplates?: TemplateMinerOptions; systemTemplates?: TemplateMinerOptions }): (batch: ExchangeBatch) => void {
  const prompts = createTemplateMiner(options.promptTemplates);
  const systems = createTemplateMiner(options.systemTemplates);
  const shape = new Uint16Array(SHAPE_POSITIONS);
  return (batch) => {
    const promptTemplate = new Int32Array(batch.length).fill(-1);
    const systemTemplate = new Int32Array(batch.length).fill(-1);
    // System prompt first, then prompt, row by row: the tracker's order.
    for (let i = 0; i < batch.length; i++) {
      const systemTokens = batch.systemTokens[i]!;
      if (systemTokens > 0) systemTemplate[i] = countedTemplate(systems, batch.systemShape, i, systemTokens, shape);
      const promptTokens = batch.promptTokens[i]!;
      if (promptTokens > 0) promptTemplate[i] = countedTemplate(prompts, batch.promptShape, i, promptTokens, shape, batch.imageCount[i]! > 0);
    }
    batch.promptTemplate = promptTemplate;
    batch.systemTemplate = systemTemplate;
  };
}
