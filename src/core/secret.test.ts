import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from './secret.ts';

describe('Secret', () => {
  const raw = 'xoxb-1234567890-1234567890-AbCdEfGhIjKlMnOpQrStUvWx';
  const secret = new Secret(raw, 'xoxb-********UvWx');

  it('prints only its redacted form however it is printed', () => {
    for (const printed of [
      String(secret),
      `${secret}`,
      JSON.stringify({ secret }),
      inspect(secret),
      inspect({ nested: { secret } }, { depth: 5, showHidden: true }),
      secret + '',
    ]) {
      expect(printed).not.toContain(raw);
      expect(printed).toContain('xoxb-********UvWx');
    }
  });

  it('reveals the raw value only on request', () => {
    expect(secret.reveal()).toBe(raw);
    expect(secret.length).toBe(raw.length);
    expect(Object.keys(secret)).toEqual(['redacted']);
  });
});
