import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { CannedResponse, VerifyContext } from '../src/core/verification.ts';
import { elevenlabsApiKey } from './elevenlabs.ts';

const key = new Secret('sk_453befcccd388254814fa5787be18bf421940b07b8b68268', 'sk_********8268');
const replay = (response: CannedResponse): VerifyContext => ({
  parts: {},
  baseUrls: [],
  now: () => 0,
  request: async () => ({ status: response.status, headers: new Headers(), body: response.body }),
});

describe('elevenlabs key check', () => {
  const verify = elevenlabsApiKey.verify!;

  it('counts a key without user_read as live but restricted', async () => {
    const result = await verify.check(
      key,
      replay({
        status: 401,
        body: {
          detail: {
            status: 'missing_permissions',
            message: 'The API key you used is missing the permission user_read.',
          },
        },
      }),
    );
    expect(result.liveness).toBe('live');
    expect(result.facts?.details?.permission).toMatch(/restricted/);
  });

  it('counts any other 401 as dead', async () => {
    expect((await verify.check(key, replay(verify.fixtures.dead))).liveness).toBe('dead');
    expect((await verify.check(key, replay({ status: 401, body: 'Unauthorized' }))).liveness).toBe('dead');
  });

  it('leaves other statuses unknown', async () => {
    expect((await verify.check(key, replay({ status: 403, body: {} }))).liveness).toBe('unknown');
  });
});
