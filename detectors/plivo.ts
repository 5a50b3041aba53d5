import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { basicAuth, secretText } from '../src/verification/sensitive.ts';

/**
 * Auth tokens: 40 alphanumerics with the auth id (`MA`/`SA` + 18 uppercase
 * alphanumerics) nearby. Full account access (messages, calls, numbers).
 */
export const plivoAuthToken: Detector = {
  id: 'plivo-auth-token',
  name: 'Plivo auth token',
  issuer: 'plivo',
  keywords: ['plivo'],
  pattern:
    /\bplivo[\w. -]{0,20}?auth[ _.-]{0,3}token[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{40})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  companions: [
    {
      name: 'auth id',
      pattern: /(?<![A-Za-z0-9])(?<secret>[MS]A[A-Z0-9]{18})(?![A-Za-z0-9])/,
      window: 300,
      entropy: 3,
    },
  ],
  severity: 'critical',
  // GET /v1/Account/{auth_id}/ returns the account with Basic auth_id:auth_token.
  verify: httpVerifier({
    hosts: ['api.plivo.com'],
    request: (secret, ctx) => {
      const id = ctx.parts['auth id'] ?? '';
      return {
        url: secretText`https://api.plivo.com/v1/Account/${id}/`,
        headers: { authorization: basicAuth(id, secret) },
      };
    },
    facts: (response) => {
      const name = field(response.body, 'name');
      return name === undefined ? undefined : { account: name };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          account_type: 'standard',
          auth_id: 'MA<redacted>',
          name: 'Acme SMS',
          cash_credits: '24.50000',
          api_id: '6c4f0f4e-1d2b-11ef',
        },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { api_id: '7d5a1b2c-1d2b-11ef', error: 'authentication failed' },
      },
    },
  }),
  examples: {
    match: [
      'PLIVO_AUTH_ID=MAL1D1TWMYYE60EKRFTO\nPLIVO_AUTH_TOKEN=Sy3XCh3iUkhpARSs1nFLXARpteUJjH1YxI5qpyCD',
      "client = plivo.RestClient(auth_id='SA2DP7QXKIN9XSLVRC0Y', auth_token='x') # plivo_auth_token: 37d5YffEYmeAALPcZjPJrNSRiELeogz8OacKIF5c",
    ],
    ignore: [
      'PLIVO_AUTH_TOKEN=Sy3XCh3iUkhpARSs1nFLXARpteUJjH1YxI5qpyCD',
      'PLIVO_AUTH_ID=MAL1D1TWMYYE60EKRFTO PLIVO_AUTH_TOKEN=<auth token>',
      'PLIVO_AUTH_ID=MAL1D1TWMYYE60EKRFTO PLIVO_AUTH_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const plivoDetectors: readonly Detector[] = [plivoAuthToken];
