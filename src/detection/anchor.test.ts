import { describe, expect, it } from 'vitest';
import { leadingLiterals } from './anchor.ts';

describe('leadingLiterals', () => {
  it.each([
    [/(?<![A-Za-z0-9_])(?<secret>xoxb-[0-9]{10,13})/, ['xoxb-']],
    [/(?<secret>(?:AKIA|ASIA|ABIA)[A-Z2-7]{16})/, ['AKIA', 'ASIA', 'ABIA']],
    [/\bbearer\s{1,3}(?<secret>[A-Za-z0-9]{15,99})/i, ['bearer']],
    [/(?<secret>hvs\.[\w-]{24,250})/, ['hvs.']],
    [/(?<secret>github_pat_[0-9])/, ['github_pat_']],
    [/(?<=[=:])(?<secret>sk-ant-api03-[\w-]{93}AA)/, ['sk-ant-api03-']],
  ])('%s starts with %j', (pattern, expected) => {
    expect(leadingLiterals(pattern.source)).toEqual(expected);
  });

  it.each([
    /(?<secret>[0-9a-f]{32}-us\d)/,
    /(?<secret>ab?c)/,
    /(?:api|)key(?<secret>x)/,
    /(?:a|b)?c(?<secret>x)/,
    /\w+(?<secret>x)/,
    /(?<secret>(?:a|b[0-9])x)/,
  ])('%s has no leading literal', (pattern) => {
    const literals = leadingLiterals(pattern.source);
    // `ab?c` yields 'a' (the optional b is not part of it); anything else must be undefined.
    if (literals) expect(literals).toEqual(['a']);
    else expect(literals).toBeUndefined();
  });
});
