import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** Cloudsmith API keys: 40 hex, prefix-less, so the word Cloudsmith must be nearby. */
export const cloudsmithApiKey: Detector = {
  id: 'cloudsmith-api-key',
  name: 'Cloudsmith API key',
  issuer: 'cloudsmith',
  keywords: ['cloudsmith'],
  pattern:
    /(?<![a-z])cloudsmith[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{40})(?![\w-])/i,
  entropy: 3,
  severity: 'critical',
  // `GET /v1/user/self/`: the read-only "who am I".
  verify: httpVerifier({
    hosts: ['api.cloudsmith.io'],
    request: (secret) => ({
      url: 'https://api.cloudsmith.io/v1/user/self/',
      headers: { 'x-api-key': secret, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (r) => ((r.body as { authenticated?: unknown } | null)?.authenticated === true ? true : 'dead'),
    facts: (r) => {
      const account = field(r.body, 'slug');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          authenticated: true,
          slug: 'acme-ci',
          slug_perm: 'Xk3pT9vQ2mRw',
          email: 'ci@acme.test',
          name: 'Acme CI',
        },
      },
      dead: { status: 401, body: { detail: 'Invalid API key.' } },
    },
  }),
  examples: {
    match: [
      'CLOUDSMITH_API_KEY=923283c91ce789f22109337a07b62099a0bef1d5',
      'cloudsmith key for ci user: 2c2a47cfac3c70132a274e18c4da34692b3ca69a',
    ],
    ignore: [
      'CLOUDSMITH_API_KEY=0000000000000000000000000000000000000000',
      'CLOUDSMITH_API_KEY=${{ secrets.CLOUDSMITH_API_KEY }}',
      'cloudsmith-cli pinned at 923283c91ce7',
    ],
  },
};

export const cloudsmithDetectors: readonly Detector[] = [cloudsmithApiKey];
