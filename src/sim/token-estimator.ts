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
