import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Okta API tokens: `00` + 40 `[\w-]`, used as `Authorization: SSWS <token>`. Only recognisable
 * next to `SSWS` or an Okta keyword.
 */
export const oktaApiToken: Detector = {
  id: 'okta-api-token',
  name: 'Okta API token',
  issuer: 'okta',
  keywords: ['ssws', 'okta'],
  pattern: new RegExp(
    `(?:\\bSSWS\\s{1,3}|okta(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|access|admin|org|management|service)[_.\\s-]{0,2}){0,2}(?:token|key)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?)(?<secret>00[A-Za-z0-9_-]{40})(?![\\w-])`,
    'i',
  ),
  validate: (secret) => /[0-9]/.test(secret.slice(2)) && /[A-Za-z]/.test(secret),
  entropy: 3.5,
  severity: 'critical',
  // `GET /api/v1/users/me` (tokens.md #51) on the Okta org an admin configured; the org host
  // must be one of Okta's domains. The call shows in the Okta System Log.
  verify: httpVerifier({
    hosts: ['*.okta.com', '*.oktapreview.com', '*.okta-emea.com', '*.okta-gov.com'],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/api/v1/users/me`,
      headers: { authorization: secretText`SSWS ${secret}`, accept: 'application/json' },
    }),
    confirm: (response) => field(response.body, 'id') !== undefined,
    facts: (response) => {
      const account = field(response.body, 'profile', 'login');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          id: '00u1f9x2kqLmZ7pR4697',
          status: 'ACTIVE',
          profile: { login: 'svc-provisioning@northwind.io', email: 'svc-provisioning@northwind.io' },
        },
      },
      dead: {
        status: 401,
        body: {
          errorCode: 'E0000011',
          errorSummary: 'Invalid token provided',
          errorLink: 'E0000011',
          errorId: 'oaeXk3m9q2LSw6dR8f1bN7T0A',
          errorCauses: [],
        },
      },
    },
  }),
  examples: {
    match: [
      'curl -H "Authorization: SSWS 00CvsvuMEtt4q3YV9ds6r-DBrSkpXbbuq-MLg2F8jb" https://northwind.okta.com/api/v1/users?limit=25',
      'OKTA_API_TOKEN=00X3mZt-_Pe18y9XKxE0xwR-zSKgjlPoBHHfmC_HEA',
    ],
    ignore: [
      'Authorization: SSWS ${OKTA_API_TOKEN}',
      'OKTA_API_TOKEN=00xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // an Okta user id is not a token
      'okta user id 00u1f9x2kqLmZ7pR4697 was deprovisioned',
    ],
  },
};

export const oktaDetectors: readonly Detector[] = [oktaApiToken];
