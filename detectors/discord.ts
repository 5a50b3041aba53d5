import type { Detector } from '../src/core/detector.ts';
import { field, httpRevoker, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const DISCORD_HOSTS = ['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com'];

/**
 * Webhooks: `discord.com/api/webhooks/<id>/<68-char token>`. Anyone holding
 * the URL can post as the webhook. The secret is the URL without its scheme.
 */
export const discordWebhookUrl: Detector = {
  id: 'discord-webhook-url',
  name: 'Discord webhook URL',
  issuer: 'discord',
  keywords: ['discord.com/api', 'discordapp.com/api'],
  pattern:
    /(?<![A-Za-z0-9.-])(?<secret>(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api(?:\/v\d{1,2})?\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{68})(?![A-Za-z0-9_-])/,
  entropy: 3.5,
  severity: 'medium',
  // GET on the webhook URL returns its metadata without posting (tokens.md).
  verify: httpVerifier({
    hosts: DISCORD_HOSTS,
    request: (secret) => ({ url: secretText`https://${secret}` }),
    deadStatus: [401, 403, 404],
    facts: (response) => {
      const name = field(response.body, 'name');
      const guild = field(response.body, 'guild_id');
      return {
        ...(guild === undefined ? {} : { account: guild }),
        ...(name === undefined ? {} : { details: { webhook: name } }),
      };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          type: 1,
          id: '1183412976454213702',
          name: 'CI notifications',
          channel_id: '1183412976454213000',
          guild_id: '1183412976454212001',
          application_id: null,
        },
      },
      dead: {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: { message: 'Unknown Webhook', code: 10015 },
      },
    },
  }),
  // tokens.md: DELETE on the webhook URL removes it; no other auth needed.
  revoke: httpRevoker({
    hosts: DISCORD_HOSTS,
    request: (secret) => ({ method: 'DELETE', url: secretText`https://${secret}` }),
    revokedStatus: [204],
    invalidStatus: [401, 404],
    fixtures: {
      revoked: { status: 204 },
      failed: {
        status: 429,
        headers: { 'content-type': 'application/json' },
        body: { message: 'You are being rate limited.', retry_after: 1.5, global: false },
      },
    },
  }),
  examples: {
    match: [
      'DISCORD_WEBHOOK=https://discord.com/api/webhooks/3996932086966202146/xI9UAqifZxPD2M57uZoKmBnz9L0qBrNF7tA8ZOYvwU3Rs_W-XUvO-aBwB4P0K6b1Xu6J',
      'the old bot posts to https://discordapp.com/api/webhooks/845073291432412328/n1sjS1ZKfwOi3COQeEaun8OYq-1F2ChSXnVNi5EiIoD5eQcjtYusvl1m-xSLhUHs7jWg?wait=true',
    ],
    ignore: [
      'https://discord.com/api/webhooks/{webhook.id}/{webhook.token}',
      'https://discord.com/api/webhooks/123456789012345678/XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      // token cut short
      'https://discord.com/api/webhooks/3996932086966202146/xI9UAqifZxPD2M57uZoKmBnz9L0q',
    ],
  },
};

/** The first segment of a bot token is the bot's user id (a 17–20 digit snowflake) in unpadded base64. */
function encodesSnowflake(token: string): boolean {
  const first = token.slice(0, token.indexOf('.'));
  return /^\d{17,20}$/.test(Buffer.from(first, 'base64url').toString('latin1'));
}

/**
 * Bot tokens: `<base64 user id>.<6>.<27–38>`. No prefix: only after a Discord
 * name or in an `Authorization: Bot` header; the first segment must decode to
 * a snowflake id.
 */
export const discordBotToken: Detector = {
  id: 'discord-bot-token',
  name: 'Discord bot token',
  issuer: 'discord',
  keywords: ['discord', 'bot '],
  pattern:
    /(?:\bdiscord[\w. -]{0,20}?token[\s"'`]{0,3}[=:(][\s"'`]{0,3}|\bBot\s{1,3})(?<secret>[MNO][A-Za-z0-9_-]{23,26}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_-])/i,
  validate: encodesSnowflake,
  entropy: 4,
  severity: 'high',
  verify: httpVerifier({
    hosts: ['discord.com'],
    request: (secret) => ({
      url: 'https://discord.com/api/v10/users/@me',
      headers: { authorization: secretText`Bot ${secret}` },
    }),
    facts: (response) => {
      const name = field(response.body, 'username');
      return name === undefined ? undefined : { account: name };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { id: '1183412976454213702', username: 'deploy-bot', discriminator: '0', bot: true, verified: true },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { message: '401: Unauthorized', code: 0 },
      },
    },
  }),
  examples: {
    match: [
      'DISCORD_TOKEN=MTE4MzQxMjk3NjQ1NDIxMzcwMg.pXqm7v.HNmcG7Y67bvyJf48-EFKJv1L7AQ0pfb6RLjH9e',
      'curl -H "Authorization: Bot ODQ3NTYxMjk0MDM3NTYyMTEz.5s8D4j.PH6Oqsu89NDLy8Fk4oFIo53UtFu5FQcg8XwcAy" https://discord.com/api/v10/users/@me',
    ],
    ignore: [
      'DISCORD_TOKEN=<your-bot-token>',
      // first segment does not decode to a user id
      'DISCORD_TOKEN=MzQxMjk3NjQ1NDIxMzcwMkFCQ0Q.pXqm7v.HNmcG7Y67bvyJf48-EFKJv1L7AQ0pfb6RLjH9e',
      'client.login(process.env.DISCORD_TOKEN) // discord token comes from the vault',
    ],
  },
};

export const discordDetectors: readonly Detector[] = [discordWebhookUrl, discordBotToken];
