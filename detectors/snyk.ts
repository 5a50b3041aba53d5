import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Snyk API tokens are UUIDs: reported only next to a Snyk keyword (`SNYK_TOKEN=`, `snyk auth <uuid>`). */
export const snykApiToken: Detector = {
  id: 'snyk-api-token',
  name: 'Snyk API token',
  issuer: 'snyk',
  keywords: ['snyk'],
  pattern: new RegExp(
    `snyk(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|access|auth|service|org|cli)[_.\\s-]{0,2}){0,2}(?:token|key|auth|config set api=)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)?\\s{0,3}["']?(?<secret>${UUID})(?![\\w-])`,
    'i',
  ),
  entropy: 3,
  severity: 'high',
  // tokens.md #31: `GET /api/v1/user/me` with `Authorization: token <uuid>`.
  verify: httpVerifier({
    hosts: ['snyk.io'],
    request: (secret) => ({
      url: 'https://snyk.io/api/v1/user/me',
      headers: { authorization: secretText`token ${secret}`, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (response) => field(response.body, 'id') !== undefined,
    facts: (response) => {
      const account = field(response.body, 'username');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          id: '8b1f6c2a-3d9e-4f70-a5b4-2c7e9d1f0a36',
          username: 'ci-scanner',
          email: 'ci-scanner@northwind.io',
          orgs: [{ name: 'northwind', id: 'f3a9c1e7-5b2d-4d8a-9e6f-0c4b7a2d1e58' }],
        },
      },
      dead: {
        status: 401,
        body: { code: 401, message: 'Invalid auth token provided', error: 'Invalid auth token provided' },
      },
    },
  }),
  examples: {
    match: [
      'SNYK_TOKEN=daa0502f-6b94-c869-be8b-dc510137e9c6',
      'run `snyk auth f5fa48ec-d547-e30d-bd2f-a10154a1cef0` on the build agent first',
    ],
    ignore: [
      // an org id is a UUID too
      'snyk org id: ea5ac071-9aa7-1071-7dfb-694b28c5c6af',
      'SNYK_TOKEN=${{ secrets.SNYK_TOKEN }}',
      'SNYK_TOKEN=00000000-0000-0000-0000-000000000000',
    ],
  },
};

export const snykDetectors: readonly Detector[] = [snykApiToken];
