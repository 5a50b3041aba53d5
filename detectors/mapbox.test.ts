import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { CannedResponse, SafeRequest, VerifyContext } from '../src/core/verification.ts';
import { reveal } from '../src/verification/sensitive.ts';
import { isMapboxToken, mapboxSecretToken } from './mapbox.ts';

const payload = (claims: unknown) => Buffer.from(JSON.stringify(claims)).toString('base64url');
const TOKEN = `sk.${payload({ u: 'acme-maps', a: 'clx3k9v2p0q7m1r8s4t6w2yz' })}.OF4wzCI8vtj6C_h8bNJsed`;

function replay(response: CannedResponse, seen: SafeRequest[] = []): VerifyContext {
  return {
    parts: {},
    baseUrls: [],
    now: () => 0,
    request: async (req) => {
      seen.push(req);
      return { status: response.status, headers: new Headers(response.headers), body: response.body };
    },
  };
}

describe('isMapboxToken', () => {
  it('accepts a token whose middle part is Mapbox JSON', () => {
    expect(isMapboxToken(TOKEN)).toBe(true);
  });

  it('rejects other JWT-like payloads and garbage', () => {
    expect(isMapboxToken(`sk.${payload({ sub: '1234567890' })}.OF4wzCI8vtj6C_h8bNJsed`)).toBe(false);
    expect(isMapboxToken(`sk.${payload({ u: '' })}.OF4wzCI8vtj6C_h8bNJsed`)).toBe(false);
    expect(isMapboxToken('sk.eyJub3QganNvbg.OF4wzCI8vtj6C_h8bNJsed')).toBe(false);
  });
});

describe('mapbox token check', () => {
  const verify = mapboxSecretToken.verify!;
  const secret = new Secret(TOKEN, 'sk.********Jsed');

  it('sends the token only in the query string of the Mapbox token API', async () => {
    const seen: SafeRequest[] = [];
    await verify.check(secret, replay(verify.fixtures.live, seen));
    expect(reveal(seen[0]!.url)).toBe(`https://api.mapbox.com/tokens/v2?access_token=${TOKEN}`);
    expect(String(seen[0]!.url)).not.toContain(TOKEN);
  });

  it('reads the owner from a TokenValid answer', async () => {
    const result = await verify.check(secret, replay(verify.fixtures.live));
    expect(result).toMatchObject({ liveness: 'live', facts: { account: 'acme-maps' } });
  });

  it('treats expired and revoked answers as dead, unknown codes as unknown', async () => {
    expect((await verify.check(secret, replay({ status: 200, body: { code: 'TokenExpired' } }))).liveness).toBe('dead');
    expect((await verify.check(secret, replay(verify.fixtures.dead))).liveness).toBe('dead');
    expect((await verify.check(secret, replay({ status: 200, body: { code: 'Surprise' } }))).liveness).toBe('unknown');
  });
});
