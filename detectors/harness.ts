import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/**
 * Harness personal access tokens (`pat.`) and service account tokens (`sat.`):
 * `<type>.<account id 22>.<token id 24>.<secret 20>`.
 */
export const harnessAccessToken: Detector = {
  id: 'harness-access-token',
  name: 'Harness access token',
  issuer: 'harness',
  keywords: ['pat.', 'sat.'],
  pattern: /(?<![\w.-])(?<secret>(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})(?![\w.-])/,
  entropy: 4,
  severity: 'critical',
  // `GET /ng/api/user/currentUser`: the read-only "who am I". Service-account tokens have no user
  // and get an error other than 401, which stays "unknown".
  verify: httpVerifier({
    hosts: ['app.harness.io'],
    request: (secret) => ({
      url: 'https://app.harness.io/ng/api/user/currentUser',
      headers: { 'x-api-key': secret, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (r) => field(r.body, 'status') === 'SUCCESS',
    facts: (r) => {
      const account = field(r.body, 'data', 'email') ?? field(r.body, 'data', 'name');
      return {
        ...(account ? { account } : {}),
        privileged: (r.body as { data?: { admin?: unknown } }).data?.admin === true,
      };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          status: 'SUCCESS',
          data: {
            uuid: 'Hq2vN8xLTe6mWc4bZr7sYg',
            name: 'Dana Ops',
            email: 'dana@acme.test',
            admin: false,
            defaultAccountId: 'fvPQUsN4hP-bk0wCbNxWZK',
          },
          metaData: null,
          correlationId: '6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
        },
      },
      dead: {
        status: 401,
        body: {
          status: 'ERROR',
          code: 'INVALID_TOKEN',
          message: 'Token is not valid.',
          correlationId: '0f9e8d7c-6b5a-4493-8271-6e5d4c3b2a10',
        },
      },
    },
  }),
  examples: {
    match: [
      'HARNESS_API_KEY=pat.fvPQUsN4hP-bk0wCbNxWZK.4d0Vb8D0ewrll3AKkgoxdsVH.d4xFe3BcU42FFbPJHau2',
      'terraform provider harness { platform_api_key = "sat.28b75JcPLzwnHiL9uDGQjy.VW6UldmIFg8N4ZOcu8hM2zEA.wkJKLqhegtFrbAF6a57X" }',
    ],
    ignore: [
      'HARNESS_API_KEY=pat.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxx',
      'HARNESS_API_KEY=pat.<account>.<token>.<secret>',
      'pat.fvPQUsN4hP-bk0wCbNxWZK.4d0Vb8D0ewrll3AKkgoxdsVH',
    ],
  },
};

export const harnessDetectors: readonly Detector[] = [harnessAccessToken];
