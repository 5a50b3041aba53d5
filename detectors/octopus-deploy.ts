import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/**
 * Octopus Deploy API keys: `API-` + 25–34 uppercase alphanumerics. Each server
 * (self-hosted or `*.octopus.app`) has its own host, so the check runs only
 * against servers an admin configured.
 */
export const octopusDeployApiKey: Detector = {
  id: 'octopus-deploy-api-key',
  name: 'Octopus Deploy API key',
  issuer: 'octopus-deploy',
  keywords: ['API-'],
  pattern: /(?<![\w-])(?<secret>API-[A-Z0-9]{25,34})(?![\w-])/,
  validate: (secret) => /\d/.test(secret.slice(4)) && /[A-Z]/.test(secret.slice(4)),
  entropy: 3.5,
  severity: 'critical',
  // `GET /api/users/me`: the read-only "who am I".
  verify: httpVerifier({
    hosts: ['*.octopus.app'],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/api/users/me`,
      headers: { 'x-octopus-apikey': secret, accept: 'application/json' },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field(r.body, 'Username');
      return account
        ? { account, details: { service: String((r.body as { IsService?: unknown }).IsService === true) } }
        : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          Id: 'Users-42',
          Username: 'deploy-bot',
          DisplayName: 'Deploy Bot',
          IsActive: true,
          IsService: true,
          EmailAddress: null,
        },
      },
      dead: {
        status: 401,
        body: {
          ErrorMessage: 'You must be logged in to perform this action. Please provide a valid API key or log in again.',
          Errors: [],
        },
      },
    },
  }),
  examples: {
    match: [
      'OCTOPUS_API_KEY=API-DRMDI9PIGWUYD148QRLEW2HIRVFX',
      'octo create-release --server https://acme.octopus.app --apiKey API-62P51KJL86X3DMLZ9MZSJNH4D03O --project web',
    ],
    ignore: [
      'OCTOPUS_API_KEY=API-XXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      // letters only: an identifier, not a key
      'see API-GATEWAYCONFIGURATIONREFERENCEGUIDE for details',
      'API-DRMDI9PIGWUYD148',
    ],
  },
};

export const octopusDeployDetectors: readonly Detector[] = [octopusDeployApiKey];
