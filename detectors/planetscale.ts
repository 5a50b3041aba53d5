import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

export const planetscaleServiceToken: Detector = {
  id: 'planetscale-service-token',
  name: 'PlanetScale service token',
  issuer: 'planetscale',
  keywords: ['pscale_tkn_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>pscale_tkn_[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  entropy: 3.8,
  // The API wants `Authorization: <service token id>:<token>`; the 12-character id is rarely
  // labelled well enough to pair it safely, so no liveness check.
  severity: 'critical',
  examples: {
    match: [
      'PLANETSCALE_SERVICE_TOKEN_ID=p4m7xq2kz9rt\nPLANETSCALE_SERVICE_TOKEN=pscale_tkn_oqEe_JKQVqrpRRX6K0p9hzFXa_fCrQnp7fJWqblcIiA',
      'pscale deploy-request create shop main --service-token pscale_tkn_yGlUZWjNQKn87HSbXcauGqkaH1U_Ljx5ZYH4gkuy6v_',
    ],
    ignore: [
      'PLANETSCALE_SERVICE_TOKEN=pscale_tkn_<token>',
      'PLANETSCALE_SERVICE_TOKEN=pscale_tkn_oqEe_JKQVqrpRRX6K0p9',
      'PLANETSCALE_SERVICE_TOKEN=pscale_tkn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const planetscaleDatabasePassword: Detector = {
  id: 'planetscale-database-password',
  name: 'PlanetScale database password',
  issuer: 'planetscale',
  keywords: ['pscale_pw_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>pscale_pw_[A-Za-z0-9_.=-]{32,64})(?![A-Za-z0-9_.=-])/,
  entropy: 3.8,
  // A MySQL/Postgres password: checking it means connecting to the database, which is never done.
  severity: 'critical',
  examples: {
    match: [
      'DATABASE_URL=mysql://k3v9w1x7qzbd:pscale_pw_wqAs4BJmQlLB0UmrSg5jS2CseK-udhsPFgbCKNN07Zk@aws.connect.psdb.cloud/shop?sslaccept=strict',
      'password for the read replica user: pscale_pw_M1WTtl8BJaPry9L36StpdsdAq7crSQnyvrJWB1GN3Xi',
    ],
    ignore: [
      'DATABASE_URL=mysql://user:pscale_pw_${PASSWORD}@aws.connect.psdb.cloud/shop',
      'passwords start with pscale_pw_',
      'pscale_pw_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const planetscaleOauthToken: Detector = {
  id: 'planetscale-oauth-token',
  name: 'PlanetScale OAuth access token',
  issuer: 'planetscale',
  keywords: ['pscale_oauth_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>pscale_oauth_[A-Za-z0-9_.=-]{32,64})(?![A-Za-z0-9_.=-])/,
  entropy: 3.8,
  severity: 'high',
  // tokens.md #47: `GET /v1/organizations`; OAuth access tokens are sent as Bearer tokens.
  verify: httpVerifier({
    hosts: ['api.planetscale.com'],
    request: (secret) => ({
      url: 'https://api.planetscale.com/v1/organizations',
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (response) => Array.isArray((response.body as { data?: unknown } | null)?.data),
    facts: (response) => {
      const org = (response.body as { data: unknown[] }).data[0];
      const account = field(org, 'name');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          type: 'list',
          current_page: 1,
          data: [{ id: 'p8wq3zk1m7xd', type: 'Organization', name: 'northwind', plan: 'scaler_pro' }],
        },
      },
      dead: { status: 401, body: { code: 'unauthorized', message: 'Unauthorized' } },
    },
  }),
  examples: {
    match: [
      'Authorization: Bearer pscale_oauth_4OiboHXsXgOj5DFwx8XYCqZ-dg7UtiV6gMmb823aST_',
      'PLANETSCALE_OAUTH_TOKEN="pscale_oauth_F0hAZOU0-NnVSlGTtZ2C1Qr7V2huOtryHPiapxsWJGv"',
    ],
    ignore: [
      'Authorization: Bearer pscale_oauth_<token>',
      'pscale_oauth_ tokens are minted by OAuth apps',
      'pscale_oauth_4OiboHXsXgOj5DFwx8XY',
    ],
  },
};

export const planetscaleDetectors: readonly Detector[] = [
  planetscaleServiceToken,
  planetscaleDatabasePassword,
  planetscaleOauthToken,
];
