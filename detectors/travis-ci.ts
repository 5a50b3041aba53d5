import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Travis CI API tokens: 22 characters, prefix-less, so the word Travis must be nearby. */
export const travisCiApiToken: Detector = {
  id: 'travis-ci-api-token',
  name: 'Travis CI API token',
  issuer: 'travis-ci',
  keywords: ['travis'],
  pattern:
    /(?<![a-z])travis[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9_-]{22})(?![\w-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.5,
  severity: 'critical',
  // `GET /user` (API v3): the read-only "who am I".
  verify: httpVerifier({
    hosts: ['api.travis-ci.com'],
    request: (secret) => ({
      url: 'https://api.travis-ci.com/user',
      headers: { authorization: secretText`token ${secret}`, 'travis-api-version': '3' },
    }),
    facts: (r) => {
      const account = field(r.body, 'login');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          '@type': 'user',
          '@href': '/user/4821',
          id: 4821,
          login: 'acme-ci',
          name: 'Acme CI',
          github_id: 991234,
        },
      },
      dead: { status: 403, body: { '@type': 'error', error_type: 'login_required', error_message: 'login required' } },
    },
  }),
  examples: {
    match: ['TRAVIS_API_TOKEN=U0g0yN1ZdIi6qFnXa9rFeu', 'travis token for release job: 5LoX02qcVH0kI3hMW8w3xP'],
    ignore: [
      'TRAVIS_API_TOKEN=xxxxxxxxxxxxxxxxxxxxxx',
      // a Travis job name, not a token
      'travis job RELEASE_ARTIFACTS_NIGHTLY failed again',
      'TRAVIS_API_TOKEN=U0g0yN1ZdIi6qFnXa9',
    ],
  },
};

export const travisCiDetectors: readonly Detector[] = [travisCiApiToken];
