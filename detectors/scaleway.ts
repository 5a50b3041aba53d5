import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Scaleway API key: access key `SCW` + 17 uppercase alphanumerics (an identifier) and a UUID
 * secret key. The UUID is only a secret next to a Scaleway keyword and its access key.
 */
export const scalewayApiKey: Detector = {
  id: 'scaleway-api-key',
  name: 'Scaleway API key (access key + secret key)',
  issuer: 'scaleway',
  keywords: ['scw', 'scaleway'],
  pattern: new RegExp(
    `(?:\\bscw|scaleway)(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|secret|access|private)[_.\\s-]{0,2}){0,2}(?:key|token)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\\w-])`,
    'i',
  ),
  entropy: 3,
  companions: [
    {
      name: 'access key',
      pattern: /(?<![A-Za-z0-9])(?<secret>SCW[A-Z0-9]{17})(?![A-Za-z0-9])/,
      window: 300,
      entropy: 3,
    },
  ],
  severity: 'critical',
  // Reads the API key's own record (`GET /iam/v1alpha1/api-keys/{access_key}`). A 403 means the
  // key authenticated but lacks IAM read rights: still live.
  verify: httpVerifier({
    hosts: ['api.scaleway.com'],
    request: (secret, ctx) => ({
      url: secretText`https://api.scaleway.com/iam/v1alpha1/api-keys/${ctx.parts['access key'] ?? ''}`,
      headers: { 'x-auth-token': secret },
    }),
    liveStatus: [200, 403],
    deadStatus: [401],
    facts: (response) => {
      const account = field(response.body, 'user_id') ?? field(response.body, 'application_id');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          access_key: 'SCWB2KIWE27T9ZAWZ4AV',
          description: 'terraform',
          user_id: '3e7b1c9a-5d2f-4a8e-b6c0-9f1d2e4a7b35',
          created_at: '2025-02-11T10:22:05.912Z',
          expires_at: null,
          default_project_id: '7c2a9e41-0b3d-4f6a-8e15-d9b2c7f0a364',
        },
      },
      dead: {
        status: 401,
        body: {
          message: 'authentication is denied',
          method: 'api_key',
          reason: 'invalid_argument',
          type: 'denied_authentication',
        },
      },
    },
  }),
  examples: {
    match: [
      'SCW_ACCESS_KEY=SCWB2KIWE27T9ZAWZ4AV\nSCW_SECRET_KEY=1a47ec5a-6efd-b83c-3b97-03991ed142ff\nSCW_DEFAULT_PROJECT_ID=7c2a9e41-0b3d-4f6a-8e15-d9b2c7f0a364',
      'provider "scaleway" { access_key = "SCWE0JY573BTPPZ0QKFF" secret_key = "d68a08d5-c9af-1060-6e3a-e626792e8e09" } # scaleway secret key: d68a08d5-c9af-1060-6e3a-e626792e8e09',
    ],
    ignore: [
      // project ids are UUIDs too
      'SCW_ACCESS_KEY=SCWB2KIWE27T9ZAWZ4AV\nSCW_DEFAULT_PROJECT_ID=7c2a9e41-0b3d-4f6a-8e15-d9b2c7f0a364',
      // a secret key without its access key
      'SCW_SECRET_KEY=1a47ec5a-6efd-b83c-3b97-03991ed142ff',
      'SCW_ACCESS_KEY=SCWXXXXXXXXXXXXXXXXX\nSCW_SECRET_KEY=11111111-1111-1111-1111-111111111111',
    ],
  },
};

export const scalewayDetectors: readonly Detector[] = [scalewayApiKey];
