import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { CannedResponse, RevokeMethod, SafeRequest, VerifyContext } from '../src/core/verification.ts';
import { reveal } from '../src/verification/sensitive.ts';
import { cloudflareUserApiToken } from './cloudflare.ts';

const token = new Secret('cfut_ZQ9vyQeqLLW6DRgKBHQQYwYY0bt73SOeSaUSZQQHed24cece', 'cfut_********cece');

function context(responses: Record<string, CannedResponse>): { ctx: VerifyContext<RevokeMethod>; calls: string[] } {
  const calls: string[] = [];
  const ctx: VerifyContext<RevokeMethod> = {
    parts: {},
    baseUrls: [],
    now: () => 0,
    async request(request: SafeRequest<RevokeMethod>) {
      const call = `${request.method ?? 'GET'} ${reveal(request.url)}`;
      calls.push(call);
      const canned = responses[call] ?? { status: 500 };
      return { status: canned.status, headers: new Headers(canned.headers ?? {}), body: canned.body };
    },
  };
  return { ctx, calls };
}

const VERIFY = 'GET https://api.cloudflare.com/client/v4/user/tokens/verify';
const ID = 'f267e341f3dd4697bd3b9f71dd96247f';
const verified = { status: 200, body: { success: true, result: { id: ID, status: 'active' } } };

describe('cloudflare user-token revoker', () => {
  const revoker = cloudflareUserApiToken.revoke!;

  it('looks the token id up, then deletes that token', async () => {
    const { ctx, calls } = context({
      [VERIFY]: verified,
      [`DELETE https://api.cloudflare.com/client/v4/user/tokens/${ID}`]: {
        status: 200,
        body: { success: true, result: { id: ID } },
      },
    });
    expect(await revoker.revoke(token, ctx)).toEqual({ outcome: 'revoked' });
    expect(calls).toHaveLength(2);
  });

  it('reports a token without "API Tokens: Edit" as failed', async () => {
    const { ctx } = context({
      [VERIFY]: verified,
      [`DELETE https://api.cloudflare.com/client/v4/user/tokens/${ID}`]: { status: 403, body: { success: false } },
    });
    expect((await revoker.revoke(token, ctx)).outcome).toBe('failed');
  });

  it('treats a token Cloudflare no longer knows as already invalid, without deleting anything', async () => {
    const { ctx, calls } = context({ [VERIFY]: { status: 401, body: { success: false } } });
    expect((await revoker.revoke(token, ctx)).outcome).toBe('already_invalid');
    expect(calls).toEqual([VERIFY]);
  });

  it('never interpolates an unexpected id into the delete URL', async () => {
    const { ctx, calls } = context({
      [VERIFY]: { status: 200, body: { success: true, result: { id: '../../zones' } } },
    });
    expect((await revoker.revoke(token, ctx)).outcome).toBe('failed');
    expect(calls).toEqual([VERIFY]);
  });
});
