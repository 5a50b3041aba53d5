import { describe, expect, it } from 'vitest';
import { normalizeAdf } from './normalize-adf.ts';
import { normalize } from './normalize.ts';

const TOKEN = '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';

function original(text: string, format: 'slack' | 'html' | 'xhtml', needle: string): string {
  const mapped = normalize(text, format);
  const at = mapped.text.indexOf(needle);
  expect(at, `"${needle}" not in normalised text: ${JSON.stringify(mapped.text)}`).toBeGreaterThanOrEqual(0);
  const span = mapped.toOriginal({ start: at, end: at + needle.length });
  return text.slice(span.start, span.end);
}

describe('normalize slack', () => {
  it('decodes entities and maps them back to the escaped original', () => {
    const text = 'url: https://x.blob.core.windows.net/c?sv=2024&amp;sig=abc&amp;se=1 &lt;b&gt;';
    const mapped = normalize(text, 'slack');
    expect(mapped.text).toContain('sv=2024&sig=abc&se=1 <b>');
    expect(original(text, 'slack', '&sig=abc&')).toBe('&amp;sig=abc&amp;');
  });

  it('unwraps <url|label> links so target and label are scanned separately', () => {
    const text = `see <https://hooks.example/${TOKEN}|the hook> and <@U123ABC>`;
    const mapped = normalize(text, 'slack');
    expect(mapped.text).toBe(` see  https://hooks.example/${TOKEN} the hook  and  @U123ABC `.slice(1));
    expect(original(text, 'slack', TOKEN)).toBe(TOKEN);
  });

  it('keeps a literal pipe outside links', () => {
    expect(normalize('a | b', 'slack').text).toBe('a | b');
  });
});

describe('normalize html', () => {
  it('joins a token split by inline tags and maps it back across the markup', () => {
    const text = `<p>token: <code>${TOKEN.slice(0, 10)}</code><b>${TOKEN.slice(10)}</b></p>`;
    expect(original(text, 'html', TOKEN)).toBe(`${TOKEN.slice(0, 10)}</code><b>${TOKEN.slice(10)}`);
  });

  it('separates block elements so words do not run together', () => {
    expect(normalize('<p>one</p><p>two</p>', 'html').text).toMatch(/one\s+two/);
    expect(normalize('a<br>b', 'html').text).toMatch(/a\s+b/);
  });

  it('decodes entities inside text and link targets', () => {
    const text = '<a href="https://h/?a=1&amp;sig=XYZ">x &amp; y</a>';
    const mapped = normalize(text, 'html');
    expect(mapped.text).toContain('https://h/?a=1&sig=XYZ');
    expect(mapped.text).toContain('x & y');
    expect(original(text, 'html', 'sig=XYZ')).toBe('sig=XYZ');
  });

  it('reads Confluence code macros (CDATA) in storage format', () => {
    const text = `<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[export NPM_TOKEN=${TOKEN}]]></ac:plain-text-body></ac:structured-macro>`;
    expect(original(text, 'xhtml', TOKEN)).toBe(TOKEN);
  });
});

describe('normalizeAdf', () => {
  it('joins text split across marked nodes and locates each piece', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: `token ${TOKEN.slice(0, 12)}` },
            { type: 'text', text: TOKEN.slice(12), marks: [{ type: 'strong' }] },
          ],
        },
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'link', marks: [{ type: 'link', attrs: { href: 'https://u:p@h' } }] }],
        },
      ],
    };
    const adf = normalizeAdf(doc);
    const at = adf.text.indexOf(TOKEN);
    expect(at).toBeGreaterThan(0);
    expect(adf.locate({ start: at, end: at + TOKEN.length })).toEqual([
      { pointer: '/content/0/content/0/text', start: 6, end: 18 },
      { pointer: '/content/0/content/1/text', start: 0, end: TOKEN.length - 12 },
    ]);
    expect(adf.text).toContain('https://u:p@h');
  });

  it('ignores malformed nodes and bounds nesting depth', () => {
    let deep: unknown = { type: 'text', text: 'bottom' };
    for (let i = 0; i < 1000; i++) deep = { type: 'paragraph', content: [deep] };
    expect(normalizeAdf(deep).text).not.toContain('bottom');
    expect(normalizeAdf({ content: [null, 3, 'x', { text: 5 }] }).text.trim()).toBe('');
  });
});
