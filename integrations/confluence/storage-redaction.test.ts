import { describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { normalize } from '../../src/detection/normalize.ts';
import { createScanner } from '../../src/detection/scanner.ts';
import { redactStorage } from './storage-redaction.ts';

const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
const scanner = createScanner({ detectors, fingerprintKey: 'storage-redaction-test-key-0123456789abcdef' });

function locate(markup: string) {
  return scanner.scan(markup, { format: 'xhtml' }).map((m) => ({ start: m.start, end: m.end, redacted: m.redacted }));
}

describe('redactStorage', () => {
  it('replaces a secret in text, a link target and a code macro CDATA body', () => {
    const markup =
      `<p>see <a href="https://ci.test/?t=${TOKEN}">ci</a> or ${TOKEN}</p>` +
      `<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[TOKEN=${TOKEN} && echo "<ok>"]]></ac:plain-text-body></ac:structured-macro>`;
    const located = locate(markup);
    expect(located).toHaveLength(3);
    const out = redactStorage(markup, located);
    const r = located[0]!.redacted;
    expect(out).toBe(
      `<p>see <a href="https://ci.test/?t=${r}">ci</a> or ${r}</p>` +
        `<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[TOKEN=${r} && echo "<ok>"]]></ac:plain-text-body></ac:structured-macro>`,
    );
    expect(locate(out)).toEqual([]);
  });

  it('keeps the markup a secret is split across', () => {
    const markup = `<p>token <strong>${TOKEN.slice(0, 12)}</strong><em>${TOKEN.slice(12)}</em> end</p>`;
    const located = locate(markup);
    expect(located).toHaveLength(1);
    const out = redactStorage(markup, located);
    expect(out).toBe(`<p>token <strong>${located[0]!.redacted}</strong><em></em> end</p>`);
    expect(normalize(out, 'xhtml').text).not.toContain(TOKEN.slice(12));
  });

  it('escapes the replacement outside CDATA and cannot close a CDATA section inside one', () => {
    expect(redactStorage('<p>abc</p>', [{ start: 3, end: 6, redacted: 'a<b>&"' }])).toBe(
      '<p>a&lt;b&gt;&amp;&quot;</p>',
    );
    expect(redactStorage('<![CDATA[abc]]>', [{ start: 9, end: 12, redacted: 'x]]>y' }])).toBe(
      '<![CDATA[x]]]]><![CDATA[>y]]>',
    );
  });

  it('merges overlapping spans and leaves text outside them untouched', () => {
    expect(
      redactStorage('<p>0123456789</p>', [
        { start: 4, end: 8, redacted: 'A' },
        { start: 6, end: 10, redacted: 'B' },
      ]),
    ).toBe('<p>0A789</p>');
  });
});
