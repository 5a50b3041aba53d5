import type { Detector } from '../src/core/detector.ts';
import type { CannedResponse, SafeResponse, Verifier, VerifyContext } from '../src/core/verification.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { basicAuth } from '../src/verification/sensitive.ts';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const VALID: CannedResponse = { status: 200, headers: JSON_HEADERS, body: { valid: true } };
const NOT_VALID: CannedResponse = { status: 200, headers: JSON_HEADERS, body: { valid: false } };

/** `{"valid":true}` live, `{"valid":false}` dead, anything else unknown. */
function validAnswer(response: SafeResponse): boolean | 'dead' {
  const valid = (response.body as { valid?: unknown } | null)?.valid;
  return valid === true ? true : valid === false ? 'dead' : false;
}

/**
 * `GET {server}/api/authentication/validate` (docs.sonarsource.com Web API,
 * `api/authentication/validate`; tokens.md #30): HTTP 200 either way, the
 * body's `valid` decides. The token goes as the Basic user with an empty
 * password, which every SonarQube version accepts (Bearer only since 10.0).
 * 401 is dead too, on servers that answer so.
 */
function sonarValidate(hosts: readonly string[], server: (ctx: VerifyContext) => string): Verifier {
  return httpVerifier({
    hosts,
    ...(hosts.length === 0 ? { selfHosted: true } : {}),
    request: (secret, ctx) => ({
      url: `${server(ctx)}/api/authentication/validate`,
      headers: { authorization: basicAuth(secret, ''), accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: validAnswer,
    fixtures: { live: VALID, dead: NOT_VALID },
  });
}

/** SonarQube Server (self-hosted): only against configured base URLs. */
const sonarqubeValidate = sonarValidate([], (ctx) => (ctx.baseUrls[0] ?? '').replace(/\/+$/, ''));
/** SonarQube Cloud. */
const sonarcloudValidate = sonarValidate(['sonarcloud.io'], () => 'https://sonarcloud.io');

export const sonarUserToken: Detector = {
  id: 'sonar-user-token',
  name: 'SonarQube user token',
  issuer: 'sonar',
  keywords: ['squ_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>squ_[0-9a-f]{40})(?![A-Za-z0-9_])/,
  entropy: 3,
  // Acts as the user: reads all analysed source code, admin if the user is.
  severity: 'high',
  verify: sonarqubeValidate,
  examples: {
    match: [
      'mvn sonar:sonar -Dsonar.host.url=https://sonar.acme.io -Dsonar.token=squ_0005dd7dca4b8bc73add54eb33a64bfd0977e745',
      'curl -u squ_0005dd7dca4b8bc73add54eb33a64bfd0977e745: https://sonar.acme.io/api/authentication/validate',
    ],
    ignore: [
      'SONAR_TOKEN=squ_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'SONAR_TOKEN=squ_0005dd7dca4b8bc73add54eb33a64bfd0977',
      'SONAR_TOKEN=squ_0005dd7dca4b8bc73add54eb33a64bfd0977e745'.toUpperCase(),
    ],
  },
};

export const sonarProjectAnalysisToken: Detector = {
  id: 'sonar-project-analysis-token',
  name: 'SonarQube project analysis token',
  issuer: 'sonar',
  keywords: ['sqp_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sqp_[0-9a-f]{40})(?![A-Za-z0-9_])/,
  entropy: 3,
  // Can only run analyses of one project.
  severity: 'medium',
  verify: sonarqubeValidate,
  examples: {
    match: [
      'SONAR_TOKEN=sqp_630962b2137b333bfbbd3382d24b6ff89d50592c',
      'sonar-scanner -Dsonar.projectKey=acme-api -Dsonar.token=sqp_630962b2137b333bfbbd3382d24b6ff89d50592c',
    ],
    ignore: [
      'SONAR_TOKEN=sqp_0000000000000000000000000000000000000000',
      'SONAR_TOKEN=sqp_630962b2137b333bfbbd3382d2',
      'SONAR_TOKEN=sqp_630962b2137b333bfbbd3382d24b6ff89d50592c0',
    ],
  },
};

export const sonarGlobalAnalysisToken: Detector = {
  id: 'sonar-global-analysis-token',
  name: 'SonarQube global analysis token',
  issuer: 'sonar',
  keywords: ['sqa_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sqa_[0-9a-f]{40})(?![A-Za-z0-9_])/,
  entropy: 3,
  severity: 'medium',
  verify: sonarqubeValidate,
  examples: {
    match: [
      'SONAR_TOKEN=sqa_b4f94fc0ee92f80fa8b7391da731f077fb7814d6',
      'global analysis token for the CI runners: sqa_b4f94fc0ee92f80fa8b7391da731f077fb7814d6',
    ],
    ignore: [
      'SONAR_TOKEN=sqa_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'SONAR_TOKEN=sqa_b4f94fc0ee92f80fa8b7391da731f077fb781',
      'SONAR_TOKEN=sqa_<token>',
    ],
  },
};

export const sonarcloudToken: Detector = {
  id: 'sonarcloud-token',
  name: 'SonarQube Cloud (SonarCloud) token',
  issuer: 'sonar',
  keywords: ['sqco_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sqco_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'high',
  verify: sonarcloudValidate,
  examples: {
    match: [
      'SONAR_TOKEN=sqco_YRVC0oUAGHRKUkbuOHt1d4FC4aF7uWCWU8HftNa32e3JRu4AyclWV7FpwnP',
      'curl -H "Authorization: Bearer sqco_YRVC0oUAGHRKUkbuOHt1d4FC4aF7uWCWU8HftNa32e3JRu4AyclWV7FpwnP" https://sonarcloud.io/api/authentication/validate',
    ],
    ignore: [
      "const sonarToken = process.env.SONAR_TOKEN ?? 'sqco_placeholder'",
      'SONAR_TOKEN=sqco_YRVC0oUAGHRKUkbuOHt1d4FC4aF7uWCWU8HftNa32e3JR',
      'SONAR_TOKEN=sqco_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const sonarDetectors: readonly Detector[] = [
  sonarUserToken,
  sonarProjectAnalysisToken,
  sonarGlobalAnalysisToken,
  sonarcloudToken,
];
