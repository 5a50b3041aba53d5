import type { Detector } from '../src/core/detector.ts';
import { field, httpRevoker, httpVerifier } from '../src/verification/http-verifier.ts';
import { formBody, secretText } from '../src/verification/sensitive.ts';

/**
 * `GET https://api.digitalocean.com/v2/account` (docs.digitalocean.com/reference/api/digitalocean/#tag/Account,
 * tokens.md #40): "who am I". 200 live, 401 dead. 403 stays unknown: a
 * custom-scoped token without `account:read` is valid but forbidden here.
 */
const digitaloceanAccount = httpVerifier({
  hosts: ['api.digitalocean.com'],
  request: (secret) => ({
    url: 'https://api.digitalocean.com/v2/account',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  facts: (response) => {
    const account = field(response.body, 'account', 'email') ?? field(response.body, 'account', 'uuid');
    const details = Object.fromEntries(
      [
        ['status', field(response.body, 'account', 'status')],
        ['team', field(response.body, 'account', 'team', 'name')],
      ].filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    return { ...(account !== undefined ? { account } : {}), details };
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'ratelimit-limit': '5000' },
      body: {
        account: {
          droplet_limit: 25,
          floating_ip_limit: 3,
          volume_limit: 100,
          email: 'infra-team@acme.io',
          name: 'Acme Infra',
          uuid: 'c3e1b7f24a9d4e0b8f6a2d5c9e7b1f3a08d4c6e2',
          email_verified: true,
          status: 'active',
          status_message: '',
          team: { uuid: '7a2f9c4e1b8d4f3a9e6c0b5d2f8a1e7c4b9d3f6a', name: 'Acme Production' },
        },
      },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { id: 'Unauthorized', message: 'Unable to authenticate you' },
    },
  },
});

/** Personal access tokens: `dop_v1_` + 64 hex. Full API access: droplets, DNS, databases, Kubernetes. */
export const digitaloceanPersonalAccessToken: Detector = {
  id: 'digitalocean-personal-access-token',
  name: 'DigitalOcean personal access token',
  issuer: 'digitalocean',
  keywords: ['dop_v1_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>dop_v1_[0-9a-f]{64})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'critical',
  verify: digitaloceanAccount,
  examples: {
    match: [
      'DIGITALOCEAN_ACCESS_TOKEN=dop_v1_94e5cd943e5100790cfc7b12fd9865eeb4d9deb4db489b3ee9f618fa27bb8618',
      'doctl auth init -t dop_v1_d53c40e0a8a796fcb3b06e8bc243b2c8f6182c3098508ecc8d3f03060852a8fa',
    ],
    ignore: [
      'DIGITALOCEAN_ACCESS_TOKEN=dop_v1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // a bare SHA-256 is not a token
      'image digest 94e5cd943e5100790cfc7b12fd9865eeb4d9deb4db489b3ee9f618fa27bb8618',
      // 63 hex: truncated
      'dop_v1_94e5cd943e5100790cfc7b12fd9865eeb4d9deb4db489b3ee9f618fa27bb861',
    ],
  },
};

/**
 * `POST https://cloud.digitalocean.com/v1/oauth/revoke` with `token=<the token>`
 * (docs.digitalocean.com/reference/api/oauth/#revoke; DigitalOcean's own
 * terraform provider revokes OAuth tokens this way): the access token revokes
 * itself. Only for OAuth access tokens: the endpoint is documented for them,
 * not for personal access tokens.
 */
const digitaloceanOauthRevoke = httpRevoker({
  hosts: ['cloud.digitalocean.com'],
  request: (secret) => ({
    method: 'POST',
    url: 'https://cloud.digitalocean.com/v1/oauth/revoke',
    headers: {
      authorization: secretText`Bearer ${secret}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: formBody({ token: secret }),
  }),
  revokedStatus: [200],
  invalidStatus: [401],
  fixtures: {
    revoked: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: {} },
    failed: {
      status: 401,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { id: 'unauthorized', message: 'Unable to authenticate you' },
    },
  },
});

/** OAuth access tokens issued to apps: `doo_v1_` + 64 hex; scoped, valid for 30 days. */
export const digitaloceanOauthToken: Detector = {
  id: 'digitalocean-oauth-token',
  name: 'DigitalOcean OAuth access token',
  issuer: 'digitalocean',
  keywords: ['doo_v1_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>doo_v1_[0-9a-f]{64})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'high',
  verify: digitaloceanAccount,
  revoke: digitaloceanOauthRevoke,
  examples: {
    match: [
      '{"access_token":"doo_v1_020341b3e6e9fcd7173fd0e66f52ae037e87d37173d6425178b88fbfa487c414","token_type":"bearer","expires_in":2592000}',
      'Authorization: Bearer doo_v1_b999abaa75777909b437cbc0d61a2299144dcf122c8312bb853143524a2ace77',
    ],
    ignore: [
      'doo_v1_0000000000000000000000000000000000000000000000000000000000000000',
      'oauth tokens are prefixed doo_v1_ and refresh tokens dor_v1_',
      'doo_v1_020341b3e6e9fcd7173fd0e66f52ae037e87d37173d6425178b88fbfa487c4',
    ],
  },
};

/**
 * OAuth refresh tokens: `dor_v1_` + 64 hex. No liveness check: the only call
 * that accepts them is the refresh, which rotates the token.
 */
export const digitaloceanRefreshToken: Detector = {
  id: 'digitalocean-refresh-token',
  name: 'DigitalOcean OAuth refresh token',
  issuer: 'digitalocean',
  keywords: ['dor_v1_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>dor_v1_[0-9a-f]{64})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      '"refresh_token": "dor_v1_ddc0717a7d405afcba73e43a6828544e7c5e16933f9e80956ebb077c1b718064"',
      'DO_REFRESH_TOKEN=dor_v1_991d873d725d840c4bf64104e7fc8c95d4708d2f12ceed22201029b1a7ca89df',
    ],
    ignore: [
      'DO_REFRESH_TOKEN=dor_v1_<your-refresh-token>',
      'dor_v1_DDC0717A7D405AFCBA73E43A6828544E7C5E16933F9E80956EBB077C1B718064Z',
      'dor_v1_ddc0717a7d405afcba73e43a6828544e',
    ],
  },
};

export const digitaloceanDetectors: readonly Detector[] = [
  digitaloceanPersonalAccessToken,
  digitaloceanOauthToken,
  digitaloceanRefreshToken,
];
