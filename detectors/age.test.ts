import { describe, expect, it } from 'vitest';
import { isBech32 } from './age.ts';

describe('isBech32', () => {
  it('accepts BIP-173 valid test vectors', () => {
    expect(isBech32('A12UEL5L')).toBe(true);
    expect(isBech32('a12uel5l')).toBe(true);
    expect(isBech32('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw')).toBe(true);
  });

  it('rejects BIP-173 invalid vectors and altered keys', () => {
    // invalid checksum
    expect(isBech32('A1G7SGD8')).toBe(false);
    // empty HRP
    expect(isBech32('10a06t8')).toBe(false);
    const key = 'AGE-SECRET-KEY-19LQTARPKMR8Y2XAX3M75S075PLGZHKSFJXYHTKPECCWARJKHXKQQ8KL824';
    expect(isBech32(key)).toBe(true);
    expect(isBech32(key.slice(0, -1) + 'Q')).toBe(false);
    expect(isBech32(key.replace('9LQT', 'L9QT'))).toBe(false);
  });
});
