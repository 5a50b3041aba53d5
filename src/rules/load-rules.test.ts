import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { createScanner } from '../detection/scanner.ts';
import { createVerificationRunner, DEFAULT_VERIFICATION_POLICY } from '../verification/runner.ts';
import { loadRuleFile } from './load-rules.ts';

const server = useMswServer();

function file(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lw-rules-')), name);
  writeFileSync(path, content);
  return path;
}

const scan = (detectors: Parameters<typeof createScanner>[0]['detectors'], text: string) =>
  createScanner({ detectors, fingerprintKey: 'rules-test-key-0123456789abcdef0123' }).scan(text);

const GITLEAKS = `
title = "acme rules"

[allowlist]
description = "global"
stopwords = ["notreal"]

[[rules]]
id = "acme-api-key"
description = "ACME API key"
regex = '''(?i)\\bacme[_-]?key\\s*[=:]\\s*([a-z0-9]{32})\\b'''
keywords = ["acme"]
entropy = 3.0

  [[rules.allowlists]]
  regexTarget = "line"
  regexes = ['''(?i)rotated''']

[[rules]]
id = "acme-session"
regex = '''(?P<tok>acmes_[A-Za-z0-9]{20})'''
secretGroup = 1
keywords = ["acmes_"]

[[rules]]
id = "pem-files"
path = '''\\.pem$'''
`;

describe('gitleaks rules', () => {
  it('turns [[rules]] into detectors with secretGroup, keywords, entropy and allowlists', () => {
    const { detectors, warnings } = loadRuleFile(file('rules.toml', GITLEAKS), []);
    expect(detectors.map((d) => d.id)).toEqual(['acme-api-key', 'acme-session']);
    expect(warnings).toEqual(['rule "pem-files": skipped, it only matches file paths']);

    const hit = scan(detectors, 'ACME_KEY = k3j5h7g9f1d3s5a7q9w1e3r5t7y9u1i3 for prod');
    expect(hit.map((m) => [m.detectorId, m.secret.reveal()])).toEqual([
      ['acme-api-key', 'k3j5h7g9f1d3s5a7q9w1e3r5t7y9u1i3'],
    ]);
    expect(scan(detectors, 'acme_key=k3j5h7g9f1d3s5a7q9w1e3r5t7y9u1i3 (rotated already)')).toEqual([]);
    expect(scan(detectors, 'acme-key: notrealnotrealnotrealnotrealnotr')).toEqual([]);
    expect(scan(detectors, 'use acmes_Q2w3E4r5T6y7U8i9O0pA please').map((m) => m.secret.reveal())).toEqual([
      'acmes_Q2w3E4r5T6y7U8i9O0pA',
    ]);
  });

  it.each([
    ['bad TOML', '[[rules]\nid=', /not valid TOML/],
    ['a missing id', '[[rules]]\nregex = "x"', /rules\.0\.id/],
    ['an invalid regex', '[[rules]]\nid = "bad"\nregex = "([a-z"', /rule "bad": regex: not a valid pattern/],
    [
      'a catastrophic regex',
      '[[rules]]\nid = "redos"\nregex = "^(a+)+$"',
      /rule "redos": regex: pattern can backtrack catastrophically/,
    ],
    [
      'an unsafe allowlist regex',
      '[[rules]]\nid = "x"\nregex = "x([0-9]{4})"\n[[rules.allowlists]]\nregexes = ["(a|a)*$"]',
      /rule "x": allowlists\[0\]\.regexes\[0\]/,
    ],
    [
      'a secretGroup beyond the groups',
      '[[rules]]\nid = "g"\nregex = "a([0-9])"\nsecretGroup = 3',
      /rule "g": secretGroup/,
    ],
    ['duplicate ids', '[[rules]]\nid = "d"\nregex = "a"\n[[rules]]\nid = "d"\nregex = "b"', /rule "d": id: duplicate/],
  ])('rejects a file with %s, naming the rule and field', (_name, content, message) => {
    expect(() => loadRuleFile(file('r.toml', content), [])).toThrow(message);
  });
});

const YAML_RULES = `
rules:
  - id: acme-deploy-token
    name: ACME deploy token
    issuer: acme
    severity: high
    keywords: [acmedt_]
    pattern: '(?<secret>acmedt_[A-Za-z0-9]{24})'
    entropy: 3
    examples:
      match: ['deploy with acmedt_Zq8mR2vK9pL4xW7nT1sY6bH3']
      ignore: ['acmedt_short']
    verify:
      url: https://api.acme.example/v1/me
      headers:
        Authorization: 'Bearer {{secret}}'
      liveStatus: [200]
      deadStatus: [401]
`;

describe('leakwatch rules', () => {
  it('loads YAML rules with a declarative verify that only calls the configured URL', async () => {
    const { detectors } = loadRuleFile(file('rules.yaml', YAML_RULES), []);
    const [m] = scan(detectors, 'deploy with acmedt_Zq8mR2vK9pL4xW7nT1sY6bH3');
    expect(m).toMatchObject({ detectorId: 'acme-deploy-token', issuer: 'acme', severity: 'high' });
    const seen: string[] = [];
    server.use(
      http.get('https://api.acme.example/v1/me', ({ request }) => {
        seen.push(request.headers.get('authorization') ?? '');
        return HttpResponse.json({ id: 1 });
      }),
    );
    const runner = createVerificationRunner({ ...DEFAULT_VERIFICATION_POLICY, hostRequestsPerSecond: 1000 });
    expect(await runner.verify(detectors[0]!, m!)).toMatchObject({ liveness: 'live' });
    expect(seen).toEqual(['Bearer acmedt_Zq8mR2vK9pL4xW7nT1sY6bH3']);
  });

  it('loads JSON rules and rejects examples the rule contradicts', () => {
    const ok = JSON.stringify({ rules: [{ id: 'x-key', keywords: ['xk_'], pattern: 'xk_[0-9a-f]{16}' }] });
    expect(loadRuleFile(file('r.json', ok), []).detectors[0]!.secretGroup).toBe(0);
    const contradicted = JSON.stringify({
      rules: [{ id: 'x-key', keywords: ['xk_'], pattern: 'xk_[0-9a-f]{16}', examples: { match: ['xk_123'] } }],
    });
    expect(() => loadRuleFile(file('r.json', contradicted), [])).toThrow(
      /rule "x-key": examples\.match\[0\]: the rule does not find a secret in it/,
    );
  });

  it.each([
    [
      'a non-https verify URL',
      { id: 'a', pattern: 'a', verify: { url: 'http://x.example/' } },
      /rule "a": rules\.0\.verify\.url: must be an https/,
    ],
    ['a bad severity', { id: 'b', pattern: 'b', severity: 'urgent' }, /rule "b": rules\.0\.severity/],
    ['a non-kebab id', { id: 'Bad Id', pattern: 'b' }, /rules\.0\.id: must be kebab-case/],
    ['a catastrophic pattern', { id: 'c', pattern: '(x+x+)+y' }, /rule "c": pattern: pattern can backtrack/],
  ])('rejects %s', (_name, rule, message) => {
    expect(() => loadRuleFile(file('r.json', JSON.stringify({ rules: [rule] })), [])).toThrow(message);
  });

  it('rejects ids that collide with built-in detectors and unknown extensions', () => {
    const path = file('r.json', JSON.stringify({ rules: [{ id: 'npm-access-token', pattern: 'x' }] }));
    expect(() => loadRuleFile(path, [{ id: 'npm-access-token' } as never])).toThrow(/collides with a built-in/);
    expect(() => loadRuleFile(file('r.txt', 'x'), [])).toThrow(/unknown extension/);
    expect(() => loadRuleFile('/nonexistent/rules.toml', [])).toThrow(/cannot be read \(ENOENT\)/);
  });
});
