import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { detectors } from '../detectors/index.ts';
import { LeakwatchError } from '../src/core/errors.ts';
import { TEXT_FORMATS } from '../src/detection/normalize.ts';
import { normalizeAdf } from '../src/detection/normalize-adf.ts';
import { createScanner, type ScanStats } from '../src/detection/scanner.ts';
import { loadRuleFile } from '../src/rules/load-rules.ts';
import { anyString, fuzzRuns, hostileJson } from './fuzz-arbitraries.ts';

// Complements test/regex-safety.test.ts (static check of every built-in
// pattern) and test/linear-time.test.ts (each detector alone on 1 MB of
// adversarial text around its own keywords) with what they leave out:
// - all detectors at once on random mixes of every keyword, token-like runs
//   and markup, in every input format (normalisers included);
// - the custom-rule loader: a corpus of catastrophic patterns in gitleaks
//   TOML and leakwatch JSON/YAML is refused with a clear message or, where
//   accepted, runs in bounded time on attack strings; random rule files are
//   refused with a LeakwatchError naming the file, never another exception.

const KEY = 'fuzz-redos-test-key-0123456789abcdef0123';
const dir = mkdtempSync(join(tmpdir(), 'lw-fuzz-rules-'));
let files = 0;
const ruleFile = (ext: string, content: string) => {
  const path = join(dir, `rules-${++files}${ext}`);
  writeFileSync(path, content);
  return path;
};

/** Far above linear work on these sizes (tens of ms) and far below catastrophic backtracking (minutes). */
const BUDGET_MS = 4_000;

const KEYWORDS = [...new Set(detectors.flatMap((d) => d.keywords))];
const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.:@';

/** Text made of keyword fragments, token-like runs, separators and markup, repeated up to ~`size` characters. */
const adversarialText = (size: number) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...KEYWORDS),
        fc.constantFrom(...KEYWORDS).map((k) => k.slice(0, Math.max(1, k.length - 1))),
        fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 80 }),
        fc.constantFrom(
          ' ',
          '=',
          ': ',
          '"',
          "'",
          '\n',
          '-----BEGIN ',
          'PRIVATE KEY-----',
          '://',
          '@',
          '&amp;',
          '<',
          '>',
        ),
        fc.constantFrom('<a href="', '<![CDATA[', '<ac:plain-text-body>', '</p>', '<|', '|label>', '&#x', '&lt;'),
      ),
      { minLength: 1, maxLength: 60 },
    )
    .map((parts) => {
      const unit = parts.join('');
      return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    });

describe('all detectors together on adversarial text, in every format', () => {
  const scanner = createScanner({ detectors, fingerprintKey: KEY });

  it('scans 256 KiB mixes of every keyword in bounded time and bounded regex work', () => {
    let slowest = 0;
    fc.assert(
      fc.property(adversarialText(256 * 1024), fc.constantFrom(...TEXT_FORMATS), (text, format) => {
        const stats: ScanStats = { keywordHits: 0, regionChars: new Map() };
        const started = performance.now();
        scanner.scan(text, { format, stats });
        const elapsed = performance.now() - started;
        slowest = Math.max(slowest, elapsed);
        expect(elapsed, `${format} took ${elapsed.toFixed(0)} ms`).toBeLessThan(BUDGET_MS);
        for (const detector of detectors) {
          const work = stats.regionChars.get(detector.id) ?? 0;
          const window = (detector.window?.before ?? 64) + (detector.window?.after ?? 256);
          expect(work, detector.id).toBeLessThanOrEqual(1.25 * text.length + 4 * window);
        }
      }),
      fuzzRuns(25),
    );
    console.info(`all ${detectors.length} detectors, 256 KiB adversarial mixes: slowest scan ${slowest.toFixed(0)} ms`);
  });

  it('normalises hostile markup (unclosed tags, endless entities) in bounded time', () => {
    const MB = 1024 * 1024;
    const cases: Array<[string, string, (typeof TEXT_FORMATS)[number]]> = [
      ['1 MB of "<"', '<'.repeat(MB), 'html'],
      ['unclosed attribute', `<a href="${'x'.repeat(MB)}`, 'html'],
      ['unclosed CDATA', `<ac:plain-text-body><![CDATA[${'ghp_'.repeat(MB / 4)}`, 'xhtml'],
      ['entities', '&amp;'.repeat(MB / 5), 'html'],
      ['numeric entities', '&#x41;&#65;'.repeat(MB / 11), 'xhtml'],
      ['nested tags', '<div>'.repeat(MB / 5), 'html'],
      ['slack links', '<https://x|'.repeat(MB / 11), 'slack'],
      ['slack unclosed', `<${'xoxb-'.repeat(MB / 5)}`, 'slack'],
    ];
    for (const [what, text, format] of cases) {
      const started = performance.now();
      scanner.scan(text, { format });
      expect(performance.now() - started, what).toBeLessThan(BUDGET_MS);
    }
  });

  it('normalises random and 100,000-level-deep ADF documents (Jira Cloud) without a crash', () => {
    fc.assert(
      fc.property(hostileJson, (doc) => {
        const { text } = normalizeAdf(doc);
        scanner.scan(text);
      }),
      fuzzRuns(300),
    );
    const depth = 100_000;
    const deep = JSON.parse(
      `{"type":"doc","content":[${'{"type":"paragraph","content":['.repeat(depth)}{"type":"text","text":"x"}${']}'.repeat(depth)}]}`,
    ) as unknown;
    const started = performance.now();
    normalizeAdf(deep);
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
  });
});

/** Patterns that backtrack catastrophically in a backtracking engine, and input that makes them. */
const CATASTROPHIC: Array<[string, string]> = [
  ['(a+)+$', `${'a'.repeat(40)}!`],
  ['(a|a)*b', 'a'.repeat(40)],
  ['(a|aa)+$', `${'a'.repeat(60)}!`],
  ['(\\w+\\s?)*$', `${'word '.repeat(20)}!`],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', `${'aaaaaaaaaa'.repeat(4)}!`],
  ['(x+x+)+y', 'x'.repeat(40)],
  ['([a-zA-Z0-9]+)*@', 'a'.repeat(40)],
  ['(\\d+|\\d+\\.)+z', '1'.repeat(40)],
  ['token=(.*a){12}', `token=${'a'.repeat(40)}`],
  ['key_(\\s*\\S+\\s*)+=', `key_${'x '.repeat(30)}`],
];

const asToml = (id: string, pattern: string) => `[[rules]]\nid = "${id}"\nregex = '''${pattern}'''\n`;
const asJson = (id: string, pattern: string) => JSON.stringify({ rules: [{ id, pattern }] });
const asYaml = (id: string, pattern: string) =>
  `rules:\n  - id: ${id}\n    pattern: '${pattern.replace(/'/g, "''")}'\n`;

/** Exponential patterns the analysis must always catch (no accepting them with a time bound). */
const MUST_REFUSE = new Set(['(a+)+$', '(a|a)*b', '(a|aa)+$', '(x+x+)+y']);

describe('custom rules with catastrophic patterns', () => {
  const outcomes: string[] = [];
  afterAll(() => console.info(`catastrophic custom rules: ${outcomes.join('; ')}`));

  it.each(CATASTROPHIC)('%s is refused with a clear message, or runs in bounded time', (pattern, attack) => {
    for (const [ext, render] of [
      ['.toml', asToml],
      ['.json', asJson],
      ['.yaml', asYaml],
    ] as const) {
      const path = ruleFile(ext, render('custom-redos', pattern));
      let loaded;
      try {
        loaded = loadRuleFile(path, detectors);
      } catch (error) {
        expect(error).toBeInstanceOf(LeakwatchError);
        expect((error as Error).message).toMatch(
          new RegExp(
            `rules file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: rule "custom-redos": (regex|pattern): pattern can backtrack catastrophically`,
          ),
        );
        outcomes.push(`${pattern} ${ext} refused`);
        continue;
      }
      expect(MUST_REFUSE.has(pattern), `${pattern} (${ext}) was accepted`).toBe(false);
      // Accepted (the analysis could not prove it unsafe): it must still run in bounded time on attack input.
      const scanner = createScanner({ detectors: loaded.detectors, fingerprintKey: KEY });
      const text = `${attack}\n`.repeat(Math.ceil((64 * 1024) / (attack.length + 1)));
      const started = performance.now();
      scanner.scan(text);
      const ms = performance.now() - started;
      outcomes.push(`${pattern} ${ext} accepted, attack scanned in ${ms.toFixed(0)} ms`);
      expect(ms, `${pattern} (${ext}) accepted and slow`).toBeLessThan(BUDGET_MS);
    }
  });

  it('random rule files are loaded or refused with a LeakwatchError naming the file, never another exception', () => {
    const rule = fc.record({
      id: fc.oneof(fc.constantFrom('r1', 'github-classic-pat', ''), anyString),
      pattern: fc.oneof(
        fc.constantFrom(
          'abc([0-9]{4})',
          '(?<=x)y',
          '\\1(a)',
          '(?P<n>x)',
          '[[:alpha:]]',
          '(?i)x\\z',
          '(',
          '\\p{L}+',
          '(?s).*',
        ),
        anyString,
      ),
      keywords: fc.oneof(fc.array(anyString, { maxLength: 3 }), hostileJson),
      severity: fc.oneof(fc.constantFrom('low', 'critical'), hostileJson),
      secretGroup: fc.oneof(fc.integer({ min: -2, max: 120 }), hostileJson),
      entropy: fc.oneof(fc.double({ noNaN: false }), hostileJson),
      examples: hostileJson,
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(rule, { maxLength: 3 }).map((rules) => ['.json', JSON.stringify({ rules })] as const),
          fc.array(rule, { maxLength: 3 }).map((rules) => ['.yaml', JSON.stringify({ rules })] as const),
          rule.map((r) => ['.toml', asToml(String(r.id), String(r.pattern))] as const),
          fc.tuple(
            fc.constantFrom('.toml', '.json', '.yaml', '.yml', '.txt'),
            fc.string({ unit: 'binary', maxLength: 300 }),
          ),
        ),
        ([ext, content]) => {
          const path = ruleFile(ext, content);
          try {
            loadRuleFile(path, detectors);
          } catch (error) {
            expect(error, String(error)).toBeInstanceOf(LeakwatchError);
            expect((error as Error).message).toContain(`rules file ${path}: `);
          }
        },
      ),
      fuzzRuns(300),
    );
  });
});
