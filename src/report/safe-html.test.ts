import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { html, trustedHtml } from './safe-html.js';

describe('html', () => {
  it('escapes interpolated strings, joins arrays and drops null, undefined and false', () => {
    const name = `<b title="x">'&'</b>`;
    expect(html`<p>${name}</p>`.value).toBe('<p>&lt;b title=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;</p>');
    expect(html`<ul>${['a<', 'b'].map((item) => html`<li>${item}</li>`)}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}${trustedHtml('<hr>')}`.value).toBe('0<hr>');
  });
});

describe('escapeHtml and jsonForScript', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('writes JSON that cannot end its script element and parses back to the same value', () => {
    const value = { text: '</script><!-- <script> & \u2028 \u2029' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
