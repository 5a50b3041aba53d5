import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** CockroachDB Cloud service-account API keys: `CCDB1_` + 22 + `_` + 40 base62. */
export const cockroachlabsCloudApiKey: Detector = {
  id: 'cockroachlabs-cloud-api-key',
  name: 'CockroachDB Cloud API key',
  issuer: 'cockroachlabs',
  keywords: ['CCDB1_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>CCDB1_[A-Za-z0-9]{22}_[A-Za-z0-9]{40})(?![A-Za-z0-9_])/,
  entropy: 4,
  severity: 'critical',
  // `GET /api/v1/clusters`: lists the organization's clusters (read-only).
  verify: httpVerifier({
    hosts: ['cockroachlabs.cloud'],
    request: (secret) => ({
      url: 'https://cockroachlabs.cloud/api/v1/clusters',
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (response) => Array.isArray((response.body as { clusters?: unknown } | null)?.clusters),
    facts: (response) => ({
      details: { clusters: String((response.body as { clusters: unknown[] }).clusters.length) },
    }),
    fixtures: {
      live: {
        status: 200,
        body: {
          clusters: [
            {
              id: '7b1f3c2e-9d4a-4e6b-8c5f-2a0d9e7b1c34',
              name: 'orders-prod',
              cloud_provider: 'GCP',
              plan: 'STANDARD',
              state: 'CREATED',
            },
          ],
          pagination: { next_page: '', last: '' },
        },
      },
      dead: { status: 401, body: { code: 16, message: 'Unauthenticated', details: [] } },
    },
  }),
  examples: {
    match: [
      'COCKROACH_API_KEY=CCDB1_FRrG97q4DYcNe68acpzs1W_fjYBoSKJPkvRss6jsHrcrmlBO1U5MWKicruBO8WH',
      'terraform { } # provider "cockroach" api key CCDB1_Ldm0qFcxeUnKMSEqXaYAgX_fUFC272ESdxIu29bn4iegnNjowTugvSFPhIIl45I (service account: tf-prod)',
    ],
    ignore: [
      'COCKROACH_API_KEY=CCDB1_short_9HUwzxJDBGpEvtbN3HjJb7L7zirVo3qSCAi1MCct',
      'COCKROACH_API_KEY=CCDB1_<key>',
      'COCKROACH_API_KEY=CCDB1_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const cockroachlabsDetectors: readonly Detector[] = [cockroachlabsCloudApiKey];
