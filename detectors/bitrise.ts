import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** Bitrise personal access tokens: long base64url strings, prefix-less, so the word Bitrise must be nearby. */
export const bitriseAccessToken: Detector = {
  id: 'bitrise-access-token',
  name: 'Bitrise personal access token',
  issuer: 'bitrise',
  keywords: ['bitrise'],
  pattern:
    /(?<![a-z])bitrise[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9_-]{60,100})(?![\w-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'critical',
  // `GET /v0.1/me`: the read-only "who am I".
  verify: httpVerifier({
    hosts: ['api.bitrise.io'],
    request: (secret) => ({ url: 'https://api.bitrise.io/v0.1/me', headers: { authorization: secret } }),
    facts: (r) => {
      const account = field(r.body, 'data', 'username');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          data: {
            username: 'acme-mobile',
            slug: '5f1c2d3e4a6b7c8d',
            email: 'mobile@acme.test',
            created_at: '2023-04-11T09:12:33.925193Z',
          },
        },
      },
      dead: { status: 401, body: { message: 'Unauthorized' } },
    },
  }),
  examples: {
    match: [
      'BITRISE_TOKEN=akqtVS12AejNIgH2jOWSNNuHpP7c-752toA4_pL5YSmj2crLkPCTfxgJkIfq7u28hwBwOO7PfL3i3QMOgBPkeA',
      'bitrise api token: wVsUER5AQUdHOfRByYaWBcjVWBrHPPq7efHUwdoCYmS3mzoTyTa4y7dFgE4Kuq7OE_R1I9BJFb7AIhIOgfv4ga',
    ],
    ignore: [
      'BITRISE_TOKEN=$BITRISE_PERSONAL_ACCESS_TOKEN',
      'BITRISE_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'bitrise step: deploy-to-bitrise-io-with-artifacts-and-test-reports-enabled-for-every-branch',
    ],
  },
};

export const bitriseDetectors: readonly Detector[] = [bitriseAccessToken];
