import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charClasses, shannonEntropy } from './entropy.ts';

/** The textbook definition, with a Map: what the table-based version must agree with. */
function reference(value: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) counts.set(value.charCodeAt(i), (counts.get(value.charCodeAt(i)) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) entropy -= (count / value.length) * Math.log2(count / value.length);
  return entropy;
}

describe('shannonEntropy', () => {
  it.each([
    ['', 0],
    ['aaaa', 0],
    ['aabb', 1],
    ['abcd', 2],
    ['0123456789abcdef', 4],
    ['ab'.repeat(300), 1],
  ])('%j has %d bits per character', (value, bits) => {
    expect(shannonEntropy(value)).toBeCloseTo(bits, 12);
  });

  it('agrees with the definition on any text, and leaves no counts behind between calls', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 40 }), (a, b) => {
        expect(shannonEntropy(a)).toBeCloseTo(reference(a), 10);
        expect(shannonEntropy(b)).toBeCloseTo(reference(b), 10);
        expect(shannonEntropy(a)).toBeCloseTo(reference(a), 10);
      }),
      { numRuns: 60 },
    );
  });

  it('counts character classes', () => {
    expect(charClasses('aB3-')).toEqual({ lower: 1, upper: 1, digit: 1, other: 1 });
  });
});
