import type { Detector } from '../src/core/detector.ts';

/** Personal access tokens: `dop_v1_` + 64 hex. Full API access: droplets, DNS, databases, Kubernetes. */
export const digitaloceanPersonalAccessToken: Detector = {
  id: 'digitalocean-personal-access-token',
  name: 'DigitalOcean personal access token',
  issuer: 'digitalocean',
  keywords: ['dop_v1_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>dop_v1_[0-9a-f]{64})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'critical',
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

/** OAuth access tokens issued to apps: `doo_v1_` + 64 hex; scoped, valid for 30 days. */
export const digitaloceanOauthToken: Detector = {
  id: 'digitalocean-oauth-token',
  name: 'DigitalOcean OAuth access token',
  issuer: 'digitalocean',
  keywords: ['doo_v1_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>doo_v1_[0-9a-f]{64})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'high',
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

/** OAuth refresh tokens: `dor_v1_` + 64 hex. Never test by refreshing: that rotates the token. */
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
