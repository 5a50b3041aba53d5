import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Personal access tokens: `2/<user gid>/<token gid>:<32 hex>` (current),
 * `1/<user gid>:<32 hex>` and `0/<32 hex>` (older). Only after an Asana name or
 * a `Bearer` header: the `1/`/`2/` start is too short to be a keyword.
 */
export const asanaPersonalAccessToken: Detector = {
  id: 'asana-personal-access-token',
  name: 'Asana personal access token',
  issuer: 'asana',
  keywords: ['asana', 'bearer 1/', 'bearer 2/'],
  pattern:
    /(?:\basana[\w. -]{0,20}?(?:token|pat|key)[\s"'`]{0,3}[=:][\s"'`]{0,3}|\bBearer\s{1,3}(?=[12]\/))(?<secret>[12]\/\d{10,19}(?:\/\d{10,19})?:[0-9a-f]{32}|0\/[0-9a-f]{32})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'high',
  verify: httpVerifier({
    hosts: ['app.asana.com'],
    request: (secret) => ({
      url: 'https://app.asana.com/api/1.0/users/me',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (response) => {
      const email = field(response.body, 'data', 'email');
      return email === undefined ? undefined : { account: email };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          data: {
            gid: '5010326190654541',
            email: 'pm-bot@corp.internal',
            name: 'PM bot',
            resource_type: 'user',
            workspaces: [{ gid: '1199', name: 'Acme' }],
          },
        },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { errors: [{ message: 'Not Authorized' }] },
      },
    },
  }),
  examples: {
    match: [
      'ASANA_PAT=2/5010326190654541/3679301200185305:c580a4590c6e0d01cb42aadbc5a2292f node sync-tasks.js',
      'curl https://app.asana.com/api/1.0/projects -H "Authorization: Bearer 1/8842748482061774:a608e5871768576c18ce724c26835d44"',
    ],
    ignore: [
      'ASANA_PAT=<personal access token>',
      'Authorization: Bearer 1/1234567890123456:00000000000000000000000000000000',
      // a version/path fragment, not a token
      'asana token docs: see /api/1.0/users/me and 2/5010326190654541 for the gid',
    ],
  },
};

export const asanaDetectors: readonly Detector[] = [asanaPersonalAccessToken];
