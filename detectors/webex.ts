import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Access and bot tokens: 64 alphanumerics + `_` + 4-char cluster id + `_` +
 * org GUID. Bot tokens never expire. Only after a Webex name or a `Bearer`
 * header: the layout alone has no literal prefix.
 */
export const webexAccessToken: Detector = {
  id: 'webex-access-token',
  name: 'Webex access / bot token',
  issuer: 'webex',
  keywords: ['webex', 'bearer '],
  pattern:
    /(?:\bwebex[\w. -]{0,20}?token[\s"'`]{0,3}[=:][\s"'`]{0,3}|\bBearer\s{1,3})(?<secret>[A-Za-z0-9]{64}_[A-Z0-9]{4}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![A-Za-z0-9_-])/i,
  validate: (secret) =>
    /\d/.test(secret.slice(0, 64)) && /[a-z]/.test(secret.slice(0, 64)) && /[A-Z]/.test(secret.slice(0, 64)),
  entropy: 4,
  severity: 'high',
  // GET /v1/people/me returns the token's person or bot.
  verify: httpVerifier({
    hosts: ['webexapis.com'],
    request: (secret) => ({
      url: 'https://webexapis.com/v1/people/me',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (response) => {
      const name = field(response.body, 'displayName');
      return name === undefined ? undefined : { account: name };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          id: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hYmM',
          emails: ['alerts@webex.bot'],
          displayName: 'Alerts bot',
          type: 'bot',
          orgId: 'Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi94eXo',
        },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: {
          message: 'The request requires a valid access token set in the Authorization request header.',
          trackingId: 'ROUTER_65F2A1',
        },
      },
    },
  }),
  examples: {
    match: [
      'WEBEX_BOT_TOKEN=lKnHXVxjvYyNMsPSFXEIreOVCtAeMWkvI1axFHrIDqDyGCl2ePN5swIgQWpEOdLm_PPDO_fa13bff7-b036-4fc4-b112-5ee470a64847',
      'curl https://webexapis.com/v1/messages -H "Authorization: Bearer LjzO6VvblktEpukkSJ7YdDLZgac2L7jBhtgbgxmaLh7jDgMbBhPJxPyJMbsEsOH2_HEVG_d9f3bf50-dbab-4164-8a5e-a7aa38630936"',
    ],
    ignore: [
      'WEBEX_BOT_TOKEN=<bot access token>',
      // org id alone
      'webex org d9f3bf50-dbab-4164-8a5e-a7aa38630936 was migrated',
      'Authorization: Bearer LjzO6VvblktEpukkSJ7YdDLZgac2L7jBhtgbgxmaLh7jDgMbBhPJxPyJMbsEsOH2',
    ],
  },
};

export const webexDetectors: readonly Detector[] = [webexAccessToken];
