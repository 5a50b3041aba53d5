import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { jsonBody, secretText } from '../src/verification/sensitive.ts';

/**
 * Sourcegraph access tokens: `sgp_` + optional 16-hex instance id + `_` + 40 hex.
 * They read all code the user can see. Each instance has its own host, so the
 * check runs only against instances an admin configured.
 */
export const sourcegraphAccessToken: Detector = {
  id: 'sourcegraph-access-token',
  name: 'Sourcegraph access token',
  issuer: 'sourcegraph',
  keywords: ['sgp_'],
  pattern: /(?<![\w-])(?<secret>sgp_(?:[a-f0-9]{16}_)?[a-f0-9]{40})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  // GraphQL `currentUser` query: the "who am I" (a POST read).
  verify: httpVerifier({
    hosts: ['sourcegraph.com'],
    selfHosted: true,
    request: (secret, ctx) => ({
      method: 'POST',
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/.api/graphql`,
      headers: { authorization: secretText`token ${secret}`, 'content-type': 'application/json' },
      body: jsonBody({ query: 'query { currentUser { username siteAdmin } }' }),
    }),
    deadStatus: [401],
    confirm: (r) => (field(r.body, 'data', 'currentUser', 'username') ? true : 'dead'),
    facts: (r) => {
      const account = field(r.body, 'data', 'currentUser', 'username');
      const admin =
        (r.body as { data?: { currentUser?: { siteAdmin?: unknown } } }).data?.currentUser?.siteAdmin === true;
      return { ...(account ? { account } : {}), privileged: admin };
    },
    fixtures: {
      live: { status: 200, body: { data: { currentUser: { username: 'dana', siteAdmin: false } } } },
      dead: { status: 401, body: 'Invalid access token.\n' },
    },
  }),
  examples: {
    match: [
      'SRC_ACCESS_TOKEN=sgp_862adde3b10d5f91_8c0036866643afbd0471336ab8d2750fa340724d',
      'src login https://sourcegraph.acme.internal --token sgp_932e099eaffb7c580bf98557a8a00bc3e9969191',
    ],
    ignore: [
      'SRC_ACCESS_TOKEN=sgp_0000000000000000_0000000000000000000000000000000000000000',
      'SRC_ACCESS_TOKEN=sgp_...',
      'sgp_862adde3b10d5f91_8c0036866643afbd0471336ab8d2',
    ],
  },
};

export const sourcegraphDetectors: readonly Detector[] = [sourcegraphAccessToken];
