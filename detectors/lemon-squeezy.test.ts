import { describe, expect, it } from 'vitest';
import { lemonSqueezyApiKey } from './lemon-squeezy.ts';

const HEADER = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9';
const part = (claims: unknown) => Buffer.from(JSON.stringify(claims)).toString('base64url');
const validate = (token: string) => lemonSqueezyApiKey.validate?.(token, {});

describe('lemon squeezy key validation', () => {
  it('accepts an RS256 JWT naming a key (jti) and a user (sub)', () => {
    expect(validate(`${HEADER}.${part({ jti: 'f55c0fd5', sub: '77341', scopes: [] })}.c2lnbmF0dXJl`)).toBe(true);
    expect(validate(`${HEADER}.${part({ jti: 'f55c0fd5', sub: 77341 })}.c2lnbmF0dXJl`)).toBe(true);
  });

  it('rejects payloads without those claims or that are not JSON', () => {
    expect(validate(`${HEADER}.${part({ sub: '77341' })}.c2lnbmF0dXJl`)).toBe(false);
    expect(validate(`${HEADER}.${part({ jti: 'f55c0fd5' })}.c2lnbmF0dXJl`)).toBe(false);
    expect(validate(`${HEADER}.bm90IGpzb24.c2lnbmF0dXJl`)).toBe(false);
  });
});
