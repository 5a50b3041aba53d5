import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { CannedResponse, SafeRequest, VerifyContext } from '../src/core/verification.ts';
import { reveal } from '../src/verification/sensitive.ts';
import { algoliaApiKey } from './algolia.ts';

const key = new Secret('f61132fb240cb4b3f56298a06ba99c8f', '********9c8f');
const appId = new Secret('LHV313SH2U', '********');

function replay(response: CannedResponse, seen: SafeRequest[] = []): VerifyContext {
  return {
    parts: { appId },
    baseUrls: [],
    now: () => 0,
    request: async (req) => {
      seen.push(req);
      return { status: response.status, headers: new Headers(), body: response.body };
    },
  };
}

describe('algolia key check', () => {
  const verify = algoliaApiKey.verify!;

  it('goes to the application own DSN host with both headers', async () => {
    const seen: SafeRequest[] = [];
    await verify.check(key, replay(verify.fixtures.live, seen));
    expect(reveal(seen[0]!.url)).toBe('https://LHV313SH2U-dsn.algolia.net/1/keys');
    expect(reveal(seen[0]!.headers!['x-algolia-api-key']!)).toBe(key.reveal());
  });

  it('reports an admin key as privileged', async () => {
    expect(await verify.check(key, replay(verify.fixtures.live))).toMatchObject({
      liveness: 'live',
      facts: { privileged: true },
    });
  });

  it('tells a valid restricted key from an invalid one (both answer 403)', async () => {
    const restricted = await verify.check(
      key,
      replay({ status: 403, body: { message: 'Method not allowed with this API key', status: 403 } }),
    );
    expect(restricted).toMatchObject({ liveness: 'live', facts: { privileged: false } });
    expect((await verify.check(key, replay(verify.fixtures.dead))).liveness).toBe('dead');
  });
});
