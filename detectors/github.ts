import { createPrivateKey } from 'node:crypto';
import type { Detector } from '../src/core/detector.ts';
import type { SafeResponse, VerificationFacts } from '../src/core/verification.ts';
import { githubFineGrainedScore, hasBase62Crc32 } from '../src/detection/checksums.ts';
import { field, httpRevoker, httpVerifier } from '../src/verification/http-verifier.ts';
import { jsonBody, secretText } from '../src/verification/sensitive.ts';

const GITHUB_API = 'api.github.com';
const GITHUB_HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' } as const;

/** Scopes that administer an org or enterprise, delete repositories, or act as a site admin. */
const GITHUB_ADMIN_SCOPES: ReadonlySet<string> = new Set([
  'admin:org',
  'admin:enterprise',
  'delete_repo',
  'site_admin',
]);

/** `GitHub-Authentication-Token-Expiration: 2026-09-01 12:00:00 UTC` as ISO-8601, when present and parseable. */
function githubExpiry(response: SafeResponse): string | undefined {
  const value = response.headers.get('github-authentication-token-expiration');
  const time = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * Facts from `GET /user`: the login, the classic scopes (`X-OAuth-Scopes`;
 * fine-grained and GitHub App user tokens send none) and the expiry. Admin
 * scopes, or `repo` with `workflow` (push code that runs in CI with its
 * secrets), count as privileged.
 */
export function githubUserFacts(response: SafeResponse): VerificationFacts {
  const header = response.headers.get('x-oauth-scopes');
  const scopes = (header ?? '')
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope.length > 0);
  const account = field(response.body, 'login');
  const expiresAt = githubExpiry(response);
  const siteAdmin = (response.body as { site_admin?: unknown } | null)?.site_admin === true;
  const privileged =
    siteAdmin ||
    scopes.some((scope) => GITHUB_ADMIN_SCOPES.has(scope)) ||
    (scopes.includes('repo') && scopes.includes('workflow'));
  return {
    ...(account !== undefined ? { account } : {}),
    ...(header !== null ? { scopes } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(privileged ? { privileged: true } : {}),
  };
}

const GITHUB_BAD_CREDENTIALS = {
  status: 401,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
};

/**
 * `GET https://api.github.com/user` (docs.github.com/rest/users/users#get-the-authenticated-user,
 * tokens.md #1–3): "who am I" for classic and fine-grained PATs, OAuth and
 * GitHub App user tokens. Only 401 is dead: a 403 can be a rate limit, SAML SSO
 * enforcement or an IP allow list, none of which prove the token invalid.
 */
const githubUserVerifier = httpVerifier({
  // GitHub Enterprise Server / GitLab self-managed / Terraform Enterprise issue the same format.
  selfHostedEdition: true,
  hosts: [GITHUB_API],
  request: (secret) => ({
    url: 'https://api.github.com/user',
    headers: { ...GITHUB_HEADERS, authorization: secretText`token ${secret}` },
  }),
  deadStatus: [401],
  facts: githubUserFacts,
  fixtures: {
    live: {
      status: 200,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-oauth-scopes': 'repo, workflow, read:org',
        'x-accepted-oauth-scopes': '',
        'github-authentication-token-expiration': '2026-09-01 12:00:00 UTC',
        'x-github-media-type': 'github.v3; format=json',
      },
      body: {
        login: 'release-bot-acme',
        id: 94817263,
        node_id: 'U_kgDOBaXk7w',
        type: 'User',
        site_admin: false,
        name: 'Acme Release Bot',
        company: 'Acme',
        public_repos: 0,
        created_at: '2023-03-14T09:12:44Z',
        updated_at: '2026-05-02T16:40:01Z',
      },
    },
    dead: GITHUB_BAD_CREDENTIALS,
  },
});

/**
 * `POST https://api.github.com/credentials/revoke` (docs.github.com/rest/credentials/revoke,
 * tokens.md #1–3): the finder's revocation API, called without authentication
 * (an authenticated call gets 403). It accepts `ghp_`, `github_pat_`, `gho_`,
 * `ghu_` and `ghr_`, answers 202 whether or not the token was valid, and
 * notifies the token's owner. 60 requests per hour.
 */
const githubCredentialRevoker = httpRevoker({
  hosts: [GITHUB_API],
  request: (secret) => ({
    method: 'POST',
    url: 'https://api.github.com/credentials/revoke',
    headers: { ...GITHUB_HEADERS, 'content-type': 'application/json' },
    body: jsonBody({ credentials: [secret] }),
  }),
  revokedStatus: [202],
  invalidStatus: [],
  fixtures: {
    revoked: { status: 202, headers: { 'content-type': 'application/json; charset=utf-8' }, body: {} },
    failed: {
      status: 422,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest/credentials/revoke#revoke-a-list-of-credentials',
        status: '422',
      },
    },
  },
});

/**
 * `GET https://api.github.com/installation/repositories`
 * (docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation,
 * tokens.md #4): installation tokens get 403 on `/user`; this lists the
 * repositories the token can reach. 401 dead.
 */
const githubInstallationVerifier = httpVerifier({
  // GitHub Enterprise Server / GitLab self-managed / Terraform Enterprise issue the same format.
  selfHostedEdition: true,
  hosts: [GITHUB_API],
  request: (secret) => ({
    url: 'https://api.github.com/installation/repositories?per_page=1',
    headers: { ...GITHUB_HEADERS, authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  facts: (response) => {
    const body = response.body as { repositories?: unknown } | null;
    const first = Array.isArray(body?.repositories) ? (body.repositories[0] as unknown) : undefined;
    const account = field(first, 'owner', 'login');
    const expiresAt = githubExpiry(response);
    const details = Object.fromEntries(
      (['total_count', 'repository_selection'] as const).flatMap((key) => {
        const value = field(response.body, key);
        return value === undefined ? [] : [[key, value]];
      }),
    );
    return {
      ...(account !== undefined ? { account } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      details,
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'github-authentication-token-expiration': '2026-06-16 10:00:00 UTC',
      },
      body: {
        total_count: 3,
        repository_selection: 'selected',
        repositories: [
          {
            id: 583920114,
            node_id: 'R_kgDOItzA8g',
            name: 'deploy',
            full_name: 'acme/deploy',
            private: true,
            owner: { login: 'acme', id: 30211847, type: 'Organization' },
            html_url: 'https://github.com/acme/deploy',
            default_branch: 'main',
          },
        ],
      },
    },
    dead: GITHUB_BAD_CREDENTIALS,
  },
});

/**
 * `DELETE https://api.github.com/installation/token`
 * (docs.github.com/rest/apps/installations#revoke-an-installation-access-token,
 * tokens.md #4): the installation token revokes itself, 204.
 */
const githubInstallationRevoker = httpRevoker({
  hosts: [GITHUB_API],
  request: (secret) => ({
    method: 'DELETE',
    url: 'https://api.github.com/installation/token',
    headers: { ...GITHUB_HEADERS, authorization: secretText`Bearer ${secret}` },
  }),
  revokedStatus: [204],
  invalidStatus: [401],
  fixtures: {
    revoked: { status: 204 },
    failed: GITHUB_BAD_CREDENTIALS,
  },
});

/**
 * `ghp_ gho_ ghu_ ghs_ ghr_`: prefix + random base62 body + 6-char base62 CRC32 of the body
 * (body 30 chars, 70 for `ghr_`). Source: github.blog 2021-04-05.
 */
function crcTokenPattern(prefix: string, bodyLength: number): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_])(?<secret>${prefix}[A-Za-z0-9]{${bodyLength + 6}})(?![A-Za-z0-9_])`);
}

export const githubClassicPat: Detector = {
  id: 'github-classic-pat',
  name: 'GitHub personal access token (classic)',
  issuer: 'github',
  keywords: ['ghp_'],
  pattern: crcTokenPattern('ghp_', 30),
  validate: (secret) => hasBase62Crc32(secret, 'ghp_'),
  severity: 'critical',
  verify: githubUserVerifier,
  revoke: githubCredentialRevoker,
  examples: {
    match: [
      'export GITHUB_TOKEN=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',
      '@here the release job still uses 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 from my account, can someone rotate it?',
    ],
    ignore: [
      // checksum does not hold
      'GITHUB_TOKEN=ghp_d2JBmhgQSnhn3lVSbnS5I4UAOOU5uj3RifbD',
      'token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // truncated when pasted
      'the failing one starts with ghp_q3do22DChyBa… not sure about the rest',
      'classic tokens start with ghp_ and fine-grained ones with github_pat_',
    ],
  },
};

export const githubOauthToken: Detector = {
  id: 'github-oauth-token',
  name: 'GitHub OAuth access token',
  issuer: 'github',
  keywords: ['gho_'],
  pattern: crcTokenPattern('gho_', 30),
  validate: (secret) => hasBase62Crc32(secret, 'gho_'),
  severity: 'critical',
  verify: githubUserVerifier,
  revoke: githubCredentialRevoker,
  examples: {
    match: [
      'gh auth status printed Token: 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',
      '{"github.com":{"oauth_token":"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","user":"ci-bot"}}',
    ],
    ignore: [
      'oauth_token: gho_vjlPNIw95GwE4A0W2qGW1Zm9OQJCRt2kTjVC',
      'oauth_token: gho_************************************',
      'oauth_token: gho_GQDKik0qDaqquN2ZV2ei4Srca2',
    ],
  },
};

export const githubUserToServerToken: Detector = {
  id: 'github-user-to-server-token',
  name: 'GitHub App user-to-server token',
  issuer: 'github',
  keywords: ['ghu_'],
  pattern: crcTokenPattern('ghu_', 30),
  validate: (secret) => hasBase62Crc32(secret, 'ghu_'),
  severity: 'critical',
  verify: githubUserVerifier,
  revoke: githubCredentialRevoker,
  examples: {
    match: [
      'Authorization: Bearer ghu_VLUtVGFGwo9RWfEGBRUN0p23r7HBt44NdZ5s',
      'the app callback returned access_token=ghu_YiPfttDbAiY5fRvL1iUxzl7NkIJ34A2RU0Hn&expires_in=28800',
    ],
    ignore: [
      'Authorization: Bearer ghu_VLUtVGFGwo9RWfEGBRUN0p23r7HBt44NdZ5t',
      'Authorization: Bearer ghu_${USER_TOKEN}',
      'Authorization: Bearer ghu_YiPfttDbAiY5fRvL1iUxzl7NkIJ34A2RU0HnQ',
    ],
  },
};

export const githubInstallationToken: Detector = {
  id: 'github-installation-token',
  name: 'GitHub App installation token',
  issuer: 'github',
  keywords: ['ghs_'],
  pattern: crcTokenPattern('ghs_', 30),
  // Real installation tokens carry the CRC. The documentation sample
  // (ghs_16C7e42F292c69C2E7C10c838347Ae178B4a) does not, and the shared
  // known-sample list drops it; any other CRC miss is kept at low confidence.
  validate: (secret) => (hasBase62Crc32(secret, 'ghs_') ? 1 : 0.5),
  severity: 'high',
  verify: githubInstallationVerifier,
  revoke: githubInstallationRevoker,
  examples: {
    match: [
      'GITHUB_TOKEN for the workflow run was ghs_hE3O28AL7Q0akib9gzEEYWuUyKGl2p1A1TmI (expires in 1h)',
      'git clone https://x-access-token:ghs_CU85DIIXRcV2JHUl8h3SUCEbLwnwPc1JGwmM@github.com/acme/deploy.git',
    ],
    ignore: [
      // the docs sample
      'curl -H "Authorization: Bearer ghs_16C7e42F292c69C2E7C10c838347Ae178B4a" https://api.github.com/installation/repositories',
      'Authorization: token ghs_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'x-access-token:ghs_hE3O28AL7Q0akib9gzEE',
    ],
  },
};

const STATELESS_INSTALLATION_TOKEN = /^ghs_[0-9]{1,12}_eyJ[\w-]{10,500}\.eyJ[\w-]{10,1500}\.[\w-]{16,700}$/;

/**
 * Stateless installation tokens (`ghs_<app id>_<JWT>`, ~520 chars), rolled out
 * from 2026-04-27. The JWT is GitHub-internal: checked for shape only.
 */
export const githubInstallationTokenStateless: Detector = {
  id: 'github-installation-token-stateless',
  name: 'GitHub App installation token (stateless)',
  issuer: 'github',
  keywords: ['ghs_'],
  // The pattern takes the whole run of token characters and `validate` checks
  // the three JWT segments: spelling them out in the pattern would backtrack
  // through the long run on every failed candidate.
  pattern: /(?<![A-Za-z0-9_])(?<secret>ghs_[0-9]{1,12}_eyJ[\w.-]{60,2800}[\w-])/,
  window: { after: 3000 },
  validate: (secret) => STATELESS_INSTALLATION_TOKEN.test(secret),
  severity: 'high',
  verify: githubInstallationVerifier,
  revoke: githubInstallationRevoker,
  examples: {
    match: [
      'token from POST /app/installations/58213907/access_tokens: ghs_318442_eyJhbGciOiJSUzI1NiIsImtpZCI6IjNmOTBiNThjNWIyZDJhMTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJnaXRodWIuY29tIiwic3ViIjoiaW5zdGFsbGF0aW9uOjU4MjEzOTA3IiwiYWlkIjozMTg0NDIsImlpZCI6NTgyMTM5MDcsImlhdCI6MTc4MTYwMDAwMCwiZXhwIjoxNzgxNjAzNjAwLCJyaWQiOiJlYjVlYjdlYzJjY2MzYWVlODAzMDIwMmQxNzVhZDczYyJ9.EI5VfM6hTNejnojQXX0Vp9h7C9SteEG5v3uY_Fq2HFstMWM--h0Z2i4lavA2OVdzxJ5Y986CBqh0oMyL5gLq-7wnYq2oMtfTbVnywHK2SL3OV3uBMczQUVHrU7dsSuVXY_UTa9hfFAFwxBLGy53xQVTfPiJtXH9UyA1_pTcAyikMzhAEG4IoSX2DtgqukzdhYRAhrKkbrDAGD2yK6uOyFllAInoe_BL3zso0mMUpu97qh4Awm7Y1E_HOMNUzdACOY2qzqaPyQG8HTadYBVDZmxzAtHWDqXnUBJ5OXcAImF1ponPeK-LlQWPq3mk-AApZfUcjA4f3JecjvZS2pCbzHg',
      'GH_TOKEN="ghs_318442_eyJhbGciOiJSUzI1NiIsImtpZCI6IjNmOTBiNThjNWIyZDJhMTEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJnaXRodWIuY29tIiwic3ViIjoiaW5zdGFsbGF0aW9uOjU4MjEzOTA3IiwiYWlkIjozMTg0NDIsImlpZCI6NTgyMTM5MDcsImlhdCI6MTc4MTYwMDAwMCwiZXhwIjoxNzgxNjAzNjAwLCJyaWQiOiJlYjVlYjdlYzJjY2MzYWVlODAzMDIwMmQxNzVhZDczYyJ9.EI5VfM6hTNejnojQXX0Vp9h7C9SteEG5v3uY_Fq2HFstMWM--h0Z2i4lavA2OVdzxJ5Y986CBqh0oMyL5gLq-7wnYq2oMtfTbVnywHK2SL3OV3uBMczQUVHrU7dsSuVXY_UTa9hfFAFwxBLGy53xQVTfPiJtXH9UyA1_pTcAyikMzhAEG4IoSX2DtgqukzdhYRAhrKkbrDAGD2yK6uOyFllAInoe_BL3zso0mMUpu97qh4Awm7Y1E_HOMNUzdACOY2qzqaPyQG8HTadYBVDZmxzAtHWDqXnUBJ5OXcAImF1ponPeK-LlQWPq3mk-AApZfUcjA4f3JecjvZS2pCbzHg"',
    ],
    ignore: [
      // truncated after the JWT header
      'GH_TOKEN=ghs_318442_eyJhbGciOiJSUzI1NiIsImtpZCI6IjNmOTBiNThjNWIyZDJhMTEiLCJ0eXAiOiJKV1QifQ',
      'new installation tokens look like ghs_APPID_JWT and are about 520 characters',
      'GH_TOKEN=ghs_318442_eyJ...',
    ],
  },
};

export const githubRefreshToken: Detector = {
  id: 'github-refresh-token',
  name: 'GitHub App refresh token',
  issuer: 'github',
  keywords: ['ghr_'],
  pattern: crcTokenPattern('ghr_', 70),
  validate: (secret) => hasBase62Crc32(secret, 'ghr_'),
  // Exchanging it needs the app's client secret as well.
  severity: 'medium',
  // No liveness check: the only call that accepts a refresh token is the
  // refresh exchange, which rotates it. The finder revocation API takes it as is.
  revoke: githubCredentialRevoker,
  examples: {
    match: [
      'refresh_token=ghr_TfZAaWYfjghsCS7PtYbyQ0pB3YtM0aADDx4l4koiFWMAPTmBdv5Lwk7k5zCuyQCciL7wIF46obCf',
      'the app stored {"refresh_token": "ghr_TfZAaWYfjghsCS7PtYbyQ0pB3YtM0aADDx4l4koiFWMAPTmBdv5Lwk7k5zCuyQCciL7wIF46obCf", "refresh_token_expires_in": 15811200}',
    ],
    ignore: [
      'refresh_token=ghr_TfZAaWYfjghsCS7PtYbyQ0pB3YtM0aADDx4l4koiFWMAPTmBdv5Lwk7k5zCuyQCciL7wIF46obCa',
      'refresh_token=ghr_TfZAaWYfjghsCS7PtYbyQ0pB3YtM0aADDx4l4koi',
      'refresh_token=ghr_<redacted>',
    ],
  },
};

export const githubFineGrainedPat: Detector = {
  id: 'github-fine-grained-pat',
  name: 'GitHub fine-grained personal access token',
  issuer: 'github',
  keywords: ['github_pat_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>github_pat_[0-9][A-Za-z0-9]{21}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/,
  validate: (secret) => githubFineGrainedScore(secret),
  severity: 'critical',
  verify: githubUserVerifier,
  revoke: githubCredentialRevoker,
  examples: {
    match: [
      'GH_TOKEN=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',
      'try `gh auth login --with-token <<< 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` and tell me if it works',
    ],
    ignore: [
      'GH_TOKEN=github_pat_11AAAAAAA0xxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // one character short
      'GH_TOKEN=github_pat_11M1S5ZJ27LPW8U3WV07ZU_oH6Cz4JxheA5mfuqK9CLUQi2FTCfl3TQS24JygGu01dDGE2BMPNukQPikX',
      'the github_pat_ prefix means a fine-grained token',
    ],
  },
};

const APP_KEY_LINES = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEAygE/j5b93XrI4GuleKOqsm24jHBn/5LDJ9IibVzhX0WJr2jz',
  'RHS1IkvTnGO67QlQO4fdSNzn5ffkJNwO/xZmyESf6PLUJj7zQdTgPlgd+DGu94cF',
  '7p2VKwxrlPu1/BrsIprcl22P4CGTu0GY/G3aADuLzy8jiamq66ueMOrkrLsi1U5h',
  '77qoHF6Jy6ow8uK2L2is44vAhU/phgj7yJ3nSiIYb01G6aGSlkVE/y++3O8UYcbT',
  'L1k2eW1qqXbFYu5a/s1E6dbQXKXg+CmuDC/fgtj0qAd1+LQ0u5QhiFRf9Hvte/A4',
  'kNAduTTHXkIUVm2nixVTq73JDPDsU9rAXuCJDQIDAQABAoIBAAcIQxezGHRg5WRW',
  'qwSHohYjFrUg5qXxjISy3orzHE9uQsxN+YYNEA85F41OtX+x/s6LvMrgEdyiJBma',
  'ZZVAyOQ46143MeaA84P7rrDM7YIp7J7mXvD/IGXGwWoG1z+HCmhr/rjw0fzp/lQb',
  'BQHoqxmt+QCF8hVFSFN6/n9SdhKDQ24Y48rUNSX8XkNMMpHWpTJeqLn+qWAm4DAW',
  '277OIW6dvHqsvKtJF5kKNVQQ/sYdBVRz542QZTprcNt3MuhuQnAhGCaEu3shV8mc',
  '0yAc8i1dzKVvbnvgABR5+BAW76ul014dsvAofiP2Ltx4un06oxoFkwVDcK1+Rf3P',
  'YGk/AAsCgYEA5fSljyzsTpV5xcmFuE9kP7CKS87Kjr5P3/6rutf1jLuPLqHzK5bK',
  'zsdM2NiExayQ8RjkKu8TTFp0iNfUhdanQM3QgyWcF8c8sU6v9sFOTYaeYeBAnDFQ',
  'POe8vlnfRHJ30964GcLFBcv0jWScn2nYOEACTIZsSng+UPfZeA3yKjMCgYEA4OIx',
  'yMAAOmyF7EWjrDGUc5OWRobhsWCjpyCT3GJkqpa+//kWob6yT4wd6hKL6PZ99HD5',
  'GRQgH8bQkZn5DfAfgg0iM95GR0UliN8ZBeaBCi4NIM7WSch1TyCHfeFQuSYs1FU7',
  'JNLunZH9ihLTol9pziV3HJhybww0GGeTvmZtv78CgYEAzFk20uAJ8t+UQjaOVTaA',
  'ELUSgMF4cZcfph9LfpOxSunWGIuka6Tp/w1O9hibDIsIlqgXAyxHiv+LNZwO6QzS',
  'vpznYdQHPX45KhuR9YbczboGf1XoNKUB9827hbCZ3tqWL7ppAcN6kGcpoIi7QlKt',
  '6XbAVD7Udu0Z+5v1LmG+RM8CgYAuPPPlhezGFng2y17K0ernFKpqV+Nh2C/t9hnQ',
  'z35JQPOGqA2KNi5tgq7H6QZRYRUmxG/DQ0sTnYpW1aTKw9uGnvKwXXxvvPzpto1r',
  'lChmEm/qlfyjcQ8FtPeG32P8nafMBLZDbQdY6KKL2DEhiqKzmypxe7rTsFupxOow',
  '1Nit+wKBgQCjg3YuCIJIK3EMB48Jl1D9dsk2QwjUrjrVfFdjO2B/lU6JRIvVooRB',
  '1Bp4PLF78Zk5hVqvlpkjNKMQu0CXPtDHs/dXpE9X6RZN9eO5tLq1fRu7tE+Xsta+',
  'gd2DNmAcP6PeXjWwPEocdEc1+hDKbGDUy00kcN3umhXnNUWtMiOQ8A==',
  '-----END RSA PRIVATE KEY-----',
];
/** A synthetic 2048-bit key made for these examples; it belongs to no GitHub App. */
const APP_KEY = APP_KEY_LINES.join('\n');

/**
 * Accepts a PEM RSA private key (PKCS#1 or PKCS#8), also when pasted with
 * literal `\n` escapes from JSON or env files. A real parse rules out masked or
 * truncated bodies.
 */
function isRsaPrivateKey(pem: string): boolean {
  const text = pem.replace(/\\r/g, '').replace(/\\n/g, '\n');
  try {
    return createPrivateKey({ key: text, format: 'pem' }).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/**
 * A GitHub App's private key: only usable together with the App ID, so the ID
 * (labelled `app_id`, `GitHub App ID`, `github app`…) must be near the key.
 * Keys without it are left to the generic private-key detector.
 */
export const githubAppPrivateKey: Detector = {
  id: 'github-app-private-key',
  name: 'GitHub App private key',
  issuer: 'github',
  keywords: ['-----BEGIN RSA PRIVATE KEY', '-----BEGIN PRIVATE KEY'],
  pattern:
    /(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\s\\]{200,4400}-----END (?:RSA )?PRIVATE KEY-----)/,
  window: { after: 4600 },
  validate: (secret) => isRsaPrivateKey(secret),
  companions: [
    {
      name: 'GitHub App ID',
      pattern:
        /(?:github[_ .-]?app[_ .-]?id|github[_ .-]?app|app[_ .-]?id)[\s"'`:=]{1,4}(?<secret>[0-9]{4,10})(?![0-9])/i,
      window: 400,
    },
  ],
  severity: 'critical',
  // No liveness check: `GET /app` needs an RS256 JWT signed with the key,
  // which detector code cannot do without revealing the secret.
  examples: {
    match: [
      `GitHub App ID: 318442\nprivate key for the release bot:\n${APP_KEY}`,
      `GITHUB_APP_ID=318442\nGITHUB_APP_PRIVATE_KEY="${APP_KEY_LINES.join('\\n')}"`,
    ],
    ignore: [
      // no App ID nearby: the generic private-key detector's job
      `key for the old jenkins box:\n${APP_KEY}`,
      'app_id: 318442\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAygE/j5b93XrI4GuleKOqsm24...\n-----END RSA PRIVATE KEY-----',
      // a line lost in copy-paste: the body no longer parses
      `app_id: 318442\n${[...APP_KEY_LINES.slice(0, 5), ...APP_KEY_LINES.slice(6)].join('\n')}`,
    ],
  },
};

export const githubDetectors: readonly Detector[] = [
  githubClassicPat,
  githubOauthToken,
  githubUserToServerToken,
  githubInstallationToken,
  githubInstallationTokenStateless,
  githubRefreshToken,
  githubFineGrainedPat,
  githubAppPrivateKey,
];
