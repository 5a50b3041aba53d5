import { describe, expect, it } from 'vitest';
import { detectors } from '../detectors/index.ts';
import { createScanner, type ScanStats } from '../src/detection/scanner.ts';

const SIZE = 1024 * 1024;
/** Far above what a linear pattern needs on 1 MB (tens of ms) and far below catastrophic backtracking (minutes). */
const TIME_BUDGET_MS = 3000;

function fill(unit: string, size = SIZE): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Deterministic pseudo-random characters from an alphabet (xorshift), so runs of "token-like" text are realistic. */
function noise(alphabet: string, size: number, seed = 0x2545f491): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += alphabet[(x >>> 0) % alphabet.length];
  }
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64_LINE = noise(`${ALNUM}+/=_-.`, SIZE);

function adversarialInputs(keyword: string): [string, string][] {
  return [
    ['keyword repeated', fill(keyword)],
    ['keyword then a 1 MB token-like run', keyword + BASE64_LINE.slice(keyword.length)],
    ['keyword every 40 chars of token-like text', fill(keyword + BASE64_LINE.slice(0, 40))],
    ['nested quotes and assignments', fill(`${keyword}="'\`${keyword}: "'{"${keyword}":"`)],
    ['keyword followed by separators', fill(`${keyword} = : - _ . / `)],
    ['1 MB line of a single body character', keyword + fill('a', SIZE - keyword.length)],
  ];
}

describe.each(detectors.map((d) => [d.id, d] as const))('%s runs in linear time', (_id, detector) => {
  const scanner = createScanner({ detectors: [detector], fingerprintKey: 'linear-time-test-key-0123456789abcdef' });
  const before = detector.window?.before ?? 64;
  const after = detector.window?.after ?? 256;

  it.each(detector.keywords.slice(0, 2).flatMap((k) => adversarialInputs(k)))('%s', (_name, text) => {
    const stats: ScanStats = { keywordHits: 0, regionChars: new Map() };
    const started = performance.now();
    scanner.scan(text, { stats });
    const elapsed = performance.now() - started;

    // Work bound: the pattern never runs over much more than the text itself,
    // however many keyword hits there are (regions merge, windows overlap a little).
    const work = stats.regionChars.get(detector.id) ?? 0;
    expect(work).toBeLessThanOrEqual(1.25 * text.length + 4 * (before + after));
    expect(elapsed, `took ${elapsed.toFixed(0)} ms`).toBeLessThan(TIME_BUDGET_MS);
  });
});
