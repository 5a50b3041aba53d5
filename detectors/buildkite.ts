import type { Detector } from '../src/core/detector.ts';
import { field, httpRevoker, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
const UNAUTHORIZED = {
  status: 401,
  headers: JSON_HEADERS,
  body: {
    message:
      'Authentication required. Please supply a valid API Access Token: https://buildkite.com/docs/apis/rest-api#authentication',
  },
};

/** Scopes that change pipelines, agents or teams, or reach everything through GraphQL. */
const PRIVILEGED_SCOPES: ReadonlySet<string> = new Set(['write_pipelines', 'write_agents', 'write_teams', 'graphql']);

/**
 * `GET https://api.buildkite.com/v2/access-token`
 * (buildkite.com/docs/apis/rest-api/access-token#get-the-current-token, tokens.md #19):
 * the token describes itself (uuid, scopes, owner). 401 dead.
 */
const buildkiteAccessTokenVerifier = httpVerifier({
  hosts: ['api.buildkite.com'],
  request: (secret) => ({
    url: 'https://api.buildkite.com/v2/access-token',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  confirm: (response) => field(response.body, 'uuid') !== undefined,
  facts: (response) => {
    const body = response.body as { scopes?: unknown } | null;
    const scopes = Array.isArray(body?.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : [];
    const account = field(response.body, 'user', 'email') ?? field(response.body, 'user', 'name');
    const description = field(response.body, 'description');
    return {
      ...(account !== undefined ? { account } : {}),
      scopes,
      ...(scopes.some((scope) => PRIVILEGED_SCOPES.has(scope)) ? { privileged: true } : {}),
      ...(description !== undefined ? { details: { description } } : {}),
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        uuid: 'b63254c0-3271-4a98-8270-7cfbd6c2f14e',
        scopes: ['read_builds', 'write_builds', 'read_pipelines', 'write_pipelines'],
        description: 'deploy-scripts',
        created_at: '2025-11-04T08:17:52.413Z',
        user: { name: 'Jane Doe', email: 'jane.doe@acme.io' },
      },
    },
    dead: UNAUTHORIZED,
  },
});

/**
 * `DELETE https://api.buildkite.com/v2/access-token`
 * (buildkite.com/docs/apis/rest-api/access-token#revoke-the-current-token, tokens.md #19):
 * documented for anyone who finds a leaked token; 204.
 */
const buildkiteAccessTokenRevoker = httpRevoker({
  hosts: ['api.buildkite.com'],
  request: (secret) => ({
    method: 'DELETE',
    url: 'https://api.buildkite.com/v2/access-token',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  revokedStatus: [204],
  invalidStatus: [401],
  fixtures: { revoked: { status: 204 }, failed: UNAUTHORIZED },
});

export const buildkiteApiToken: Detector = {
  id: 'buildkite-api-token',
  name: 'Buildkite API access token',
  issuer: 'buildkite',
  keywords: ['bkua_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>bkua_[a-z0-9]{40})(?![A-Za-z0-9_])/,
  entropy: 3,
  severity: 'critical',
  verify: buildkiteAccessTokenVerifier,
  revoke: buildkiteAccessTokenRevoker,
  examples: {
    match: [
      'curl -H "Authorization: Bearer bkua_8pdxwnr4w3ngpe21ih0zjyxmiytl3ssewb5b0b4i" https://api.buildkite.com/v2/access-token',
      'BUILDKITE_API_TOKEN=bkua_vw88ugwvxo5uzn040zmc11f9pu9ak0spxauc0q76',
    ],
    ignore: [
      'BUILDKITE_API_TOKEN=bkua_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'BUILDKITE_API_TOKEN=bkua_8pdxwnr4w3ngpe21ih0zjyxmi',
      // upper case is not a Buildkite token
      'BUILDKITE_API_TOKEN=bkua_vw88ugwvxo5uzn040zmc11f9pu9ak0spxauc0q76'.toUpperCase(),
    ],
  },
};

export const buildkiteDetectors: readonly Detector[] = [buildkiteApiToken];
