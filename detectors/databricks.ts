import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Databricks workspace hosts only (tokens.md §1): never send a token to a host taken from elsewhere. */
const WORKSPACE_HOSTS = ['*.cloud.databricks.com', '*.gcp.databricks.com', '*.azuredatabricks.net'];

export const databricksPersonalAccessToken: Detector = {
  id: 'databricks-personal-access-token',
  name: 'Databricks personal access token',
  issuer: 'databricks',
  keywords: ['dapi'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>dapi[0-9a-f]{32}(?:-\d)?)(?![A-Za-z0-9_-])/,
  entropy: 3,
  severity: 'critical',
  // A workspace-scoped token: checked against the workspace URL(s) an admin configured
  // (`GET /api/2.0/preview/scim/v2/Me`, the documented "current user" call).
  verify: httpVerifier({
    hosts: WORKSPACE_HOSTS,
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/api/2.0/preview/scim/v2/Me`,
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    confirm: (response) => field(response.body, 'userName') !== undefined || field(response.body, 'id') !== undefined,
    facts: (response) => {
      const account = field(response.body, 'userName');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          id: '4827364519283746',
          userName: 'etl-runner@northwind.io',
          displayName: 'ETL runner',
          active: true,
        },
      },
      dead: { status: 403, body: { error_code: '403', message: 'Invalid access token.' } },
    },
  }),
  examples: {
    match: [
      'DATABRICKS_HOST=https://dbc-7f3a9c21-4e5b.cloud.databricks.com\nDATABRICKS_TOKEN=dapie288af9872482a3558841de466599643',
      'the job uses token dapicc731a059170ecb6a610e2566d880637-2 on adb-4839201756384920.11.azuredatabricks.net',
    ],
    ignore: [
      'DATABRICKS_TOKEN=dapi00000000000000000000000000000000',
      'DATABRICKS_TOKEN=dapie288af9872482a3558841de4665996',
      'DATABRICKS_TOKEN=dapi<token>',
    ],
  },
};

export const databricksOauthSecret: Detector = {
  id: 'databricks-oauth-secret',
  name: 'Databricks OAuth (service principal) secret',
  issuer: 'databricks',
  keywords: ['dose'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>dose[A-Za-z0-9]{32})(?![A-Za-z0-9_.-])/,
  validate: (secret) => /[0-9]/.test(secret.slice(4)) && /[A-Z]/.test(secret.slice(4)) && /[a-z]/.test(secret.slice(4)),
  entropy: 3.8,
  // Checking it means a client-credentials token exchange: not attempted.
  severity: 'critical',
  examples: {
    match: [
      'DATABRICKS_CLIENT_ID=6a1f0c3e-9b2d-4e7a-8c5f-1d3b9e2a7f40\nDATABRICKS_CLIENT_SECRET=dosekKQLiF6BFnRvHO9tCpelBDluRgMIMbKj',
      'service principal secret for the nightly pipeline: doseb9lt2htISXMitva24SnaZZXupL6P98dD',
    ],
    ignore: [
      'the dosage was doseadjustmentsrequiredforpatients1',
      'DATABRICKS_CLIENT_SECRET=dose<secret>',
      'DATABRICKS_CLIENT_SECRET=dosekKQLiF6BFnRvHO9tC',
    ],
  },
};

export const databricksDetectors: readonly Detector[] = [databricksPersonalAccessToken, databricksOauthSecret];
