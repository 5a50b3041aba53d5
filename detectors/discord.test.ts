import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { RevokeMethod, SafeRequest, VerifyContext } from '../src/core/verification.ts';
import { reveal } from '../src/verification/sensitive.ts';
import { discordBotToken, discordWebhookUrl } from './discord.ts';

describe('discord bot token structure', () => {
  const validate = discordBotToken.validate!;

  it('accepts a first segment that decodes to a snowflake id', () => {
    const first = Buffer.from('1183412976454213702').toString('base64url');
    expect(validate(`${first}.pXqm7v.HNmcG7Y67bvyJf48-EFKJv1L7AQ0pfb6RLjH9e`, {})).toBe(true);
  });

  it('rejects a first segment that is not a user id', () => {
    const first = Buffer.from('not-a-snowflake-id!').toString('base64url');
    expect(validate(`${first}.pXqm7v.HNmcG7Y67bvyJf48-EFKJv1L7AQ0pfb6RLjH9e`, {})).toBe(false);
  });
});

describe('discord webhook revocation', () => {
  it('sends DELETE to the webhook URL itself', async () => {
    const sent: SafeRequest<RevokeMethod>[] = [];
    const ctx: VerifyContext<RevokeMethod> = {
      parts: {},
      baseUrls: [],
      now: () => 0,
      async request(request) {
        sent.push(request);
        return { status: 204, headers: new Headers(), body: '' };
      },
    };
    const url =
      'discord.com/api/webhooks/3996932086966202146/xI9UAqifZxPD2M57uZoKmBnz9L0qBrNF7tA8ZOYvwU3Rs_W-XUvO-aBwB4P0K6b1Xu6J';
    const result = await discordWebhookUrl.revoke!.revoke(new Secret(url, 'discord.com/api********Xu6J'), ctx);
    expect(result.outcome).toBe('revoked');
    expect(sent[0]?.method).toBe('DELETE');
    expect(reveal(sent[0]!.url)).toBe(`https://${url}`);
    // The printable form of the request never holds the token.
    expect(String(sent[0]!.url)).not.toContain('xI9UAqif');
  });
});
