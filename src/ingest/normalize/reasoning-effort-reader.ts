import type { ReasoningEffort } from '../../model/exchange.js';

/**
 * OpenAI reasoning effort as the model knows it. Values outside the model's scale (`none`,
 * `xhigh`, typos) read as null rather than being forced onto the nearest level, so that the
 * scale's meaning stays the same across model generations.
 */
export function readReasoningEffort(value: unknown): ReasoningEffort | null {
  return value === 'minimal' || value === 'low' || value === 'medium' || value === 'high' ? value : null;
}
