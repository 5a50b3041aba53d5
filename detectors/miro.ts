import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * OAuth access tokens: base64 of `{"miro.origin":"<region>"}` + `_` + the
 * secret part. Act on every board the user authorised the app for.
 */
export const miroAccessToken: Detector = {
  id: 'miro-access-token',
  name: 'Miro access token',
  issuer: 'miro',
  keywords: ['eyJtaXJvLm9yaWdpbiI6I'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>eyJtaXJvLm9yaWdpbiI6I[A-Za-z0-9]{6,16}_[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])/,
  validate: (secret) => {
    const origin = Buffer.from(secret.slice(0, secret.indexOf('_')), 'base64').toString('latin1');
    return /^\{"miro\.origin":"[a-z0-9]{2,8}"\}$/.test(origin);
  },
  entropy: 4,
  severity: 'high',
  // GET /v1/oauth-token describes the token (team, user, scopes).
  verify: httpVerifier({
    hosts: ['api.miro.com'],
    request: (secret) => ({
      url: 'https://api.miro.com/v1/oauth-token',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (response) => {
      const team = field(response.body, 'team', 'name');
      const scopes = (response.body as { scopes?: unknown } | null)?.scopes;
      return {
        ...(team === undefined ? {} : { account: team }),
        ...(Array.isArray(scopes) ? { scopes: scopes.filter((s): s is string => typeof s === 'string') } : {}),
      };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          type: 'oauth_token',
          team: { type: 'team', name: 'Acme', id: '3458764512345678901' },
          scopes: ['boards:read', 'boards:write'],
          user: { type: 'user', name: 'Workshop bot' },
        },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { status: 401, code: 'tokenNotProvided', message: 'Authorization failed', type: 'error' },
      },
    },
  }),
  examples: {
    match: [
      'MIRO_TOKEN=eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_3zxeRHuIukRt4zHT4pERykfVGdK',
      'curl https://api.miro.com/v2/boards -H "Authorization: Bearer eyJtaXJvLm9yaWdpbiI6InVzMDEifQ_Pb1qmIVXov1wsAMgkIDmW0Cy3XO"',
    ],
    ignore: [
      'MIRO_TOKEN=eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_xxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // prefix only
      'tokens look like eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_…',
      // not the miro.origin payload
      'eyJtaXJvLm9yaWdpbiI6IjEyMzQ1Njc4OTAxMjM0NTY3ODkwIiwiZm9vIjoxfQ_3zxeRHuIukRt4zHT4pERykfVGdK',
    ],
  },
};

export const miroDetectors: readonly Detector[] = [miroAccessToken];
