import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/**
 * `GET https://circleci.com/api/v2/me` with `Circle-Token`
 * (circleci.com/docs/api/v2/index.html#operation/getCurrentUser, tokens.md #16):
 * the user a personal token belongs to. 401 dead. Not used for project
 * tokens, which have no user and would be refused here while still valid.
 */
const circleciMe = httpVerifier({
  hosts: ['circleci.com'],
  request: (secret) => ({
    url: 'https://circleci.com/api/v2/me',
    headers: { 'circle-token': secret, accept: 'application/json' },
  }),
  deadStatus: [401],
  facts: (response) => {
    const login = field(response.body, 'login');
    return login === undefined ? undefined : { account: login };
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: { name: 'Jane Doe', login: 'jdoe-acme', id: '6f3a9c1e-2b7d-4e58-a0c4-91d5e8b2f7a3' },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: { message: 'Invalid token provided.' },
    },
  },
});

export const circleciPersonalToken: Detector = {
  id: 'circleci-personal-token',
  name: 'CircleCI personal API token',
  issuer: 'circleci',
  keywords: ['CCIPAT_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>CCIPAT_[A-Za-z0-9]{22}_[0-9a-f]{40})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'critical',
  verify: circleciMe,
  examples: {
    match: [
      'curl -H "Circle-Token: CCIPAT_x6NP9GlWEX6BdQzT0EC10A_8b519b609f7096328fa97e36b7cacb9e8de4555e" https://circleci.com/api/v2/me',
      'CIRCLECI_CLI_TOKEN=CCIPAT_x6NP9GlWEX6BdQzT0EC10A_8b519b609f7096328fa97e36b7cacb9e8de4555e',
    ],
    ignore: [
      'CIRCLECI_CLI_TOKEN=CCIPAT_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'CIRCLECI_CLI_TOKEN=CCIPAT_x6NP9GlWEX6BdQzT0EC10A_8b519b609f7096328fa9',
      'personal tokens now start with CCIPAT_',
    ],
  },
};

/**
 * Project API tokens. Status-scoped ones are published on purpose in README
 * badge URLs (`circle-token=`/`token=` query parameters), so those are skipped.
 */
export const circleciProjectToken: Detector = {
  id: 'circleci-project-token',
  name: 'CircleCI project API token',
  issuer: 'circleci',
  keywords: ['CCIPRJ_'],
  pattern: /(?<![A-Za-z0-9_])(?<![?&](?:circle-)?token=)(?<secret>CCIPRJ_[A-Za-z0-9]{22}_[0-9a-f]{40})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'high',
  // No liveness check: CircleCI documents no read-only "who am I" for project tokens.
  examples: {
    match: [
      'CIRCLE_TOKEN=CCIPRJ_VdkzUsuaiJnat8xIGd55aK_132ea7563319df107b412fea43dccabf3d60328b',
      'project token for acme/api: CCIPRJ_VdkzUsuaiJnat8xIGd55aK_132ea7563319df107b412fea43dccabf3d60328b (read-only? not sure)',
    ],
    ignore: [
      '[![CircleCI](https://dl.circleci.com/status-badge/img/gh/acme/api/tree/main.svg?style=svg&circle-token=CCIPRJ_VdkzUsuaiJnat8xIGd55aK_132ea7563319df107b412fea43dccabf3d60328b)](https://dl.circleci.com/status-badge/redirect/gh/acme/api/tree/main)',
      'CIRCLE_TOKEN=CCIPRJ_VdkzUsuaiJnat8xIGd55aK_132ea75633',
      'CIRCLE_TOKEN=CCIPRJ_<token>',
    ],
  },
};

/** Pre-2023 tokens are 40 hex, the shape of a git SHA: only after a CircleCI token/key label. */
export const circleciLegacyToken: Detector = {
  id: 'circleci-legacy-token',
  name: 'CircleCI API token (legacy)',
  issuer: 'circleci',
  keywords: ['circle'],
  pattern: /circle(?:ci)?[_ .-]?(?:(?:api|cli)[_ .-]?)?(?:token|key)[\s"'`:=]{1,4}(?<secret>[0-9a-f]{40})(?![0-9a-z])/i,
  entropy: 3,
  severity: 'critical',
  // Meant for legacy personal tokens; a legacy project token may read as dead here.
  verify: circleciMe,
  examples: {
    match: [
      'CIRCLECI_TOKEN=648576c76e6cefe8ac49f36cc58ea58dbb96eb1e',
      'circle-token: "648576c76e6cefe8ac49f36cc58ea58dbb96eb1e"',
    ],
    ignore: [
      // the commit being built, not a token
      'CIRCLE_SHA1=648576c76e6cefe8ac49f36cc58ea58dbb96eb1e',
      'CIRCLECI_TOKEN=648576c76e6cefe8ac49f36cc58ea58d',
      'CIRCLECI_TOKEN=0000000000000000000000000000000000000000',
    ],
  },
};

export const circleciDetectors: readonly Detector[] = [
  circleciPersonalToken,
  circleciProjectToken,
  circleciLegacyToken,
];
