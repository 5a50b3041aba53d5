import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** Fastly API tokens: 32 `[\w-]`, only recognisable next to a Fastly keyword (`Fastly-Key:` header). */
export const fastlyApiToken: Detector = {
  id: 'fastly-api-token',
  name: 'Fastly API token',
  issuer: 'fastly',
  keywords: ['fastly'],
  pattern: new RegExp(
    `fastly(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|access|cli|purge|automation)[_.\\s-]{0,2}){0,2}(?:token|key)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>[A-Za-z0-9_-]{32})(?![\\w-])`,
    'i',
  ),
  entropy: 3.8,
  severity: 'critical',
  // `GET /tokens/self`: describes the calling token (scopes, expiry). 401 expired/revoked, 403 unknown.
  verify: httpVerifier({
    hosts: ['api.fastly.com'],
    request: (secret) => ({
      url: 'https://api.fastly.com/tokens/self',
      headers: { 'fastly-key': secret, accept: 'application/json' },
    }),
    confirm: (response) => field(response.body, 'id') !== undefined,
    facts: (response) => {
      const scopes = ((response.body as { scopes?: unknown }).scopes as unknown[] | undefined)?.filter(
        (s): s is string => typeof s === 'string',
      );
      const expiresAt = field(response.body, 'expires_at');
      const account = field(response.body, 'user_id');
      return {
        ...(account ? { account } : {}),
        ...(scopes ? { scopes, privileged: scopes.includes('global') } : {}),
        ...(expiresAt ? { expiresAt } : {}),
      };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          id: '5Yo3XXnrQpjc20u0ybrf2g',
          name: 'ci-purge',
          user_id: '4y5K5trZocEAQYkesWlk7M',
          customer_id: '6FPsaxfbAwRwG0kpOwC5zX',
          scopes: ['global'],
          services: [],
          expires_at: '2026-06-30T00:00:00Z',
          created_at: '2025-06-30T09:12:44Z',
        },
      },
      dead: { status: 401, body: { msg: 'Provided credentials are missing or invalid' } },
    },
  }),
  examples: {
    match: [
      'FASTLY_API_TOKEN=7ZWzbMI3djZM5UdN_UW7EzzX0_6oiVnu',
      'curl -X POST -H "Fastly-Key: Zywo1B7-bXbLNrkWIXOgI3BeE9VmPqCU" https://api.fastly.com/service/SU1Z0isxPaozGVKXdv0eY/purge_all',
    ],
    ignore: [
      'FASTLY_API_TOKEN=${FASTLY_API_TOKEN}',
      // a Fastly service id (22 chars) is not a token
      'fastly service id: SU1Z0isxPaozGVKXdv0eY',
      'Fastly-Key: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const fastlyDetectors: readonly Detector[] = [fastlyApiToken];
