import { describe, expect, it } from 'vitest';
import { KeywordHits, KeywordPrefilter } from './prefilter.ts';

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

/** Deterministic text over `alphabet` (a linear congruential generator). */
function randomText(alphabet: string, length: number, seed: number): string {
  let x = seed;
  let text = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    text += alphabet[x % alphabet.length];
  }
  return text;
}

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

  it('agrees with a naive search on long text, where it runs four interleaved streams', () => {
    const keywords = ['ab', 'abc', 'bca', 'c-a', 'xyz_', 'a-b', 'cabcabcab'];
    const p = new KeywordPrefilter(keywords);
    const text = randomText('abcABC-_xyzXYZé ', 200_003, 11);
    expect(sort(hits(p, text))).toEqual(sort(naive(keywords, text)));
  });

  it('finds keywords that straddle the boundaries between streams exactly once', () => {
    const p = new KeywordPrefilter(['needle-in-text', 'needle']);
    const length = 100_000;
    const quarter = Math.ceil(length / 4);
    // Place a keyword across each stream boundary and at both ends of the range.
    const positions = [0, quarter - 7, 2 * quarter - 1, 3 * quarter - 13, length - 14];
    const chars = Array.from({ length }, () => '.');
    for (const at of positions) chars.splice(at, 14, ...'needle-in-text');
    const text = chars.join('');
    const found = hits(p, text);
    expect(found.filter(([k]) => k === 'needle-in-text').map(([, at]) => at)).toEqual(positions);
    expect(found.filter(([k]) => k === 'needle')).toHaveLength(positions.length);
  });

  it('finds keywords across the chunks a very long range is scanned in', () => {
    const p = new KeywordPrefilter(['needle-in-text', 'needle']);
    const chunk = 256 * 1024;
    const length = 3 * chunk + 1000;
    const positions = [chunk - 7, 2 * chunk - 1, 2 * chunk + 100, 3 * chunk - 13, length - 14];
    const chars = Array.from({ length }, () => '.');
    for (const at of positions) chars.splice(at, 14, ...'needle-in-text');
    const text = chars.join('');
    expect(
      hits(p, text)
        .filter(([k]) => k === 'needle-in-text')
        .map(([, at]) => at),
    ).toEqual(positions);
    const found: number[] = [];
    p.scan(text, (k, start) => p.keywords[k] === 'needle' && found.push(start), chunk - 3, length);
    expect(found).toEqual(positions.slice(1));
  });

  it('reports only keywords that lie wholly inside the scan range, in order of their end', () => {
    const keywords = ['key', 'api_key', 'token', 'ok'];
    const p = new KeywordPrefilter(keywords);
    const text = randomText('apikeytoknAPIKEY_ ', 60_000, 5);
    for (const [from, to] of [
      [1, 59_999],
      [17_000, 52_345],
      [20_000, 20_010],
    ] as const) {
      const got: [string, number][] = [];
      p.scan(text, (k, start) => got.push([p.keywords[k]!, start]), from, to);
      const expected = naive(keywords, text).filter(([k, at]) => at >= from && at + k.length <= to);
      expect(sort(got)).toEqual(sort(expected));
      const ends = got.map(([k, at]) => at + k.length);
      expect(ends).toEqual([...ends].sort((a, b) => a - b));
    }
  });

  it('collects hits into a reusable buffer that grows as needed', () => {
    const p = new KeywordPrefilter(['aa']);
    const buffer = new KeywordHits();
    p.collect('a'.repeat(5000), buffer);
    expect(buffer.length).toBe(4999);
    expect(buffer.starts[4998]).toBe(4998);
    p.collect('xaax', buffer);
    expect(buffer.length).toBe(1);
    expect([buffer.starts[0], buffer.keywords[0]]).toEqual([1, 0]);
  });

  it('rejects empty and non-ASCII keywords', () => {
    expect(() => new KeywordPrefilter([''])).toThrow(/empty/);
    expect(() => new KeywordPrefilter(['clé'])).toThrow(/ASCII/);
  });
});
