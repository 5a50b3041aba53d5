import { describe, expect, it } from 'vitest';
import { KeywordPrefilter } from './prefilter.ts';

function hits(prefilter: KeywordPrefilter, text: string): [string, number][] {
  const out: [string, number][] = [];
  prefilter.scan(text, (k, start) => out.push([prefilter.keywords[k]!, start]));
  return out;
}

function naive(keywords: string[], text: string): [string, number][] {
  const lower = text.toLowerCase();
  const out: [string, number][] = [];
  for (const k of keywords) for (let i = lower.indexOf(k); i !== -1; i = lower.indexOf(k, i + 1)) out.push([k, i]);
  return out;
}

const sort = (a: [string, number][]) => [...a].sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));

describe('KeywordPrefilter', () => {
  it('finds every occurrence case-insensitively, including overlapping and nested keywords', () => {
    const p = new KeywordPrefilter(['xoxb-', 'xox', 'ghp_', 'hp_', 'aa']);
    expect(sort(hits(p, 'XOXB-1 ghp_x aaa'))).toEqual([
      ['xox', 0],
      ['xoxb-', 0],
      ['ghp_', 7],
      ['hp_', 8],
      ['aa', 13],
      ['aa', 14],
    ]);
  });

  it('agrees with a naive search on random text', () => {
    const keywords = ['ab', 'abc', 'bca', 'c', 'xyz_', 'a-b'];
    const p = new KeywordPrefilter(keywords);
    let seed = 7;
    const alphabet = 'abcABC-_xyzXYZé ';
    let text = '';
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += alphabet[seed % alphabet.length];
    }
    expect(sort(hits(p, text))).toEqual(sort(naive(keywords, text)));
  });

  it('resets on non-ASCII characters and honours the scan range', () => {
    const p = new KeywordPrefilter(['abc']);
    expect(hits(p, 'abécabc')).toEqual([['abc', 4]]);
    const found: number[] = [];
    p.scan('abc abc abc', (_k, s) => found.push(s), 2, 9);
    expect(found).toEqual([4]);
  });

  it('rejects empty and non-ASCII keywords', () => {
    expect(() => new KeywordPrefilter([''])).toThrow(/empty/);
    expect(() => new KeywordPrefilter(['clé'])).toThrow(/ASCII/);
  });
});
