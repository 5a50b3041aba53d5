import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** REST API access tokens: `api-` + UUID. They can flip feature flags in production. */
export const launchdarklyAccessToken: Detector = {
  id: 'launchdarkly-access-token',
  name: 'LaunchDarkly API access token',
  issuer: 'launchdarkly',
  keywords: ['api-'],
  pattern: /(?<![\w-])(?<secret>api-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  // `GET /api/v2/caller-identity`: the read-only "who am I" of the calling token.
  verify: httpVerifier({
    hosts: ['app.launchdarkly.com'],
    request: (secret) => ({
      url: 'https://app.launchdarkly.com/api/v2/caller-identity',
      headers: { authorization: secret },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field(r.body, 'accountId');
      const name = field(r.body, 'tokenName');
      return { ...(account ? { account } : {}), ...(name ? { details: { tokenName: name } } : {}) };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          accountId: '5f0a1b2c3d4e5f6a7b8c9d0e',
          authKind: 'token',
          tokenKind: 'auth',
          tokenName: 'terraform',
          serviceToken: true,
          clientId: '',
        },
      },
      dead: { status: 401, body: { code: 'unauthorized', message: 'Invalid access token' } },
    },
  }),
  examples: {
    match: [
      'LAUNCHDARKLY_ACCESS_TOKEN=api-61af64c1-4363-4bf8-8127-c55030582b31',
      'provider "launchdarkly" { access_token = "api-d6d7bd8e-f401-4a34-8bee-1d1f4f2c391c" }',
    ],
    ignore: [
      'LAUNCHDARKLY_ACCESS_TOKEN=api-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      'GET /api-61af64c1',
      'LAUNCHDARKLY_ACCESS_TOKEN=api-00000000-0000-0000-0000-000000000000',
    ],
  },
};

/** Server-side SDK keys: `sdk-` + UUID. They read every flag and segment of one environment. */
export const launchdarklySdkKey: Detector = {
  id: 'launchdarkly-sdk-key',
  name: 'LaunchDarkly server-side SDK key',
  issuer: 'launchdarkly',
  keywords: ['sdk-'],
  pattern: /(?<![\w-])(?<secret>sdk-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])/,
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'LAUNCHDARKLY_SDK_KEY=sdk-6c4caa27-694c-4d83-a025-bd8780d504f3',
      'ldclient.set_config(Config("sdk-d9894560-ed02-4efa-9412-3ae7089d9415"))',
    ],
    ignore: [
      'LAUNCHDARKLY_SDK_KEY=sdk-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      // mobile keys are meant to ship in apps
      'LAUNCHDARKLY_MOBILE_KEY=mob-6c4caa27-694c-4d83-a025-bd8780d504f3',
      'LAUNCHDARKLY_SDK_KEY=sdk-6c4caa27-694c-4d83',
    ],
  },
};

export const launchdarklyDetectors: readonly Detector[] = [launchdarklyAccessToken, launchdarklySdkKey];
