import { describe, expect, it } from 'vitest';
import { isJfrogReferenceToken } from './jfrog.ts';

const encode = (text: string) => Buffer.from(text).toString('base64');

describe('isJfrogReferenceToken', () => {
  it('accepts reftkn:<version>:<expiry>:<random>', () => {
    expect(isJfrogReferenceToken(encode('reftkn:01:1793412876:hfty32Ig4zpJqMERctBiOUlPpw2'))).toBe(true);
    expect(isJfrogReferenceToken(encode('reftkn:01:0:hfty32Ig4zpJqMERctBiOUlPpw2Aq7Zx9Kw'))).toBe(true);
  });

  it('rejects other text behind the same prefix', () => {
    expect(isJfrogReferenceToken(encode('reftkn should be followed by a colon and version'))).toBe(false);
    expect(isJfrogReferenceToken(encode('reftkn:01:1793412876:'))).toBe(false);
  });
});
