const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for an HTML text node or a quoted attribute value. Every string that comes from
 * findings goes through this (or through `textContent` in the page script): prompt excerpts and
 * template text are written by attackers.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`
 * and friends, so no `</script>`, `<!--` or `<script` can appear in the element's text whatever
 * the data holds; U+2028/U+2029 are escaped for older parsers. `JSON.parse` restores them all.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
