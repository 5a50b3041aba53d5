import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { SafeRequest, VerifyContext } from '../src/core/verification.ts';
import { reveal } from '../src/verification/sensitive.ts';
import { microsoftTeamsIncomingWebhook } from './microsoft-teams.ts';

const url =
  'acme.webhook.office.com/webhookb2/02d65aed-035c-4db5-a083-3c746220e881@ebc0a13c-329b-4876-ad1e-70d3695ee03e/IncomingWebhook/5b1cbf5311b401dd02d9d20c12a2916f/da17349f-f6fd-4b1f-8509-4eaa71b5383e';

function replying(status: number, body: unknown, sent: SafeRequest[] = []): VerifyContext {
  return {
    parts: {},
    baseUrls: [],
    now: () => 0,
    async request(request) {
      sent.push(request);
      return { status, headers: new Headers(), body };
    },
  };
}

describe('teams incoming webhook check', () => {
  const verify = microsoftTeamsIncomingWebhook.verify!;
  const secret = new Secret(url, '********383e');

  it('posts an empty text that Teams must reject', async () => {
    const sent: SafeRequest[] = [];
    const result = await verify.check(secret, replying(400, 'Summary or Text is required.', sent));
    expect(result.liveness).toBe('live');
    expect(sent[0]?.method).toBe('POST');
    expect(sent[0]?.body).toBe('{"text":""}');
    expect(reveal(sent[0]!.url)).toBe(`https://${url}`);
  });

  it('does not call a 400 with another message live', async () => {
    expect(
      (await verify.check(secret, replying(400, 'Bad payload received by generic incoming webhook.'))).liveness,
    ).toBe('unknown');
  });

  it('treats a 2xx as unknown (nothing should ever have been posted)', async () => {
    expect((await verify.check(secret, replying(200, '1'))).liveness).toBe('unknown');
  });
});
