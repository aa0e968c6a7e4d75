/**
 * Cuts text without splitting a UTF-16 surrogate pair: a lone surrogate is not valid Unicode,
 * and a real log never holds one (JSON.stringify would write it as a `\ud83d` escape).
 */
export function sliceText(text: string, end: number): string {
  if (end >= text.length) return text;
  if (end <= 0) return '';
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

export function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}
