import { generateKeyPairSync } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { googleServiceAccountKey } from './google.ts';

const validate = (pem: string) => googleServiceAccountKey.validate?.(pem, {});

describe('service-account private key check', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim();

  it('accepts a complete PKCS#8 key with real newlines or JSON escapes', () => {
    expect(validate(pem)).toBe(true);
    expect(validate(pem.replaceAll('\n', '\\n'))).toBe(true);
  });

  it('rejects a key with a line missing or garbage in the body', () => {
    const lines = pem.split('\n');
    expect(validate([...lines.slice(0, 4), ...lines.slice(5)].join('\n'))).toBe(false);
    expect(validate(pem.replace(/^(.{60})..../m, '$1!!!!'))).toBe(false);
  });

  it('rejects keys too small to be a service-account key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(validate(ec.export({ type: 'pkcs8', format: 'pem' }).toString().trim())).toBe(false);
  });
});
