import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { basicAuth } from '../src/verification/sensitive.ts';

/**
 * API key pairs: public API key (32 hex) + secret key (32 hex), used as Basic
 * credentials. Both look like hashes, so the secret is only taken after a
 * Mailjet secret name and the API key must be nearby.
 */
export const mailjetApiSecret: Detector = {
  id: 'mailjet-api-secret',
  name: 'Mailjet API secret key',
  issuer: 'mailjet',
  keywords: ['mailjet', 'mj_apikey_private', 'mj-apikey-private'],
  pattern:
    /(?:\bmailjet[\w. -]{0,20}?(?:secret|private)(?:[ _.-]{0,3}(?:api[ _.-]{0,3})?key)?|\bmj[_-]apikey[_-]private)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
  entropy: 3,
  companions: [
    {
      name: 'api key',
      pattern:
        /(?:\bmailjet[\w. -]{0,20}?(?:api|public)[ _.-]{0,3}key|\bmj[_-]apikey[_-]public)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
      window: 300,
      entropy: 3,
    },
  ],
  severity: 'high',
  // GET /v3/REST/user returns the account behind the key pair.
  verify: httpVerifier({
    hosts: ['api.mailjet.com'],
    request: (secret, ctx) => ({
      url: 'https://api.mailjet.com/v3/REST/user',
      headers: { authorization: basicAuth(ctx.parts['api key'] ?? '', secret) },
    }),
    facts: (response) => {
      const user = field(response.body, 'Data', '0', 'Username');
      return user === undefined ? undefined : { account: user };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { Count: 1, Data: [{ ID: 3812450, Username: 'newsletter@corp.internal', IsActive: true }], Total: 1 },
      },
      dead: { status: 401, headers: { 'content-type': 'text/plain' }, body: 'Unauthorized' },
    },
  }),
  examples: {
    match: [
      'MAILJET_API_KEY=f82fd98c4229034df23b4a43369d8829\nMAILJET_SECRET_KEY=eb72b9d6cbe7085df8202626d3e21c54',
      'MJ_APIKEY_PUBLIC=f4122538c2ff9eede204fdf274eaf262 MJ_APIKEY_PRIVATE=5b4c82553323b9c90b73670951087b0e node send.js',
    ],
    ignore: [
      // secret without its API key
      'MAILJET_SECRET_KEY=eb72b9d6cbe7085df8202626d3e21c54',
      'MAILJET_API_KEY=f82fd98c4229034df23b4a43369d8829 MAILJET_SECRET_KEY=${MJ_SECRET}',
      'MAILJET_API_KEY=f82fd98c4229034df23b4a43369d8829 MAILJET_SECRET_KEY=00000000000000000000000000000000',
    ],
  },
};

export const mailjetDetectors: readonly Detector[] = [mailjetApiSecret];
