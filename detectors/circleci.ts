import type { Detector } from '../src/core/detector.ts';

export const circleciPersonalToken: Detector = {
  id: 'circleci-personal-token',
  name: 'CircleCI personal API token',
  issuer: 'circleci',
  keywords: ['CCIPAT_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>CCIPAT_[A-Za-z0-9]{22}_[0-9a-f]{40})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'critical',
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
  pattern: /\bcircle(?:ci)?[\w.-]{0,20}?(?:token|key)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{40})\b/i,
  entropy: 3,
  severity: 'critical',
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
