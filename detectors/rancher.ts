import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Rancher API tokens: `token-<5>:<54 lowercase alphanumerics>`. */
export const rancherApiToken: Detector = {
  id: 'rancher-api-token',
  name: 'Rancher API token',
  issuer: 'rancher',
  keywords: ['token-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>token-[a-z0-9]{5}:[a-z0-9]{54})(?![A-Za-z0-9_-])/,
  validate: (secret) => /[0-9]/.test(secret.slice(12)) && /[a-z]/.test(secret.slice(12)),
  entropy: 3.8,
  severity: 'critical',
  // `GET /v3/users?me=true` ("who am I") on the Rancher server an admin configured.
  verify: httpVerifier({
    hosts: [],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/v3/users?me=true`,
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (response) => Array.isArray((response.body as { data?: unknown } | null)?.data),
    facts: (response) => {
      const account = field((response.body as { data: unknown[] }).data[0], 'username');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          type: 'collection',
          resourceType: 'user',
          data: [{ id: 'u-7xk2p', username: 'fleet-ci', enabled: true }],
        },
      },
      dead: { status: 401, body: { type: 'error', status: '401', message: 'must authenticate' } },
    },
  }),
  examples: {
    match: [
      'CATTLE_TOKEN=token-130bj:vsuneuksszssipejmnlxu9cur9z8ypwiks5praxkrbd7i20io3thgm',
      'rancher login https://rancher.ops.northwind.io --token token-gkk26:opu4bh490jdzyxeskbpjwudmi5ie77998h3722j1dvz0i5qdj7uq5u --context c-m-4kq8x:p-7zt2r',
    ],
    ignore: [
      'rancher login https://rancher.ops.northwind.io --token token-xxxxx:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'use token-based auth for the rancher CLI',
      'CATTLE_TOKEN=token-7xk2p',
    ],
  },
};

export const rancherDetectors: readonly Detector[] = [rancherApiToken];
