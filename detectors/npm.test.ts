import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { CannedResponse, RevokeMethod, SafeRequest, VerifyContext } from '../src/core/verification.ts';
import { reveal } from '../src/verification/sensitive.ts';
import { npmAccessToken } from './npm.ts';

const token = new Secret('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', 'npm_********Sowm');

function context(canned: CannedResponse): { ctx: VerifyContext<RevokeMethod>; calls: string[] } {
  const calls: string[] = [];
  const ctx: VerifyContext<RevokeMethod> = {
    parts: {},
    baseUrls: [],
    now: () => 0,
    async request(request: SafeRequest<RevokeMethod>) {
      calls.push(`${request.method ?? 'GET'} ${reveal(request.url)}`);
      return { status: canned.status, headers: new Headers(canned.headers ?? {}), body: canned.body };
    },
  };
  return { ctx, calls };
}

describe('npm token revoker', () => {
  const revoker = npmAccessToken.revoke!;

  it('deletes the token by its own value', async () => {
    const { ctx, calls } = context({ status: 204 });
    expect(await revoker.revoke(token, ctx)).toEqual({ outcome: 'revoked' });
    expect(calls).toEqual([`DELETE https://registry.npmjs.org/-/npm/v1/tokens/token/${token.reveal()}`]);
  });

  it('tells a 2FA prompt from an invalid token', async () => {
    expect((await revoker.revoke(token, context(revoker.fixtures.failed).ctx)).outcome).toBe('failed');
    expect((await revoker.revoke(token, context({ status: 401, body: {} }).ctx)).outcome).toBe('already_invalid');
    expect((await revoker.revoke(token, context({ status: 403, body: {} }).ctx)).outcome).toBe('failed');
  });
});
