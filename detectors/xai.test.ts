import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { CannedResponse, VerifyContext } from '../src/core/verification.ts';
import { xaiApiKey } from './xai.ts';

const key = new Secret(
  `xai-${'DJ7HiEFdfhJeW6B7E5UQm18Ly4iJuL75CAJDIicbQLsWv801e3xLvdSfUJEvbyuj1U77Ls3X9hijW3a6'}`,
  'xai-********W3a6',
);
const replay = (response: CannedResponse): VerifyContext => ({
  parts: {},
  baseUrls: [],
  now: () => 0,
  request: async () => ({ status: response.status, headers: new Headers(), body: response.body }),
});

describe('xai key check', () => {
  const verify = xaiApiKey.verify!;
  const live = verify.fixtures.live.body as Record<string, unknown>;

  it('reports the key ACLs', async () => {
    const result = await verify.check(key, replay(verify.fixtures.live));
    expect(result).toMatchObject({ liveness: 'live', facts: { scopes: ['api-key:model:*', 'api-key:endpoint:*'] } });
  });

  it('treats a blocked or disabled key as dead even though the call succeeds', async () => {
    expect((await verify.check(key, replay({ status: 200, body: { ...live, api_key_blocked: true } }))).liveness).toBe(
      'dead',
    );
    expect((await verify.check(key, replay({ status: 200, body: { ...live, api_key_disabled: true } }))).liveness).toBe(
      'dead',
    );
    expect((await verify.check(key, replay({ status: 200, body: { ...live, team_blocked: true } }))).liveness).toBe(
      'dead',
    );
  });
});
