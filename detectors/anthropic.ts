import type { Detector } from '../src/core/detector.ts';
import type { SafeResponse } from '../src/core/verification.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';

const ANTHROPIC_INVALID_KEY = {
  status: 401,
  headers: { 'content-type': 'application/json', 'request-id': 'req_011CUbG7kQmVz9wXhYp3RtNa' },
  body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
};

/** The organization id Anthropic returns with every authenticated response. */
function anthropicOrganization(response: SafeResponse): { account?: string } {
  const organization = response.headers.get('anthropic-organization-id');
  return organization ? { account: organization } : {};
}

/**
 * `GET https://api.anthropic.com/v1/models` (docs.anthropic.com/en/api/models-list,
 * tokens.md #72): free and read-only, never the billable messages call. 200
 * live, 401 dead; 403 (permission_error) stays unknown.
 */
const anthropicModels = httpVerifier({
  hosts: ['api.anthropic.com'],
  request: (secret) => ({
    url: 'https://api.anthropic.com/v1/models',
    headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01' },
  }),
  deadStatus: [401],
  facts: anthropicOrganization,
  fixtures: {
    live: {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'anthropic-organization-id': '5d0c7f4e-2b9a-4e61-8c3f-a17b9e2d6f40',
        'request-id': 'req_011CUbFz4sJ8nTqLwXe2VhMp',
      },
      body: {
        data: [
          {
            type: 'model',
            id: 'claude-sonnet-4-20250514',
            display_name: 'Claude Sonnet 4',
            created_at: '2025-05-22T00:00:00Z',
          },
        ],
        has_more: true,
        first_id: 'claude-sonnet-4-20250514',
        last_id: 'claude-sonnet-4-20250514',
      },
    },
    dead: ANTHROPIC_INVALID_KEY,
  },
});

/**
 * `GET https://api.anthropic.com/v1/organizations/users?limit=1`
 * (docs.anthropic.com/en/api/admin-api/users/list-users): read-only Admin API
 * call that only admin keys may make. 200 live, 401 dead.
 */
const anthropicOrganizationUsers = httpVerifier({
  hosts: ['api.anthropic.com'],
  request: (secret) => ({
    url: 'https://api.anthropic.com/v1/organizations/users?limit=1',
    headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01' },
  }),
  deadStatus: [401],
  facts: (response) => ({ ...anthropicOrganization(response), privileged: true }),
  fixtures: {
    live: {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'anthropic-organization-id': '5d0c7f4e-2b9a-4e61-8c3f-a17b9e2d6f40',
      },
      body: {
        data: [
          {
            id: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
            type: 'user',
            email: 'platform-admin@acme.io',
            name: 'Priya Raman',
            role: 'admin',
            added_at: '2024-10-30T23:58:27.427722Z',
          },
        ],
        has_more: true,
        first_id: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
        last_id: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
      },
    },
    dead: ANTHROPIC_INVALID_KEY,
  },
});

/** API keys: `sk-ant-api03-` + 93 base64url + `AA` (108 chars). */
export const anthropicApiKey: Detector = {
  id: 'anthropic-api-key',
  name: 'Anthropic API key',
  issuer: 'anthropic',
  keywords: ['sk-ant-api03-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-api03-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])/,
  entropy: 4,
  severity: 'high',
  verify: anthropicModels,
  examples: {
    match: [
      'ANTHROPIC_API_KEY=sk-ant-api03-P_uwhUod9Biuso_VKIETEwB_sMzfdmt34PuC5GJ8FUdTRIwyZRlif73QUG2HfwhaSi71JXAHgEOWzW9Mrq1fEZrQhv61OAA',
      'client = Anthropic(api_key="sk-ant-api03-AQmKc923jCLGaIqlFvtd9a2rmKc_WlLqdvU7w4XbdlD4wOm3riIRI66-EDdWROKaOF_xOO5UER5tgMFxb9iZHgfAlQT3TAA")',
    ],
    ignore: [
      'ANTHROPIC_API_KEY=sk-ant-api03-...',
      'ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA',
      // does not end with AA: not a complete key
      'sk-ant-api03-P_uwhUod9Biuso_VKIETEwB_sMzfdmt34PuC5GJ8FUdTRIwyZRlif73QUG2HfwhaSi71JXAHgEOWzW9Mrq1fEZrQhv61O',
    ],
  },
};

/** Admin API keys: `sk-ant-admin01-` + 93 + `AA`; manage members, workspaces and API keys. */
export const anthropicAdminKey: Detector = {
  id: 'anthropic-admin-key',
  name: 'Anthropic Admin API key',
  issuer: 'anthropic',
  keywords: ['sk-ant-admin01-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-admin01-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])/,
  entropy: 4,
  severity: 'critical',
  verify: anthropicOrganizationUsers,
  examples: {
    match: [
      'ANTHROPIC_ADMIN_KEY=sk-ant-admin01-qtESqFdETj9zdX8pl6j4TD8o_r8OprOieEeV7WB99CJgVWv8AP9b8YshLspqP7bUd9JEddHqG0FxxEZwZf-XsFVUBAIzYAA',
      'curl https://api.anthropic.com/v1/organizations/users --header "x-api-key: sk-ant-admin01-pTnJ77KD5GauJ9K-ZwVf4fdHizaUf4A7uzdhOMYtB4FpJRdgGHl-rBpiAPOGowQMTsrPxUOjIQ19Ptsme5eALlb0Yc_3rAA"',
    ],
    ignore: [
      'admin keys (sk-ant-admin01-…) can only be created by org admins',
      'sk-ant-admin01-qtESqFdETj9zdX8pl6j4TD8o_r8OprOieEeV7WB99CJgVWv8AP9b8YshLspqP7bUd9JEddHqG0FxxEZwZf',
      'sk-ant-admin01-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXAA',
    ],
  },
};

/**
 * OAuth tokens of Claude subscriptions (Claude Code): access `sk-ant-oat01-`,
 * refresh `sk-ant-ort01-`. Assumed to share the API-key layout (93 + `AA`): that
 * scores 1; other lengths are kept at 0.8 because the layout is not documented.
 * No liveness check: the only documented calls are the OAuth exchange (which
 * rotates tokens) and billable model calls.
 */
function oauthLayoutScore(secret: string): number {
  const body = secret.slice('sk-ant-oat01-'.length);
  return body.length === 95 && body.endsWith('AA') ? 1 : 0.8;
}

export const anthropicOauthToken: Detector = {
  id: 'anthropic-oauth-token',
  name: 'Anthropic OAuth access token',
  issuer: 'anthropic',
  keywords: ['sk-ant-oat01-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-oat01-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/,
  validate: oauthLayoutScore,
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-DBi3VR2D7SBVAqmzntBPQEreGc9wBogKSnSe-Uw_h0gS5EMTk25f4VJnoo46tMT2VzD7gLBmFCOzpI-ZIVmZ5DLTxWeJ-AA',
      '"claudeAiOauth": {"accessToken": "sk-ant-oat01-tIJmFFQAxvIN3xDFY2piyjrKpb1nJNheP3zE19LJL21ZwOG_rc2svY1FbeS6T7S_5TmW82wfJatLJYd_JsMrSZnoqvR4hAA"}',
    ],
    ignore: [
      'CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-...',
      'token: sk-ant-oat01-TEST_SETUP_TOKEN_NOT_REAL',
      'sk-ant-oat01-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const anthropicRefreshToken: Detector = {
  id: 'anthropic-refresh-token',
  name: 'Anthropic OAuth refresh token',
  issuer: 'anthropic',
  keywords: ['sk-ant-ort01-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-ort01-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/,
  validate: oauthLayoutScore,
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      '"refreshToken": "sk-ant-ort01-xG3OPluxmwlGhtGZb0G9y6xC9uviFxq9aZeRGN5f62y0DfvCzwA5HQ7o0CCqloHpqZGnAUCfSC_1TJoadvQnKV3Yvrt0NAA"',
      'copied ~/.claude/.credentials.json to the runner, refresh token sk-ant-ort01-R771bxbqcAmleF25jPmEYV_mMtpDfg4n9IK0Mj-ekDso0AeNau4h8ojzE9YfdEmUt8hnmnckC5oJGyNeRtXcSROx9iVG-AA',
    ],
    ignore: [
      '"refreshToken": "sk-ant-ort01-..."',
      'sk-ant-ort01-xG3OPluxmwlGhtGZb0G9y6xC9uviFx',
      'sk-ant-ort01-********************************************************************************************',
    ],
  },
};

export const anthropicDetectors: readonly Detector[] = [
  anthropicApiKey,
  anthropicAdminKey,
  anthropicOauthToken,
  anthropicRefreshToken,
];
