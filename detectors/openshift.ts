import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** OpenShift 4 OAuth access tokens (user and `oc login --token`): `sha256~` + 43 base64url. */
export const openshiftOauthToken: Detector = {
  id: 'openshift-oauth-token',
  name: 'OpenShift OAuth access token',
  issuer: 'openshift',
  keywords: ['sha256~'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sha256~[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  entropy: 3.8,
  severity: 'critical',
  // `GET /apis/user.openshift.io/v1/users/~` ("who am I") on the cluster API an admin configured.
  verify: httpVerifier({
    hosts: [],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/apis/user.openshift.io/v1/users/~`,
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (response) => field(response.body, 'kind') === 'User',
    facts: (response) => {
      const account = field(response.body, 'metadata', 'name');
      const groups = (response.body as { groups?: unknown }).groups;
      const scopes = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : undefined;
      return { ...(account ? { account } : {}), ...(scopes ? { scopes } : {}) };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          kind: 'User',
          apiVersion: 'user.openshift.io/v1',
          metadata: { name: 'ci-deployer', uid: '2f6c1e8a-4b9d-4a3e-9c7f-0d5b2e8a1f63' },
          groups: ['system:authenticated', 'system:authenticated:oauth'],
        },
      },
      dead: {
        status: 401,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'Unauthorized',
          reason: 'Unauthorized',
          code: 401,
        },
      },
    },
  }),
  examples: {
    match: [
      'oc login --token=sha256~ufAWRUakXK2wFet6e2ILWNCkMw4kJnyoWjV_MJ5Amfa --server=https://api.ocp-prod.northwind.io:6443',
      'Authorization: Bearer sha256~NqK-Y49PxUU6_Qa7sYI8TenuvqoToiwHQ6dZq3qyusE',
    ],
    ignore: [
      'oc login --token=sha256~XXXXXXXXXX_PUT_YOUR_TOKEN_HERE_XXXXXXXXXXXX --server=https://api.ocp.local:6443',
      'image digest sha256:9f2c1e7b4d4e0f9a8b6c5d4e3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a',
      'oc login --token=sha256~<token>',
    ],
  },
};

export const openshiftDetectors: readonly Detector[] = [openshiftOauthToken];
