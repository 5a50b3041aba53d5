import { createSecretKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, loadFingerprintKey } from './fingerprint.ts';

describe('fingerprint', () => {
  it('is an HMAC: depends on the key, stable for the same key, unambiguous over parts', () => {
    const a = fingerprint('key-one', ['AKIA1', 'secret']);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint('key-one', ['AKIA1', 'secret'])).toBe(a);
    expect(fingerprint('key-two', ['AKIA1', 'secret'])).not.toBe(a);
    expect(fingerprint('key-one', ['AKIA1s', 'ecret'])).not.toBe(a);
  });

  it('gives the same fingerprint for the key as a string, as bytes and as an imported KeyObject', () => {
    const a = fingerprint('key-one', ['AKIA1', 'secret']);
    expect(fingerprint(new TextEncoder().encode('key-one'), ['AKIA1', 'secret'])).toBe(a);
    expect(fingerprint(createSecretKey(Buffer.from('key-one', 'utf8')), ['AKIA1', 'secret'])).toBe(a);
    expect(fingerprint(createSecretKey(Buffer.from('key-two', 'utf8')), ['AKIA1', 'secret'])).not.toBe(a);
  });

  it('generates a private key file on first run and reuses it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lw-')), 'data');
    const key = loadFingerprintKey(dir, undefined);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'fingerprint.key')).mode & 0o777).toBe(0o600);
    expect(loadFingerprintKey(dir, undefined)).toBe(key);
    expect(readFileSync(join(dir, 'fingerprint.key'), 'utf8').trim()).toBe(key);
    expect(loadFingerprintKey(dir, 'x'.repeat(40))).toBe('x'.repeat(40));
  });
});
