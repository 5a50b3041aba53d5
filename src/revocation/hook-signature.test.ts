import { describe, expect, it } from 'vitest';
import { signHook, verifyHookSignature } from './hook-signature.ts';

const KEY = 'whsec_0123456789abcdef0123456789abcdef';
const BODY = '{"type":"finding.created"}';
const T = 1_767_225_600;

describe('hook signatures', () => {
  it('matches a fixed vector, so receivers in any language can check their implementation', () => {
    // printf '%s' '1767225600.{"type":"finding.created"}' | openssl dgst -sha256 -hmac "$KEY"
    expect(signHook(KEY, T, BODY)).toBe('v1=a3527e7ae038210a6d6f481f8599f032a03e4bc92de3a00eb0781ad1642782c9');
  });

  it('verifies its own signature and rejects a changed body, key or timestamp', () => {
    const signature = signHook(KEY, T, BODY);
    expect(verifyHookSignature(KEY, signature, String(T), BODY, T)).toBe(true);
    expect(verifyHookSignature(KEY, signature, String(T), `${BODY} `, T)).toBe(false);
    expect(verifyHookSignature(`${KEY}x`, signature, String(T), BODY, T)).toBe(false);
    expect(verifyHookSignature(KEY, signature, String(T + 1), BODY, T)).toBe(false);
  });

  it('rejects deliveries outside the tolerance window, in both directions', () => {
    const signature = signHook(KEY, T, BODY);
    expect(verifyHookSignature(KEY, signature, String(T), BODY, T + 300)).toBe(true);
    expect(verifyHookSignature(KEY, signature, String(T), BODY, T + 301)).toBe(false);
    expect(verifyHookSignature(KEY, signature, String(T), BODY, T - 301)).toBe(false);
    expect(verifyHookSignature(KEY, signature, String(T), BODY, T + 60, 30)).toBe(false);
  });

  it('accepts any of several signatures (key rotation) and refuses malformed headers without throwing', () => {
    const good = signHook(KEY, T, BODY);
    const other = signHook('another-signing-key-0123456789abcdef', T, BODY);
    expect(verifyHookSignature(KEY, `${other}, ${good}`, String(T), BODY, T)).toBe(true);
    for (const header of [
      undefined,
      null,
      '',
      'v1=',
      'v1=zz',
      good.slice(0, -2),
      `v0=${good.slice(3)}`,
      good.toUpperCase(),
    ]) {
      expect(verifyHookSignature(KEY, header, String(T), BODY, T)).toBe(false);
    }
    for (const timestamp of [undefined, null, '', 'soon', '-1', '1.5e9', `${T}abc`]) {
      expect(verifyHookSignature(KEY, good, timestamp, BODY, T)).toBe(false);
    }
  });
});
