import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

export const neonApiKey: Detector = {
  id: 'neon-api-key',
  name: 'Neon API key',
  issuer: 'neon',
  keywords: ['napi_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>napi_[A-Za-z0-9]{64})(?![A-Za-z0-9_])/,
  entropy: 3.8,
  severity: 'critical',
  // `GET /api/v2/projects` lists projects (read-only). A personal key of a member of several
  // organizations gets 400 "org_id is required": authenticated, so live.
  verify: httpVerifier({
    hosts: ['console.neon.tech'],
    request: (secret) => ({
      url: 'https://console.neon.tech/api/v2/projects?limit=1',
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
    }),
    liveStatus: [200, 400],
    deadStatus: [401],
    confirm: (response) =>
      response.status === 200
        ? Array.isArray((response.body as { projects?: unknown } | null)?.projects)
        : /org_id is required/.test(field(response.body, 'message') ?? ''),
    fixtures: {
      live: {
        status: 200,
        body: {
          projects: [
            { id: 'lingering-frost-81920437', name: 'checkout', region_id: 'aws-eu-central-1', pg_version: 17 },
          ],
          pagination: { cursor: 'lingering-frost-81920437' },
        },
      },
      dead: { status: 401, body: { message: 'authentication required', code: '' } },
    },
  }),
  examples: {
    match: [
      'NEON_API_KEY=napi_6iqco9wuekgwhpzzk62ci2gs2l63kyzmmqpomisdy25axv5k5898go0njqko0505',
      'neonctl projects list --api-key napi_uhm2q8wjsq29sz6s9d96c76yruig7tylyi58t7vq52xkluo5jbiletscno1gnwex',
    ],
    ignore: [
      'NEON_API_KEY=napi_<key>',
      'NEON_API_KEY=napi_6iqco9wuekgwhpzzk62ci2gs2l63ky',
      'NEON_API_KEY=napi_0000000000000000000000000000000000000000000000000000000000000000',
    ],
  },
};

export const neonDetectors: readonly Detector[] = [neonApiKey];
