import type { Detector } from '../src/core/detector.ts';
import { hasBase62Crc32 } from '../src/detection/checksums.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** `<vendor>[ _-]<qualifiers>token: value`: a bounded keyword-assignment prefix with no ambiguous overlaps. */
function assigned(vendor: string, names: string, secret: string): RegExp {
  return new RegExp(
    `${vendor}(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|access|auth|deploy|global|account|service|personal|cli|admin|app|secret|private|public)[_.\\s-]{0,2}){0,2}(?:${names})s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>${secret})(?![\\w-])`,
    'i',
  );
}

/*
 * Vercel tokens (vercel.com/changelog/new-token-formats-and-secret-scanning): `vcp_` personal,
 * `vci_` integration, `vca_` app access, `vcr_` app refresh, `vck_` AI Gateway key; each is
 * prefix + 50 `[\w-]` + 6 base62 chars of CRC32(body), the GitHub scheme (checked against
 * public samples). Older access tokens are 24 base62 characters with no prefix.
 */

/** `GET /v2/user`: the documented "current user" endpoint. Vercel answers 403 `invalidToken` to a bad token. */
const userVerifier = httpVerifier({
  hosts: ['api.vercel.com'],
  request: (secret) => ({
    url: 'https://api.vercel.com/v2/user',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  liveStatus: [200, 403],
  deadStatus: [401],
  confirm: (response) => {
    if (response.status === 403) {
      return (response.body as { error?: { invalidToken?: unknown } } | null)?.error?.invalidToken === true
        ? 'dead'
        : false;
    }
    return field(response.body, 'user', 'id') !== undefined;
  },
  facts: (response) => {
    const account = field(response.body, 'user', 'username');
    return account ? { account } : undefined;
  },
  fixtures: {
    live: {
      status: 200,
      body: {
        user: {
          id: 'Fk3Jd8QmZp2Lx7RtW9Yv4NbC',
          email: 'build-bot@shopfront.dev',
          name: 'Build Bot',
          username: 'shopfront-build',
          defaultTeamId: 'team_Qm7Lp2Zx9Kd4Rt8Wv3Yn6Bc1',
        },
      },
    },
    dead: {
      status: 403,
      body: { error: { code: 'forbidden', message: 'Not authorized', invalidToken: true } },
    },
  },
});

const prefixed = (prefix: string): RegExp =>
  new RegExp(`(?<![A-Za-z0-9_])(?<secret>${prefix}[A-Za-z0-9_-]{50}[A-Za-z0-9]{6})(?![A-Za-z0-9_-])`);

export const vercelPersonalAccessToken: Detector = {
  id: 'vercel-personal-access-token',
  name: 'Vercel personal access token',
  issuer: 'vercel',
  keywords: ['vcp_'],
  pattern: prefixed('vcp_'),
  validate: (secret) => hasBase62Crc32(secret, 'vcp_'),
  severity: 'critical',
  verify: userVerifier,
  examples: {
    match: [
      'VERCEL_TOKEN=vcp_3R5_rJLe4IVx3nublmb9Kt71zmq0GvQ771d-o1YR15F7Q1K7H71PhKW1',
      'run `vercel deploy --prod --token vcp_etZYVq4_rY6481-4zKvhLvzLodAVoOrg91nkFaB19uNNuYmhDj1tucYR` from the release branch',
    ],
    ignore: [
      // CRC32 suffix does not hold
      'VERCEL_TOKEN=vcp_3R5_rJLe4IVx3nublmb9Kt71zmq0GvQ771d-o1YR15F7Q1K7H71PhKW2',
      'VERCEL_TOKEN=vcp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'VERCEL_TOKEN=vcp_3R5_rJLe4IVx3nublmb9Kt71zmq0GvQ771d',
    ],
  },
};

export const vercelIntegrationToken: Detector = {
  id: 'vercel-integration-token',
  name: 'Vercel integration token',
  issuer: 'vercel',
  keywords: ['vci_'],
  pattern: prefixed('vci_'),
  validate: (secret) => hasBase62Crc32(secret, 'vci_'),
  severity: 'critical',
  verify: userVerifier,
  examples: {
    match: [
      'integration access token: vci_SZZ9yFiKhYo4rOF93bvvOMd5oYXF7zVp-3lKfooeuBOJPsQVPW2GDuwF',
      '{"access_token":"vci_d3E3_nIsgkPBQz8VCCDcp2rUypAEVhe-Sm4EsE9FH-FbAINRDT3c59Gl","token_type":"Bearer"}',
    ],
    ignore: [
      'vci_SZZ9yFiKhYo4rOF93bvvOMd5oYXF7zVp-3lKfooeuBOJPsQVPW2GDuwG',
      'the integration receives a vci_ token after install',
      'vci_<integration-token>',
    ],
  },
};

export const vercelAppAccessToken: Detector = {
  id: 'vercel-app-access-token',
  name: 'Vercel app (Sign in with Vercel) access token',
  issuer: 'vercel',
  keywords: ['vca_'],
  pattern: prefixed('vca_'),
  validate: (secret) => hasBase62Crc32(secret, 'vca_'),
  severity: 'high',
  // The OpenID Connect userinfo endpoint: a "who am I" call.
  verify: httpVerifier({
    hosts: ['api.vercel.com'],
    request: (secret) => ({
      method: 'POST',
      url: 'https://api.vercel.com/login/oauth/userinfo',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    confirm: (response) => field(response.body, 'sub') !== undefined,
    facts: (response) => {
      const account = field(response.body, 'preferred_username') ?? field(response.body, 'sub');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: { sub: 'Fk3Jd8QmZp2Lx7RtW9Yv4NbC', email: 'lea@shopfront.dev', preferred_username: 'lea-shopfront' },
      },
      dead: { status: 401, body: { error: 'invalid_token', error_description: 'The access token is invalid' } },
    },
  }),
  examples: {
    match: [
      'Authorization: Bearer vca_JyDgi8qMU1OMivqNIDTNirPVyY7gpHfZ2FN1Vre77ZJXFqQu3w20wntm',
      'token response from the callback: {"access_token":"vca_Q2FTapo5RZiVMPXx_0PgkX7Z4RkSxF8iJzx2AIJ4O3Hyb1aJZX4CTLtW","expires_in":3600}',
    ],
    ignore: [
      'vca_JyDgi8qMU1OMivqNIDTNirPVyY7gpHfZ2FN1Vre77ZJXFqQu3w20wntn',
      'vca_ tokens expire after an hour',
      'Authorization: Bearer vca_${ACCESS_TOKEN}',
    ],
  },
};

export const vercelAppRefreshToken: Detector = {
  id: 'vercel-app-refresh-token',
  name: 'Vercel app (Sign in with Vercel) refresh token',
  issuer: 'vercel',
  keywords: ['vcr_'],
  pattern: prefixed('vcr_'),
  validate: (secret) => hasBase62Crc32(secret, 'vcr_'),
  // Never tested: the only checks exchange or introspect the refresh token.
  severity: 'high',
  examples: {
    match: [
      '"refresh_token": "vcr_y9o9DSowI5conuO7QUWcin6aVQ88u44pqqx9ljdeOAR741Pd0a3fCLhx"',
      'stored in the session table: vcr_QnDGhWEa2d-_OsM7ByLJM2Rav2eo9OR2RD0pZ__Qk1t28jJUnv1hJMGO',
    ],
    ignore: [
      '"refresh_token": "vcr_y9o9DSowI5conuO7QUWcin6aVQ88u44pqqx9ljdeOAR741Pd0a3fCLhX"',
      '"refresh_token": "vcr_..."',
      'vcr_ refresh tokens last 30 days',
    ],
  },
};

export const vercelAiGatewayKey: Detector = {
  id: 'vercel-ai-gateway-key',
  name: 'Vercel AI Gateway API key',
  issuer: 'vercel',
  keywords: ['vck_'],
  pattern: prefixed('vck_'),
  validate: (secret) => hasBase62Crc32(secret, 'vck_'),
  // The only live check is a (billable) completion request: not attempted.
  severity: 'high',
  examples: {
    match: [
      'AI_GATEWAY_API_KEY=vck_Z514RpC12PSgqk_IfctSdrpuJ0vqE8WPa7qvPm_N4c0g8hQ8HO26GARJ',
      'the gateway key vck_1xi4mp9J4oiE2zNLhkBh8T7x4sAkquAA9Cs-TpnMaWLebqFp_z0P8YNc hit the budget limit',
    ],
    ignore: [
      'AI_GATEWAY_API_KEY=vck_Z514RpC12PSgqk_IfctSdrpuJ0vqE8WPa7qvPm_N4c0g8hQ8HO26GARK',
      'AI_GATEWAY_API_KEY=<vck_key>',
      'AI_GATEWAY_API_KEY=vck_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ],
  },
};

export const vercelLegacyAccessToken: Detector = {
  id: 'vercel-legacy-access-token',
  name: 'Vercel access token (legacy format)',
  issuer: 'vercel',
  keywords: ['vercel'],
  pattern: assigned('vercel', 'token|key|secret', '[A-Za-z0-9]{24}'),
  validate: (secret) => /[0-9]/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.5,
  severity: 'critical',
  verify: userVerifier,
  examples: {
    match: [
      'VERCEL_TOKEN=IekBPAqK5esaWh3BtmRgNIZo',
      'the vercel deploy token is PdcJ9u6sOfdHMS3rH8XC0YMq, rotate it after the launch',
    ],
    ignore: [
      'VERCEL_TOKEN=${{ secrets.VERCEL_TOKEN }}',
      // a Vercel project id is not a token
      'vercel project: prj_Qm7Lp2Zx9Kd4Rt8Wv3Yn6Bc1',
      'vercel token length is twentyfourchars',
    ],
  },
};

export const vercelDetectors: readonly Detector[] = [
  vercelPersonalAccessToken,
  vercelIntegrationToken,
  vercelAppAccessToken,
  vercelAppRefreshToken,
  vercelAiGatewayKey,
  vercelLegacyAccessToken,
];
