import type { Detector } from '../src/core/detector.ts';
import type { RevocationResult, Revoker, SafeResponse } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/*
 * Cloudflare token formats (developers.cloudflare.com/fundamentals/api/get-started/token-formats/):
 * `cfut_` user API token, `cfat_` account API token, `cfk_` global API key: 40 base62
 * characters then an 8-hex checksum whose algorithm is not published. Legacy API tokens are
 * 40 `[\w-]` characters and legacy global keys 37 hex, both only recognisable next to a keyword.
 */

const API = 'https://api.cloudflare.com/client/v4';
const VERIFY_URL = `${API}/user/tokens/verify`;

/** `<vendor>[ _-]<qualifiers>token: value`: a bounded keyword-assignment prefix with no ambiguous overlaps. */
function assigned(vendor: string, names: string, secret: string): RegExp {
  return new RegExp(
    `${vendor}(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|access|auth|deploy|global|account|service|personal|cli|admin|app|secret|private|public)[_.\\s-]{0,2}){0,2}(?:${names})s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>${secret})(?![\\w-])`,
    'i',
  );
}

const tokenVerifyLive = {
  status: 200,
  body: {
    result: {
      id: 'f267e341f3dd4697bd3b9f71dd96247f',
      status: 'active',
      not_before: '2025-03-01T00:00:00Z',
      expires_on: '2026-03-01T00:00:00Z',
    },
    success: true,
    errors: [],
    messages: [{ code: 10000, message: 'This API Token is valid and active', type: null }],
  },
};

/** `GET /user/tokens/verify`: documented read-only self-check of a user API token. */
const userTokenVerifier = httpVerifier({
  hosts: ['api.cloudflare.com'],
  request: (secret) => ({ url: VERIFY_URL, headers: { authorization: secretText`Bearer ${secret}` } }),
  // Cloudflare answers 400 (code 6003/6111) to a malformed token and 401 (code 1000) to an unknown one.
  deadStatus: [400, 401, 403],
  confirm: (response) => {
    const status = field(response.body, 'result', 'status');
    if (status === 'disabled' || status === 'expired') return 'dead';
    return status === 'active';
  },
  facts: (response) => {
    const expiresAt = field(response.body, 'result', 'expires_on');
    const id = field(response.body, 'result', 'id');
    return { ...(expiresAt ? { expiresAt } : {}), ...(id ? { details: { tokenId: id } } : {}) };
  },
  fixtures: {
    live: tokenVerifyLive,
    dead: {
      status: 401,
      body: { success: false, errors: [{ code: 1000, message: 'Invalid API Token' }], messages: [], result: null },
    },
  },
});

function succeeded(response: SafeResponse): boolean {
  return (response.body as { success?: unknown } | null)?.success === true;
}

/**
 * Self-revocation of a user API token with the token alone (tokens.md #42): look up the
 * token's own id with `/user/tokens/verify`, then `DELETE /user/tokens/{id}`. Cloudflare only
 * allows the delete when the token carries "API Tokens: Edit"; otherwise the outcome is `failed`.
 */
const userTokenRevoker: Revoker = {
  hosts: ['api.cloudflare.com'],
  fixtures: {
    revoked: {
      status: 200,
      body: { ...tokenVerifyLive.body, messages: [] },
    },
    failed: {
      status: 403,
      body: {
        success: false,
        errors: [{ code: 9109, message: 'Unauthorized to access requested resource' }],
        messages: [],
        result: null,
      },
    },
  },
  async revoke(secret, ctx): Promise<RevocationResult> {
    const authorization = secretText`Bearer ${secret}`;
    const lookup = await ctx.request({ method: 'GET', url: VERIFY_URL, headers: { authorization } });
    if (lookup.status === 401 || lookup.status === 400) return { outcome: 'already_invalid' };
    const id = lookup.status === 200 ? field(lookup.body, 'result', 'id') : undefined;
    if (id === undefined || !/^[0-9a-f]{32}$/.test(id)) {
      return { outcome: 'failed', reason: `token lookup failed (HTTP ${lookup.status})` };
    }
    const deleted = await ctx.request({
      method: 'DELETE',
      url: `${API}/user/tokens/${id}`,
      headers: { authorization },
    });
    if (deleted.status === 200 && succeeded(deleted)) return { outcome: 'revoked' };
    if (deleted.status === 403) return { outcome: 'failed', reason: 'token lacks the "API Tokens: Edit" permission' };
    return { outcome: 'failed', reason: `unexpected HTTP ${deleted.status}` };
  },
};

export const cloudflareUserApiToken: Detector = {
  id: 'cloudflare-user-api-token',
  name: 'Cloudflare user API token',
  issuer: 'cloudflare',
  keywords: ['cfut_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>cfut_[A-Za-z0-9]{40}[0-9a-f]{8})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'critical',
  verify: userTokenVerifier,
  revoke: userTokenRevoker,
  examples: {
    match: [
      'CLOUDFLARE_API_TOKEN=cfut_ZQ9vyQeqLLW6DRgKBHQQYwYY0bt73SOeSaUSZQQHed24cece',
      'wrangler still says auth error, I exported cfut_9tFwcrt5f1937mlzHrRfsT7yqBDizDGLU3W7UmiG9b8e9aa9 in the CI job',
    ],
    ignore: [
      'CLOUDFLARE_API_TOKEN=cfut_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // the suffix is lowercase hex, never uppercase
      'cfut_ZQ9vyQeqLLW6DRgKBHQQYwYY0bt73SOeSaUSZQQHED24CECE',
      // one character short
      'cfut_ZQ9vyQeqLLW6DRgKBHQQYwYY0bt73SOeSaUSZQQed24cece',
    ],
  },
};

export const cloudflareAccountApiToken: Detector = {
  id: 'cloudflare-account-api-token',
  name: 'Cloudflare account API token',
  issuer: 'cloudflare',
  keywords: ['cfat_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>cfat_[A-Za-z0-9]{40}[0-9a-f]{8})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  // Verification needs the account id (`/accounts/{id}/tokens/verify`), which is rarely pasted with it.
  severity: 'critical',
  examples: {
    match: [
      'CF_ACCOUNT_TOKEN: cfat_gCh3WDCpQHoqXMhfdnE6VELnnt1Un7jFWHZEA4VT054efa97',
      'terraform provider "cloudflare" { api_token = "cfat_YR5FRqnAtfec7FThy2YQQcGqV1yyc91H0DoTqbp292aea0d4" }',
    ],
    ignore: [
      'cfat_<account-token>',
      'cfat_gCh3WDCpQHoqXMhfdnE6VELnnt1Un7jFWHZEA4VT054efa97extra',
      'cfat_gCh3WDCpQHoqXMhfdnE6VELnnt1Un7jFWHZEA4VT054efaZZ',
    ],
  },
};

export const cloudflareGlobalApiKey: Detector = {
  id: 'cloudflare-global-api-key',
  name: 'Cloudflare global API key',
  issuer: 'cloudflare',
  keywords: ['cfk_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>cfk_[A-Za-z0-9]{40}[0-9a-f]{8})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  // Needs the account e-mail as X-Auth-Email to verify; not attempted.
  severity: 'critical',
  examples: {
    match: [
      'X-Auth-Email: ops@shop-domain.io\nX-Auth-Key: cfk_9tFwcrt5f1937mlzHrRfsT7yqBDizDGLU3W7UmiG054efa97',
      'global key (please do not use it for CI): cfk_ZQ9vyQeqLLW6DRgKBHQQYwYY0bt73SOeSaUSZQQH92aea0d4',
    ],
    ignore: [
      'cfk_ prefixed keys replace the 37-hex global key',
      'cfk_ZQ9vyQeqLLW6DRgKBHQQYwYY0bt73SOeSaUSZQQH92aea0',
      'X-Auth-Key: cfk_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX00000000',
    ],
  },
};

export const cloudflareLegacyApiToken: Detector = {
  id: 'cloudflare-legacy-api-token',
  name: 'Cloudflare API token (legacy format)',
  issuer: 'cloudflare',
  keywords: ['cloudflare', 'cf_api_token', 'cf-api-token'],
  pattern: assigned('(?:cloudflare|\\bcf)', 'token|key', '[A-Za-z0-9_-]{40}'),
  entropy: 3.8,
  severity: 'critical',
  verify: userTokenVerifier,
  revoke: userTokenRevoker,
  examples: {
    match: [
      'CLOUDFLARE_API_TOKEN=kL8dfSGWwUjivRIkcx58YZwRoPXuSc6Dv7fp5zQR',
      'dns-01 challenge config:\n  cloudflare:\n    api_token: "YpHj1HjEv1Ex4VgUC2xHwxQ2grftIBFEomXQfUQd"',
    ],
    ignore: [
      'CLOUDFLARE_API_TOKEN=${{ secrets.CLOUDFLARE_API_TOKEN }}',
      // 40 hex is more likely a hash than a token
      'cloudflare token rotated in commit 4f9c2a1be0d37e65f18a2c9b7d04e3f1a6b58c27',
      'CLOUDFLARE_API_TOKEN=your-cloudflare-api-token-goes-right-here',
    ],
  },
};

export const cloudflareLegacyGlobalApiKey: Detector = {
  id: 'cloudflare-legacy-global-api-key',
  name: 'Cloudflare global API key (legacy 37-hex)',
  issuer: 'cloudflare',
  keywords: ['cloudflare', 'x-auth-key', 'cf_api_key'],
  pattern: assigned('(?:cloudflare|x-auth|\\bcf)', 'key', '[0-9a-f]{37}'),
  entropy: 3.2,
  severity: 'critical',
  examples: {
    match: [
      'curl -H "X-Auth-Email: dns@retail-co.de" -H "X-Auth-Key: 5828132faf8cbecf3770cb3f94ce1fd6f329c" https://api.cloudflare.com/client/v4/zones',
      'CLOUDFLARE_GLOBAL_API_KEY=ae8d89c8b4cb6b7d406464eb2aae5ad8eae22',
    ],
    ignore: [
      'X-Auth-Key: <global-api-key>',
      // a 40-hex SHA-1 is not a 37-hex key
      'cloudflare_key_id=5828132faf8cbecf3770cb3f94ce1fd6f329cab1',
      'CLOUDFLARE_GLOBAL_API_KEY=0000000000000000000000000000000000000',
    ],
  },
};

export const cloudflareOriginCaKey: Detector = {
  id: 'cloudflare-origin-ca-key',
  name: 'Cloudflare Origin CA key',
  issuer: 'cloudflare',
  keywords: ['v1.0-'],
  pattern: /(?<![\w.-])(?<secret>v1\.0-[0-9a-f]{24}-[0-9a-f]{146})(?![\w-])/,
  window: { before: 16, after: 200 },
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      'X-Auth-User-Service-Key: v1.0-79e46d27ad9d55d830d055f3-c5f35af25e87944610ad8ca12f4b41959c2a730ecd463cff093fea345e84788015b24c9bbf6f33e66d062db3b00fc680eab8e65d018878c6dc7169ab34457c4eadc3417197e280ad05',
      'origin-ca-issuer secret: CF_ORIGIN_CA_KEY=v1.0-b77cb10b480598207905472e-bc0f98467a4b605dbb163f1f12523853c51283041016e2dcfa1c0fc07746c2ad8f0fd3ec6766531c79037c2ed73418ae5a3f5bc91dc2a0553301c83201d5ece06008e2a90ae8e82837',
    ],
    ignore: [
      'api version v1.0-beta is deprecated',
      'v1.0-79e46d27ad9d55d830d055f3-c5f35af25e87944610ad8ca12f4b41959c2a730e',
      'X-Auth-User-Service-Key: v1.0-<origin-ca-key>',
    ],
  },
};

export const cloudflareDetectors: readonly Detector[] = [
  cloudflareUserApiToken,
  cloudflareAccountApiToken,
  cloudflareGlobalApiKey,
  cloudflareLegacyApiToken,
  cloudflareLegacyGlobalApiKey,
  cloudflareOriginCaKey,
];
