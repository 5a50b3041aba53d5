import { describe, expect, it } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { createScanner, type ScanStats } from './scanner.ts';
import { fingerprint } from './fingerprint.ts';

const TOKEN = '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';

const npmLike: Detector = {
  id: 'npm-like',
  name: 'npm-like',
  issuer: 'npm',
  keywords: ['npm_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
  severity: 'critical',
  examples: { match: [], ignore: [] },
};

const keyPair: Detector = {
  id: 'pair',
  name: 'key id + secret',
  issuer: 'pair',
  keywords: ['KEYID'],
  pattern: /(?<secret>KEYID[A-Z2-7]{12})/,
  companions: [
    {
      name: 'secret',
      pattern: /(?<![A-Za-z0-9/+])(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/,
      window: 100,
      entropy: 4,
    },
  ],
  severity: 'critical',
  examples: { match: [], ignore: [] },
};

const generic: Detector = {
  id: 'generic-token',
  name: 'token assignment',
  issuer: 'generic',
  keywords: ['token'],
  pattern: /token\s*=\s*(?<secret>[A-Za-z0-9_]{20,80})/i,
  generic: true,
  severity: 'medium',
  examples: { match: [], ignore: [] },
};

const key = 'scanner-test-key-0123456789abcdef0123';

describe('createScanner', () => {
  it('reports the span, redacted preview and fingerprint of a match', () => {
    const scanner = createScanner({ detectors: [npmLike], fingerprintKey: key });
    const text = `publish with ${TOKEN} please`;
    const [m, ...rest] = scanner.scan(text);
    expect(rest).toEqual([]);
    expect(text.slice(m!.start, m!.end)).toBe(TOKEN);
    expect(m!.redacted).toBe('npm_********Sowm');
    expect(m!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // The scanner imports the key once; the fingerprint must be the same HMAC as with the key as given.
    expect(m!.fingerprint).toBe(fingerprint(key, [TOKEN]));
    expect(createScanner({ detectors: [npmLike], fingerprintKey: `${key}x` }).scan(text)[0]!.fingerprint).not.toBe(
      m!.fingerprint,
    );
  });

  it('drops placeholder values before validation', () => {
    const scanner = createScanner({ detectors: [npmLike], fingerprintKey: key });
    expect(scanner.scan('npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx npm_0123456789abcdefghijABCDEFGHIJabcdef')).toEqual(
      [],
    );
  });

  it('scans oversized text in overlapping windows and finds a token straddling a window edge once', () => {
    const scanner = createScanner({
      detectors: [npmLike],
      fingerprintKey: key,
      windowChars: 100_000,
      windowOverlapChars: 1000,
    });
    const filler = 'lorem ipsum '.repeat(10_000);
    for (const offset of [99_980, 99_000, 100_000 - 1000 - 20, 250_000]) {
      const text = filler.slice(0, offset) + ' ' + TOKEN + ' ' + filler.slice(offset);
      const found = scanner.scan(text);
      expect(found, `token at ${offset}`).toHaveLength(1);
      expect(text.slice(found[0]!.start, found[0]!.end)).toBe(TOKEN);
    }
  });

  it('finds tokens whose keyword straddles the edge of a prefilter block, in one or many windows', () => {
    // Blocks are 64 Ki characters: put the keyword across that edge and the next one, and at the very end.
    const filler = 'lorem ipsum '.repeat(20_000);
    for (const windowChars of [1024 * 1024, 100_000]) {
      const scanner = createScanner({ detectors: [npmLike], fingerprintKey: key, windowChars });
      for (const keywordAt of [65_534, 65_536, 131_070, filler.length - 2]) {
        const text = `${filler.slice(0, keywordAt - 1)} ${TOKEN} ${filler.slice(keywordAt)}`;
        const found = scanner.scan(text).map((m) => [m.start, m.end]);
        expect(found, `keyword at ${keywordAt}`).toEqual([[keywordAt, keywordAt + TOKEN.length]]);
      }
    }
  });

  it('switches a dense keyword to merged regions and still finds every token once', () => {
    // 2,000 hits of the keyword in 80 KB: trying the pattern at each would exceed the block, so regions are searched.
    const scanner = createScanner({ detectors: [npmLike], fingerprintKey: key });
    const stats: ScanStats = { keywordHits: 0, regionChars: new Map() };
    const text = `${'npm_ x '.repeat(2000)}${TOKEN} ${'npm_ y '.repeat(2000)}${TOKEN}`;
    expect(scanner.scan(text, { stats }).map((m) => text.slice(m.start, m.end))).toEqual([TOKEN, TOKEN]);
    expect(stats.keywordHits).toBe(4002);
    expect(stats.regionChars.get('npm-like')).toBeLessThanOrEqual(text.length + 2 * 256);
  });

  it('requires companion parts within their window and reports both spans', () => {
    const scanner = createScanner({ detectors: [keyPair], fingerprintKey: key });
    const secret = 'k9Qz3Lm2Xw8Rt5Vb7Np1Hy4Jc6Fd0Gs2Ak8Ue3Tq';
    const text = `id KEYIDABCDEFGHJKLM and secret ${secret}`;
    const [m] = scanner.scan(text);
    expect(m?.parts).toHaveLength(1);
    expect(text.slice(m!.parts[0]!.start, m!.parts[0]!.end)).toBe(secret);
    expect(m!.redacted).toContain(' + ');
    expect(scanner.scan(`id KEYIDABCDEFGHJKLM ${'.'.repeat(200)} ${secret}`)).toEqual([]);
    expect(scanner.scan('id KEYIDABCDEFGHJKLM alone')).toEqual([]);
  });

  it('lets a specific detector shadow an overlapping generic match', () => {
    const scanner = createScanner({ detectors: [npmLike, generic], fingerprintKey: key });
    expect(scanner.scan(`token = ${TOKEN}`).map((m) => m.detectorId)).toEqual(['npm-like']);
    expect(scanner.scan('token = Zq8mR2vK9pL4xW7nT1sY6bH3').map((m) => m.detectorId)).toEqual(['generic-token']);
    // Also when the generic match is a specific match's companion part (the AWS secret key beside its id).
    const pairAndGeneric = createScanner({ detectors: [keyPair, generic], fingerprintKey: key });
    const secret = 'k9Qz3Lm2Xw8Rt5Vb7Np1Hy4Jc6Fd0Gs2Ak8Ue3Tq';
    expect(pairAndGeneric.scan(`KEYIDABCDEFGHJKLM token = ${secret}`).map((m) => m.detectorId)).toEqual(['pair']);
  });

  it('never keeps a generic detector keyword visible in the redacted form', () => {
    const password: Detector = {
      ...generic,
      id: 'generic-pass',
      keywords: ['pass'],
      pattern: /pass(?:word)?\s*=\s*(?<secret>\S{8,40})/i,
    };
    const [m] = createScanner({ detectors: [password], fingerprintKey: key }).scan('password = passW0rd!x9Qz');
    expect(m!.redacted).toBe('********9Qz');
  });

  it('tries anchored patterns only at keyword hits and still finds every token', () => {
    const scanner = createScanner({ detectors: [npmLike], fingerprintKey: key });
    const stats: ScanStats = { keywordHits: 0, regionChars: new Map() };
    const text = `${'lorem ipsum '.repeat(1000)} ${TOKEN} ${'dolor '.repeat(1000)} npm_short ${TOKEN}`;
    expect(scanner.scan(text, { stats }).map((m) => text.slice(m.start, m.end))).toEqual([TOKEN, TOKEN]);
    // Three hits, each tried once: far less than the text length.
    expect(stats.regionChars.get('npm-like')).toBeLessThan(text.length / 4);
  });

  it('does not try a pattern at a keyword hit its leading boundary rules out', () => {
    const expoLike: Detector = {
      ...generic,
      id: 'expo-like',
      keywords: ['eas', 'expo'],
      pattern: /(?<![a-z])(?:expo|eas)(?![a-z])[\w.-]{0,24}[\s:=]{1,4}(?<secret>[A-Za-z0-9_-]{40})(?![\w-])/i,
    };
    const scanner = createScanner({ detectors: [expoLike], fingerprintKey: key });
    const stats: ScanStats = { keywordHits: 0, regionChars: new Map(), attempts: new Map() };
    const secret = 'Zq8mR2vK9pL4xW7nT1sY6bH3Xw7nT1sY6bH3Zq8m';
    const text = `please release the lease, ${'please '.repeat(50)}\nEXPO_TOKEN=${secret} (eas build)\n(eas: ${secret})`;
    expect(scanner.scan(text, { stats }).map((m) => text.slice(m.start, m.end))).toEqual([secret, secret]);
    expect(stats.keywordHits).toBe(3 + 50 + 3);
    // Only the three hits after a non-letter are tried: `eas` inside please/release/lease never is.
    expect(stats.attempts!.get('expo-like')).toBe(3);
  });

  it('tries a pattern that starts with named groups and alternatives of its keywords only at the hits', () => {
    const assignment: Detector = {
      ...generic,
      id: 'assignment',
      keywords: ['api_key', 'apikey', 'secret'],
      pattern: /(?<name>api_?key|secret)(?<suffix>_[a-z]{1,8})?\s*[:=]\s*(?<secret>[A-Za-z0-9]{20,40})/i,
    };
    const scanner = createScanner({ detectors: [assignment], fingerprintKey: key });
    const stats: ScanStats = { keywordHits: 0, regionChars: new Map() };
    const text = `${'the api key rotation doc '.repeat(400)} SECRET_PROD = Zq8mR2vK9pL4xW7nT1sY6bH3 and apikey:Xw7nT1sY6bH3Zq8mR2vK9pL4`;
    const found = scanner.scan(text, { stats }).map((m) => text.slice(m.start, m.end));
    expect(found).toEqual(['Zq8mR2vK9pL4xW7nT1sY6bH3', 'Xw7nT1sY6bH3Zq8mR2vK9pL4']);
    // Two hits, each tried once (counted as `after` characters), not a window searched around each.
    expect(stats.regionChars.get('assignment')).toBe(2 * 256);
  });

  it('searches around a keyword that sits inside the match, and reports the secret group and its line', () => {
    const lines: string[] = [];
    const infix: Detector = {
      id: 'infix',
      name: 'infix',
      issuer: 'infix',
      keywords: ['-zz'],
      pattern: /(?<![A-Za-z0-9])[a-f0-9]{4}-zz-(?<secret>[A-Za-z0-9]{24})(?![A-Za-z0-9])/,
      validate: (_secret, _groups, context) => {
        lines.push(context!.line());
        return true;
      },
      severity: 'high',
      examples: { match: [], ignore: [] },
    };
    const scanner = createScanner({ detectors: [infix], fingerprintKey: key });
    const text = 'first line\nkey 9f3a-zz-Qm8vT3zLx9RkQm8vT3zLx9Rk here\nlast line -zz-';
    const [m, ...rest] = scanner.scan(text);
    expect(rest).toEqual([]);
    expect(text.slice(m!.start, m!.end)).toBe('Qm8vT3zLx9RkQm8vT3zLx9Rk');
    expect(lines).toEqual(['key 9f3a-zz-Qm8vT3zLx9RkQm8vT3zLx9Rk here']);
  });

  it('maps matches in Slack markup back to the original text', () => {
    const scanner = createScanner({ detectors: [npmLike], fingerprintKey: key });
    const text = `&lt;code&gt; <https://x.test/${TOKEN}|link> &amp; ${TOKEN}`;
    const found = scanner.scan(text, { format: 'slack' });
    expect(found).toHaveLength(2);
    for (const m of found) expect(text.slice(m.start, m.end)).toBe(TOKEN);
  });

  it('counts per-detector work and rejects malformed registries', () => {
    const stats: ScanStats = { keywordHits: 0, regionChars: new Map() };
    createScanner({ detectors: [npmLike], fingerprintKey: key }).scan(`a ${TOKEN} b`, { stats });
    expect(stats.keywordHits).toBe(1);
    expect(stats.regionChars.get('npm-like')).toBeGreaterThan(0);
    expect(() => createScanner({ detectors: [npmLike, npmLike], fingerprintKey: key })).toThrow(/duplicate/);
    expect(() =>
      createScanner({ detectors: [{ ...npmLike, id: 'x', pattern: /npm_\w+/ }], fingerprintKey: key }),
    ).toThrow(/secret/);
  });
});
