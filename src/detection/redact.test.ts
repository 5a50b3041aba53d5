import { describe, expect, it } from 'vitest';
import { redactSecret, redactSpans } from './redact.ts';

describe('redactSecret', () => {
  it('keeps the public prefix and at most 4 trailing characters behind a fixed-width mask', () => {
    expect(redactSecret('ghp_16C7e42F292c69C2E7C10c838347Ae178B4a', 'ghp_')).toBe('ghp_********8B4a');
  });

  it('never shows more than a quarter of the secret part', () => {
    expect(redactSecret('abcdefgh')).toBe('********gh');
    expect(redactSecret('abc')).toBe('********');
    for (let n = 1; n < 40; n++) {
      const value = 'k'.repeat(n);
      const shown = redactSecret(value).replace('********', '');
      expect(shown.length).toBeLessThanOrEqual(Math.floor(n / 4));
    }
  });

  it('does not keep a prefix the value does not start with', () => {
    expect(redactSecret('secretvalue1234', 'ghp_')).toBe('********234');
  });
});

describe('redactSpans', () => {
  it('replaces each span, merging overlaps, leaving the rest intact', () => {
    const text = 'a SECRET1 b SECRET2 c';
    expect(
      redactSpans(
        text,
        [
          { start: 12, end: 19 },
          { start: 2, end: 9 },
          { start: 4, end: 6 },
        ],
        () => '[x]',
      ),
    ).toBe('a [x] b [x] c');
  });
});
