import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * OAuth user/app access tokens: 30 lowercase alphanumerics, as `oauth:<token>`
 * (IRC chat login) or next to a Twitch name.
 */
export const twitchAccessToken: Detector = {
  id: 'twitch-access-token',
  name: 'Twitch OAuth access token',
  issuer: 'twitch',
  keywords: ['twitch', 'oauth:'],
  pattern:
    /(?:\boauth:|\btwitch[\w. -]{0,20}?token[\s"'`]{0,3}[=:][\s"'`]{0,3}(?:oauth:)?)(?<secret>[a-z0-9]{30})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret),
  entropy: 3.5,
  severity: 'medium',
  // GET https://id.twitch.tv/oauth2/validate: Twitch's documented token check (login, scopes, expiry).
  verify: httpVerifier({
    hosts: ['id.twitch.tv'],
    request: (secret) => ({
      url: 'https://id.twitch.tv/oauth2/validate',
      headers: { authorization: secretText`OAuth ${secret}` },
    }),
    facts: (response) => {
      const body = response.body as { login?: unknown; scopes?: unknown; expires_in?: unknown } | null;
      const login = field(response.body, 'login');
      return {
        ...(login === undefined ? {} : { account: login }),
        ...(Array.isArray(body?.scopes)
          ? { scopes: body.scopes.filter((s): s is string => typeof s === 'string') }
          : {}),
        ...(typeof body?.expires_in === 'number' && body.expires_in > 0
          ? {
              expiresAt: new Date(
                (Date.parse(response.headers.get('date') ?? '') || Date.now()) + body.expires_in * 1000,
              ).toISOString(),
            }
          : {}),
      };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          client_id: 'wbmytr93xzw8zbg0p1izqyzzc5mbiz',
          login: 'acme_chatbot',
          scopes: ['chat:read', 'chat:edit'],
          user_id: '141981764',
          expires_in: 5520838,
        },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { status: 401, message: 'invalid access token' },
      },
    },
  }),
  examples: {
    match: [
      'irc bot config: PASS oauth:5wnzi4h3n3o46oudeei7t0u19m418i NICK acme_chatbot',
      'TWITCH_ACCESS_TOKEN=od1i8yz5evnflmhoi3och50t6gxdbl node clip-exporter.js',
    ],
    ignore: [
      'PASS oauth:<your-oauth-token>',
      'TWITCH_ACCESS_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'git clone https://oauth2:glpat-abc@gitlab.com/x.git',
    ],
  },
};

export const twitchDetectors: readonly Detector[] = [twitchAccessToken];
