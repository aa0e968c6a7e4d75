/**
 * How much prompt and output text the store keeps. Features are computed from the full text at
 * ingest either way, so `none` loses no detection ability, only the excerpts in reports.
 */
export const TEXT_POLICIES = ['full', 'excerpt', 'none'] as const;
export type TextPolicy = (typeof TEXT_POLICIES)[number];

export const EXCERPT_CHARS = 240;

export function applyTextPolicy(text: string, policy: TextPolicy): string | null {
  if (policy === 'none' || text.length === 0) return null;
  if (policy === 'excerpt' && text.length > EXCERPT_CHARS) return text.slice(0, EXCERPT_CHARS);
  return text;
}
