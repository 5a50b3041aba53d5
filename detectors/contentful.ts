import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Content Management API personal access tokens: `CFPAT-` + 43. They can edit and publish content. */
export const contentfulPersonalAccessToken: Detector = {
  id: 'contentful-personal-access-token',
  name: 'Contentful personal access token',
  issuer: 'contentful',
  keywords: ['CFPAT-'],
  pattern: /(?<![\w-])(?<secret>CFPAT-[A-Za-z0-9_-]{43})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  // `GET /users/me`: the read-only "who am I". EU data-residency tokens live on
  // api.eu.contentful.com and are reported dead here.
  verify: httpVerifier({
    hosts: ['api.contentful.com'],
    request: (secret) => ({
      url: 'https://api.contentful.com/users/me',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field(r.body, 'email') ?? field(r.body, 'sys', 'id');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          sys: { type: 'User', id: '4FLrUHftHW3v2BLi9fzfjU' },
          firstName: 'Dana',
          lastName: 'Ops',
          email: 'dana@acme.test',
          activated: true,
        },
      },
      dead: {
        status: 401,
        body: {
          sys: { type: 'Error', id: 'AccessTokenInvalid' },
          message: 'The access token you sent could not be found or is invalid.',
        },
      },
    },
  }),
  examples: {
    match: [
      'CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-h2TDcCRaFVmD9zdlYSZFBxT05W5y2Ul-GWQW6fZ7Ujg',
      'contentful space import --management-token CFPAT-iz8NQZ5X3gv64ZIHJv8ylo4ups1r0m0KCQgPTkMM7y4 --space-id 7k2m9p',
    ],
    ignore: [
      'CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-...',
      'CFPAT-h2TDcCRaFVmD9zdlYSZFBxT05W5y2Ul',
    ],
  },
};

export const contentfulDetectors: readonly Detector[] = [contentfulPersonalAccessToken];
