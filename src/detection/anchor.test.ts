import { describe, expect, it } from 'vitest';
import { allowedBefore, leadingLiterals } from './anchor.ts';

const sorted = (list: string[] | undefined) => (list === undefined ? undefined : [...list].sort());

describe('leadingLiterals', () => {
  it.each([
    [/(?<![A-Za-z0-9_])(?<secret>xoxb-[0-9]{10,13})/, ['xoxb-']],
    [/(?<secret>(?:AKIA|ASIA|ABIA)[A-Z2-7]{16})/, ['ABIA', 'AKIA', 'ASIA']],
    [/\bbearer\s{1,3}(?<secret>[A-Za-z0-9]{15,99})/i, ['bearer']],
    [/(?<secret>hvs\.[\w-]{24,250})/, ['hvs.']],
    [/(?<secret>github_pat_[0-9])/, ['github_pat_']],
    [/(?<=[=:])(?<secret>sk-ant-api03-[\w-]{93}AA)/, ['sk-ant-api03-']],
    // Named groups, alternatives inside them, and lookarounds between literals.
    [
      /(?<name>key(?<=api_key)|secret|cred(?:entials?|s))(?<secret>\S+)/,
      ['credential', 'credentials', 'creds', 'key', 'secret'],
    ],
    // Optional characters and groups fork the prefix; escaped punctuation and \x escapes are literals.
    [/\b(?<scheme>postgres(?:ql)?|s?ftp):\/\/(?<secret>\S+)/, ['ftp://', 'postgres://', 'postgresql://', 'sftp://']],
    [/(?<secret>ab?c)/, ['abc', 'ac']],
    [/(?:api|)key(?<secret>x)/, ['apikeyx', 'keyx']],
    [/(?:a|b)?c(?<secret>x)/, ['acx', 'bcx', 'cx']],
    [/\x60token(?<secret>x)/, ['`tokenx']],
    // A repeat ends the prefix after its first occurrence; a class ends it where it stands.
    [/(?<secret>(?:a|b[0-9])x)/, ['ax', 'b']],
    [/(?<secret>(?:ab)+c)/, ['ab']],
    [/(?<secret>a*b)/, ['a', 'b']],
    [/p(?:ass(?:word)?|w)d?\s=(?<secret>x)/, ['pass', 'passd', 'password', 'passwordd', 'pw', 'pwd']],
  ])('%s starts with %j', (pattern, expected) => {
    expect(sorted(leadingLiterals(pattern.source))).toEqual([...expected].sort());
  });

  it.each([
    /(?<secret>[0-9a-f]{32}-us\d)/,
    /\w+(?<secret>x)/,
    /(?:a|[bc])(?<secret>x)/,
    /(?<secret>a?)/,
    /(?:a|)(?<secret>x?)/,
    /(?i:abc)(?<secret>x)/,
    /(?<q>["']?)\k<q>(?<secret>x)/,
  ])('%s has no leading literal', (pattern) => {
    expect(leadingLiterals(pattern.source)).toBeUndefined();
  });

  it('gives up when the set of prefixes grows past the limit', () => {
    const pattern = /a?b?c?d?e?f?g?(?<secret>x)/;
    expect(leadingLiterals(pattern.source, 64)).toBeUndefined();
    expect(leadingLiterals(pattern.source, 200)).toHaveLength(128);
  });
});

describe('allowedBefore', () => {
  const allowed = (table: Uint8Array | undefined, chars: string) => [...chars].map((c) => table?.[c.charCodeAt(0)]);

  it('reads the characters a leading negative lookbehind or \\b lets stand before the keyword', () => {
    const lookbehind = allowedBefore(/(?<![A-Za-z0-9_])(?<secret>xoxb-[0-9]{10})/, ['xoxb-']);
    expect(allowed(lookbehind, 'aZ9_')).toEqual([0, 0, 0, 0]);
    expect(allowed(lookbehind, ' "=:-\n')).toEqual([1, 1, 1, 1, 1, 1]);
    // With the i flag the class covers both cases; \b depends on the keyword's first character.
    expect(allowed(allowedBefore(/(?<![a-z])(?:expo|eas)(?<secret>x)/i, ['expo', 'eas']), 'lL-')).toEqual([0, 0, 1]);
    expect(allowed(allowedBefore(/\bbearer\s(?<secret>x+)/i, ['bearer']), 'a_ (')).toEqual([0, 0, 1, 1]);
    expect(allowed(allowedBefore(/\b:\/\/(?<secret>x+)/, ['://']), 'a (')).toEqual([1, 0, 0]);
  });

  it('has no table when the pattern does not start with such an assertion or it rejects nothing', () => {
    expect(allowedBefore(/xoxb-(?<secret>[0-9]{10})/, ['xoxb-'])).toBeUndefined();
    expect(allowedBefore(/(?:(?<![\w-])--|-u)(?<secret>x)/, ['--', '-u'])).toBeUndefined();
    expect(allowedBefore(/(?<=[=:])(?<secret>sk-[a-z]{8})/, ['sk-'])).toBeUndefined();
    // Needs more than one character of context: never judged from one, so nothing is rejected.
    expect(allowedBefore(/(?<!Credential=)(?<secret>AKIA[A-Z2-7]{16})/, ['akia'])).toBeUndefined();
    expect(allowedBefore(/(?<![a-z])(?<secret>x)/, [])).toBeUndefined();
  });
});
