import { crc32 } from 'node:zlib';
import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * `GET {jira}/rest/api/2/myself` with the PAT as Bearer
 * (developer.atlassian.com/server/jira/platform/rest/v10000/api-group-myself,
 * tokens.md #13): the Jira Data Center user. Only against the configured
 * base URL (the first one for the `atlassian` issuer, expected to be Jira: a
 * Confluence server answers 404 here, which stays unknown). 401 dead.
 */
const jiraDataCenterMyself = httpVerifier({
  hosts: [],
  selfHosted: true,
  request: (secret, ctx) => ({
    url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/rest/api/2/myself`,
    headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
  }),
  deadStatus: [401],
  facts: (response) => {
    const account = field(response.body, 'name') ?? field(response.body, 'key');
    const active = (response.body as { active?: unknown } | null)?.active;
    return {
      ...(account !== undefined ? { account } : {}),
      ...(typeof active === 'boolean' ? { details: { active: String(active) } } : {}),
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: {
        self: 'https://jira.acme.internal/rest/api/2/user?username=svc-export',
        key: 'JIRAUSER14207',
        name: 'svc-export',
        emailAddress: 'svc-export@acme.io',
        displayName: 'Export Service',
        active: true,
        deleted: false,
        timeZone: 'Europe/Berlin',
        locale: 'en_US',
        groups: { size: 2, items: [] },
        applicationRoles: { size: 1, items: [] },
        expand: 'groups,applicationRoles',
      },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json;charset=UTF-8' },
      body: { message: 'Client must be authenticated to access this resource.', 'status-code': 401 },
    },
  },
});

/**
 * Atlassian Cloud tokens (`ATATT…`, `ATCTT…`) end with `=` and 8 uppercase hex
 * digits: the CRC32 (IEEE) of everything before them, `=` included.
 * Reverse-engineered from public samples, not documented by Atlassian, so a
 * miss lowers confidence instead of rejecting.
 */
export function atlassianCrcScore(token: string): number {
  if (!/^AT[A-Z]{3}3[\w-]{150,300}=[0-9A-Fa-f]{8}$/.test(token)) return 0;
  const at = token.length - 8;
  const expected = (crc32(token.slice(0, at)) >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return expected === token.slice(at).toUpperCase() ? 1 : 0.5;
}

/**
 * Data Center personal access tokens (Jira, Confluence, Bitbucket) are
 * base64 of `<12-digit token id>:<20 random bytes>`.
 */
export function isDataCenterPatBody(body: string): boolean {
  if (!/^[A-Za-z0-9+/]{44}$/.test(body)) return false;
  const bytes = Buffer.from(body, 'base64');
  return bytes.length === 33 && /^[0-9]{12}:$/.test(bytes.subarray(0, 13).toString('latin1'));
}

export const atlassianApiToken: Detector = {
  id: 'atlassian-api-token',
  name: 'Atlassian Cloud API token',
  issuer: 'atlassian',
  keywords: ['ATATT3'],
  // Only the run of token characters: `atlassianCrcScore` checks the `=` + 8 hex layout, which spelled out
  // here would backtrack through the long run on every failed candidate.
  pattern: /(?<![A-Za-z0-9_-])(?<secret>ATATT3[\w=-]{150,310}[0-9A-Fa-f])/,
  window: { after: 400 },
  validate: (secret) => atlassianCrcScore(secret),
  // Acts as the account in Jira, Confluence and Bitbucket Cloud.
  severity: 'critical',
  // No liveness check: it needs the account email and the site, which the text rarely gives together.
  examples: {
    match: [
      'JIRA_API_TOKEN=ATATT3xFfGF0vw4y-AdJWlmasVAVejrh5XS4oYQs1nuUtcBaqIwYfrY2Zh7y4roKMlhggkEYtYsxcqn_vn-B2IvPcxGKkiNNXdeIqKBQEqs42cPyT-tyqsI9CVSJimuXaFwWWD39anQIva5I0oHrF5VgVsSUg6o8t0oSHGEGySK4mZOK-6_vxeS=8A8016A2',
      'curl -u ops@acme.io:ATATT3xFfGF0krx8uAu8qheeniJqDg0HMevjHoZgyAGmfEiSI8cVfRcZSJGNG-xQnCiGH3XiFnwNbIi-QyZyyw8UvAD8FczX8563q8wahfII0bVYGUOm3t3wF6aYitcQxHP3YWtx9XKO4HK7S4EU9kGHIM8E8GWifWuNvAXLpyJwzoY1ts1n1hv=86D07F5C https://acme.atlassian.net/rest/api/3/myself',
    ],
    ignore: [
      'JIRA_API_TOKEN="ATATT3xFfGF0..."',
      // cut before the `=` checksum
      'JIRA_API_TOKEN=ATATT3xFfGF0vw4y-AdJWlmasVAVejrh5XS4oYQs1nuUtcBaqIwYfrY2Zh7y4roKMlhggkEYtYsxcqn_vn-B2IvPcxGKkiNNXdeIqKBQEqs42cPyT-tyqsI9CVSJimuXaFwWWD39anQIva5I0oHrF5VgVsSUg6o8t0oSHGEGySK4mZOK-6_vxeS',
      'api tokens now start with ATATT3xFfGF0 and are 192 characters',
    ],
  },
};

export const atlassianAccessToken: Detector = {
  id: 'atlassian-access-token',
  name: 'Atlassian access token (admin API key, Bitbucket access token)',
  issuer: 'atlassian',
  keywords: ['ATCTT3'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>ATCTT3[\w=-]{150,310}[0-9A-Fa-f])/,
  window: { after: 400 },
  validate: (secret) => atlassianCrcScore(secret),
  severity: 'critical',
  // No liveness check: `GET api.atlassian.com/admin/v1/orgs` fits admin API keys only;
  // a Bitbucket access token (same prefix) would read as dead there.
  examples: {
    match: [
      'curl -H "Authorization: Bearer ATCTT3xFfGN04Y2u6fynYk_PNuef9g_Ua9mgY6eUNDPYvJs_aRqkirkIHEMZ4oiHyCa4HNwjbDI7krAVER7LSakh8s3LsLecLjzfu8FINeYCa3334T-YP5qHLYW_eIiXE8l43RfMzzdnLMW5X51FKjmDfHoCQrArMzGcC-N1XP63aMEHwkgGttQ=86FFEA31" https://api.atlassian.com/admin/v1/orgs',
      'git clone https://x-token-auth:ATCTT3xFfGN04Y2u6fynYk_PNuef9g_Ua9mgY6eUNDPYvJs_aRqkirkIHEMZ4oiHyCa4HNwjbDI7krAVER7LSakh8s3LsLecLjzfu8FINeYCa3334T-YP5qHLYW_eIiXE8l43RfMzzdnLMW5X51FKjmDfHoCQrArMzGcC-N1XP63aMEHwkgGttQ=86FFEA31@bitbucket.org/acme/api.git',
    ],
    ignore: [
      'Authorization: Bearer ATCTT3xFfGN0...',
      'Authorization: Bearer ATCTT3xFfGN04Y2u6fynYk_PNuef9g_Ua9mgY6eUNDPYvJs_aRqkirkIHEMZ4oiHyCa4HNwjbDI7krAVER7LSakh8s3LsLecLjzfu8FINeYCa3334T-YP5qHLYW_eIiXE8l43RfMzzdnLMW5X51FKj',
      'Authorization: Bearer ATCTT3xFfGN0${BITBUCKET_TOKEN}',
    ],
  },
};

/** Prefix-less, so it must follow a vendor or auth word; the decoded `<id>:` structure does the rest. */
export const atlassianDataCenterPat: Detector = {
  id: 'atlassian-data-center-pat',
  name: 'Jira / Confluence / Bitbucket Data Center personal access token',
  issuer: 'atlassian',
  keywords: ['jira', 'confluence', 'bitbucket', 'bearer', 'token', 'pat'],
  // A label (`JIRA_TOKEN`, `confluence PAT`, `Authorization: Bearer`…), 1–4 separator chars, the value.
  pattern:
    /(?:jira|confluence|bitbucket|bearer|token|pat)(?:[_ .-]?(?:api|access|personal))?(?:[_ .-]?(?:token|pat))?[\s"'`:=]{1,4}(?<secret>[MNO][A-Za-z0-9+/]{43})(?![A-Za-z0-9+/=])/i,
  validate: (secret) => isDataCenterPatBody(secret),
  entropy: 3.5,
  severity: 'high',
  verify: jiraDataCenterMyself,
  examples: {
    match: [
      'curl -H "Authorization: Bearer NDI4NzE2MzkwNTEyOphrYpEZOjG8E5/vWevdvCR4yILq" https://jira.acme.internal/rest/api/2/myself',
      'export script for the wiki, confluence PAT: OTE3MzUwMjY0ODMxOu8zEc70DX1QHfOjH5wI7O+8x0sZ',
    ],
    ignore: [
      // base64 of the right length that does not decode to `<12 digits>:`
      'Authorization: Bearer NzQ3MTI0OTM1ODAyZjk3YTNiYzE0ZDk2ZWE5MWJjMDA0',
      // the same value without any auth or vendor word nearby
      'checksum of the build artifact: NDI4NzE2MzkwNTEyOphrYpEZOjG8E5/vWevdvCR4yILq',
      'jira token: OTE3MzUwMjY0ODMxOu8zEc70DX1QHfOjH5wI7O+8',
    ],
  },
};

export const bitbucketAppPassword: Detector = {
  id: 'bitbucket-app-password',
  name: 'Bitbucket Cloud app password',
  issuer: 'atlassian',
  keywords: ['ATBB'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>ATBB[A-Za-z0-9]{32})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  // Needs the username too, and Bitbucket stopped accepting app passwords on 2026-06-09.
  severity: 'low',
  // No liveness check: Basic auth needs the username, which is not captured.
  examples: {
    match: [
      'git ls-remote https://jdoe:ATBBTlz8TpySTfQxg6XTCb6MfERM1C04B14B@bitbucket.org/acme/api.git',
      'BITBUCKET_APP_PASSWORD=ATBBTlz8TpySTfQxg6XTCb6MfERM1C04B14B',
    ],
    ignore: [
      'BITBUCKET_APP_PASSWORD=ATBBxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'BITBUCKET_APP_PASSWORD=ATBBTlz8TpySTfQxg6XTCb6MfERM1C',
      'LATBbits.LATB5 = 1;',
    ],
  },
};

export const bitbucketDataCenterToken: Detector = {
  id: 'bitbucket-data-center-token',
  name: 'Bitbucket Data Center HTTP access token',
  issuer: 'atlassian',
  keywords: ['BBDC-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>BBDC-[A-Za-z0-9+/]{40,50}={0,2})(?![A-Za-z0-9+/=_-])/,
  // The body is expected to be the Data Center `<id>:<random>` encoding; not confirmed for every version.
  validate: (secret) => (isDataCenterPatBody(secret.slice(5)) ? 1 : 0.7),
  entropy: 3.5,
  severity: 'critical',
  // No liveness check: tokens.md lists none for Bitbucket Data Center.
  examples: {
    match: [
      'git -c http.extraHeader="Authorization: Bearer BBDC-NjAzNTE5ODc0MjQ1OrVcJ8vv2VfUe6LtWWQFPZ8OUhAu" clone https://bitbucket.acme.internal/scm/ops/infra.git',
      'BITBUCKET_TOKEN=BBDC-NjAzNTE5ODc0MjQ1OrVcJ8vv2VfUe6LtWWQFPZ8OUhAu',
    ],
    ignore: [
      'BITBUCKET_TOKEN="BBDC-..."',
      // an upper-case GUID segment
      'build id 6028BAA4-BBDC-4FC4-801C-741ED9C5B3EE',
      'BITBUCKET_TOKEN=BBDC-NjAzNTE5ODc0MjQ1OrVcJ8vv2',
    ],
  },
};

export const atlassianDetectors: readonly Detector[] = [
  atlassianApiToken,
  atlassianAccessToken,
  atlassianDataCenterPat,
  bitbucketAppPassword,
  bitbucketDataCenterToken,
];
