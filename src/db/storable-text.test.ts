import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonMayHoldUnstorableText, unstorableTextPath } from './storable-text.ts';

describe('unstorableTextPath', () => {
  it('names the first key or string PostgreSQL cannot store', () => {
    expect(unstorableTextPath({ author: { name: 'a\u0000' } })).toBe('author.name');
    expect(unstorableTextPath({ items: ['ok', 'lone \ud83d'] })).toBe('items.1');
    expect(unstorableTextPath({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(unstorableTextPath({ text: 'a\u0000' }, ['text'])).toBeUndefined();
    expect(unstorableTextPath({ emoji: 'ok 🔑', nested: [{ deep: 'fine' }] })).toBeUndefined();
  });
});

describe('jsonMayHoldUnstorableText', () => {
  it('says look for NUL and surrogates, raw or escaped, and not for ordinary text', () => {
    expect(jsonMayHoldUnstorableText(JSON.stringify({ text: 'deploy with token, café 🔑' }))).toBe(false);
    expect(jsonMayHoldUnstorableText('{"text":"a\\u0000"}')).toBe(true);
    expect(jsonMayHoldUnstorableText('{"text":"a\\ud83d"}')).toBe(true);
    expect(jsonMayHoldUnstorableText('{"text":"a\\uDC00"}')).toBe(true);
    expect(jsonMayHoldUnstorableText(JSON.stringify({ text: 'a\u0000' }))).toBe(true);
    expect(jsonMayHoldUnstorableText(`{"text":"lone \ud83d"}`)).toBe(true);
  });

  it('is never wrong when it says there is nothing to look for (any JSON text, escaped or not)', () => {
    const text = fc.string({ unit: 'binary' });
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(text, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    // As `JSON.stringify` writes it (lone surrogates escaped) and with every non-ASCII character escaped.
    const escapeAll = (json: string) =>
      json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    fc.assert(
      fc.property(value, fc.boolean(), (v, escaped) => {
        const json = escaped ? escapeAll(JSON.stringify(v)) : JSON.stringify(v);
        if (!jsonMayHoldUnstorableText(json)) expect(unstorableTextPath(JSON.parse(json))).toBeUndefined();
      }),
      { numRuns: 2000, seed: 20261126 },
    );
  });
});
