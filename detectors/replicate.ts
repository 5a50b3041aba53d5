import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Replicate API tokens: `r8_` + 37. */
export const replicateApiToken: Detector = {
  id: 'replicate-api-token',
  name: 'Replicate API token',
  issuer: 'replicate',
  keywords: ['r8_'],
  pattern: /(?<![\w-])(?<secret>r8_[A-Za-z0-9_-]{37})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  // `GET /v1/account`: the read-only "who am I".
  verify: httpVerifier({
    hosts: ['api.replicate.com'],
    request: (secret) => ({
      url: 'https://api.replicate.com/v1/account',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field(r.body, 'username');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: { type: 'organization', username: 'acme', name: 'Acme Inc', github_url: 'https://github.com/acme' },
      },
      dead: {
        status: 401,
        body: { title: 'Unauthenticated', detail: 'You did not pass a valid authentication token', status: 401 },
      },
    },
  }),
  examples: {
    match: [
      'REPLICATE_API_TOKEN=r8_fFnvSmMNgecpEYS1DZCooOXcUWDFBUkLzczoH',
      'curl -H "Authorization: Bearer r8_RTY2zqvCQVP1QesziLEcVwMcw9bNndCm5m5Jk" https://api.replicate.com/v1/predictions',
    ],
    ignore: [
      'REPLICATE_API_TOKEN=r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'REPLICATE_API_TOKEN=r8_<token>',
      'r8_fFnvSmMNgecpEYS1DZCooOXcUWD',
    ],
  },
};

export const replicateDetectors: readonly Detector[] = [replicateApiToken];
