/**
 * The one rule that ties usage numbers to text in simulated bodies: a text costs
 * `ceil(length / 4)` tokens, length in UTF-16 code units (about four characters per token for
 * English, the usual rule of thumb). Every usage field the simulator writes is a sum of this over
 * the pieces it covers:
 *
 * - input: system text, every message part's text (text, tool-call arguments JSON, tool-result
 *   text, thinking), plus `MESSAGE_OVERHEAD_TOKENS` per message, plus each tool definition's JSON;
 * - output: response text, thinking text and tool-call arguments JSON, per choice;
 * - OpenAI reasoning tokens are hidden (only a summary, if any, is visible): they are added to
 *   the output count and reported in `reasoning_tokens`, never less than the summary's tokens.
 *
 * - images: what the API bills for them, from their dimensions (`imageTokens`), whatever their
 *   size in bytes or whether they are sent inline or as a link.
 *
 * Detectors and tests may rely on this rule; keep docs/simulator.md ("How the content is built") in step.
 */
export const CHARS_PER_TOKEN = 4;
export const MESSAGE_OVERHEAD_TOKENS = 3;

export function tokensOf(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The longest text that fits a token budget under the rule. */
export function charsFor(tokens: number): number {
  return tokens * CHARS_PER_TOKEN;
}

/**
 * Input tokens of an image as the APIs bill them. Anthropic: width × height / 750 after scaling
 * the image to fit 1568 px on its long edge and about 1.15 megapixels. OpenAI (GPT-4o-class
 * rule): `low` detail 85; otherwise fit 2048 × 2048, scale the short side down to 768, then 170
 * per 512-px tile plus 85.
 */
export function imageTokens(api: 'anthropic' | 'openai', width: number, height: number, detail: 'low' | 'high' | 'auto' | null): number {
  if (api === 'anthropic') {
    const scale = Math.min(1, 1568 / Math.max(width, height), Math.sqrt(1_150_000 / (width * height)));
    return Math.max(1, Math.ceil((Math.round(width * scale) * Math.round(height * scale)) / 750));
  }
  if (detail === 'low') return 85;
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const short = Math.min(1, 768 / Math.min(w, h));
  w *= short;
  h *= short;
  return 85 + 170 * Math.ceil(w / 512) * Math.ceil(h / 512);
}
