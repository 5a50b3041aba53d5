import { describe, expect, it } from 'vitest';
import { SealedBox } from './sealed-box.ts';

const KEY = 'k'.repeat(16) + 'e'.repeat(16) + 'y';

describe('SealedBox', () => {
  it('round-trips and never contains the plaintext', () => {
    const box = new SealedBox(KEY, 'transit');
    const sealed = box.seal('xoxb-123-456-secret');
    expect(sealed).not.toContain('xoxb');
    expect(box.open(sealed)).toBe('xoxb-123-456-secret');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('keeps purposes apart and detects tampering', () => {
    const sealed = new SealedBox(KEY, 'transit').seal('value');
    expect(() => new SealedBox(KEY, 'vault').open(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => new SealedBox(KEY, 'transit').open(parts.join('.'))).toThrow();
    expect(() => new SealedBox('short', 'x')).toThrow(/at least 32/);
  });
});
