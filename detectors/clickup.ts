import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** Personal API tokens: `pk_<user id>_` + 32 uppercase alphanumerics (not Stripe's `pk_live_`/`pk_test_`). */
export const clickupPersonalToken: Detector = {
  id: 'clickup-personal-token',
  name: 'ClickUp personal API token',
  issuer: 'clickup',
  keywords: ['pk_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>pk_\d{5,12}_[A-Z0-9]{32})(?![A-Za-z0-9_])/,
  validate: (secret) => /\d/.test(secret.slice(-32)) && /[A-Z]/.test(secret.slice(-32)),
  entropy: 3.5,
  severity: 'high',
  // GET /api/v2/user returns the token's user.
  verify: httpVerifier({
    hosts: ['api.clickup.com'],
    request: (secret) => ({ url: 'https://api.clickup.com/api/v2/user', headers: { authorization: secret } }),
    facts: (response) => {
      const email = field(response.body, 'user', 'email');
      return email === undefined ? undefined : { account: email };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { user: { id: 26197168, username: 'Ops Bot', email: 'ops@corp.internal', color: '#7b68ee' } },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { err: 'Token invalid', ECODE: 'OAUTH_025' },
      },
    },
  }),
  examples: {
    match: [
      'CLICKUP_TOKEN=pk_26197168_QC8L170DPMIDYV52R2BJJ0GWBR1MBNC5',
      'curl -H "Authorization: pk_1876308_EQOZT8714Z6AAV825R5R3YTD5XSV98SF" https://api.clickup.com/api/v2/team',
    ],
    ignore: [
      // Stripe publishable key
      'STRIPE_PUBLISHABLE_KEY=pk_live_51H8xKcLkdIwHu7ix0Yk3pQ',
      'CLICKUP_TOKEN=pk_12345678_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'CLICKUP_TOKEN=pk_26197168_QC8L170DPMIDYV52R2',
    ],
  },
};

export const clickupDetectors: readonly Detector[] = [clickupPersonalToken];
