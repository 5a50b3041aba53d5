import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/**
 * Server and account tokens: a GUID next to a Postmark name or in the
 * `X-Postmark-Server-Token` / `X-Postmark-Account-Token` headers. Server
 * tokens send mail; account tokens manage every server and domain.
 */
export const postmarkApiToken: Detector = {
  id: 'postmark-api-token',
  name: 'Postmark server/account API token',
  issuer: 'postmark',
  keywords: ['postmark'],
  pattern:
    /\bpostmark[\w. -]{0,20}?(?:token|key)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9A-Za-z-])/i,
  entropy: 3,
  severity: 'high',
  // The token type is not visible: try it as a server token (GET /server), then as an account token (GET /servers).
  verify: inRegions([
    httpVerifier({
      hosts: ['api.postmarkapp.com'],
      request: (secret) => ({
        url: 'https://api.postmarkapp.com/server',
        headers: { 'x-postmark-server-token': secret, accept: 'application/json' },
      }),
      facts: (response) => {
        const name = field(response.body, 'Name');
        return { ...(name === undefined ? {} : { account: name }), details: { type: 'server' } };
      },
      fixtures: {
        live: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { ID: 1, Name: 'Transactional', ApiTokens: ['<hidden>'], Color: 'red' },
        },
        dead: {
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: {
            ErrorCode: 10,
            Message: 'The Server Token you provided in the X-Postmark-Server-Token request header was invalid.',
          },
        },
      },
    }),
    httpVerifier({
      hosts: ['api.postmarkapp.com'],
      request: (secret) => ({
        url: 'https://api.postmarkapp.com/servers?count=1&offset=0',
        headers: { 'x-postmark-account-token': secret, accept: 'application/json' },
      }),
      facts: () => ({ details: { type: 'account' }, privileged: true }),
      fixtures: {
        live: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { TotalCount: 1, Servers: [{ ID: 1, Name: 'Transactional' }] },
        },
        dead: {
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: { ErrorCode: 10, Message: 'Request does not contain a valid Account Token.' },
        },
      },
    }),
  ]),
  examples: {
    match: [
      'POSTMARK_SERVER_TOKEN=0b12bc81-cc78-49da-a877-5a8ec93e11fe',
      'curl "https://api.postmarkapp.com/email" -H "X-Postmark-Server-Token: 9500bc5a-a70b-4749-8720-4bdb4ac9bc1f" -d @mail.json',
    ],
    ignore: [
      // Postmark's documented test token
      'X-Postmark-Server-Token: POSTMARK_API_TEST',
      'POSTMARK_SERVER_TOKEN=00000000-0000-0000-0000-000000000000',
      'postmark message 0b12bc81-cc78-49da-a877-5a8ec93e11fe bounced',
    ],
  },
};

export const postmarkDetectors: readonly Detector[] = [postmarkApiToken];
