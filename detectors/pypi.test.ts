import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isPypiMacaroon } from './pypi.ts';

function macaroon(location: string, signature = true): string {
  const id = '448d3ea4-264a-400b-9643-22271424af51';
  const caveat = '{"version":1,"permissions":"user"}';
  const parts = [
    Buffer.from([2, 1, location.length]),
    Buffer.from(location),
    Buffer.from([2, id.length]),
    Buffer.from(id),
    Buffer.from([0, 2, caveat.length]),
    Buffer.from(caveat),
    Buffer.from([0, 0]),
    ...(signature ? [Buffer.from([6, 32]), randomBytes(32)] : []),
  ];
  return `pypi-${Buffer.concat(parts).toString('base64url')}`;
}

describe('isPypiMacaroon', () => {
  it('accepts a macaroon ending with its signature field', () => {
    const token = macaroon('pypi.org');
    expect(token.startsWith('pypi-AgEIcHlwaS5vcmc')).toBe(true);
    expect(isPypiMacaroon(token)).toBe(true);
    expect(macaroon('test.pypi.org').startsWith('pypi-AgENdGVzdC5weXBpLm9yZw')).toBe(true);
  });

  it('rejects a token cut before or inside the signature', () => {
    expect(isPypiMacaroon(macaroon('pypi.org', false))).toBe(false);
    expect(isPypiMacaroon(macaroon('pypi.org').slice(0, -10))).toBe(false);
  });
});
