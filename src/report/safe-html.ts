import { escapeHtml } from './html-escape.js';

/** Markup that is already safe to emit: built by `html` or marked by `trustedHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

/**
 * Tagged template for report markup: every interpolated string is escaped unless it is already
 * `SafeHtml`, so findings text cannot become markup by forgetting a call. Arrays are joined;
 * null, undefined and false render as nothing (for `${cond && html`...`}`).
 *
 * @example html`<td title="${account.account_id}">${account.account_id}</td>`
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Marks the report's own constant markup (styles, page script, pre-escaped JSON) as safe. */
export function trustedHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return escapeHtml(String(value));
}
